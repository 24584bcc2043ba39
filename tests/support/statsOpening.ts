// Opens the statistics screen from a page of the app at rest and times it as the page sees
// it: from the navigation to the first chart and to the last figure, with the main thread's
// tasks over 50 ms in between, of wall-clock time (Long Tasks API) and of CPU time (a trace).
// Only a MutationObserver and CSS selectors watch the page: Playwright's role queries would
// run on its main thread and be measured too.
import type { Page } from 'playwright-core';
import { longTasksSince, pageNow, traceMainThread, type TracedTask } from './longTasks.ts';

export interface StatsOpening {
  /** From setting the address to the first chart in the page. */
  firstChartMs: number;
  /** From setting the address to the screen no longer busy: every chart and the readiness shown. */
  allChartsMs: number;
  /** Whether the progress bar showed meanwhile. */
  progressShown: boolean;
  /** Main-thread tasks over 50 ms (Long Tasks API: wall-clock) that began from the navigation until the last figure: when (from the navigation), how long, what ran. */
  longTasks: { at: number; duration: number; scripts: string[] }[];
  /** The main thread's tasks over 50 ms of wall-clock or CPU time from the navigation until a moment after the last figure, from a trace. */
  tracedTasks: TracedTask[];
  /** Reading and computing in the worker, as it reports. */
  workerMs: number;
}

interface Watch {
  /** The page's clock at the navigation. */
  started: number;
  firstChartMs?: number;
  allChartsMs?: number;
  progressShown: boolean;
}

/** A long task is reported once it is over: this long after the last figure, the one that drew it is in. */
const settleMs = 500;
/** The app starts its background work (daily backup, sync) 3 s after it starts (src/main.tsx): the statistics open once that has begun… */
const atRestAfterMs = 5000;
/** …and once the main thread has had no long task for this long. */
const quietMs = 2000;

/**
 * Waits for the page to be at rest: garbage that seeding left in the renderer's heap (the
 * same process after a reload) collected now, not in a task of the statistics, the app's
 * start-up work over.
 */
async function atRest(page: Page): Promise<void> {
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('HeapProfiler.collectGarbage');
  await devtools.detach();
  for (;;) {
    const [now, last] = [await pageNow(page), (await longTasksSince(page, 0)).at(-1)];
    if (now > atRestAfterMs && (!last || now - (last.start + last.duration) > quietMs)) return;
    await page.waitForTimeout(500);
  }
}

/** `page` must record its long tasks (recordLongTasks) since it loaded. */
export async function openStatsTimed(page: Page, timeoutMs = 600_000): Promise<StatsOpening> {
  await atRest(page);
  const trace = await traceMainThread(page);
  await page.evaluate(() => {
    const watch: Watch = { started: performance.now(), progressShown: false };
    (window as unknown as { statsOpening: Watch }).statsOpening = watch;
    const observer = new MutationObserver(() => {
      const at = performance.now() - watch.started;
      if (watch.firstChartMs === undefined && document.querySelector('main.stats figure.chart')) watch.firstChartMs = at;
      if (document.querySelector('.stats-progress progress')) watch.progressShown = true;
      if (document.querySelector('main.stats[aria-busy="false"]')) {
        watch.allChartsMs = at;
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-busy'] });
    location.hash = '#/stats';
  });
  await page.waitForFunction(() => (window as unknown as { statsOpening: Watch }).statsOpening.allChartsMs !== undefined, undefined, {
    polling: 1000,
    timeout: timeoutMs,
  });
  await page.waitForTimeout(settleMs);
  const tracedTasks = await trace.stop();
  const watch = await page.evaluate(() => (window as unknown as { statsOpening: Watch }).statsOpening);
  const allChartsMs = watch.allChartsMs!;
  const longTasks = (await longTasksSince(page, watch.started))
    .filter((task) => task.start <= watch.started + allChartsMs)
    .map((task) => ({ at: Math.round(task.start - watch.started), duration: task.duration, scripts: task.scripts }));
  const workerMs = Number(await page.locator('main.stats').getAttribute('data-compute-ms'));
  return { firstChartMs: watch.firstChartMs!, allChartsMs, progressShown: watch.progressShown, longTasks, tracedTasks, workerMs };
}
