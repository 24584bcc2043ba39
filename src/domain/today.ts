// The home screen's summary of today. Apart from the statistics, which load only with
// their screen.
import type { AnswerLogRow } from './types.ts';

export interface TodaySummary {
  reviews: number;
  timeMs: number;
}

export function todaySummary(todayLog: AnswerLogRow[]): TodaySummary {
  return { reviews: todayLog.length, timeMs: todayLog.reduce((sum, row) => sum + row.durationMs, 0) };
}

/**
 * Study days in a row with at least one answer, ending today, or yesterday when nothing
 * has been answered yet today (the streak is not broken before the day is over).
 */
export function streak(answeredOnDay: (dayOffset: number) => boolean): number {
  let offset = answeredOnDay(0) ? 0 : -1;
  let days = 0;
  while (answeredOnDay(offset)) {
    days++;
    offset--;
  }
  return days;
}
