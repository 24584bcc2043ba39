// The statistics screen at growing sizes: for each, a fresh profile gets a generated
// collection (tests/support/collection.ts: cards and their log), the app starts again, and
// the statistics are opened from the deck list, timed as the page sees it
// (tests/support/statsOpening.ts), with the main thread's long tasks. Floor: reading the same
// cards and log straight from IndexedDB on the same page, in the parts the worker reads, with
// nothing computed: what any statistics over these records would at least cost.
import { metAtSizes } from './goals.ts';
import type { Page } from 'playwright-core';
import { launchWithFreshProfile } from '../tests/support/chromium.ts';
import { recordLongTasks } from '../tests/support/longTasks.ts';
import { seedCollection } from '../tests/support/seedCollection.ts';
import { openStatsTimed, type StatsOpening } from '../tests/support/statsOpening.ts';

export interface StatsRun extends StatsOpening {
  cards: number;
  logRows: number;
  floorMs: number;
}

/** Reads every card and log row in parts of the worker's sizes (src/storage/statsInput.ts), one transaction each. */
function readFloor(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const started = performance.now();
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('kubecards');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const [store, size] of [
      ['cards', 5000],
      ['reviewLog', 10_000],
    ] as const) {
      let after: IDBValidKey | undefined;
      for (;;) {
        const request = db
          .transaction(store)
          .objectStore(store)
          .getAll(after === undefined ? null : IDBKeyRange.lowerBound(after, true), size);
        const part = await new Promise<{ id: IDBValidKey }[]>((resolve, reject) => {
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        if (part.length === 0) break;
        after = part[part.length - 1].id;
      }
    }
    db.close();
    return performance.now() - started;
  });
}

export async function statsSpeed(appUrl: string, sizes = [1_000, 20_000, 100_000]): Promise<StatsRun[]> {
  const runs: StatsRun[] = [];
  for (const size of sizes) {
    // No service worker: a fresh profile's first visit, as Lighthouse opens a page.
    const browser = await launchWithFreshProfile({ serviceWorkers: 'block' });
    const page = browser.context.pages()[0];
    await recordLongTasks(page);
    await page.goto(appUrl);
    await page.locator('a.deck').first().waitFor();
    const { cards, log } = await seedCollection(page, size, new Date());
    await page.reload();
    await page.locator('a.deck', { hasText: 'Benchmark' }).waitFor({ timeout: 120_000 });
    const opening = await openStatsTimed(page);
    const floorMs = await readFloor(page);
    await browser.close();
    runs.push({ ...opening, cards: cards.length, logRows: log.length, floorMs });
  }
  return runs;
}

export const statsMarkers = { start: '<!-- bench:stats:start -->', end: '<!-- bench:stats:end -->' };

export function statsLines(runs: StatsRun[]): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const list = (durations: number[]) => (durations.length ? durations.map((ms) => `${ms} ms`).join(', ') : 'none');
  return [
    statsMarkers.start,
    `**Statistics** (measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): a generated collection (most cards studied for months, a third new, the whole log behind them) beside the built-in decks in a fresh profile, unthrottled CPU; the statistics opened from the deck list. First chart: from the navigation to the first chart in the page (Future due, counted on an index); all: to the last figure (every chart and the readiness). Worker: reading and computing there. Floor: reading the same cards and log rows on the page in the same parts, nothing computed.`,
    '',
    '| cards | log rows | first chart | all charts | in the worker | floor (reading only) | ratio all / floor | main-thread tasks over 50 ms: wall-clock (Long Tasks API) | over 50 ms of CPU time (trace) | progress shown |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (run) =>
        `| ${run.cards.toLocaleString('en')} | ${run.logRows.toLocaleString('en')} | ${s(run.firstChartMs)} | ${s(run.allChartsMs)} | ${s(run.workerMs)} | ${s(run.floorMs)} | ${(run.allChartsMs / run.floorMs).toFixed(2)} | ${list(run.longTasks.map((task) => task.duration))} | ${list(run.tracedTasks.filter((task) => task.cpuMs > 50).map((task) => task.cpuMs))} | ${run.progressShown ? 'yes' : 'no'} |`,
    ),
    '',
    statsGoals(runs),
    statsMarkers.end,
  ];
}

/** Issue 16's goals for the statistics, met or missed at each size. */
export function statsGoals(runs: StatsRun[]): string {
  const sizes = (goal: (run: StatsRun) => boolean) => metAtSizes(runs, goal);
  return `Goals (issue 16): first chart within 1 s: ${sizes((run) => run.firstChartMs <= 1000)}; no main-thread task over 50 ms of CPU: ${sizes((run) => run.tracedTasks.every((task) => task.cpuMs <= 50))}.`;
}
