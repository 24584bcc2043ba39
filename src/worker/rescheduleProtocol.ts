// Messages between the page and the reschedule worker. The worker computes, then asks before
// it writes: once the page says "write", Cancel is over, so a cancel can never end the
// worker between the write and the undo data reaching the page.
import type { ReschedulePhase, RescheduleUndoPart } from '../storage/reschedule.ts';

export type RescheduleCommand =
  | { type: 'start'; deckIds: string[]; now: Date }
  | { type: 'write' };

export type RescheduleMessage =
  | { type: 'progress'; phase: ReschedulePhase; done: number; total: number }
  /** Computed: the worker waits for "write". */
  | { type: 'computed'; changed: number }
  /** Part of what undo needs, after the write committed. */
  | { type: 'undo-part'; part: RescheduleUndoPart }
  /** Everything written, and every undo part sent. `computeMs`, `writeMs`: time in the worker. */
  | { type: 'rescheduled'; changed: number; refused: number; computeMs: number; writeMs: number }
  | { type: 'failed'; message: string };
