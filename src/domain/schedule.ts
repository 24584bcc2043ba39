// What the first screen needs of scheduling without loading ts-fsrs (about 7 kB): a new
// card's schedule, and the manual log rows storage writes. The FSRS
// computations are in scheduler.ts, which the review screens load.
import { CardState, Queue, type CardRecord, type ManualLogRow, type Schedule } from './types.ts';

/** A card never studied, due `now`: ts-fsrs's createEmptyCard (the same test checks). */
export function newSchedule(now: Date): Schedule {
  return { due: now, stability: 0, difficulty: 0, elapsed_days: 0, scheduled_days: 0, reps: 0, lapses: 0, learning_steps: 0, state: CardState.New, last_review: undefined };
}

/** Only the ts-fsrs fields of a card, so content never leaks into scheduling results. */
export function scheduleOf(card: Schedule): Schedule {
  const { due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review } = card;
  const schedule: Schedule = { due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state };
  if (last_review) schedule.last_review = last_review;
  return schedule;
}

/**
 * Anki's "Reset card" with its "reset repetition and lapse counts" option: back to new, as
 * if never studied. The history stays in the log, where a reset row marks the new start, so
 * a card's counts are always those of its answers since its last reset.
 */
export function resetCard(card: CardRecord, now: Date): CardRecord {
  const reset: CardRecord = { ...card, ...newSchedule(now), queue: Queue.New };
  delete reset.last_review;
  return reset;
}

/** The log row that records a manual change of the card's schedule to `after`'s. */
export function manualLogRow(kind: ManualLogRow['kind'], after: CardRecord, at: Date): ManualLogRow {
  return { kind, cardId: after.id, deckId: after.deckId, reviewedAt: at, schedule: scheduleOf(after) };
}
