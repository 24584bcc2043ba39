import 'fake-indexeddb/auto';
import { Rating, type Grade } from 'ts-fsrs';
import { afterEach, describe, expect, it } from 'vitest';
import { applyAnswer, createScheduler } from '../../src/domain/scheduler.ts';
import { defaultSettings, Queue, type CardRecord } from '../../src/domain/types.ts';
import { BrowseIndexStorage } from '../../src/storage/browseIndex.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { Storage } from '../../src/storage/index.ts';
import { builtInDeck } from '../support/cards.ts';

// Browse's bulk actions: each one step that undo takes back whole, noted for sync.
const seedTime = new Date('2026-03-02T08:00:00Z');
let opened: Storage[] = [];
let counter = 0;

async function seeded(): Promise<{ storage: Storage; name: string }> {
  const name = `browse-${++counter}`;
  const storage = new Storage(name);
  opened.push(storage);
  await storage.syncBuiltInDecks([builtInDeck('history', 4, 'History'), builtInDeck('security', 2, 'Security')], 'v1', seedTime);
  return { storage, name };
}

async function answer(storage: Storage, cardId: string, at: Date, rating: Grade = Rating.Good): Promise<void> {
  const before = (await storage.card(cardId))!;
  const { card, log } = applyAnswer(createScheduler(defaultSettings), before, rating, at, 2000);
  await storage.answer(before, card, log);
}

async function outboxDocIds(name: string): Promise<string[]> {
  const db = openDatabase(name);
  try {
    return (await db.syncOutbox.toArray()).map((row) => row.docId);
  } finally {
    db.close();
  }
}

/** What a card says and how it is scheduled, without its revision (undo gives a newer one). */
function withoutRev({ rev: _rev, ...card }: CardRecord) {
  return card;
}

afterEach(() => {
  for (const storage of opened) storage.close();
  opened = [];
});

