import 'fake-indexeddb/auto';
import { Rating, type Grade } from 'ts-fsrs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuiltInDeck } from '../../src/domain/deckFile.ts';
import { applyAnswer, createScheduler } from '../../src/domain/scheduler.ts';
import { studyDay } from '../../src/domain/studyDay.ts';
import { defaultSettings, Queue, type StudySettings } from '../../src/domain/types.ts';
import { cardsForNewNote } from '../../src/domain/userCards.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { Storage } from '../../src/storage/index.ts';

// Sibling burying in the answer's transaction, the queue passing over siblings, and Custom study.
const seedTime = new Date('2026-03-02T08:00:00Z');
const at = new Date('2026-03-02T10:00:00Z');
let opened: Storage[] = [];
let counter = 0;

const cloze = (id: string, position: number) => ({ id, position, kind: 'cloze' as const, front: `Q ${id}`, back: `A ${id}`, source: 'test', exam: [], tags: [], note: '' });
const deck: BuiltInDeck = {
  id: 'history',
  title: 'History',
  description: '',
  cards: [cloze('commit-c1', 0), cloze('commit-c2', 1), cloze('commit-c3', 2), cloze('announce-c1', 3), cloze('announce-c2', 4)],
};

async function seeded(): Promise<{ storage: Storage; name: string }> {
  const name = `siblings-${++counter}`;
  const storage = new Storage(name);
  opened.push(storage);
  await storage.syncBuiltInDecks([deck], 'v1', seedTime);
  return { storage, name };
}

async function answer(storage: Storage, cardId: string, when: Date, settings: StudySettings = defaultSettings, rating: Grade = Rating.Good) {
  const before = (await storage.card(cardId))!;
  const { card, log } = applyAnswer(createScheduler(settings), before, rating, when, 2000);
  return storage.answer(before, card, log, settings);
}

async function outboxDocIds(name: string): Promise<string[]> {
  const db = openDatabase(name);
  try {
    return (await db.syncOutbox.toArray()).map((row) => row.docId);
  } finally {
    db.close();
  }
}

afterEach(() => {
  for (const storage of opened) storage.close();
  opened = [];
});

describe('burying siblings', () => {
  it('buries the new siblings of an answered built-in cloze card in the same step, noted for sync, and undo brings them back', async () => {
    const { storage, name } = await seeded();
    const step = await answer(storage, 'commit-c1', at);
    const day = studyDay(at, defaultSettings.dayStartHour).number;
    for (const id of ['commit-c2', 'commit-c3']) expect(await storage.card(id)).toMatchObject({ queue: Queue.Buried, buriedOnDay: day, rev: 1 });
    expect((await storage.card('announce-c1'))!.queue).toBe(Queue.New);
    expect(step.cards.map((card) => card.id)).toEqual(['commit-c1', 'commit-c2', 'commit-c3']);
    // The answered card's schedule travels as its log row; the buried siblings as cards.
    expect(await outboxDocIds(name)).toEqual(expect.arrayContaining(['card:commit-c2', 'card:commit-c3', expect.stringMatching(/^log:/)]));
    expect((await storage.queue('history', at, defaultSettings)).counts.newCards).toBe(2);

    await storage.undo(step);
    for (const id of ['commit-c1', 'commit-c2', 'commit-c3']) expect((await storage.card(id))!.queue).toBe(Queue.New);
    expect(await storage.reviewLog('commit-c1')).toEqual([]);
  });

  it('follows the deck options: off, nothing is buried', async () => {
    const { storage } = await seeded();
    const off = { ...defaultSettings, buryNewSiblings: false };
    await answer(storage, 'commit-c1', at, off);
    expect((await storage.card('commit-c2'))!.queue).toBe(Queue.New);
  });

  it('is off by default in the user’s decks, where the queue still passes over a sibling of the card just shown', async () => {
    const { storage } = await seeded();
    await storage.createDeck('mine', 'Mine', '');
    await storage.addCards([
      ...cardsForNewNote({ kind: 'cloze', text: '{{c1::a}} {{c2::b}} {{c3::c}}', tags: [], note: '' }, 'mine', 'note-1', 0, seedTime),
      ...cardsForNewNote({ kind: 'basic', front: 'f', back: 'b', tags: [], note: '' }, 'mine', 'basic-1', 3, seedTime),
    ]);
    const first = (await storage.queue('mine', at, defaultSettings)).card!;
    expect(first.id).toBe('note-1-c1');
    await answer(storage, first.id, at);
    expect((await storage.card('note-1-c2'))!.queue).toBe(Queue.New);
    // The next new card in order is a sibling; the queue shows the other note's card first.
    expect((await storage.queue('mine', at, defaultSettings, first)).card!.id).toBe('basic-1');
    const withoutShown = await storage.queueSnapshot('mine', at, defaultSettings, first);
    expect(withoutShown.siblingFree?.newHead?.id).toBe('basic-1');
    // With only siblings left, a sibling comes.
    await storage.createDeck('only', 'Only', '');
    await storage.addCards(cardsForNewNote({ kind: 'cloze', text: '{{c1::a}} {{c2::b}}', tags: [], note: '' }, 'only', 'note-2', 0, seedTime));
    await answer(storage, 'note-2-c1', at, defaultSettings, Rating.Easy);
    expect((await storage.queue('only', at, defaultSettings, (await storage.card('note-2-c1'))!)).card?.id).toBe('note-2-c2');
  });
});

