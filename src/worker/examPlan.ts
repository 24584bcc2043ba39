// The exam plan worker: reads the cards and settings itself and simulates every day until the
// exam (src/domain/examPlan.ts) off the main thread, which stays free however long it takes.
// One plan per worker; the page ends the worker to cancel.
import { planExam } from '../domain/examPlan.ts';
import { ExamPlanInputStorage } from '../storage/examPlanInput.ts';
import type { ExamPlanCommand, ExamPlanMessage } from './examPlanProtocol.ts';

/** Progress at most this often: each message is a render of the page. */
const progressEveryMs = 100;

const storage = new ExamPlanInputStorage();
const post = (message: ExamPlanMessage) => postMessage(message);

async function plan({ goal }: ExamPlanCommand): Promise<void> {
  const started = performance.now();
  const input = await storage.read(goal, new Date());
  let postedAt = -Infinity;
  const outcome = planExam(input, {
    onProgress(fraction) {
      const now = performance.now();
      if (now - postedAt < progressEveryMs) return;
      postedAt = now;
      post({ type: 'progress', fraction });
    },
  });
  post({ type: 'planned', outcome, computeMs: Math.round(performance.now() - started) });
}

addEventListener('message', (event: MessageEvent<ExamPlanCommand>) => {
  plan(event.data).catch((error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
});
