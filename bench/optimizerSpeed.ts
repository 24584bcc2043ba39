// The optimiser in the app, against native fsrs-rs on the same reviews: for each size, a
// simulated learner's history is put into a fresh profile's database, Optimize is tapped in
// the deck's options, and the time to the result is taken; the same training items go
// through @open-spaced-repetition/binding (native, in this Node process).
import { evaluateParameters, type ModelEvaluation } from '../src/domain/optimizer/evaluation.ts';
import { trainingItems } from '../src/domain/optimizer/trainingItems.ts';
import { studyDay } from '../src/domain/studyDay.ts';
import { launchWithFreshProfile } from '../tests/support/chromium.ts';
import { fitNatively, generateLearnerLog, learnerLogEnd, seedLearnerDeck } from '../tests/support/learnerLog.ts';

export interface OptimizerRun {
  reviews: number;
  items: number;
  browserMs: number;
  nativeMs: number;
  /** Main-thread tasks over 50 ms while it ran (Long Tasks API). */
  longTasks: number[];
  browser: ModelEvaluation;
  native: ModelEvaluation;
  defaults: ModelEvaluation;
}

const deckId = 'learner';

export async function optimizerSpeed(appUrl: string, sizes = [10_000, 100_000]): Promise<OptimizerRun[]> {
  const runs: OptimizerRun[] = [];
  for (const reviews of sizes) {
    const { cards, log } = generateLearnerLog(reviews, learnerLogEnd);
    const { items } = trainingItems(log, (at) => studyDay(at, 4).number);
    const { parameters: native, ms: nativeMs } = await fitNatively(items);

    const browser = await launchWithFreshProfile();
    const page = browser.context.pages()[0];
    await page.goto(appUrl);
    await page.locator('a.deck').first().waitFor();
    await seedLearnerDeck(page, cards, log, deckId);
    await page.goto(`${appUrl}#/options/${deckId}`);
    await page.getByRole('button', { name: 'Optimize', exact: true }).waitFor();
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { longTasks: number[] }).longTasks = seen;
      new PerformanceObserver((list) => list.getEntries().forEach((entry) => seen.push(Math.round(entry.duration)))).observe({ type: 'longtask' });
    });
    const started = performance.now();
    await page.getByRole('button', { name: 'Optimize', exact: true }).click();
    // Applying asks whether to reschedule; the run is over when it asks.
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click({ timeout: 600_000 });
    const browserMs = performance.now() - started;
    const fitted = (await page.locator('input[name="fsrsParameters"]').inputValue()).split(',').map(Number);
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    await browser.close();
    runs.push({
      reviews: log.length,
      items: items.length,
      browserMs,
      nativeMs,
      longTasks,
      browser: evaluateParameters(fitted, items)!,
      native: evaluateParameters(native, items)!,
      defaults: evaluateParameters(undefined, items)!,
    });
  }
  return runs;
}

export const optimizerMarkers = { start: '<!-- bench:optimizer:start -->', end: '<!-- bench:optimizer:end -->' };

export function optimizerLines(runs: OptimizerRun[]): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const figures = (evaluation: ModelEvaluation) => `${evaluation.logLoss.toFixed(4)} / ${(evaluation.rmseBins * 100).toFixed(2)} %`;
  return [
    optimizerMarkers.start,
    `**Optimizer** (measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): a simulated learner's history (its memory follows FSRS with parameters of its own; scheduled by the app) in a fresh profile, unthrottled CPU. Browser: from the tap on Optimize in the deck's options to the result (reading the log in the worker, fsrs-browser 5.2.0's WASM loaded and run single-threaded, both parameter sets evaluated, the new ones saved). Native: \`computeParameters\` of @open-spaced-repetition/binding 0.5.0 (fsrs-rs 6.5.0, native, multi-threaded) on the same training items in Node. Figures: log loss / RMSE(bins) of each result on those items (lower is better).`,
    '',
    '| reviews | training items | browser | native | ratio browser / native | main-thread tasks over 50 ms | defaults | browser fit | native fit |',
    '|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (run) =>
        `| ${run.reviews.toLocaleString('en')} | ${run.items.toLocaleString('en')} | ${s(run.browserMs)} | ${s(run.nativeMs)} | ${(run.browserMs / run.nativeMs).toFixed(1)} | ${run.longTasks.length} | ${figures(run.defaults)} | ${figures(run.browser)} | ${figures(run.native)} |`,
    ),
    optimizerMarkers.end,
  ];
}
