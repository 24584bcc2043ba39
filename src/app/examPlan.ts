// The page's side of the exam plan worker: one worker per plan, started when a plan is asked
// for and ended when it is done or cancelled.
import type { ExamGoal } from '../domain/exams.ts';
import type { ExamPlanCommand, ExamPlanMessage } from '../worker/examPlanProtocol.ts';

export type ExamPlanResult = Exclude<ExamPlanMessage, { type: 'progress' }> | { type: 'cancelled' };

export interface ExamPlanTask {
  /** Settles with the plan or why there is none; never rejects. */
  result: Promise<ExamPlanResult>;
  /** Ends the worker at once: it only reads, so nothing is left half done. */
  cancel(): void;
}

export function startExamPlan(goal: ExamGoal, onProgress: (fraction: number) => void): ExamPlanTask {
  const worker = new Worker(new URL('../worker/examPlan.ts', import.meta.url), { type: 'module', name: 'exam-plan' });
  let settle!: (result: ExamPlanResult) => void;
  const result = new Promise<ExamPlanResult>((resolve) => (settle = resolve)).finally(() => worker.terminate());
  worker.addEventListener('message', (event: MessageEvent<ExamPlanMessage>) => {
    const message = event.data;
    if (message.type === 'progress') onProgress(message.fraction);
    else settle(message);
  });
  worker.addEventListener('error', (event) => settle({ type: 'failed', message: event.message || 'the exam plan worker could not start' }));
  worker.postMessage({ goal } satisfies ExamPlanCommand);
  return { result, cancel: () => settle({ type: 'cancelled' }) };
}
