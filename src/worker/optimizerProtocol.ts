// Messages between the page and the optimiser worker.
import type { ModelEvaluation } from '../domain/optimizer/evaluation.ts';

export interface OptimizeJob {
  /** The decks of the options preset: their cards' reviews are the training set. */
  deckIds: string[];
  /** The preset's parameters now (undefined: FSRS's defaults), to compare with. */
  currentParameters?: number[];
  dayStartHour: number;
}

export type OptimizerPhase = 'reading' | 'loading' | 'fitting' | 'evaluating';

export interface OptimizeResult {
  /** Answers in the training set, and the items made of them. */
  reviews: number;
  items: number;
  parameters: number[];
  current: ModelEvaluation;
  fitted: ModelEvaluation;
}

export type OptimizerMessage =
  | { type: 'progress'; phase: OptimizerPhase; done: number; total: number }
  | { type: 'optimized'; result: OptimizeResult }
  /** Too few items to fit anything (fsrs-rs needs 8 reviews on later days). */
  | { type: 'too-few'; reviews: number; items: number }
  | { type: 'failed'; message: string };
