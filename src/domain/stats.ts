// Statistics from the review log and card states, as pure functions. Days are study days
// (configured day start, local time zone), as in Anki's graphs.
import { Rating, State, type Grade } from 'ts-fsrs';
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

/**
 * Where each of the next `days` study days ends: a card is due on day k of futureDue when its
 * due date is before the end of day k and not before that of day k - 1 (overdue: before the
 * end of today). Lets an index count them without reading a card.
 */
export function futureDueEnds(now: Date, dayStartHour: number, days: number): Date[] {
  const { start } = studyDay(now, dayStartHour);
  return Array.from({ length: days }, (_, index) => new Date(start.getFullYear(), start.getMonth(), start.getDate() + index + 1, dayStartHour));
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

/** What true retention reads of an answer. */
export type RetentionRow = Pick<AnswerLogRow, 'cardId' | 'reviewedAt' | 'stateBefore' | 'rating' | 'scheduledDays'>;

/**
 * Anki's true retention over the last `days` study days: only the first answer to a review
 * card on each study day counts; Again is a fail, any other answer a pass. Young and mature
 * are split by the interval the card had before that answer.
 */
export function trueRetention(log: AnswerLogRow[], now: Date, dayStartHour: number, days: number): TrueRetention {
  return trueRetentions(inTimeOrder(log), now, dayStartHour, [days])[0];
}

/** Rows by time; rows of the same time keep their order (the order they were written, when read by id). */
function inTimeOrder<T extends RetentionRow>(log: T[]): T[] {
  return [...log].sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime());
}

/**
 * True retention (as trueRetention) over each of several periods, in one pass over `ordered`:
 * answers by time, rows of the same time in the order they were written. Only each card's
 * order matters, so the answers of one card may come between those of another in any way.
 */
export function trueRetentions(ordered: Iterable<RetentionRow>, now: Date, dayStartHour: number, periods: readonly number[]): TrueRetention[] {
  const today = studyDay(now, dayStartHour).number;
  const results = periods.map((): TrueRetention => ({ young: { passed: 0, failed: 0 }, mature: { passed: 0, failed: 0 } }));
  const widest = Math.max(0, ...periods);
  // Per card: the interval its last answer gave, and the last study day one of its answers
  // counted on (its days only grow, so that is all "first answer of the day" needs).
  const cards = new Map<string, { interval: number; countedDay?: number }>();
  for (const row of ordered) {
    const day = studyDay(row.reviewedAt, dayStartHour).number;
    let card = cards.get(row.cardId);
    if (!card) cards.set(row.cardId, (card = { interval: 0 }));
    const interval = card.interval;
    card.interval = row.scheduledDays;
    if (row.stateBefore !== State.Review || card.countedDay === day || day <= today - widest || day > today) continue;
    card.countedDay = day;
    periods.forEach((days, index) => {
      if (day <= today - days) return;
      const bucket = interval >= matureDays ? results[index].mature : results[index].young;
      if (row.rating === Rating.Again) bucket.failed++;
      else bucket.passed++;
    });
  }
  return results;
}

/**
 * The answers true retention needs, gathered in any order and given back in log order, held
 * in typed arrays: 22 bytes an answer instead of an object each. Of the answers older than
 * the widest period, only each card's last is kept: all that counts of them is the interval
 * it gave the card.
 */
export class RetentionHistory {
  private readonly cardIds: string[] = [];
  private readonly cardIndex = new Map<string, number>();
  /** Per card index: where its last answer before `keepFrom` is held, or -1. */
  private readonly earlier: number[] = [];
  private times = new Float64Array(1024);
  private intervals = new Float64Array(1024);
  private cards = new Uint32Array(1024);
  private states = new Uint8Array(1024);
  private ratings = new Uint8Array(1024);
  private length = 0;
  /** When the first study day of the widest period began. */
  private readonly keepFrom: number;

  constructor(now: Date, dayStartHour: number, widestPeriod: number) {
    const { start } = studyDay(now, dayStartHour);
    this.keepFrom = new Date(start.getFullYear(), start.getMonth(), start.getDate() - widestPeriod + 1, dayStartHour).getTime();
  }

  /** `row` must come after the rows written before it (in id order) when they have the same time. */
  add(row: RetentionRow): void {
    const time = row.reviewedAt.getTime();
    let card = this.cardIndex.get(row.cardId);
    if (card === undefined) {
      card = this.cardIds.push(row.cardId) - 1;
      this.cardIndex.set(row.cardId, card);
      this.earlier.push(-1);
    }
    let slot = this.length;
    if (time < this.keepFrom) {
      const held = this.earlier[card];
      // Of the same time, the row added later is the later one in the log.
      if (held >= 0 && this.times[held] > time) return;
      if (held >= 0) slot = held;
      else this.earlier[card] = slot;
    }
    if (slot === this.length) this.append();
    this.times[slot] = time;
    this.intervals[slot] = row.scheduledDays;
    this.cards[slot] = card;
    this.states[slot] = row.stateBefore;
    this.ratings[slot] = row.rating;
  }

