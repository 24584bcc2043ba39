// Browse at each size: a generated collection with its log in a fresh profile, then Browse
// opened from the home screen (in-app navigation). Figures: from navigation to the first rows
// on screen and to all cards read; a search typed a key at a time, each key's time to the next
// frame; the main thread's tasks over 50 ms meanwhile. Floors, in the same page: one getAll of
// the cards store (what listing every card at once waits for at least, before any filtering or
// sorting), and the same keys typed into a bare input (the browser's own key-to-frame time).
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { readDeckFolder } from '../src/build/builtInDecks.ts';
import { cardMatcher, parseSearch } from '../src/domain/search.ts';
import { listedRow, percentile, scrollFrameGaps, searchField, timeWhenShown, timeWhenStatus, typeTimed } from '../tests/support/browseTiming.ts';
import { launchWithFreshProfile } from '../tests/support/chromium.ts';
import { benchDeckId } from '../tests/support/collection.ts';
import { seedCollection } from '../tests/support/seedCollection.ts';

export interface BrowseRun {
  cards: number;
  logRows: number;
  firstRowsMs: number;
  allReadMs: number;
  /** One getAll of every card, in the page. */
  readFloorMs: number;
  keyToFrameMs: number[];
  /** The same keys typed into a bare input of the same page. */
  floorKeyToFrameMs: number[];
  /** From the last key to the status line with the search's count. */
  searchedMs: number;
  scrollGapMs: number[];
  /** Main-thread tasks over 50 ms while listing (until all cards are read), scrolling and typing (until the result). */
  longTasks: { listing: TaskTime[]; scrolling: TaskTime[]; typing: TaskTime[] };
}

/** A task's wall time and the main thread's CPU time in it: far less when the machine ran other work meanwhile. */
export interface TaskTime {
  wallMs: number;
  cpuMs: number;
}

