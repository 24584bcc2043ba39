// Which part of a card's Anki review log FSRS learns from, by Anki's rules
// (rslib scheduler/fsrs/params.rs reviews_for_fsrs): shared by import, which rebuilds memory
// states, and the optimiser, which trains on the same entries.
import type { AnkiRevlog } from './model.ts';

// Anki's revlog kinds (RevlogReviewKind) and the entries it leaves out of FSRS.
export const learningKind = 0;
export const reviewKind = 1;
export const relearningKind = 2;
const filteredKind = 3;
export const manualKind = 4;
export const rescheduledKind = 5;
export const isCramming = (entry: AnkiRevlog): boolean => entry.type === filteredKind && entry.factor === 0;
export const isReset = (entry: AnkiRevlog): boolean => entry.type === manualKind && entry.factor === 0;
export const affectsScheduling = (entry: AnkiRevlog): boolean => entry.ease > 0 && !isCramming(entry);

/**
 * Where FSRS's history of a card starts, in entries sorted by time: at the first learning
 * answer of its last group of learning answers (complete), or else at its first graded
 * interday answer since the last reset (incomplete: the memory state is seeded from SM-2).
 * Undefined when a reset came after every graded answer, or nothing was graded.
 */
export function historyStart(entries: AnkiRevlog[]): { start: number; complete: boolean } | undefined {
  let learningStart: number | undefined;
  let firstGraded: number | undefined;
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index];
    if (isCramming(entry)) continue;
    const graded = entry.ease > 0;
    if (graded && (entry.interval >= 1 || entry.interval <= -86_400)) firstGraded = index;
    if (graded && entry.type === learningKind) learningStart = index;
    else if (isReset(entry)) {
      if (learningStart === undefined && firstGraded === undefined) return undefined;
      break;
    } else if (learningStart !== undefined) break; // an older group of learning: Anki versions before resets were logged
  }
  const start = learningStart ?? firstGraded;
  return start === undefined ? undefined : { start, complete: learningStart !== undefined };
}
