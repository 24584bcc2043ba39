import { noteOf } from './siblings.ts';
import { CardState, Queue, type CardRecord, type StudySettings } from './types.ts';

/** Anki's learn-ahead limit: when only learning cards are left, show one due this soon. */
export const learnAheadMs = 20 * 60_000;

/**
 * What the storage layer gathers for one deck, through its indexes. Only the head of each
 * queue is read, and counts stop at the daily limit, so the cost does not grow with the
 * collection.
 */
export interface QueueSnapshot {
  /** The learning or relearning card due first, if one is due before the study day ends. */
  learningHead?: CardRecord;
  /** Learning and relearning cards due within the learn-ahead limit. */
  learningSoon: number;
  /** The review card due first, if one is due before the study day ends. */
  reviewHead?: CardRecord;
  /** Review cards due before the study day ends, counted up to at least the daily limit. */
  reviewsDue: number;
  /** The next new card in introduction order. */
  newHead?: CardRecord;
  /** New cards, counted up to at least the daily limit. */
  newAvailable: number;
  /** Answers given today in this deck to cards that were new, and to review cards. */
  doneToday: { newCards: number; reviews: number };
  /** Earliest due time of a learning or review card due after this study day ends. */
  laterDue?: Date;
  /**
   * Read when the card just shown has siblings: the head of each queue leaving them out, so
   * that one card of a note never follows another when a card of another note can come.
   */
  siblingFree?: { noteId: string; learningHead?: CardRecord; reviewHead?: CardRecord; newHead?: CardRecord };
  /** What Custom study added to today's limits (Anki's "Increase today's new card limit"). */
  extraToday?: TodayExtra;
}

