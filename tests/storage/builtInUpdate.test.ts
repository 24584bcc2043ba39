// Two versions of a built-in deck against one database, as when the app updates.
import 'fake-indexeddb/auto';
import { Rating, State } from 'ts-fsrs';
import { afterEach, describe, expect, it } from 'vitest';
import { compileDecks } from '../../src/domain/deckFile.ts';
import { applyAnswer, createScheduler } from '../../src/domain/scheduler.ts';
import { defaultSettings, Queue, queueForState } from '../../src/domain/types.ts';
import { cardsForNewNote, editNote } from '../../src/domain/userCards.ts';
import { Storage } from '../../src/storage/index.ts';
import { builtInDeck } from '../support/cards.ts';

const header = 'deck: governance\ntitle: Governance\ndescription: Steering and SIGs.\n';
const card = (id: string, question: string, answer: string) =>
  `\n## ${id}\nQ: ${question}\nA: ${answer}\nsource: kubernetes/steering charter.md\nexam: KCNA Cloud Native Architecture\n`;

const version1 = compileDecks([
  {
    file: 'governance.deck',
    text:
      header +
      card('gov-seats', 'How many seats has Steering?', '7') +
      card('gov-terms', 'How long is a Steering term?', 'Two years') +
      card('gov-old', 'An outdated card?', 'Yes'),
  },
]);
const version2 = compileDecks([
  {
    file: 'governance.deck',
    text:
      header +
      card('gov-seats', '[Steering] How many members does the Steering Committee have?', 'Seven') +
      card('gov-terms', 'How long is a Steering term?', 'Two years') +
      card('gov-cap', '[Steering] At most what share of seats may one company hold?', 'One third'),
  },
]);

let storage: Storage;
afterEach(() => storage.close());

async function answer(id: string, at: Date) {
  const before = (await storage.card(id))!;
  const { card: after, log } = applyAnswer(createScheduler(defaultSettings), before, Rating.Good, at, 3000);
  await storage.answer(before, after, log);
  return after;
}