describe('Custom study', () => {
  it("raises today's new card limit for today only", async () => {
    const { storage } = await seeded();
    const limited = { ...defaultSettings, newCardsPerDay: 1, buryNewSiblings: false };
    await answer(storage, 'commit-c1', at, limited);
    expect((await storage.queue('history', at, limited)).counts.newCards).toBe(0);
    const facts = await storage.doneFacts('history', at, limited);
    expect(facts).toMatchObject({ limits: { newCardsPerDay: 1 }, doneToday: { newCards: 1 }, newWaiting: 4 });

    await storage.extendLimitsToday('history', studyDay(at, limited.dayStartHour).number, { newCards: 2 });
    expect((await storage.queue('history', at, limited)).counts.newCards).toBe(2);
    expect((await storage.doneFacts('history', at, limited)).limits.newCardsPerDay).toBe(3);
    // The next study day starts from the deck's own limit again.
    const tomorrow = new Date('2026-03-03T10:00:00Z');
    expect((await storage.queue('history', tomorrow, limited)).counts.newCards).toBe(1);
  });

  it('unburies the deck’s buried cards, siblings included, as one undoable step', async () => {
    const { storage } = await seeded();
    await answer(storage, 'commit-c1', at);
    expect((await storage.doneFacts('history', at, defaultSettings)).buried).toBe(2);
    const step = (await storage.unburyDeck('history'))!;
    expect((await storage.card('commit-c2'))!.queue).toBe(Queue.New);
    expect((await storage.card('commit-c2'))!.buriedOnDay).toBeUndefined();
    await storage.undo(step);
    expect((await storage.card('commit-c2'))!.queue).toBe(Queue.Buried);
    expect(await storage.unburyDeck('other-deck')).toBeUndefined();
  });

  it('finds cards forgotten today and reviews due ahead', async () => {
    const { storage } = await seeded();
    const off = { ...defaultSettings, buryNewSiblings: false };
    await answer(storage, 'announce-c1', at, off, Rating.Again);
    expect((await storage.forgottenToday('history', at, off)).map((card) => card.id)).toEqual(['announce-c1']);
    await answer(storage, 'commit-c1', at, off, Rating.Easy);
    const due = (await storage.card('commit-c1'))!.due;
    const days = Math.ceil((due.getTime() - at.getTime()) / 86_400_000) + 1;
    expect((await storage.reviewAhead('history', at, off, days)).map((card) => card.id)).toEqual(['commit-c1']);
    expect(await storage.reviewAhead('history', at, off, 1)).toEqual([]);
  });
});
