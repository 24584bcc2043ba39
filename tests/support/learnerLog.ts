// A generated review history of a simulated learner whose memory follows FSRS with
// parameters of its own (not FSRS's defaults), scheduled by the app's own scheduler: an
// optimiser fitted to it should find parameters that predict it better than the defaults.
// Deterministic for a given size and seed.
import { computeParameters, FSRSBindingItem, FSRSBindingReview } from '@open-spaced-repetition/binding';
import type { Page } from 'playwright-core';
import { default_w, fsrs, generatorParameters, Rating, type FSRSState, type Grade } from 'ts-fsrs';
import type { FsrsItem } from '../../src/domain/optimizer/trainingItems.ts';
import { applyAnswer, createScheduler } from '../../src/domain/scheduler.ts';
import { defaultSettings, type CardRecord, type ReviewLogRow } from '../../src/domain/types.ts';
import { makeCard } from './cards.ts';
import { seededRandom } from './collection.ts';

const dayMs = 86_400_000;

/** The learner's own memory: remembers new cards longer and forgets reviews faster than the defaults say. */
export const learnerParameters: readonly number[] = default_w.map((w, index) => {
  if (index <= 3) return w * 1.8;
  if (index === 8) return w * 0.85;
  if (index === 20) return 0.3;
  return w;
});

/** The fixed day the generated histories end on: the same log on every run and machine (the time zone aside). */
export const learnerLogEnd = new Date('2026-11-30T12:00:00Z');

export function generateLearnerLog(reviews: number, now: Date, seed = 7, deckId = 'learner'): { cards: CardRecord[]; log: ReviewLogRow[] } {
  const random = seededRandom(seed);
  const memory = fsrs(generatorParameters({ w: [...learnerParameters], enable_short_term: true }));
  const scheduler = createScheduler({ ...defaultSettings, fuzz: false });
  const cards: CardRecord[] = [];
  const log: ReviewLogRow[] = [];
  const cardCount = Math.max(20, Math.ceil(reviews / 9));
  const start = now.getTime() - 400 * dayMs;
  for (let index = 0; index < cardCount && log.length < reviews; index++) {
    // Cards are introduced evenly over the first 300 days, in the morning.
    let at = start + Math.floor((index / cardCount) * 300) * dayMs + 8 * 3_600_000 + random() * 3_600_000;
    let card = makeCard(`${deckId}-${index}`, { deckId, position: index, origin: 'user' }, new Date(start));
    let state: FSRSState | null = null;
    let lastAt = at;
    while (at < now.getTime() && log.length < reviews) {
      const elapsedDays = Math.floor((at - lastAt) / dayMs);
      const recall = state ? memory.forgetting_curve(elapsedDays, state.stability) : 0.6;
      const roll = random();
      const rating: Grade = random() >= recall ? Rating.Again : roll < 0.1 ? Rating.Hard : roll < 0.92 ? Rating.Good : Rating.Easy;
      state = memory.next_state(state, elapsedDays, rating);
      const answered = applyAnswer(scheduler, card, rating, new Date(at), 4000 + Math.round(random() * 6000));
      card = answered.card;
      log.push(answered.log);
      lastAt = at;
      // The learner comes back when the card is due, within a few hours.
      at = card.due.getTime() + random() * 4 * 3_600_000;
    }
    cards.push(card);
  }
  return { cards, log };
}

/** Puts the learner's deck, its cards and their review log into the app's database in `page`. */
export async function seedLearnerDeck(page: Page, cards: CardRecord[], log: ReviewLogRow[], deckId: string): Promise<void> {
  await page.evaluate(
    ({ cards, log, deckId }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('kubecards');
        open.onsuccess = () => {
          const transaction = open.result.transaction(['cards', 'decks', 'reviewLog'], 'readwrite');
          transaction.objectStore('decks').put({ id: deckId, title: 'Simulated learner', description: '', position: 99, origin: 'user' });
          for (const card of cards) transaction.objectStore('cards').put(card);
          for (const row of log) transaction.objectStore('reviewLog').put(row);
          transaction.oncomplete = () => {
            open.result.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    { cards, log, deckId },
  );
}

/** Parameters native fsrs-rs (@open-spaced-repetition/binding) fits to `items`, in this process, and how long it took. */
export async function fitNatively(items: FsrsItem[]): Promise<{ parameters: number[]; ms: number }> {
  const started = performance.now();
  const parameters = await computeParameters(
    items.map((item) => new FSRSBindingItem(item.map((review) => new FSRSBindingReview(review.rating, review.deltaT)))),
    { enableShortTerm: true },
  );
  return { parameters, ms: performance.now() - started };
}
