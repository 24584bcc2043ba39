// The page's side of the transfer worker: one worker per job, ended when the job is.
import type { TransferJob, TransferMessage } from '../worker/protocol.ts';

export type TransferOutcome = Exclude<TransferMessage, { type: 'progress' } | { type: 'saving' }>;

export interface TransferTask {
  /** Settles with the job's outcome; never rejects (a failure is an outcome with its message). */
  outcome: Promise<TransferOutcome>;
  /**
   * Stops the job. Before its write began, the worker is ended at once; during the write the
   * worker aborts it. Either way nothing of an import is stored; an import whose write had
   * already committed still reports what came in.
   */
  cancel(): void;
}

export function startTransfer(job: TransferJob, onProgress: (phase: string, done: number, total: number) => void): TransferTask {
  const worker = new Worker(new URL('../worker/transfer.ts', import.meta.url), { type: 'module', name: 'transfer' });
  let saving = false;
  let settle!: (outcome: TransferOutcome) => void;
  const outcome = new Promise<TransferOutcome>((resolve) => (settle = resolve)).finally(() => worker.terminate());
  worker.addEventListener('message', (event: MessageEvent<TransferMessage>) => {
    const message = event.data;
    if (message.type === 'progress') onProgress(message.phase, message.done, message.total);
    else if (message.type === 'saving') saving = true;
    else settle(message);
  });
  worker.addEventListener('error', (event) => settle({ type: 'failed', message: event.message || 'the import worker could not start' }));
  worker.postMessage({ type: 'start', job });
  return {
    outcome,
    cancel() {
      if (saving) worker.postMessage({ type: 'cancel' });
      else settle({ type: 'cancelled' });
    },
  };
}
