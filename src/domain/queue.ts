import type { CardRecord, StudySettings } from './types.ts';

/** Anki's learn-ahead limit: when only learning cards are left, show one due this soon. */
export const learnAheadMs = 20 * 60_000;

/** What the storage layer gathers for one deck, through its indexes. */
export interface QueueSnapshot {
  /** Learning and relearning cards due before the end of the study day, by due. */
  learning: CardRecord[];
  /** Review cards due before the end of the study day, by due (at most what the limit allows). */
  reviews: CardRecord[];
  reviewsDue: number;
  /** New cards in introduction order (at most what the limit allows). */
  newCards: CardRecord[];
  newAvailable: number;
  /** Answers given today in this deck to cards that were new, and to review cards. */
  doneToday: { newCards: number; reviews: number };
  /** Earliest due time of a learning or review card due after this study day ends. */
  laterDue?: Date;
}

export interface QueueCounts {
  newCards: number;
  learning: number;
  reviews: number;
}

export interface QueueState {
  card?: CardRecord;
  counts: QueueCounts;
  /** When nothing is shown: when the next card becomes due, if any. */
  nextDueAt?: Date;
}

export type Limits = Pick<StudySettings, 'newCardsPerDay' | 'reviewsPerDay'>;

export function remainingToday(snapshot: QueueSnapshot, limits: Limits): { newCards: number; reviews: number } {
  return {
    newCards: Math.min(snapshot.newAvailable, Math.max(0, limits.newCardsPerDay - snapshot.doneToday.newCards)),
    reviews: Math.min(snapshot.reviewsDue, Math.max(0, limits.reviewsPerDay - snapshot.doneToday.reviews)),
  };
}

/**
 * Picks the next card: learning cards whose step is due come first; then reviews and new
 * cards mixed so that each kind advances at the same pace through the day; when only
 * learning cards remain, one due within the learn-ahead limit is shown early.
 */
export function nextInQueue(snapshot: QueueSnapshot, now: Date, limits: Limits, endOfDay: Date): QueueState {
  const remaining = remainingToday(snapshot, limits);
  const aheadUntil = now.getTime() + learnAheadMs;
  const learningSoon = snapshot.learning.filter((card) => card.due.getTime() <= aheadUntil);
  const counts: QueueCounts = {
    newCards: remaining.newCards,
    learning: learningSoon.length,
    reviews: remaining.reviews,
  };

  const learningDue = snapshot.learning[0];
  if (learningDue && learningDue.due.getTime() <= now.getTime()) return { card: learningDue, counts };

  const reviewCard = remaining.reviews > 0 ? snapshot.reviews[0] : undefined;
  const newCard = remaining.newCards > 0 ? snapshot.newCards[0] : undefined;
  if (reviewCard && newCard) {
    // Show a new card when new cards are behind reviews in the share of today's work done.
    const { newCards: newDone, reviews: reviewsDone } = snapshot.doneToday;
    const newBehind = newDone * (reviewsDone + remaining.reviews) < reviewsDone * (newDone + remaining.newCards);
    return { card: newBehind ? newCard : reviewCard, counts };
  }
  if (reviewCard || newCard) return { card: reviewCard ?? newCard, counts };
  if (learningSoon[0]) return { card: learningSoon[0], counts };

  const candidates = [snapshot.learning[0]?.due, snapshot.laterDue];
  // Cards held back only by today's limits come back when the next study day starts.
  if (snapshot.newAvailable > 0 || snapshot.reviewsDue > 0) candidates.push(endOfDay);
  const nextDueAt = candidates
    .filter((date): date is Date => date !== undefined)
    .reduce<Date | undefined>((earliest, date) => (!earliest || date < earliest ? date : earliest), undefined);
  return { counts, nextDueAt };
}