/** Cards added to a deck's daily limits for one study day only. */
export interface TodayExtra {
  newCards: number;
  reviews: number;
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

/** Today's limits: the deck's, with what Custom study added for today. */
export function limitsToday(snapshot: QueueSnapshot, limits: Limits): Limits {
  return {
    newCardsPerDay: limits.newCardsPerDay + (snapshot.extraToday?.newCards ?? 0),
    reviewsPerDay: limits.reviewsPerDay + (snapshot.extraToday?.reviews ?? 0),
  };
}

function remainingToday(snapshot: QueueSnapshot, deckLimits: Limits): { newCards: number; reviews: number } {
  const limits = limitsToday(snapshot, deckLimits);
  return {
    newCards: Math.min(snapshot.newAvailable, Math.max(0, limits.newCardsPerDay - snapshot.doneToday.newCards)),
    reviews: Math.min(snapshot.reviewsDue, Math.max(0, limits.reviewsPerDay - snapshot.doneToday.reviews)),
  };
}

/**
 * Picks the next card: learning cards whose step is due come first; then reviews and new
 * cards mixed so that each kind advances at the same pace through the day; when only
 * learning cards remain, one due within the learn-ahead limit is shown early. A sibling of
 * the card just shown is passed over while a card of another note can come.
 */
export function nextInQueue(snapshot: QueueSnapshot, now: Date, limits: Limits, endOfDay: Date): QueueState {
  const picked = pick(snapshot, now, limits, endOfDay);
  const { siblingFree } = snapshot;
  if (!picked.card || !siblingFree || noteOf(picked.card)?.noteId !== siblingFree.noteId) return picked;
  const { learningHead, reviewHead, newHead } = siblingFree;
  const other = pick({ ...snapshot, learningHead, reviewHead, newHead }, now, limits, endOfDay);
  return other.card ? { ...other, counts: picked.counts } : picked;
}

function pick(snapshot: QueueSnapshot, now: Date, limits: Limits, endOfDay: Date): QueueState {
  const remaining = remainingToday(snapshot, limits);
  const counts: QueueCounts = {
    newCards: remaining.newCards,
    learning: snapshot.learningSoon,
    reviews: remaining.reviews,
  };

  const learning = snapshot.learningHead;
  if (learning && learning.due.getTime() <= now.getTime()) return { card: learning, counts };

  const reviewCard = remaining.reviews > 0 ? snapshot.reviewHead : undefined;
  const newCard = remaining.newCards > 0 ? snapshot.newHead : undefined;
  if (reviewCard && newCard) {
    // Show a new card when new cards are behind reviews in the share of today's work done.
    const { newCards: newDone, reviews: reviewsDone } = snapshot.doneToday;
    const newBehind = newDone * (reviewsDone + remaining.reviews) < reviewsDone * (newDone + remaining.newCards);
    return { card: newBehind ? newCard : reviewCard, counts };
  }
  if (reviewCard || newCard) return { card: reviewCard ?? newCard, counts };
  if (learning && learning.due.getTime() <= now.getTime() + learnAheadMs) return { card: learning, counts };

  const candidates = [learning?.due, snapshot.laterDue];
  // Cards held back only by today's limits come back when the next study day starts.
  if (snapshot.newAvailable > 0 || snapshot.reviewsDue > 0) candidates.push(endOfDay);
  return { counts, nextDueAt: earliestDate(candidates) };
}

export function earliestDate(dates: (Date | undefined)[]): Date | undefined {
  return dates.reduce<Date | undefined>((earliest, date) => (date && (!earliest || date < earliest) ? date : earliest), undefined);
}

function earlierDue(a: CardRecord | undefined, b: CardRecord): CardRecord {
  return a && a.due <= b.due ? a : b;
}

/**
 * The snapshot as it is once `before` has been answered and become `after`, given a
 * snapshot read while `before` was on screen but without it. The review screen shows the
 * next card from this as soon as the answer is written, without reading the queue again.
 */
export function snapshotAfterAnswer(
  withoutCard: QueueSnapshot,
  before: CardRecord,
  after: CardRecord,
  now: Date,
  endOfDay: Date,
  buried: CardRecord[] = [],
): QueueSnapshot {
  const next = {
    ...withoutBuried(withoutCard, buried, now),
    doneToday: {
      newCards: withoutCard.doneToday.newCards + (before.state === CardState.New ? 1 : 0),
      reviews: withoutCard.doneToday.reviews + (before.state === CardState.Review ? 1 : 0),
    },
  };
  // A card the answer took out of study (a new leech is suspended) is due nowhere.
  if (after.queue !== Queue.Learning && after.queue !== Queue.Review) return next;
  if (after.due >= endOfDay) return { ...next, laterDue: earliestDate([withoutCard.laterDue, after.due]) };
  if (after.queue === Queue.Learning) {
    next.learningHead = earlierDue(next.learningHead, after);
    // The card answered is no sibling of itself: it may come again before another note's.
    if (next.siblingFree) next.siblingFree = { ...next.siblingFree, learningHead: earlierDue(next.siblingFree.learningHead, after) };
    if (after.due.getTime() <= now.getTime() + learnAheadMs) next.learningSoon += 1;
  } else if (after.queue === Queue.Review) {
    next.reviewHead = earlierDue(next.reviewHead, after);
    if (next.siblingFree) next.siblingFree = { ...next.siblingFree, reviewHead: earlierDue(next.siblingFree.reviewHead, after) };
    next.reviewsDue += 1;
  }
  return next;
}

/**
 * The snapshot without the siblings the answer buried: they leave the counts, and a queue
 * whose head was one starts at its first card of another note (all buried cards are
 * siblings of the card answered, which `siblingFree` leaves out).
 */
function withoutBuried(snapshot: QueueSnapshot, buried: CardRecord[], now: Date): QueueSnapshot {
  if (buried.length === 0) return snapshot;
  const ids = new Set(buried.map((card) => card.id));
  const heads = snapshot.siblingFree;
  const count = (queue: Queue, soon?: boolean) =>
    buried.filter((card) => card.queue === queue && (!soon || card.due.getTime() <= now.getTime() + learnAheadMs)).length;
  return {
    ...snapshot,
    learningHead: snapshot.learningHead && ids.has(snapshot.learningHead.id) ? heads?.learningHead : snapshot.learningHead,
    reviewHead: snapshot.reviewHead && ids.has(snapshot.reviewHead.id) ? heads?.reviewHead : snapshot.reviewHead,
    newHead: snapshot.newHead && ids.has(snapshot.newHead.id) ? heads?.newHead : snapshot.newHead,
    learningSoon: Math.max(0, snapshot.learningSoon - count(Queue.Learning, true)),
    reviewsDue: Math.max(0, snapshot.reviewsDue - count(Queue.Review)),
    newAvailable: Math.max(0, snapshot.newAvailable - count(Queue.New)),
  };
}