describe('a built-in deck update', () => {
  it('keeps progress on reworded cards, adds new cards as new and retires removed ones with their history', async () => {
    storage = new Storage('update-test');
    const at = new Date('2026-04-01T09:00:00Z');
    await storage.syncBuiltInDecks(version1, 'v1', at);
    const studied = await answer('gov-seats', at);
    const retiring = await answer('gov-old', new Date(at.getTime() + 60_000));
    expect(await storage.cardCount('governance')).toBe(3);

    await storage.syncBuiltInDecks(version2, 'v2', new Date('2026-04-02T09:00:00Z'));
    expect(await storage.builtInVersion()).toBe('v2');

    const reworded = (await storage.card('gov-seats'))!;
    expect(reworded.front).toBe('[Steering] How many members does the Steering Committee have?');
    expect(reworded.back).toBe('Seven');
    const { front: _f, back: _b, rev, ...progress } = reworded;
    const { front: _f1, back: _b1, rev: revBefore, ...progressBefore } = studied;
    expect(progress).toEqual(progressBefore);
    expect(rev).toBe(revBefore + 1);
    expect(await storage.reviewLog('gov-seats')).toHaveLength(1);

    const added = (await storage.card('gov-cap'))!;
    expect(added).toMatchObject({ state: State.New, queue: Queue.New, reps: 0, position: 2 });

    const retired = (await storage.card('gov-old'))!;
    expect(retired.queue).toBe(Queue.Retired);
    expect(retired).toMatchObject({ reps: retiring.reps, state: retiring.state, due: retiring.due });
    expect(await storage.reviewLog('gov-old')).toHaveLength(1);
    expect(await storage.cardCount('governance')).toBe(3);

    // The retired card never comes up for study; the untouched and the new one do.
    const queue = await storage.queue('governance', new Date('2026-04-02T09:00:00Z'), defaultSettings);
    expect(queue.counts.newCards).toBe(2);
    expect(queue.counts.learning).toBe(1);
    const shown = new Set<string>();
    for (let step = 0; step < 6; step++) {
      const next = await storage.queue('governance', new Date('2026-04-02T09:00:00Z'), defaultSettings);
      if (!next.card) break;
      shown.add(next.card.id);
      await answer(next.card.id, new Date('2026-04-02T09:00:00Z'));
    }
    expect(shown.has('gov-old')).toBe(false);

    // Shipping the card again brings it back with its progress.
    await storage.syncBuiltInDecks(version1, 'v3', new Date('2026-04-03T09:00:00Z'));
    expect((await storage.card('gov-old'))!).toMatchObject({ queue: queueForState(retiring.state), reps: retiring.reps });
  });

  it("never touches the user's own cards or text the user edited", async () => {
    storage = new Storage('update-user-content');
    const at = new Date('2026-04-01T09:00:00Z');
    await storage.syncBuiltInDecks(version1, 'v1', at);
    const seats = (await storage.card('gov-seats'))!;
    const before = await storage.noteCards(seats);
    await storage.saveNote(before, editNote({ kind: 'basic', front: 'My own wording', back: '7', tags: [], note: '' }, before, 10, at, seats.id), seats);
    await storage.addCards(cardsForNewNote({ kind: 'basic', front: 'Mine', back: 'Yes', tags: [], note: '' }, 'governance', 'user-1', 10, at));
    await storage.syncBuiltInDecks(version2, 'v2', new Date('2026-04-02T09:00:00Z'));
    expect((await storage.card('gov-seats'))!.front).toBe('My own wording');
    expect(await storage.card('user-1')).toMatchObject({ front: 'Mine', queue: Queue.New, origin: 'user' });
  });

  it('marks a deck as an exam companion as the shipped version does, also after the user renamed it', async () => {
    storage = new Storage('update-companion');
    const at = new Date('2026-04-01T09:00:00Z');
    const companion = [{ ...version1[0], companion: 'KCNA exam companion, not from the talk' }];
    await storage.syncBuiltInDecks(companion, 'v1', at);
    expect((await storage.deck('governance'))!.companion).toBe('KCNA exam companion, not from the talk');
    await storage.renameDeck((await storage.deck('governance'))!, 'My name', 'Mine.', at);
    await storage.syncBuiltInDecks(version2, 'v2', new Date('2026-04-02T09:00:00Z'));
    const unmarked = (await storage.deck('governance'))!;
    expect(unmarked.title).toBe('My name');
    expect('companion' in unmarked).toBe(false);
  });

  it('deletes a deck with its cards and history in one step, and undo restores all of it', async () => {
    storage = new Storage('delete-deck');
    const at = new Date('2026-04-01T09:00:00Z');
    await storage.syncBuiltInDecks(version1, 'v1', at);
    await answer('gov-seats', at);
    const step = await storage.deleteDeck('governance');
    expect(await storage.deck('governance')).toBeUndefined();
    expect(await storage.card('gov-seats')).toBeUndefined();
    expect(await storage.reviewLog('gov-seats')).toHaveLength(0);
    await storage.undo(step);
    expect(await storage.cardCount('governance')).toBe(3);
    expect(await storage.reviewLog('gov-seats')).toHaveLength(1);
  });

  it('does nothing when the version is already stored', async () => {
    storage = new Storage('update-idempotent');
    const at = new Date('2026-04-01T09:00:00Z');
    await storage.syncBuiltInDecks(version1, 'v1', at);
    const before = await storage.card('gov-seats');
    await storage.syncBuiltInDecks(version1, 'v1', new Date('2026-05-01T09:00:00Z'));
    expect(await storage.card('gov-seats')).toEqual(before);
  });

  it('stores one deck ahead of the others on a first visit, retiring nothing, and the rest after it', async () => {
    storage = new Storage('first-deck-test');
    const at = new Date('2026-04-01T09:00:00Z');
    const [one, two, three] = [builtInDeck('one', 3), builtInDeck('two', 2), builtInDeck('three', 4)];
    await storage.syncBuiltInDecks([two], undefined, at);
    expect(await storage.builtInVersion()).toBeUndefined();
    expect((await storage.decks()).map((deck) => deck.id)).toEqual(['two']);
    const studied = await answer('two-0', at);

    await storage.syncBuiltInDecks([one, two, three], 'v1', at);
    expect(await storage.builtInVersion()).toBe('v1');
    expect((await storage.decks()).map((deck) => deck.id)).toEqual(['one', 'two', 'three']);
    expect([await storage.cardCount('one'), await storage.cardCount('two'), await storage.cardCount('three')]).toEqual([3, 2, 4]);
    // The answer given meanwhile stays.
    expect(await storage.card('two-0')).toMatchObject({ state: studied.state, due: studied.due });

    // A deck stored ahead again (another first visit's order) retires nothing of the others.
    await storage.syncBuiltInDecks([three], undefined, at);
    expect(await storage.cardCount('one')).toBe(3);
    expect(await storage.builtInVersion()).toBe('v1');
  });
});
