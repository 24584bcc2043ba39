// The optimiser worker: fits FSRS parameters to a preset's review history with fsrs-browser
// (fsrs-rs compiled to WASM, single-threaded: no cross-origin isolation needed), then
// evaluates the current and the fitted parameters on the same history. Created for one job;
// the page ends it to cancel. Nothing here writes to the database.
import initFsrs, { Fsrs } from 'fsrs-browser';
import fsrsWasmUrl from 'fsrs-browser/fsrs_browser_bg.wasm?url';
import { evaluateParameters } from '../domain/optimizer/evaluation.ts';
import { flatItems, trainingItems } from '../domain/optimizer/trainingItems.ts';
import { studyDay } from '../domain/studyDay.ts';
import { ReviewHistoryStorage } from '../storage/reviewHistory.ts';
import type { OptimizeJob, OptimizerMessage } from './optimizerProtocol.ts';

/** fsrs-browser 5.2.0 trains for 5 epochs and logs "epoch: N loss: …" after each: the only progress it gives while it runs. */
const trainingEpochs = 5;
/** fsrs-rs returns its defaults below 8 items (training.rs). */
const minimumItems = 8;

const post = (message: OptimizerMessage) => postMessage(message);

/** The WASM module from this origin; a load the browser blocks (CSP) fails in 30 s instead of hanging. */
function loadFsrs(): Promise<unknown> {
  return Promise.race([
    initFsrs({ module_or_path: fsrsWasmUrl }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the optimiser (WebAssembly) did not load in 30 s')), 30_000)),
  ]);
}

/** Runs `fit` with fsrs-browser's per-epoch log lines turned into progress (and kept off the console). */
function withEpochProgress<T>(fit: () => T): T {
  const log = console.info;
  console.info = (line: unknown) => {
    const epoch = /^epoch: (\d+)/.exec(String(line));
    if (epoch) post({ type: 'progress', phase: 'fitting', done: Number(epoch[1]), total: trainingEpochs });
  };
  try {
    return fit();
  } finally {
    console.info = log;
  }
}

async function optimize(job: OptimizeJob): Promise<void> {
  post({ type: 'progress', phase: 'reading', done: 0, total: 1 });
  const log = await new ReviewHistoryStorage().logOfDecks(job.deckIds);
  const { items, reviews } = trainingItems(log, (at) => studyDay(at, job.dayStartHour).number);
  if (items.length < minimumItems) return post({ type: 'too-few', reviews, items: items.length });

  post({ type: 'progress', phase: 'loading', done: 0, total: 1 });
  await loadFsrs();
  post({ type: 'progress', phase: 'fitting', done: 0, total: trainingEpochs });
  const { ratings, deltaTs, lengths } = flatItems(items);
  // computeParameters takes the Fsrs object over (wasm-bindgen frees it): it is used once.
  const parameters = Array.from(withEpochProgress(() => new Fsrs().computeParameters(ratings, deltaTs, lengths, undefined, true)));

  const total = items.length * 2;
  const progress = (offset: number) => (done: number) => post({ type: 'progress', phase: 'evaluating', done: offset + done, total });
  const current = evaluateParameters(job.currentParameters, items, progress(0));
  const fitted = evaluateParameters(parameters, items, progress(items.length));
  if (!current || !fitted || !parameters.every(Number.isFinite)) throw new Error('the optimiser returned no usable parameters');
  post({ type: 'optimized', result: { reviews, items: items.length, parameters, current, fitted } });
}

addEventListener('message', (event: MessageEvent<{ type: 'start'; job: OptimizeJob }>) => {
  optimize(event.data.job).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    // A WebAssembly allocation that fails is a RangeError: say what it means for the user.
    post({ type: 'failed', message: error instanceof RangeError ? `this device ran out of memory (${message})` : message });
  });
});
