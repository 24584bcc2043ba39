// The home screen and the review screen at growing sizes: for each, a fresh profile gets a
// generated collection (tests/support/collection.ts: cards and their log) with daily limits
// raised so that a session can run for a thousand answers, then the app is loaded at the home
// screen (timed until the benchmark deck shows its counts, then left to settle) and the deck
// is opened and answered with the keyboard (Space, a moment to read, 3 = Good). Figures: the
// main thread's tasks over 50 ms on each screen (Long Tasks API, and the main thread's CPU
// time in Chromium's trace), each answer's key → next card in the DOM and → next frame, and
// the JS heap after a forced garbage collection after the first answers and after the last.
import { launchWithFreshProfile } from '../tests/support/chromium.ts';
import { benchDeckId } from '../tests/support/collection.ts';
import { longTasksSince, pageNow, recordLongTasks, traceMainThread, type LongTask, type TracedTask } from '../tests/support/longTasks.ts';
import { heapAfterGc, openHomeTimed, pressAndMeasure, raiseDailyLimits, readAnswer, recordKeyLatency, type KeyLatency } from '../tests/support/reviewSession.ts';
import { seedCollection } from '../tests/support/seedCollection.ts';

const sizes = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : [1_000, 20_000, 100_000];
/** Answers before the first heap reading, and in all: a leak shows as growth between the two. */
const firstAnswers = 100;
const allAnswers = 1_000;
const readingMs = 100;
const homeSettleMs = 2_000;
const limits = { newCardsPerDay: 500, reviewsPerDay: 1_000 };
/** Data the heap may gain over the answers: the undo stack filling to its 30 steps, the bench's own records of each answer. */
const goals = { keyToDomP95Ms: 8, longTaskMs: 50, heapDataGrowthBytes: 256 * 1024 };

export interface ReviewRun {
  cards: number;
  logRows: number;
  /** From the navigation to the frame with the benchmark deck's counts. */
  homeShownMs: number;
  homeTasks: LongTask[];
  homeTraced: TracedTask[];
  answers: KeyLatency[];
  reviewTasks: LongTask[];
  reviewTraced: TracedTask[];
  /** JS heap after a forced garbage collection, after `firstAnswers` answers and after the last, and the compiled code in it. */
  heap: { afterFirst: { used: number; code: number }; afterAll: { used: number; code: number }; firstAnswers: number };
}

async function runAt(appUrl: string, size: number): Promise<ReviewRun> {
  // No service worker: its navigation fallback plays no part in these screens.
  const browser = await launchWithFreshProfile({ serviceWorkers: 'block' });
  try {
    const page = browser.context.pages()[0];
    await recordLongTasks(page);
    await recordKeyLatency(page);
    await page.goto(appUrl);
    await page.locator('a.deck').first().waitFor();
    const { cards, log } = await seedCollection(page, size, new Date());
    await raiseDailyLimits(page, limits);

    // A new document: nothing of the seeding in its memory, its clock from the navigation.
    const homeTrace = await traceMainThread(page);
    const homeShownMs = await openHomeTimed(page, appUrl);
    await page.waitForTimeout(homeSettleMs);
    const homeTasks = await longTasksSince(page, 0);
    const homeTraced = await homeTrace.stop();

    // Tasks while answering, apart from the garbage collections forced between the answers.
    const measured = async (work: () => Promise<KeyLatency[]>) => {
      const since = await pageNow(page);
      const trace = await traceMainThread(page);
      const answers = await work();
      return { answers, traced: await trace.stop(), tasks: await longTasksSince(page, since) };
    };
    const first = await measured(async () => {
      await page.evaluate((href) => (location.hash = href), `#/deck/${benchDeckId}`);
      await page.locator('article.card').waitFor();
      return pressAndMeasure(page, firstAnswers, readAnswer(page, readingMs));
    });
    const afterFirst = await heapAfterGc(page);
    const rest = await measured(() => pressAndMeasure(page, allAnswers - first.answers.length, readAnswer(page, readingMs)));
    const afterAll = await heapAfterGc(page);
    return {
      cards: cards.length,
      logRows: log.length,
      homeShownMs,
      homeTasks,
      homeTraced,
      answers: [...first.answers, ...rest.answers],
      reviewTasks: [...first.tasks, ...rest.tasks],
      reviewTraced: [...first.traced, ...rest.traced],
      heap: { afterFirst, afterAll, firstAnswers: first.answers.length },
    };
  } finally {
    await browser.close();
  }
}

