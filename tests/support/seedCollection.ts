// Generates a collection (see collection.ts) and writes it into the app's database from a
// page of the app's origin: the benchmark deck, its cards and their log, a chunk of cards at
// a time. Each chunk goes over as one JSON string, many times quicker than Playwright's own
// serialisation of so many objects.
import type { Page } from 'playwright-core';
import type { CardRecord, ReviewLogRow } from '../../src/domain/types.ts';
import { benchDeckId, generateCollection } from './collection.ts';

const cardsPerChunk = 10_000;

/**
 * The size of the large-collection e2e tests: 10,000 cards (about 50,000 log rows) keeps the
 * suite well within its time; `npm run bench` measures 20,000 and 100,000.
 * KUBECARDS_LARGE_SIZE=100000 runs the tests at that size too.
 */
export const largeCollectionSize = Number(process.env.KUBECARDS_LARGE_SIZE ?? 10_000);

export async function seedCollection(page: Page, size: number, now: Date): Promise<{ cards: CardRecord[]; log: ReviewLogRow[] }> {
  const { cards, log } = generateCollection(size, now);
  const logOf = new Map<string, ReviewLogRow[]>();
  for (const row of log) {
    const rows = logOf.get(row.cardId);
    if (rows) rows.push(row);
    else logOf.set(row.cardId, [row]);
  }
  for (let start = 0; start < cards.length; start += cardsPerChunk) {
    const chunk = cards.slice(start, start + cardsPerChunk);
    const json = JSON.stringify({ deckId: benchDeckId, cards: chunk, log: chunk.flatMap((card) => logOf.get(card.id) ?? []) });
    await page.evaluate(
      (json) =>
        new Promise<void>((resolve, reject) => {
          const dates = new Set(['due', 'last_review', 'reviewedAt']);
          const { deckId, cards, log } = JSON.parse(json, (key, value) => (dates.has(key) && typeof value === 'string' ? new Date(value) : value)) as {
            deckId: string;
            cards: unknown[];
            log: unknown[];
          };
          const open = indexedDB.open('kubecards');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const transaction = open.result.transaction(['decks', 'cards', 'reviewLog'], 'readwrite');
            transaction.objectStore('decks').put({ id: deckId, title: 'Benchmark', description: '', position: 99, origin: 'user' });
            for (const card of cards) transaction.objectStore('cards').put(card);
            for (const row of log) transaction.objectStore('reviewLog').add(row);
            transaction.oncomplete = () => {
              open.result.close();
              resolve();
            };
            transaction.onerror = () => reject(transaction.error);
          };
        }),
      json,
    );
  }
  return { cards, log };
}

/** How many review-log rows the app's database holds (a read waits for any write under way). */
export function storedLogRowCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('kubecards');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('reviewLog').objectStore('reviewLog').count();
          request.onsuccess = () => (open.result.close(), resolve(request.result));
          request.onerror = () => reject(request.error);
        };
      }),
  );
}
