// Messages between the statistics screen and its worker. Only aggregates cross: counts per
// day, per bucket and per domain, never the cards or the log.
import type { ExamGoal } from '../domain/exams.ts';
import type { Readiness } from '../domain/readiness.ts';
import type { AnswerButtons, CardCharts, DayCount, TrueRetention } from '../domain/stats.ts';

/** The study days the heatmap shows, up to today. */
export const heatmapDays = 365;
/** The study days "Future due" shows, from today. */
export const forecastDays = 30;
/** The periods true retention is given for, in study days up to today. */
export const retentionPeriods = [1, 7, 30, 365] as const;

/** The exam readiness is worked out for, and its date ('' for none: readiness today). */
export type ReadinessGoal = Pick<ExamGoal, 'exam' | 'date'>;

export type StatsCommand =
  /** `now`: the time every figure is as of (ms since 1970). */
  | { type: 'start'; now: number }
  | { type: 'readiness'; goal: ReadinessGoal };

export type StatsMessage =
  /** How much of the cards and the log has been read, 0 to 1. */
  | { type: 'progress'; fraction: number }
  /** Cards due per study day from today (futureDue). */
  | { type: 'forecast'; forecast: number[] }
  | { type: 'cards'; charts: CardCharts }
  | { type: 'readiness'; goal: ReadinessGoal; readiness: Readiness }
  /** Answers per study day (heatmapDays up to today) and per answer button. */
  | { type: 'answers'; days: DayCount[]; buttons: AnswerButtons }
  /** The last message of a run: true retention per period (retentionPeriods); `computeMs`, how long reading and computing took. */
  | { type: 'retention'; retention: TrueRetention[]; computeMs: number }
  | { type: 'failed'; message: string };