export async function reviewSpeed(appUrl: string): Promise<ReviewRun[]> {
  const runs: ReviewRun[] = [];
  for (const size of sizes) runs.push(await runAt(appUrl, size));
  return runs;
}

export const reviewMarkers = { start: '<!-- bench:review:start -->', end: '<!-- bench:review:end -->' };

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

export function reviewLines(runs: ReviewRun[]): string[] {
  const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const check = (met: boolean) => (met ? 'met' : 'missed');
  const signed = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${bytes < 1024 * 1024 ? `${Math.round(Math.abs(bytes) / 1024)} KB` : mb(Math.abs(bytes))}`;
  const tasks = (wall: LongTask[], traced: TracedTask[]) => {
    const cpu = traced.filter((task) => task.cpuMs > goals.longTaskMs);
    const longest = wall.length ? `, longest ${ms(Math.max(...wall.map((task) => task.duration)))}` : '';
    return `${wall.length}${longest} (${cpu.length} over 50 ms of CPU) ${check(wall.length === 0)}`;
  };
  return [
    reviewMarkers.start,
    `**Home and review** (measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): a generated collection with its review log in a fresh profile (the built-in decks too), daily limits raised to ${limits.newCardsPerDay} new and ${limits.reviewsPerDay.toLocaleString('en')} reviews so that one session lasts ${allAnswers.toLocaleString('en')} answers, unthrottled CPU. Home: the app loaded at the deck list, from the navigation to the frame with the benchmark deck's counts, then ${homeSettleMs / 1000} s to settle. Review: the deck opened from there and answered ${allAnswers.toLocaleString('en')} times (Space, ${readingMs} ms to read, 3 = Good; fewer when the deck runs out); key → DOM / frame: from the key's event time to the next card in the page and to the frame after it (in-page clock). Tasks: the main thread's tasks over 50 ms of wall-clock time (Long Tasks API), and in brackets how many of them took over 50 ms of the main thread's CPU (Chromium's trace: on a busy machine a task also waits for a core). Heap: JS heap in use after a forced garbage collection (DevTools HeapProfiler.collectGarbage, Runtime.getHeapUsage) after the first ${firstAnswers} answers and after the last; growth split into code V8 compiled meanwhile (hot functions optimised, from a heap snapshot) and the rest, the data the page keeps. Goals (issue 16): key → DOM p95 ≤ ${goals.keyToDomP95Ms} ms, no task over 50 ms, no growth of the data on the heap over the answers (within ${goals.heapDataGrowthBytes / 1024} KB: the undo stack filling to its 30 steps, the bench's own records).`,
    '',
    '| cards | log rows | home: deck list with counts | home: tasks over 50 ms | answers | key → DOM p50 / p95 | key → frame p50 / p95 | review: tasks over 50 ms | heap after first answers / after all | growth: all, compiled code, data |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map((run) => {
      const dom = run.answers.map((answer) => answer.dom);
      const frame = run.answers.map((answer) => answer.frame);
      const { afterFirst, afterAll } = run.heap;
      const growth = afterAll.used - afterFirst.used;
      const dataGrowth = afterAll.used - afterAll.code - (afterFirst.used - afterFirst.code);
      const grew = dataGrowth > goals.heapDataGrowthBytes;
      return `| ${run.cards.toLocaleString('en')} | ${run.logRows.toLocaleString('en')} | ${ms(run.homeShownMs)} | ${tasks(run.homeTasks, run.homeTraced)} | ${run.answers.length} | ${ms(percentile(dom, 0.5))} / ${ms(percentile(dom, 0.95))} ${check(percentile(dom, 0.95) <= goals.keyToDomP95Ms)} | ${ms(percentile(frame, 0.5))} / ${ms(percentile(frame, 0.95))} | ${tasks(run.reviewTasks, run.reviewTraced)} | ${mb(afterFirst.used)} after ${run.heap.firstAnswers} / ${mb(afterAll.used)} after ${run.answers.length} | ${signed(growth)}, of which compiled code ${signed(afterAll.code - afterFirst.code)}, data ${signed(dataGrowth)} ${check(!grew)} |`;
    }),
    reviewMarkers.end,
  ];
}