/** The main thread's tasks over 50 ms while `work` runs, as Chromium's trace times them. */
async function longTasksDuring<T>(page: Page, work: () => Promise<T>): Promise<[T, TaskTime[]]> {
  const devtools = await page.context().newCDPSession(page);
  const events: { ph: string; name: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }[] = [];
  devtools.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as typeof events)));
  const complete = new Promise((resolve) => devtools.once('Tracing.tracingComplete', resolve));
  await devtools.send('Tracing.start', { categories: 'toplevel', transferMode: 'ReportEvents' });
  const result = await work();
  await devtools.send('Tracing.end');
  await complete;
  await devtools.detach();
  const main = new Set(events.filter((event) => event.ph === 'M' && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`));
  const tasks = events.filter((event) => event.ph === 'X' && event.name === 'ThreadControllerImpl::RunTask' && main.has(`${event.pid}:${event.tid}`) && event.dur! > 50_000);
  return [result, tasks.map((task) => ({ wallMs: task.dur! / 1000, cpuMs: (task.tdur ?? 0) / 1000 }))];
}

const query = 'deck:bench prop:ivl>10 question 1';
const builtInCardCount = readDeckFolder(fileURLToPath(new URL('../decks', import.meta.url))).flatMap((deck) => deck.cards).length;

/** Milliseconds for one getAll of the cards store, on the page's main thread. */
function readAllCards(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('kubecards');
        open.onsuccess = () => {
          const started = performance.now();
          const request = open.result.transaction('cards').objectStore('cards').getAll();
          request.onsuccess = () => (open.result.close(), resolve(performance.now() - started));
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

async function runAt(appUrl: string, size: number): Promise<BrowseRun> {
  const browser = await launchWithFreshProfile({ serviceWorkers: 'block' });
  try {
    const page = browser.context.pages()[0];
    await page.goto(appUrl);
    await page.locator('a.deck').first().waitFor();
    const { cards, log } = await seedCollection(page, size, new Date());
    const total = (cards.length + builtInCardCount).toLocaleString('en');
    const parsed = parseSearch(query);
    if ('error' in parsed) throw new Error(parsed.error);
    const found = cards.filter(cardMatcher(parsed.search, { now: new Date(), endOfDay: new Date(), deckNames: new Map([[benchDeckId, 'Benchmark']]) })).length;
    // A new page: nothing of the seeding left in its memory for a collection later.
    await page.reload();
    await page.locator('a.deck', { hasText: 'Benchmark' }).waitFor({ timeout: 120_000 });

    const [[since, firstRowsAt, allReadAt], listing] = await longTasksDuring(page, async () => {
      const navigatedAt = await page.evaluate(() => ((location.hash = '#/browse'), performance.now()));
      return [navigatedAt, await timeWhenShown(page, listedRow), await timeWhenStatus(page, `${total} of ${total} cards`)];
    });
    const [scrollGapMs, scrolling] = await longTasksDuring(page, () => scrollFrameGaps(page));
    const [[{ keyToFrame: keyToFrameMs, lastKeyAt }, searchedAt], typing] = await longTasksDuring(page, async () => {
      const keys = await typeTimed(page, searchField, query);
      return [keys, await timeWhenStatus(page, `${found.toLocaleString('en')} of ${total} cards`)] as const;
    });

    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<input id="bare-input" type="search">'));
    const { keyToFrame: floorKeyToFrameMs } = await typeTimed(page, '#bare-input', query);
    const readFloorMs = await readAllCards(page);
    return {
      cards: cards.length + builtInCardCount,
      logRows: log.length,
      firstRowsMs: firstRowsAt - since,
      allReadMs: allReadAt - since,
      readFloorMs,
      keyToFrameMs,
      floorKeyToFrameMs,
      searchedMs: searchedAt - lastKeyAt,
      scrollGapMs,
      longTasks: { listing, scrolling, typing },
    };
  } finally {
    await browser.close();
  }
}

export async function browseSpeed(appUrl: string, sizes = [1_000, 20_000, 100_000]): Promise<BrowseRun[]> {
  const runs: BrowseRun[] = [];
  for (const size of sizes) runs.push(await runAt(appUrl, size));
  return runs;
}

export const browseMarkers = { start: '<!-- bench:browse:start -->', end: '<!-- bench:browse:end -->' };

export function browseLines(runs: BrowseRun[]): string[] {
  const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
  const tasks = (times: TaskTime[]) => (times.length ? `${times.length}: ${times.map((task) => `${ms(task.wallMs)} (${ms(task.cpuMs)} CPU)`).join(', ')}` : 'none');
  return [
    browseMarkers.start,
    `**Browse** (measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): a generated collection with its review log in a fresh profile (the built-in decks too), unthrottled CPU; Browse opened from the home screen. First rows: from the navigation to the first animation frame with a row in the list (in-page clock); all read: to the status line counting every card. Keys: \`${query}\` typed a key at a time (120 ms apart), each key's event to the next animation frame, p50 / p95; found: from the last key to the status line counting the result. Floors in the same page: one IndexedDB getAll of the cards store (what a list of every card waits for at least, before any filtering or sorting), and the same keys typed into a bare input. Tasks: the main thread's tasks over 50 ms in Chromium's trace (wall time, and in brackets the main thread's CPU time in it: on a busy machine a task is stretched while other threads run) while listing (until all cards are read), scrolling (60 frames, 400 px each) and typing (until the result).`,
    '',
    '| cards | log rows | first rows | all read | getAll floor | first rows / floor | key → frame p50 / p95 | bare input p50 / p95 | p95 ratio | found | scroll frame gap p50 / p95 | tasks over 50 ms: listing / scrolling / typing |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (run) =>
        `| ${run.cards.toLocaleString('en')} | ${run.logRows.toLocaleString('en')} | ${ms(run.firstRowsMs)} | ${ms(run.allReadMs)} | ${ms(run.readFloorMs)} | ${(run.firstRowsMs / run.readFloorMs).toFixed(2)} | ${ms(percentile(run.keyToFrameMs, 0.5))} / ${ms(percentile(run.keyToFrameMs, 0.95))} | ${ms(percentile(run.floorKeyToFrameMs, 0.5))} / ${ms(percentile(run.floorKeyToFrameMs, 0.95))} | ${(percentile(run.keyToFrameMs, 0.95) / percentile(run.floorKeyToFrameMs, 0.95)).toFixed(2)} | ${ms(run.searchedMs)} | ${ms(percentile(run.scrollGapMs, 0.5))} / ${ms(percentile(run.scrollGapMs, 0.95))} | ${tasks(run.longTasks.listing)} / ${tasks(run.longTasks.scrolling)} / ${tasks(run.longTasks.typing)} |`,
    ),
    '',
    ...runs
      .filter((run) => run.cards >= 100_000)
      .map((run) => {
        const all = [...run.longTasks.listing, ...run.longTasks.scrolling, ...run.longTasks.typing];
        const check = (met: boolean) => (met ? 'met' : 'missed');
        return `Goals (issue 16) at ${run.cards.toLocaleString('en')} cards: first rows within 500 ms ${check(run.firstRowsMs <= 500)}; key → frame p95 ≤ 50 ms ${check(percentile(run.keyToFrameMs, 0.95) <= 50)}; no main-thread task over 50 ms ${check(all.length === 0)}${all.length ? ` (${all.length}, of which over 50 ms of the main thread's CPU: ${all.filter((task) => task.cpuMs > 50).length})` : ''}.`;
      }),
    browseMarkers.end,
  ];
}
