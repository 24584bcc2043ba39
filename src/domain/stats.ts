// Statistics from the review log and card states, as pure functions. Days are study days
// (configured day start, local time zone), as in Anki's graphs.
import { Rating, State } from 'ts-fsrs';
import { studyDay } from './studyDay.ts';
import { Queue, type AnswerLogRow, type CardRecord } from './types.ts';

export interface DayCount {
  /** Study day number (days since 1970-01-01 of the day it began). */
  day: number;
  count: number;
}

/** Answers per study day, for the `days` study days up to and including today. */
export function reviewsPerDay(log: AnswerLogRow[], now: Date, dayStartHour: number, days: number): DayCount[] {
  const today = studyDay(now, dayStartHour).number;
  const counts = new Map<number, number>();
  for (const row of log) {
    const day = studyDay(row.reviewedAt, dayStartHour).number;
    if (day > today - days && day <= today) counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return Array.from({ length: days }, (_, index) => {
    const day = today - days + 1 + index;
    return { day, count: counts.get(day) ?? 0 };
  });
}

/** Cards due per study day for the next `days` days; overdue cards count for today. */
export function futureDue(cards: CardRecord[], now: Date, dayStartHour: number, days: number): number[] {
  const today = studyDay(now, dayStartHour).number;
  const due = new Array<number>(days).fill(0);
  for (const card of cards) {
    if (card.queue !== Queue.Learning && card.queue !== Queue.Review) continue;
    const offset = Math.max(0, studyDay(card.due, dayStartHour).number - today);
    if (offset < days) due[offset]++;
  }
  return due;
}

export interface RetentionCount {
  passed: number;
  failed: number;
}

export interface TrueRetention {
  young: RetentionCount;
  mature: RetentionCount;
}

/** Mature: an interval of 21 days or more before the review, as Anki counts it. */
export const matureDays = 21;

/**
 * Anki's true retention over the last `days` study days: only the first answer to a review
 * card on each study day counts; Again is a fail, any other answer a pass. Young and mature
 * are split by the interval the card had before that answer.
 */
export function trueRetention(log: AnswerLogRow[], now: Date, dayStartHour: number, days: number): TrueRetention {
  const today = studyDay(now, dayStartHour).number;
  const result: TrueRetention = { young: { passed: 0, failed: 0 }, mature: { passed: 0, failed: 0 } };
  const sorted = [...log].sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime());
  const lastInterval = new Map<string, number>();
  const counted = new Set<string>();
  for (const row of sorted) {
    const day = studyDay(row.reviewedAt, dayStartHour).number;
    const key = `${row.cardId}@${day}`;
    const interval = lastInterval.get(row.cardId) ?? 0;
    lastInterval.set(row.cardId, row.scheduledDays);
    if (row.stateBefore !== State.Review || counted.has(key) || day <= today - days || day > today) continue;
    counted.add(key);
    const bucket = interval >= matureDays ? result.mature : result.young;
    if (row.rating === Rating.Again) bucket.failed++;
    else bucket.passed++;
  }
  return result;
}

export function rate({ passed, failed }: RetentionCount): number | undefined {
  return passed + failed === 0 ? undefined : passed / (passed + failed);
}

export interface CardStateCounts {
  new: number;
  learning: number;
  review: number;
  relearning: number;
  suspended: number;
  buried: number;
}

export function cardStateCounts(cards: CardRecord[]): CardStateCounts {
  const counts: CardStateCounts = { new: 0, learning: 0, review: 0, relearning: 0, suspended: 0, buried: 0 };
  for (const card of cards) {
    if (card.queue === Queue.Retired) continue;
    if (card.queue === Queue.Suspended) counts.suspended++;
    else if (card.queue === Queue.Buried) counts.buried++;
    else if (card.state === State.New) counts.new++;
    else if (card.state === State.Learning) counts.learning++;
    else if (card.state === State.Relearning) counts.relearning++;
    else counts.review++;
  }
  return counts;
}

/** Counts of `values` in buckets that start at each of `edges` (the last is open-ended). */
export function histogram(values: number[], edges: number[]): number[] {
  const counts = new Array<number>(edges.length).fill(0);
  for (const value of values) {
    let bucket = edges.length - 1;
    while (bucket > 0 && value < edges[bucket]) bucket--;
    counts[bucket]++;
  }
  return counts;
}

/** How often each answer button was used. */
export function answerButtons(log: AnswerLogRow[]): Record<'again' | 'hard' | 'good' | 'easy', number> {
  const counts = { again: 0, hard: 0, good: 0, easy: 0 };
  for (const row of log) counts[(['again', 'hard', 'good', 'easy'] as const)[row.rating - 1]]++;
  return counts;
}
