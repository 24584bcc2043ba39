// Two tabs on one database over a simulated month of mixed actions, each acting on copies of
// cards it read earlier (as a screen does). Whatever the interleaving, no stale copy is ever
// written, and every card's schedule is exactly what its review log replays to.
import 'fake-indexeddb/auto';
import { Rating, State, type Grade } from 'ts-fsrs';
import { afterEach, describe, expect, it } from 'vitest';
import { applyAnswer, createScheduler, rescheduleFromHistory, inLogOrder, replaySchedule } from '../../src/domain/scheduler.ts';
import { scheduleOf } from '../../src/domain/schedule.ts';
import { defaultSettings, isAnswer, Queue, queueForState, type CardRecord } from '../../src/domain/types.ts';
import { StaleRecordError, Storage, undoStep, type UndoStep } from '../../src/storage/index.ts';
import { RescheduleStorage } from '../../src/storage/reschedule.ts';
import { builtInDeck } from '../support/cards.ts';
import { seededRandom } from '../support/collection.ts';

const start = new Date('2026-03-02T08:00:00Z');
const scheduler = createScheduler(defaultSettings);
const opened: (Storage | RescheduleStorage)[] = [];

/** A tab: its own connection, the card copies its screens last read, and its undo stack. */
class Tab {
  readonly storage: Storage;
  /** The reschedule worker's connection. */
  readonly reschedules: RescheduleStorage;
  readonly copies = new Map<string, CardRecord>();
  readonly undo: UndoStep[] = [];

  constructor(name: string) {
    this.storage = new Storage(name);
    this.reschedules = new RescheduleStorage(name);
    opened.push(this.storage, this.reschedules);
  }

  async read(id: string): Promise<CardRecord | undefined> {
    const card = await this.storage.card(id);
    if (card) this.copies.set(id, card);
    else this.copies.delete(id);
    return card;
  }
}

afterEach(() => {
  for (const storage of opened.splice(0)) storage.close();
});

describe('integrity across two tabs', () => {
  it('writes no stale copy, and every card is the replay of its log after a month of mixed actions', { timeout: 60_000 }, async () => {
    const name = 'integrity';
    const [a, b] = [new Tab(name), new Tab(name)];
    await a.storage.syncBuiltInDecks([builtInDeck('one', 10), builtInDeck('two', 6)], 'v1', start);
    const ids = [...Array.from({ length: 10 }, (_, i) => `one-${i}`), ...Array.from({ length: 6 }, (_, i) => `two-${i}`)];
    for (const tab of [a, b]) for (const id of ids) await tab.read(id);

    const roll = seededRandom(42);
    const pick = <T>(items: readonly T[]) => items[Math.floor(roll() * items.length)];
    const counts = { done: 0, refused: 0 };
    let now = start;
    let edits = 0;
    while (now.getTime() < start.getTime() + 30 * 86_400_000) {
      now = new Date(now.getTime() + (roll() < 0.85 ? 60_000 + roll() * 20 * 60_000 : roll() * 8 * 3_600_000));
      const tab = roll() < 0.5 ? a : b;
      // Now and then a screen reads again; most of the time it acts on what it read before.
      if (roll() < 0.3) for (const id of ids) await tab.read(id);
      const id = pick(ids);
      const copy = tab.copies.get(id);
      const action = roll();
      try {
        let step: UndoStep | undefined;
        if (action < 0.1 && tab.undo.length > 0) {
          await tab.storage.undo(tab.undo.pop()!);
        } else if (!copy) {
          continue;
        } else if (action < 0.55) {
          const rating = pick([Rating.Again, Rating.Hard, Rating.Good, Rating.Good, Rating.Easy] as Grade[]);
          const { card, log } = applyAnswer(scheduler, copy, rating, now, 3000);
          step = await tab.storage.answer(copy, card, log);
        } else if (action < 0.62) {
          step = copy.queue === Queue.Suspended ? await tab.storage.unsuspend(copy) : await tab.storage.suspend(copy);
        } else if (action < 0.67) {
          step = await tab.storage.bury(copy, 1);
        } else if (action < 0.72) {
          step = await tab.storage.setFlag(copy, (copy.flag ?? 0) === 1 ? 0 : 1);
        } else if (action < 0.8) {
          edits++;
          const edited = { ...copy, front: `${copy.front} (edit ${edits})`, tags: [...copy.tags, `edit${edits}`], editedAt: now };
          step = await tab.storage.saveNote([copy], { added: [], updated: [edited], retired: [] }, copy);
        } else if (action < 0.84) {
          step = await tab.storage.reset(copy, now);
        } else if (action < 0.86) {
          const { undo } = await tab.reschedules.reschedule(['one', 'two'], (card, history) => rescheduleFromHistory(scheduler, card, history, now), now);
          step = undoStep('Reschedule', { rescheduled: undo });
        } else if (action < 0.875 && copy.deckId === 'two') {
          // Deck "one" is never deleted, so that its cards carry a month of history at the end.
          step = await tab.storage.deleteDeck('two');
        } else if (action < 0.9) {
          await tab.storage.unburyBefore(2);
        } else {
          continue;
        }
        if (step) tab.undo.push(step);
        counts.done++;
      } catch (error) {
        // The only refusal allowed: the copy was not the stored card any more.
        expect(error).toBeInstanceOf(StaleRecordError);
        counts.refused++;
      }
      // As the screens do after a write or a refusal: show the card as stored now.
      await tab.read(id);
    }
    // Both kinds of outcome happened many times, so both paths were tried.
    expect(counts.done).toBeGreaterThan(250);
    expect(counts.refused).toBeGreaterThan(30);

    const storage = a.storage;
    const cards = await storage.allCards();
    const known = new Set(cards.map((card) => card.id));
    const decks = new Set((await storage.decks()).map((stored) => stored.id));
    let replayed = 0;
    for (const card of cards) {
      expect(decks.has(card.deckId)).toBe(true);
      const log = inLogOrder(await storage.reviewLog(card.id));
      const sinceReset = log.slice(log.map((row) => row.kind).lastIndexOf('reset') + 1);
      expect(card.reps).toBe(sinceReset.filter(isAnswer).length);
      const replay = replaySchedule(scheduler, card.id, log);
      if (!replay) {
        expect(card.state).toBe(State.New);
        continue;
      }
      expect(scheduleOf(card)).toEqual(replay);
      if (card.queue >= 0) expect(card.queue).toBe(queueForState(card.state));
      replayed++;
    }
    expect(replayed).toBeGreaterThan(8);
    // No log row outlives its card.
    for (const row of await storage.reviewLog('')) expect(known.has(row.cardId)).toBe(true);
    const allRows = await Promise.all(ids.map((id) => storage.reviewLog(id)));
    for (const [index, rows] of allRows.entries()) if (!known.has(ids[index])) expect(rows).toEqual([]);
    console.log(`integrity: ${counts.done} actions written, ${counts.refused} stale ones refused, ${replayed} cards replayed exactly`);
  });
});

