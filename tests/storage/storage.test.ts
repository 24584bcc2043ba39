import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { fsrs, Rating, State, type Grade } from 'ts-fsrs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuiltInDeck } from '../../src/domain/deckFile.ts';
import { applyAnswer, createScheduler } from '../../src/domain/scheduler.ts';
import { scheduleOf } from '../../src/domain/schedule.ts';
import { defaultSettings, isAnswer, Queue, type CardRecord } from '../../src/domain/types.ts';
import { Storage } from '../../src/storage/index.ts';

const seedTime = new Date('2026-03-02T08:00:00Z');
let opened: Storage[] = [];
let counter = 0;

function deckOf(count: number): BuiltInDeck {
  return {
    id: 'history',
    title: 'History',
    description: 'Test deck',
    cards: Array.from({ length: count }, (_, position) => ({
      id: `card-${position}`,
      position,
      kind: 'basic' as const,
      front: `Q${position}`,
      back: `A${position}`,
      source: 'test',
      exam: ['KCNA Cloud Native Architecture'],
      tags: [],
      note: '',
    })),
  };
}

async function seeded(count = 3): Promise<Storage> {
  const storage = new Storage(`test-${++counter}`);
  opened.push(storage);
  await storage.syncBuiltInDecks([deckOf(count)], 'v1', seedTime);
  return storage;
}

async function answerFirst(storage: Storage, at: Date, rating: Grade = Rating.Good) {
  const queue = await storage.queue('history', at, defaultSettings);
  const before = queue.card!;
  const { card, log } = applyAnswer(createScheduler(defaultSettings), before, rating, at, 2000);
  return { before, after: card, receipt: await storage.answer(before, card, log) };
}

afterEach(() => {
  for (const storage of opened) storage.close();
  opened = [];
});

