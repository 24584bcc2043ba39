import {
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
import {
  isAnswer,
  leechThreshold,
  Queue,
  queueForState,
  type AnswerLogRow,
  type CardRecord,
  type ReviewLogRow,
  type Schedule,
  type StudySettings,
} from './types.ts';
import { newSchedule, scheduleOf } from './schedule.ts';

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
      ...(settings.fsrsParameters ? { w: settings.fsrsParameters } : {}),
    }),
  );
  // Fuzz seeded by card id and repetition count, not by the clock, so an outcome is the
  // same whenever it is computed (ts-fsrs pitfall 2 in notes/anchors.md).
  return scheduler.useStrategy(StrategyMode.SEED, GenSeedStrategyWithCardId('id'));
}

const schedulers = new Map<string, FSRS>();

/** One scheduler per distinct set of settings, made once: a settings change gives a new one. */
export function schedulerForSettings(settings: StudySettings): FSRS {
  const key = JSON.stringify(settings);
  let scheduler = schedulers.get(key);
  if (!scheduler) {
    scheduler = createScheduler(settings);
    schedulers.set(key, scheduler);
  }
  return scheduler;
}

const dayMs = 86_400_000;

/**
 * All four outcomes for `card` answered at `now`; the buttons show these, and the chosen one
 * is stored as is. As in Anki, Easy is always longer than Good: ts-fsrs keeps that for review
 * cards, but a learning card that both would graduate can get one day from each.
 */
export function previewOutcomes(scheduler: FSRS, card: CardRecord, now: Date): Outcomes {
  const preview = scheduler.repeat({ ...scheduleOf(card), id: card.id } as Schedule, now);
  const outcomes = {} as Outcomes;
  for (const rating of grades) outcomes[rating] = { rating, schedule: scheduleOf(preview[rating].card) };
  const [good, easy] = [outcomes[Rating.Good].schedule, outcomes[Rating.Easy].schedule];
  if (good.state === State.Review && easy.state === State.Review && easy.scheduled_days <= good.scheduled_days) {
    easy.scheduled_days = good.scheduled_days + 1;
    easy.due = new Date(now.getTime() + easy.scheduled_days * dayMs);
  }
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

/**
 * The card after the answer (as it will be stored, with its next revision), the review-log
 * row that records it, and whether it just became a leech. The schedule is computed at `reviewedAt`, the time the log row records, so that
 * replaying the log gives exactly this card (the buttons' labels, computed when the answer
 * was shown, give the same intervals).
 */
export function applyAnswer(
  scheduler: FSRS,
  card: CardRecord,
  rating: Grade,
  reviewedAt: Date,
  durationMs: number,
): { card: CardRecord; log: AnswerLogRow; leech: boolean } {
  const schedule = previewOutcomes(scheduler, card, reviewedAt)[rating].schedule;
  const leech = isNewLeech(card.lapses, schedule.lapses);
  return {
    leech,
    card: {
      ...card,
      ...schedule,
      rev: card.rev + 1,
      queue: leech ? Queue.Suspended : queueForState(schedule.state),
      tags: leech && !card.tags.includes('leech') ? [...card.tags, 'leech'] : card.tags,
    },
    log: {
      kind: 'answer',
      cardId: card.id,
      deckId: card.deckId,
      rating,
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

/** Log rows in the order they happened: by time, then by the order they were written. */
export function inLogOrder<T extends ReviewLogRow>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime() || (a.id ?? 0) - (b.id ?? 0));
}

/**
 * The schedule a card's log gives: each answer through the scheduler, each manual row as
 * the schedule it recorded. A card's stored schedule must always equal this; it is what
 * import, backup and sync stand on. Undefined for a card with no log.
 */
export function replaySchedule(scheduler: FSRS, cardId: string, log: ReviewLogRow[]): Schedule | undefined {
  const ordered = inLogOrder(log);
  // A manual row sets the whole schedule, so the replay starts at the last one: an imported
  // card's years of answers are not scheduled again one by one.
  let start = ordered.length - 1;
  while (start > 0 && isAnswer(ordered[start])) start--;
  let schedule: Schedule | undefined;
  for (const row of ordered.slice(Math.max(0, start))) {
    if (!isAnswer(row)) schedule = scheduleOf(row.schedule);
    else schedule = previewOutcomes(scheduler, { ...(schedule ?? newSchedule(row.reviewedAt)), id: cardId } as CardRecord, row.reviewedAt)[row.rating].schedule;
  }
  return schedule;
}

/**
 * The card as its review history gives it under other settings (desired retention,
 * parameters): the answers since the last reset are replayed through ts-fsrs and the next
 * due date recomputed. Undefined for a card never reviewed, or when nothing changes.
 */
export function rescheduleFromHistory(scheduler: FSRS, card: CardRecord, history: ReviewLogRow[], now: Date): CardRecord | undefined {
  const ordered = inLogOrder(history);
  let sinceReset = 0;
  ordered.forEach((row, index) => {
    if (row.kind === 'reset') sinceReset = index + 1;
  });
  const answers = ordered.slice(sinceReset).filter(isAnswer);
  if (card.state === State.New || answers.length === 0) return undefined;
  const reviews: FSRSHistory[] = answers.map((row) => ({ rating: row.rating, review: row.reviewedAt }));
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
