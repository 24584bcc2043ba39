// Messages between the page and the exam plan worker.
import type { ExamPlanOutcome } from '../domain/examPlan.ts';
import type { ExamGoal } from '../domain/exams.ts';

export interface ExamPlanCommand {
  goal: ExamGoal;
}

export type ExamPlanMessage =
  | { type: 'progress'; fraction: number }
  /** `computeMs`: how long reading and planning took in the worker. */
  | { type: 'planned'; outcome: ExamPlanOutcome; computeMs: number }
  | { type: 'failed'; message: string };
