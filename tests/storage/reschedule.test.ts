// The reschedule worker's storage (src/storage/reschedule.ts) and its undo through the page's
// Storage: each studied card gets the schedule its history gives under its deck's settings,
// with a log row that replays to it, in one write that a stale copy never gets into.
import 'fake-indexeddb/auto';
import { Rating } from 'ts-fsrs';
import { afterEach, describe, expect, it } from 'vitest';
import { stillUndoable, UndoStack } from '../../src/app/undoStack.ts';
import { effectiveSettings } from '../../src/domain/deckSettings.ts';
import { applyAnswer, inLogOrder, replaySchedule, rescheduleFromHistory, schedulerForSettings } from '../../src/domain/scheduler.ts';
import { scheduleOf } from '../../src/domain/schedule.ts';
import { logDocId } from '../../src/domain/sync/documents.ts';
import { defaultSettings, isAnswer, Queue, type CardRecord, type DeckSettings, type StudySettings } from '../../src/domain/types.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { StaleRecordError, Storage, undoStep, type Change, type UndoStep } from '../../src/storage/index.ts';
import { addUndoPart, emptyUndo, RescheduleStorage, undoParts, type Replan, type ReschedulePhase } from '../../src/storage/reschedule.ts';
import { generateCollection } from '../support/collection.ts';

const now = new Date('2026-03-02T08:00:00Z');
const global: StudySettings = { ...defaultSettings, desiredRetention: 0.8 };
const ownOfB: DeckSettings = { desiredRetention: 0.95 };
const replan: Replan = (card, history, settings) => rescheduleFromHistory(schedulerForSettings(settings), card, history, now);
const deckOf = (cardId: string) => ['a', 'b', 'c'][Number(cardId.split('-')[1]) % 3];
/** A studied card of deck b (bench-4). */
const noLastReview = 4;
const settingsOf = (deckId: string) => effectiveSettings(global, deckId === 'b' ? ownOfB : undefined);

let opened: { close(): void }[] = [];
let counter = 0;
afterEach(() => {
  for (const connection of opened) connection.close();
  opened = [];
});

/** Generated cards (300 unless said) with their logs in decks a, b and c (b with a desired retention of its own), some suspended. */
async function seeded(size = 300): Promise<{ name: string; storage: Storage; reschedules: RescheduleStorage; cards: CardRecord[] }> {
  const name = `reschedule-${++counter}`;
  const { cards, log } = generateCollection(size, now);
  const placed = cards.map((card, index) => ({ ...card, deckId: deckOf(card.id), queue: index % 17 === 5 ? Queue.Suspended : card.queue }));
  // A studied card stored before last reviews were kept: the reschedule gives it one, undo takes it away.
  delete placed[noLastReview].last_review;
  const db = openDatabase(name);
  await db.decks.bulkPut(['a', 'b', 'c'].map((id, position) => ({ id, title: id, description: '', position, origin: 'user' as const })));
  await db.cards.bulkPut(placed);
  await db.reviewLog.bulkAdd(log.map((row) => ({ ...row, deckId: deckOf(row.cardId) })));
  db.close();
  const storage = new Storage(name);
  const reschedules = new RescheduleStorage(name);
  opened.push(storage, reschedules);
  await storage.saveSettings(global);
  await storage.saveDeckSettings('b', ownOfB);
  return { name, storage, reschedules, cards: placed };
}

