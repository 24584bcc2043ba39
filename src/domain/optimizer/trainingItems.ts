// The review log as the FSRS optimiser's training set, by Anki's rules (rslib
// scheduler/fsrs/params.rs fsrs_items_for_training): per card, the answers from the first
// learning answer of its last group of learning on (a reset drops what came before; a card
// never seen learning is left out), rated 1-4, with the study days between each answer and
// the one before. An item is a card's answers up to one made on a later day than the one
// before it; same-day answers stay in its history (FSRS's short-term memory).
import { ankiRevlog } from '../anki/progress.ts';
import { affectsScheduling, historyStart } from '../anki/revlogHistory.ts';
import type { ReviewLogRow } from '../types.ts';

export interface FsrsReview {
  rating: number;
  /** Study days since the answer before (0 for the first, and on the same day). */
  deltaT: number;
}

/** A card's answers up to one; FSRS predicts the last from those before it. */
export type FsrsItem = FsrsReview[];

export interface TrainingSet {
  items: FsrsItem[];
  /** The answers the items are made of (Anki's "reviews" count). */
  reviews: number;
}

/** `log`: rows of any cards in any order; `dayNumber`: the study day a time falls on. */
export function trainingItems(log: ReviewLogRow[], dayNumber: (at: Date) => number): TrainingSet {
  const byCard = new Map<string, ReviewLogRow[]>();
  for (const row of log) {
    const rows = byCard.get(row.cardId);
    if (rows) rows.push(row);
    else byCard.set(row.cardId, [row]);
  }
  const timed: { at: number; item: FsrsItem }[] = [];
  let reviews = 0;
  for (const rows of byCard.values()) {
    // Anki's entries for this card: resets (kind 4, factor 0) and reschedules among answers.
    const entries = ankiRevlog(rows, 0, new Set());
    const history = historyStart(entries);
    if (!history?.complete) continue; // training needs the card's learning answers
    const answers = entries.slice(history.start).filter(affectsScheduling);
    reviews += answers.length;
    const reviewsSoFar: FsrsItem = [];
    let previousDay = 0;
    answers.forEach((entry, index) => {
      const day = dayNumber(new Date(entry.id));
      reviewsSoFar.push({ rating: entry.ease, deltaT: index === 0 ? 0 : Math.max(0, day - previousDay) });
      previousDay = day;
      if (index > 0 && reviewsSoFar[index].deltaT > 0) timed.push({ at: entry.id, item: reviewsSoFar.slice() });
    });
  }
  // In the order the last answers were made: FSRS weights recent items more.
  timed.sort((a, b) => a.at - b.at);
  return { items: timed.map(({ item }) => item), reviews };
}

/** Items as the flat arrays fsrs-browser's computeParameters takes. */
export function flatItems(items: FsrsItem[]): { ratings: Uint32Array; deltaTs: Uint32Array; lengths: Uint32Array } {
  const total = items.reduce((sum, item) => sum + item.length, 0);
  const ratings = new Uint32Array(total);
  const deltaTs = new Uint32Array(total);
  const lengths = new Uint32Array(items.length);
  let at = 0;
  items.forEach((item, index) => {
    lengths[index] = item.length;
    for (const review of item) {
      ratings[at] = review.rating;
      deltaTs[at++] = review.deltaT;
    }
  });
  return { ratings, deltaTs, lengths };
}
