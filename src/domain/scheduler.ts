import {
  createEmptyCard,
  fsrs,
  generatorParameters,
  GenSeedStrategyWithCardId,
  Rating,
  State,
  StrategyMode,
  type FSRS,
  type FSRSHistory,
  type Grade,
  type StepUnit,
} from 'ts-fsrs';
import { leechThreshold, Queue, queueForState, type CardRecord, type ReviewLogRow, type Schedule, type StudySettings } from './types.ts';

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

/** Anki's "Reset card": back to new, keeping the review history and the counts. */
export function resetCard(card: CardRecord, now: Date): CardRecord {
  const { reps, lapses } = card;
  const schedule = newSchedule(now);
  return { ...card, ...schedule, reps, lapses, queue: Queue.New, last_review: undefined };
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

/**
 * Anki's leech rule: a card becomes a leech when its lapses reach the threshold, and again
 * every half threshold after that; it is then tagged "leech" and suspended.
 */
export function isNewLeech(lapsesBefore: number, lapsesAfter: number): boolean {
  return lapsesAfter > lapsesBefore && lapsesAfter >= leechThreshold && (lapsesAfter - leechThreshold) % (leechThreshold / 2) === 0;
}

/** The card after the answer, the review-log row that records it, and whether it just became a leech. */
export function applyAnswer(
  card: CardRecord,
  outcome: Outcome,
  reviewedAt: Date,
  durationMs: number,
): { card: CardRecord; log: ReviewLogRow; leech: boolean } {
  const { schedule } = outcome;
  const leech = isNewLeech(card.lapses, schedule.lapses);
  return {
    leech,
    card: {
      ...card,
      ...schedule,
      queue: leech ? Queue.Suspended : queueForState(schedule.state),
      tags: leech && !card.tags.includes('leech') ? [...card.tags, 'leech'] : card.tags,
    },
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

/**
 * The card as its review history gives it under other settings (desired retention,
 * parameters): the history is replayed through ts-fsrs and the next due date recomputed.
 * Undefined for a card never reviewed, or when nothing changes.
 */
export function rescheduleFromHistory(scheduler: FSRS, card: CardRecord, history: ReviewLogRow[], now: Date): CardRecord | undefined {
  if (card.state === State.New || history.length === 0) return undefined;
  const reviews: FSRSHistory[] = history.map((row) => ({ rating: row.rating, review: row.reviewedAt }));
  // The card as the replayed history leaves it: memory state and due date under the new
  // settings, last review and counts as they really were (not a manual review "now").
  const { collections } = scheduler.reschedule({ ...scheduleOf(card), id: card.id } as Schedule, reviews, { now });
  const replayed = collections.at(-1)?.card;
  if (!replayed) return undefined;
  const schedule = scheduleOf(replayed);
  if (JSON.stringify(schedule) === JSON.stringify(scheduleOf(card))) return undefined;
  const held = card.queue === Queue.Suspended || card.queue === Queue.Buried || card.queue === Queue.Retired;
  return { ...card, ...schedule, queue: held ? card.queue : queueForState(schedule.state) };
}