  /** The answers held, by time; the same time in the order they were added. */
  *inLogOrder(): Generator<RetentionRow> {
    const order = Uint32Array.from({ length: this.length }, (_, index) => index);
    order.sort((a, b) => this.times[a] - this.times[b] || a - b);
    for (const slot of order) {
      yield {
        cardId: this.cardIds[this.cards[slot]],
        reviewedAt: new Date(this.times[slot]),
        stateBefore: this.states[slot] as State,
        rating: this.ratings[slot] as Grade,
        scheduledDays: this.intervals[slot],
      };
    }
  }

  /** One slot more at the end, the arrays twice as long when they are full. */
  private append(): void {
    if (this.length === this.times.length) {
      const larger = <T extends Float64Array | Uint32Array | Uint8Array>(array: T): T => {
        const copy = new (array.constructor as new (length: number) => T)(array.length * 2);
        copy.set(array);
        return copy;
      };
      this.times = larger(this.times);
      this.intervals = larger(this.intervals);
      this.cards = larger(this.cards);
      this.states = larger(this.states);
      this.ratings = larger(this.ratings);
    }
    this.length++;
  }
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

/** Where the buckets of the studied cards' distributions start (the last is open-ended). */
export const cardChartEdges = {
  /** Days. */
  intervals: [0, 1, 3, 7, 14, 21, 60, 180, 365],
  /** Days until recall falls to 90 %. */
  stability: [0, 1, 3, 7, 21, 60, 180, 365],
  /** FSRS difficulty, 1 to 10. */
  difficulty: [1, 2, 3, 4, 5, 6, 7, 8, 9],
} as const;

/** The cards' states, and the distributions of the studied ones (in the buckets of cardChartEdges); retired cards left out. */
export interface CardCharts {
  counts: CardStateCounts;
  studied: number;
  intervals: number[];
  stability: number[];
  difficulty: number[];
}

export function cardCharts(cards: CardRecord[]): CardCharts {
  const live = cards.filter((card) => card.queue !== Queue.Retired);
  const studied = live.filter((card) => card.state !== State.New);
  return {
    counts: cardStateCounts(live),
    studied: studied.length,
    intervals: histogram(studied.map((card) => card.scheduled_days), cardChartEdges.intervals),
    stability: histogram(studied.map((card) => card.stability), cardChartEdges.stability),
    difficulty: histogram(studied.map((card) => card.difficulty), cardChartEdges.difficulty),
  };
}

/** Counts of the same buckets added up, such as those of two parts of the cards or the log. */
export function addCounts(a: number[], b: number[]): number[] {
  return a.map((count, index) => count + b[index]);
}

/** Counts by name added up (addCounts), the names in `a`'s order. */
export function addNamedCounts<T extends Record<keyof T, number>>(a: T, b: T): T {
  return Object.fromEntries(Object.entries<number>(a).map(([key, count]) => [key, count + b[key as keyof T]])) as T;
}

/** The charts of two parts of the cards as the charts of all of them. */
export function addCardCharts(a: CardCharts, b: CardCharts): CardCharts {
  return {
    counts: addNamedCounts(a.counts, b.counts),
    studied: a.studied + b.studied,
    intervals: addCounts(a.intervals, b.intervals),
    stability: addCounts(a.stability, b.stability),
    difficulty: addCounts(a.difficulty, b.difficulty),
  };
}

/** The answers per day (reviewsPerDay) of two parts of the log, for the same days, as those of both. */
export function addDayCounts(a: DayCount[], b: DayCount[]): DayCount[] {
  return a.map((day, index) => ({ day: day.day, count: day.count + b[index].count }));
}

/** Counts of `values` in buckets that start at each of `edges` (the last is open-ended). */
export function histogram(values: number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length).fill(0);
  for (const value of values) {
    let bucket = edges.length - 1;
    while (bucket > 0 && value < edges[bucket]) bucket--;
    counts[bucket]++;
  }
  return counts;
}

/** How often each answer button was used. */
export type AnswerButtons = Record<'again' | 'hard' | 'good' | 'easy', number>;

export function answerButtons(log: AnswerLogRow[]): AnswerButtons {
  const counts = { again: 0, hard: 0, good: 0, easy: 0 };
  for (const row of log) counts[(['again', 'hard', 'good', 'easy'] as const)[row.rating - 1]]++;
  return counts;
}