describe('bulk actions for Browse', () => {
  it('deletes cards with their review history as one step, and undo brings both back', async () => {
    const { storage, name } = await seeded();
    await answer(storage, 'history-0', new Date('2026-03-02T09:00:00Z'));
    await answer(storage, 'history-0', new Date('2026-03-02T09:10:00Z'), Rating.Again);
    await answer(storage, 'history-1', new Date('2026-03-02T09:20:00Z'));
    const before = await Promise.all(['history-0', 'history-1'].map(async (id) => (await storage.card(id))!));
    const logBefore = [...(await storage.reviewLog('history-0')), ...(await storage.reviewLog('history-1'))];
    expect(logBefore).toHaveLength(3);

    const step = await storage.deleteCards(before);
    expect(step.label).toBe('Delete cards');
    expect(await storage.card('history-0')).toBeUndefined();
    expect(await storage.card('history-1')).toBeUndefined();
    expect(await storage.reviewLog('history-0')).toEqual([]);
    expect((await storage.allCards()).map((card) => card.id)).toEqual(['history-2', 'history-3', 'security-0', 'security-1']);
    expect(await outboxDocIds(name)).toEqual(expect.arrayContaining(['card:history-0', 'card:history-1']));

    await storage.undo(step);
    const restored = await Promise.all(['history-0', 'history-1'].map(async (id) => (await storage.card(id))!));
    expect(restored.map(withoutRev)).toEqual(before.map(withoutRev));
    expect([...(await storage.reviewLog('history-0')), ...(await storage.reviewLog('history-1'))]).toEqual(logBefore);
  });

  it('refuses to delete a card another tab changed since Browse read it, and deletes nothing then', async () => {
    const { storage } = await seeded();
    const [first, second] = await Promise.all(['history-0', 'history-1'].map(async (id) => (await storage.card(id))!));
    await storage.suspend(second);
    await expect(storage.deleteCards([first, second])).rejects.toThrow(/they were not deleted/);
    expect(await storage.card('history-0')).toBeDefined();
  });

  it('suspends, unsuspends and flags many cards, each one undoable step', async () => {
    const { storage } = await seeded();
    const read = (ids: string[]) => Promise.all(ids.map(async (id) => (await storage.card(id))!));
    const original = await read(['history-0', 'history-1', 'security-0']);

    const suspend = await storage.suspendCards(original);
    expect((await read(['history-0', 'history-1', 'security-0'])).map((card) => card.queue)).toEqual([Queue.Suspended, Queue.Suspended, Queue.Suspended]);
    await storage.undo(suspend);
    expect((await read(['history-0', 'history-1', 'security-0'])).map(withoutRev)).toEqual(original.map(withoutRev));

    // Unsuspending leaves a card that was not suspended as it was.
    await storage.suspend((await storage.card('history-2'))!);
    const unsuspend = await storage.unsuspendCards(await read(['history-2', 'history-3']));
    expect((await read(['history-2', 'history-3'])).map((card) => card.queue)).toEqual([Queue.New, Queue.New]);
    await storage.undo(unsuspend);
    expect((await read(['history-2', 'history-3'])).map((card) => card.queue)).toEqual([Queue.Suspended, Queue.New]);

    const flag = await storage.flagCards(await read(['history-0', 'history-1']), 6);
    expect((await read(['history-0', 'history-1'])).map((card) => card.flag)).toEqual([6, 6]);
    await storage.undo(flag);
    expect((await read(['history-0', 'history-1'])).map((card) => card.flag ?? 0)).toEqual([0, 0]);
  });

  it('adds and removes a tag ignoring case, keeping the other tags, and undo takes it back', async () => {
    const { storage } = await seeded();
    const now = new Date('2026-03-03T08:00:00Z');
    await storage.addTag([(await storage.card('history-0'))!], 'Exam', now);
    await storage.addTag([(await storage.card('history-1'))!], 'exam', now);
    const [a, b] = await Promise.all(['history-0', 'history-1'].map(async (id) => (await storage.card(id))!));
    expect(a.tags).toEqual(['Exam']);
    expect(a.editedAt).toEqual(now);
    // Adding it again changes nothing; removing ignores case.
    await storage.addTag([a, b], 'EXAM', now);
    expect((await storage.card('history-1'))!.tags).toEqual(['exam']);
    const removed = await storage.removeTag([(await storage.card('history-0'))!, (await storage.card('history-1'))!], 'eXaM', now);
    expect((await storage.card('history-0'))!.tags).toEqual([]);
    await storage.undo(removed);
    expect((await storage.card('history-0'))!.tags).toEqual(['Exam']);
    expect((await storage.card('history-1'))!.tags).toEqual(['exam']);
  });

  it('moves cards to another deck after its new cards, and undo moves them back', async () => {
    const { storage, name } = await seeded();
    const cards = await Promise.all(['history-1', 'history-3'].map(async (id) => (await storage.card(id))!));
    const step = await storage.moveCards(cards, 'security');
    const moved = await Promise.all(['history-1', 'history-3'].map(async (id) => (await storage.card(id))!));
    expect(moved.map((card) => [card.deckId, card.position])).toEqual([
      ['security', 2],
      ['security', 3],
    ]);
    expect(await outboxDocIds(name)).toEqual(expect.arrayContaining(['card:history-1', 'card:history-3']));
    await storage.undo(step);
    const back = await Promise.all(['history-1', 'history-3'].map(async (id) => (await storage.card(id))!));
    expect(back.map(withoutRev)).toEqual(cards.map(withoutRev));
  });

  it('refuses to move cards to a deck that is gone', async () => {
    const { storage } = await seeded();
    await storage.deleteDeck('security');
    await expect(storage.moveCards([(await storage.card('history-0'))!], 'security')).rejects.toThrow(/deleted in another tab/);
  });

  it('knows the deck last studied and every log row, for deck:current, added: and rated:', async () => {
    const { storage, name } = await seeded();
    const browseIndex = new BrowseIndexStorage(name);
    expect(await browseIndex.lastStudiedDeckId()).toBeUndefined();
    await answer(storage, 'security-0', new Date('2026-03-02T09:00:00Z'));
    await answer(storage, 'history-2', new Date('2026-03-02T09:30:00Z'));
    expect(await browseIndex.lastStudiedDeckId()).toBe('history');
    expect((await storage.allLogRows()).map((row) => row.cardId)).toEqual(['security-0', 'history-2']);
  });
});
