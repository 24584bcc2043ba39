import 'fake-indexeddb/auto';
import { State } from 'ts-fsrs';
import { afterEach, describe, expect, it } from 'vitest';
import { browseSorts, firstInOrder, indexedCard, sortsReadInOrder } from '../../src/domain/browse.ts';
import { Queue, type CardRecord, type ReviewLogRow } from '../../src/domain/types.ts';
import { BrowseIndexStorage } from '../../src/storage/browseIndex.ts';
import { openDatabase, type KubecardsDatabase } from '../../src/storage/database.ts';
import { makeCard } from '../support/cards.ts';
import { seededRandom } from '../support/collection.ts';

// What Browse's search worker reads: every card a chunk at a time, the first of each deck and
// queue in a sort's order (its first screen), and the log, whole or for some cards.
const day = 86_400_000;
const start = new Date('2026-03-02T08:00:00Z').getTime();
let counter = 0;
let opened: KubecardsDatabase[] = [];

afterEach(() => {
  for (const db of opened) db.close();
  opened = [];
});

async function seeded(cards: CardRecord[], log: ReviewLogRow[] = []): Promise<BrowseIndexStorage> {
  const name = `browse-index-${++counter}`;
  const db = openDatabase(name);
  opened.push(db);
  await db.decks.bulkPut(['alpha', 'beta'].map((id, position) => ({ id, title: id, description: '', position, origin: 'user' as const })));
  await db.cards.bulkPut(cards);
  await db.reviewLog.bulkAdd(log);
  return new BrowseIndexStorage(name);
}

function row(cardId: string, at: number, kind?: 'reschedule'): ReviewLogRow {
  return { ...(kind ? { kind } : {}), cardId, deckId: 'alpha', rating: 3, reviewedAt: new Date(at), stateBefore: State.Review, due: new Date(at + day), stability: 1, difficulty: 5, scheduledDays: 1, durationMs: 1000 } as ReviewLogRow;
}

describe("Browse's reads", () => {
  it('reads every card but retired ones, in chunks, each once', { timeout: 60_000 }, async () => {
    const cards = Array.from({ length: 10_250 }, (_, index) => makeCard(`card-${index}`, { deckId: 'alpha', queue: index % 1000 === 0 ? Queue.Retired : Queue.New }));
    const storage = await seeded(cards);
    const chunks: string[][] = [];
    await storage.eachCardChunk((chunk) => chunks.push(chunk.map((card) => card.id)));
    expect(chunks.length).toBe(2);
    expect(chunks.flat().sort()).toEqual(cards.filter((card) => card.queue !== Queue.Retired).map((card) => card.id).sort());
  });

  it.each(sortsReadInOrder)('reads the first cards of each deck and queue in %s order: together, the first of all', async (sort) => {
    const roll = seededRandom(3);
    const queues = [Queue.New, Queue.Learning, Queue.Review, Queue.Suspended, Queue.Buried, Queue.Retired];
    const cards = Array.from({ length: 300 }, (_, index) =>
      makeCard(`card-${index}`, {
        deckId: index % 2 ? 'alpha' : 'beta',
        queue: queues[Math.floor(roll() * queues.length)],
        due: new Date(start + Math.floor(roll() * 6) * day),
        position: Math.floor(roll() * 20),
      }),
    );
    const storage = await seeded(cards);
    const listed = cards.filter((card) => card.queue !== Queue.Retired).map(indexedCard);
    for (const count of [1, 25, 400]) {
      const lists = await storage.firstOfEachDeckAndQueue(sort, count);
      expect(lists.every((list) => list.length <= count)).toBe(true);
      const first = firstInOrder(lists.map((list) => list.map(indexedCard)), sort, count);
      expect(first.map((card) => card.id)).toEqual(listed.sort(browseSorts[sort]).slice(0, count).map((card) => card.id));
    }
  });

  it('reads the log in the order written, whole in chunks or for some cards, and the deck last answered in', async () => {
    const log = [row('a', start), row('b', start + 1000), row('a', start + 2000, 'reschedule'), row('c', start + 3000), row('a', start - 5000)];
    const storage = await seeded([makeCard('a'), makeCard('b'), makeCard('c')], log);
    const whole: ReviewLogRow[] = [];
    await storage.eachLogChunk((rows) => whole.push(...rows));
    expect(whole.map((found) => [found.cardId, found.reviewedAt.getTime()])).toEqual(log.map((written) => [written.cardId, written.reviewedAt.getTime()]));
    expect((await storage.logRows(['a', 'c'])).map((found) => [found.cardId, found.reviewedAt.getTime() - start])).toEqual([
      ['a', 0],
      ['a', 2000],
      ['a', -5000],
      ['c', 3000],
    ]);
    expect(await storage.lastStudiedDeckId()).toBe('alpha');
    // By time, for rated:, a month at a time: rows at `since` or later, one from a clock ahead too.
    const now = Date.now();
    const byTime = [row('a', now - 90 * day), row('b', now - 40 * day), row('c', now - 3 * day), row('a', now + day), row('b', now - 61 * day)];
    const recent = await seeded([makeCard('a'), makeCard('b'), makeCard('c')], byTime);
    const chunks: ReviewLogRow[][] = [];
    await recent.eachLogChunkSince(now - 61 * day, (rows) => chunks.push(rows));
    expect(chunks.length).toBe(3);
    expect(chunks.flat().map((found) => (found.reviewedAt.getTime() - now) / day)).toEqual([-61, -40, -3, 1]);
    expect((await storage.cards(['b', 'gone'])).map((card) => card?.id)).toEqual(['b', undefined]);
  });
});
