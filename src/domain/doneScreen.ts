// Why a deck has nothing more to show today, for the "done" screen, in Anki's words: a daily
// limit reached while cards wait beyond it, cards buried until tomorrow.
import type { Limits } from './queue.ts';

export interface DoneFacts {
  /** Today's limits, with what Custom study added for today. */
  limits: Limits;
  /** Answers given today to cards that were new, and to review cards. */
  doneToday: { newCards: number; reviews: number };
  /** New cards in the deck that could be introduced (not suspended or buried). */
  newWaiting: number;
  /** Review cards due today, answered or not yet. */
  reviewsWaiting: number;
  /** Cards of the deck buried until the next study day (by hand or as siblings). */
  buried: number;
}

export interface DoneReasons {
  /** Set when today's new card limit is reached and new cards wait beyond it. */
  newLimit?: { limit: number; waiting: number };
  /** Set when today's review limit is reached and due reviews wait beyond it. */
  reviewLimit?: { limit: number; waiting: number };
  buried: number;
}

export function doneReasons(facts: DoneFacts): DoneReasons {
  const reasons: DoneReasons = { buried: facts.buried };
  if (facts.newWaiting > 0 && facts.doneToday.newCards >= facts.limits.newCardsPerDay) {
    reasons.newLimit = { limit: facts.limits.newCardsPerDay, waiting: facts.newWaiting };
  }
  if (facts.reviewsWaiting > 0 && facts.doneToday.reviews >= facts.limits.reviewsPerDay) {
    reasons.reviewLimit = { limit: facts.limits.reviewsPerDay, waiting: facts.reviewsWaiting };
  }
  return reasons;
}

const cards = (count: number, kind: string) => `${count.toLocaleString('en')} ${kind} card${count === 1 ? '' : 's'}`;

/** The reasons as sentences, most useful first; none when the deck is simply done for today. */
export function doneSentences(reasons: DoneReasons): string[] {
  const sentences: string[] = [];
  if (reasons.reviewLimit) {
    const { limit, waiting } = reasons.reviewLimit;
    sentences.push(`Today's review limit (${limit.toLocaleString('en')}) has been reached: ${cards(waiting, 'review')} still wait. For the best memory, consider raising the daily limit in the deck options.`);
  }
  if (reasons.newLimit) {
    const { limit, waiting } = reasons.newLimit;
    sentences.push(`Today's new card limit (${limit.toLocaleString('en')}) has been reached: ${cards(waiting, 'new')} wait beyond it. More new cards today also mean more reviews in the days after.`);
  }
  if (reasons.buried > 0) sentences.push(`${reasons.buried === 1 ? 'One buried card comes' : `${cards(reasons.buried, 'buried')} come`} back tomorrow (related cards are delayed so that one does not give another away).`);
  return sentences;
}
