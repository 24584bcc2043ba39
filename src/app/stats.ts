// The page's side of the statistics worker: one worker per visit of the statistics screen,
// which posts each figure as it has it and answers a change of exam or date; ended when the
// screen closes.
import type { ReadinessGoal, StatsCommand, StatsMessage } from '../worker/statsProtocol.ts';

export interface StatsTask {
  /** Asks for the readiness for `goal`; it comes as a 'readiness' message once the cards are read. */
  askReadiness(goal: ReadinessGoal): void;
  /** Ends the worker at once: it only reads, so nothing is left half done. */
  close(): void;
}

/** Starts working out the statistics as of `now`; every message goes to `onMessage`. */
export function startStats(now: Date, onMessage: (message: StatsMessage) => void): StatsTask {
  const worker = new Worker(new URL('../worker/stats.ts', import.meta.url), { type: 'module', name: 'stats' });
  const send = (command: StatsCommand) => worker.postMessage(command);
  worker.addEventListener('message', (event: MessageEvent<StatsMessage>) => onMessage(event.data));
  worker.addEventListener('error', (event) => onMessage({ type: 'failed', message: event.message || 'the statistics worker could not start' }));
  send({ type: 'start', now: now.getTime() });
  return { askReadiness: (next) => send({ type: 'readiness', goal: next }), close: () => worker.terminate() };
}
