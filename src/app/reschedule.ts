// The page's side of the reschedule worker: one worker per reschedule. Cancel ends it at once
// while it computes (nothing is written yet); once the write is asked for, it runs to the end,
// and the undo step is put together from the parts the worker sends after its commit.
import { addUndoPart, emptyUndo, type ReschedulePhase } from '../storage/reschedule.ts';
import { undoStep, type Storage, type UndoStep } from '../storage/index.ts';
import type { RescheduleCommand, RescheduleMessage } from '../worker/rescheduleProtocol.ts';

export type RescheduleResult =
  /** `step`: undefined when no card changed. */
  | { type: 'rescheduled'; step?: UndoStep; changed: number; refused: number; computeMs: number; writeMs: number }
  | { type: 'cancelled' }
  | { type: 'failed'; message: string };

export interface RescheduleTask {
  /** Settles with what happened; never rejects. */
  result: Promise<RescheduleResult>;
  /** Ends the reschedule if nothing is being written yet; false once the write has begun. */
  cancel(): boolean;
}

export function startReschedule(
  storage: Storage,
  deckIds: string[],
  now: Date,
  onProgress: (phase: ReschedulePhase, done: number, total: number) => void,
): RescheduleTask {
  const worker = new Worker(new URL('../worker/reschedule.ts', import.meta.url), { type: 'module', name: 'reschedule' });
  const send = (command: RescheduleCommand) => worker.postMessage(command);
  let settle!: (result: RescheduleResult) => void;
  const result = new Promise<RescheduleResult>((resolve) => (settle = resolve)).finally(() => worker.terminate());
  let writing = false;
  let undo = emptyUndo(0);
  worker.addEventListener('message', (event: MessageEvent<RescheduleMessage>) => {
    const message = event.data;
    if (message.type === 'progress') onProgress(message.phase, message.done, message.total);
    else if (message.type === 'undo-part') addUndoPart(undo, message.part);
    else if (message.type === 'computed') {
      writing = true;
      undo = emptyUndo(message.changed);
      onProgress('saving', 0, message.changed);
      send({ type: 'write' });
    } else if (message.type === 'rescheduled') {
      // The worker's write, like the page's own, is for sync to send.
      storage.afterWrite?.();
      const { changed, refused, computeMs, writeMs } = message;
      settle({ type: 'rescheduled', step: changed > 0 ? undoStep('Reschedule', { rescheduled: undo }) : undefined, changed, refused, computeMs, writeMs });
    } else settle(message);
  });
  worker.addEventListener('error', (event) => settle({ type: 'failed', message: event.message || 'the reschedule could not start' }));
  send({ type: 'start', deckIds, now });
  return {
    result,
    cancel() {
      if (writing) return false;
      settle({ type: 'cancelled' });
      return true;
    },
  };
}