describe('revisions only go up', () => {
  it('refuses a copy read after an answer once that answer is undone and another given', async () => {
    const [a, b] = [new Tab('aba'), new Tab('aba')];
    await a.storage.syncBuiltInDecks([builtInDeck('one', 1)], 'v1', start);
    const first = (await a.read('one-0'))!;
    const good = applyAnswer(scheduler, first, Rating.Good, start, 1000);
    const step = await a.storage.answer(first, good.card, good.log);
    const copyInB = (await b.read('one-0'))!;
    const restored = (await a.storage.undo(step)).card!;
    const later = new Date(start.getTime() + 60_000);
    const again = applyAnswer(scheduler, restored, Rating.Again, later, 1000);
    await a.storage.answer(restored, again.card, again.log);
    const stale = applyAnswer(scheduler, copyInB, Rating.Easy, later, 1000);
    await expect(b.storage.answer(copyInB, stale.card, stale.log)).rejects.toBeInstanceOf(StaleRecordError);
    const stored = (await a.storage.card('one-0'))!;
    expect(scheduleOf(stored)).toEqual(replaySchedule(scheduler, 'one-0', await a.storage.reviewLog('one-0')));
  });

  it('refuses to undo a rename once another tab deleted or renamed the deck', async () => {
    const [a, b] = [new Tab('decks'), new Tab('decks')];
    await a.storage.syncBuiltInDecks([builtInDeck('one', 1), builtInDeck('two', 1)], 'v1', start);
    const renamedOne = await a.storage.renameDeck((await a.storage.deck('one'))!, 'First', '', start);
    await b.storage.deleteDeck('one');
    await expect(a.storage.undo(renamedOne)).rejects.toBeInstanceOf(StaleRecordError);
    expect(await a.storage.deck('one')).toBeUndefined();
    const renamedTwo = await a.storage.renameDeck((await a.storage.deck('two'))!, 'Second', '', start);
    await b.storage.renameDeck((await b.storage.deck('two'))!, 'Mine', '', new Date(start.getTime() + 1000));
    await expect(a.storage.undo(renamedTwo)).rejects.toBeInstanceOf(StaleRecordError);
    expect((await a.storage.deck('two'))!.title).toBe('Mine');
  });
});