describe('storage', () => {
  it('seeds built-in decks as new cards, in deck order', async () => {
    const storage = await seeded(3);
    expect(await storage.builtInVersion()).toBe('v1');
    expect((await storage.decks()).map((deck) => deck.id)).toEqual(['history']);
    const queue = await storage.queue('history', seedTime, defaultSettings);
    expect(queue.card?.id).toBe('card-0');
    expect(queue.counts).toEqual({ newCards: 3, learning: 0, reviews: 0 });
  });

  it('gives back dates and enums with the types ts-fsrs expects', async () => {
    const storage = await seeded();
    const at = new Date('2026-03-02T09:00:00Z');
    const { after } = await answerFirst(storage, at);
    const stored = (await storage.card(after.id))!;
    expect(stored.due).toBeInstanceOf(Date);
    expect(stored.last_review).toBeInstanceOf(Date);
    expect(stored.state).toBe(State.Learning);
    expect(typeof stored.stability).toBe('number');
    expect(stored).toEqual(after);
    // The stored card schedules exactly like the in-memory one.
    const later = new Date(at.getTime() + 15 * 60_000);
    expect(fsrs().repeat(stored, later)[Rating.Good].card).toEqual(fsrs().repeat(after, later)[Rating.Good].card);
    const [log] = (await storage.reviewLog(after.id)).filter(isAnswer);
    expect(log.reviewedAt).toBeInstanceOf(Date);
    expect(log.due).toBeInstanceOf(Date);
    expect(log).toMatchObject({ cardId: 'card-0', rating: Rating.Good, stateBefore: State.New, durationMs: 2000 });
  });

  it('writes the card and its log row together', async () => {
    const storage = await seeded();
    const { after } = await answerFirst(storage, new Date('2026-03-02T09:00:00Z'));
    expect(await storage.card(after.id)).toEqual(after);
    expect(await storage.reviewLog(after.id)).toHaveLength(1);
  });

  it('writes neither when the log row cannot be written', async () => {
    const storage = await seeded();
    const at = new Date('2026-03-02T09:00:00Z');
    // A log row whose key already exists makes its add() fail inside the transaction.
    const { receipt } = await answerFirst(storage, at);
    await storage.undo(receipt);
    const restored = (await storage.card('card-0'))!;
    const { card, log } = applyAnswer(createScheduler(defaultSettings), restored, Rating.Good, at, 1000);
    await expect(storage.answer(restored, card, { ...log, id: receipt.addedLogIds[0] })).resolves.toBeDefined();
    const current = (await storage.card('card-0'))!;
    await expect(storage.answer(current, { ...card, reps: 99 }, { ...log, id: receipt.addedLogIds[0] })).rejects.toThrow(Dexie.ConstraintError);
    expect(await storage.card('card-0')).toEqual(current);
    expect(await storage.reviewLog('card-0')).toHaveLength(1);
  });

  it('writes neither when the card cannot be written', async () => {
    const storage = await seeded();
    const at = new Date('2026-03-02T09:00:00Z');
    const before = (await storage.card('card-0'))!;
    const { log } = applyAnswer(createScheduler(defaultSettings), before, Rating.Good, at, 1000);
    const unstorable = { ...before, due: Symbol('not cloneable') } as unknown as CardRecord;
    await expect(storage.answer(before, unstorable, log)).rejects.toThrow();
    expect(await storage.card('card-0')).toEqual(before);
    expect(await storage.reviewLog('card-0')).toHaveLength(0);
  });

  it('undo restores each card deep-equal to before (but for a newer revision) and removes its log row, several steps back', async () => {
    const storage = await seeded(3);
    const originals = await Promise.all(['card-0', 'card-1', 'card-2'].map((id) => storage.card(id)));
    const receipts = [];
    let at = new Date('2026-03-02T09:00:00Z');
    for (let i = 0; i < 3; i++) {
      receipts.push((await answerFirst(storage, at, Rating.Easy)).receipt);
      at = new Date(at.getTime() + 60_000);
    }
    for (const receipt of receipts.reverse()) await storage.undo(receipt);
    for (const original of originals) {
      // Revisions only go up, so a copy read between the answer and its undo is refused.
      expect(await storage.card(original!.id)).toStrictEqual({ ...original, rev: original!.rev + 2 });
      expect(await storage.reviewLog(original!.id)).toHaveLength(0);
    }
    expect((await storage.queue('history', at, defaultSettings)).counts.newCards).toBe(3);
  });

  it('counts new cards per study day from the log, so the limit resets at the day start', async () => {
    const storage = await seeded(5);
    const settings = { ...defaultSettings, newCardsPerDay: 2 };
    const dayStart = new Date(2026, 2, 2, 4, 0);
    const at = new Date(dayStart.getTime() + 3_600_000);
    for (let i = 0; i < 2; i++) {
      const queue = await storage.queue('history', at, settings);
      const { card, log } = applyAnswer(createScheduler(settings), queue.card!, Rating.Easy, at, 1000);
      await storage.answer(queue.card!, card, log);
    }
    const sameDay = await storage.queue('history', new Date(dayStart.getTime() + 23 * 3_600_000), settings);
    expect(sameDay.card).toBeUndefined();
    expect(sameDay.counts.newCards).toBe(0);
    expect(sameDay.nextDueAt).toEqual(new Date(2026, 2, 3, 4, 0));
    const nextDay = await storage.queue('history', new Date(2026, 2, 3, 4, 1), settings);
    expect(nextDay.counts.newCards).toBe(2);
    expect(nextDay.card?.queue).toBe(Queue.New);
  });

  it('keeps ts-fsrs fields only in the schedule of a stored card', async () => {
    const storage = await seeded(1);
    const card = (await storage.card('card-0'))!;
    expect(Object.keys(scheduleOf(card)).sort()).toEqual(
      ['difficulty', 'due', 'elapsed_days', 'lapses', 'learning_steps', 'reps', 'scheduled_days', 'stability', 'state'].sort(),
    );
  });
});