describe('reschedule', () => {
  // Decks a and b hold most cards of their ids' range, and are read as ranges; c alone holds a third, read key by key.
  it.each([[['a', 'b']], [['c']]])("gives each card of %j its history's schedule under its deck's settings, with a log row that replays to it", async (deckIds) => {
    const { name, storage, reschedules, cards } = await seeded();
    const progress: [ReschedulePhase, number, number][] = [];
    const outcome = await reschedules.reschedule(deckIds, replan, now, { onProgress: (...report) => progress.push(report) });

    let changed = 0;
    for (const before of cards) {
      const stored = (await storage.card(before.id))!;
      const log = await storage.reviewLog(before.id);
      const expected = !deckIds.includes(before.deckId) ? undefined : rescheduleFromHistory(schedulerForSettings(settingsOf(before.deckId)), before, log.filter(isAnswer), now);
      const added = log.filter((row) => row.kind === 'reschedule');
      if (!expected) {
        expect(stored).toEqual(before);
        expect(added).toEqual([]);
        continue;
      }
      changed++;
      expect(stored).toEqual({ ...expected, rev: before.rev + 1 });
      // A suspended card stays suspended, with its new schedule.
      if (before.queue === Queue.Suspended) expect(stored.queue).toBe(Queue.Suspended);
      expect(added).toEqual([expect.objectContaining({ cardId: before.id, deckId: before.deckId, reviewedAt: now, schedule: scheduleOf(stored), uid: expect.any(String) })]);
      expect(replaySchedule(schedulerForSettings(settingsOf(before.deckId)), before.id, inLogOrder(log))).toEqual(scheduleOf(stored));
    }
    expect(changed).toBeGreaterThan(50 * deckIds.length);
    expect(outcome).toMatchObject({ changed, refused: 0 });
    expect(outcome.undo.revsBefore.size).toBe(changed);
    expect(outcome.undo.logIds).toHaveLength(changed);
    if (deckIds.includes('b')) {
      // Both decks' settings mattered: deck b's cards are due sooner than under the global ones.
      const b = cards.find((card) => card.deckId === 'b' && outcome.undo.revsBefore.has(card.id))!;
      const underGlobal = rescheduleFromHistory(schedulerForSettings(global), b, (await storage.reviewLog(b.id)).filter(isAnswer), now)!;
      expect((await storage.card(b.id))!.due.getTime()).toBeLessThan(underGlobal.due.getTime());
    }

    // Sync sends the new rows: the outbox names every log batch they went into.
    const db = openDatabase(name);
    opened.push(db);
    const rows = (await db.reviewLog.toArray()).filter((row) => row.kind === 'reschedule');
    const outbox = new Set((await db.syncOutbox.toArray()).map((entry) => entry.docId));
    for (const row of rows) expect(outbox.has(logDocId(row.uid!, row.reviewedAt.getTime()))).toBe(true);

    const total = 100 * deckIds.length;
    expect(progress.filter(([phase]) => phase === 'computing').at(-1)).toEqual(['computing', total, total]);
    expect(progress.filter(([phase]) => phase === 'saving').at(-1)).toEqual(['saving', changed, changed]);
  });

  it('tells the open tabs which cards changed', async () => {
    const { storage, reschedules } = await seeded();
    const heard: Change[] = [];
    storage.onExternalChange((change) => heard.push(change));
    const outcome = await reschedules.reschedule(['a'], replan, now);
    await expect.poll(() => heard.length).toBe(1);
    expect(new Set(heard[0].cardIds)).toEqual(new Set(outcome.undo.revsBefore.keys()));
  });

  it('undo puts every card and the log back exactly, and the steps before it stay undoable', async () => {
    const { name, storage, reschedules, cards } = await seeded();
    const stack = new UndoStack<UndoStep>();
    // An answer before the reschedule, on a card it then changes.
    const answered = cards.find((card) => card.deckId === 'a' && card.state !== 0)!;
    const { card: after, log } = applyAnswer(schedulerForSettings(settingsOf('a')), answered, Rating.Good, now, 3000);
    stack.push(await storage.answer(answered, after, log));
    const before = new Map((await Promise.all(cards.map((card) => storage.card(card.id)))).map((card) => [card!.id, card!]));
    const logBefore = await storage.allLogRows();

    const { undo } = await reschedules.reschedule(['a', 'b', 'c'], replan, now);
    expect(undo.revsBefore.has(answered.id)).toBe(true);
    expect((await storage.card(cards[noLastReview].id))!.last_review).toBeInstanceOf(Date);
    // As the page gets it: sent by the worker in parts.
    const sent = emptyUndo(undo.revsBefore.size);
    for (const part of undoParts(undo, 50)) addUndoPart(sent, part);
    expect(sent).toEqual(undo);
    stack.push(undoStep('Reschedule', { rescheduled: sent }));

    const step = stack.pop()!;
    const undone = await storage.undo(step);
    stack.rewrite((earlier) => stillUndoable(earlier, step, undone.revsRestored));
    expect('last_review' in (await storage.card(cards[noLastReview].id))!).toBe(false);
    for (const [id, card] of before) {
      const restored = (await storage.card(id))!;
      expect(restored).toEqual(undo.revsBefore.has(id) ? { ...card, rev: card.rev + 2 } : card);
      if (undo.revsBefore.has(id)) expect(undone.revsRestored[id]).toBe(card.rev + 2);
    }
    expect(await storage.allLogRows()).toEqual(logBefore);
    // Sync learns the rows are gone.
    const db = openDatabase(name);
    opened.push(db);
    expect(await db.logTombstones.count()).toBe(undo.logIds.length);

    // The answer before it is undone too, and the card is as it was first.
    await storage.undo(stack.pop()!);
    expect(scheduleOf((await storage.card(answered.id))!)).toEqual(scheduleOf(answered));
  });

  it('leaves a card another tab changed after it was read as it is, and writes the others', async () => {
    const { name, storage, reschedules, cards } = await seeded();
    const target = cards.find((card) => card.deckId === 'a' && card.state === 2)!;
    let answeredMeanwhile: CardRecord | undefined;
    const outcome = await reschedules.reschedule(['a'], replan, now, {
      async beforeWrite() {
        // Another tab answers the card while this one computes.
        const other = new Storage(name);
        opened.push(other);
        const { card, log } = applyAnswer(schedulerForSettings(settingsOf('a')), target, Rating.Again, now, 3000);
        await other.answer(target, card, log);
        answeredMeanwhile = await other.card(target.id);
      },
    });
    expect(outcome.refused).toBe(1);
    expect(outcome.undo.revsBefore.has(target.id)).toBe(false);
    expect(await storage.card(target.id)).toEqual(answeredMeanwhile);
    expect((await storage.reviewLog(target.id)).some((row) => row.kind === 'reschedule')).toBe(false);
    expect(outcome.changed).toBeGreaterThan(30);
  });

  it('refuses to undo once another tab changed a rescheduled card, and restores nothing', { timeout: 30_000 }, async () => {
    // Cards for several of undo's batches: the refusal in the last takes back those before it.
    const { storage, reschedules } = await seeded(1500);
    const { undo } = await reschedules.reschedule(['a', 'b', 'c'], replan, now);
    const ids = [...undo.revsBefore.keys()];
    expect(ids.length).toBeGreaterThan(1000);
    const last = (await storage.card(ids.at(-1)!))!;
    await storage.suspend(last);
    const rescheduled = await Promise.all(ids.map((id) => storage.card(id)));
    await expect(storage.undo(undoStep('Reschedule', { rescheduled: undo }))).rejects.toThrow(StaleRecordError);
    expect(await Promise.all(ids.map((id) => storage.card(id)))).toEqual(rescheduled);
    expect((await storage.allLogRows()).filter((row) => row.kind === 'reschedule')).toHaveLength(ids.length);
  });

  it('writes nothing when stopped before the write', async () => {
    const { storage, reschedules, cards } = await seeded();
    const stop = new Error('cancelled');
    await expect(reschedules.reschedule(['a', 'b', 'c'], replan, now, { beforeWrite: () => Promise.reject(stop) })).rejects.toBe(stop);
    for (const card of cards) expect(await storage.card(card.id)).toEqual(card);
    expect((await storage.allLogRows()).some((row) => row.kind === 'reschedule')).toBe(false);
  });
});
