import {
  createEmptyCard,
  fsrs,
  generatorParameters,
  GenSeedStrategyWithCardId,
  Rating,
  StrategyMode,
  type FSRS,
  type Grade,
  type StepUnit,
} from 'ts-fsrs';
import { queueForState, type CardRecord, type ReviewLogRow, type Schedule, type StudySettings } from './types.ts';

export const grades = [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy] as const satisfies readonly Grade[];

/** The card as it will be after one grade, computed before the user picks. */
export interface Outcome {
  rating: Grade;
  schedule: Schedule;
}

export type Outcomes = Record<Grade, Outcome>;

export function createScheduler(settings: StudySettings): FSRS {
  const scheduler = fsrs(
    generatorParameters({
      request_retention: settings.desiredRetention,
      maximum_interval: settings.maximumIntervalDays,
      enable_fuzz: settings.fuzz,
      enable_short_term: true,
      learning_steps: settings.learningSteps as StepUnit[],
      relearning_steps: settings.relearningSteps as StepUnit[],
    }),
  );
  // Fuzz seeded by card id and repetition count, not by the clock, so an outcome is the
  // same whenever it is computed (ts-fsrs pitfall 2 in notes/anchors.md).
  return scheduler.useStrategy(StrategyMode.SEED, GenSeedStrategyWithCardId('id'));
}

export function newSchedule(now: Date): Schedule {
  return createEmptyCard(now);
}

/** Only the ts-fsrs fields of a card, so content never leaks into scheduling results. */
export function scheduleOf(card: Schedule): Schedule {
  const { due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review } =
    card;
  const schedule: Schedule = { due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state };
  if (last_review) schedule.last_review = last_review;
  return schedule;
}

/** All four outcomes for `card` answered at `now`; the buttons show these, and the chosen one is stored as is. */
export function previewOutcomes(scheduler: FSRS, card: CardRecord, now: Date): Outcomes {
  const preview = scheduler.repeat({ ...scheduleOf(card), id: card.id } as Schedule, now);
  const outcomes = {} as Outcomes;
  for (const rating of grades) outcomes[rating] = { rating, schedule: scheduleOf(preview[rating].card) };
  return outcomes;
}

/** The interval an outcome gives, in ms from the time it was computed. */
export function outcomeInterval(outcome: Outcome, computedAt: Date): number {
  return outcome.schedule.due.getTime() - computedAt.getTime();
}

/** The card after the answer and the review-log row that records it. */
export function applyAnswer(
  card: CardRecord,
  outcome: Outcome,
  reviewedAt: Date,
  durationMs: number,
): { card: CardRecord; log: ReviewLogRow } {
  const { schedule } = outcome;
  return {
    card: { ...card, ...schedule, queue: queueForState(schedule.state) },
    log: {
      cardId: card.id,
      deckId: card.deckId,
      rating: outcome.rating,
      reviewedAt,
      stateBefore: card.state,
      due: schedule.due,
      stability: schedule.stability,
      difficulty: schedule.difficulty,
      scheduledDays: schedule.scheduled_days,
      durationMs: Math.max(0, Math.round(durationMs)),
    },
  };
}
