// The page's side of the optimiser worker: one worker per run, created when the user asks
// and ended when the run is (Cancel ends it at once; it writes nothing).
import type { OptimizeJob, OptimizerMessage, OptimizerPhase } from '../worker/optimizerProtocol.ts';

export type OptimizeOutcome = Exclude<OptimizerMessage, { type: 'progress' }> | { type: 'cancelled' };

export interface OptimizeTask {
  /** Settles with the run's outcome; never rejects. */
  outcome: Promise<OptimizeOutcome>;
  cancel(): void;
}

export function startOptimizer(job: OptimizeJob, onProgress: (phase: OptimizerPhase, done: number, total: number) => void): OptimizeTask {
  const worker = new Worker(new URL('../worker/optimizer.ts', import.meta.url), { type: 'module', name: 'optimizer' });
  let settle!: (outcome: OptimizeOutcome) => void;
  const outcome = new Promise<OptimizeOutcome>((resolve) => (settle = resolve)).finally(() => worker.terminate());
  worker.addEventListener('message', (event: MessageEvent<OptimizerMessage>) => {
    const message = event.data;
    if (message.type === 'progress') onProgress(message.phase, message.done, message.total);
    else settle(message);
  });
  worker.addEventListener('error', (event) => settle({ type: 'failed', message: event.message || 'the optimiser could not start' }));
  worker.postMessage({ type: 'start', job });
  return { outcome, cancel: () => settle({ type: 'cancelled' }) };
}
