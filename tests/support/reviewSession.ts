// A study session driven as a person drives it, for the benchmarks and the large-collection
// tests: the home screen opened and timed until the deck list shows its counts, answers given
// with the keyboard and timed in the page (key → next card), and the JS heap after a forced
// garbage collection.
import type { Page } from 'playwright-core';
import { benchDeckId } from './collection.ts';

export type KeyLatency = { dom: number; frame: number };

/**
 * In-page clock for key 3 (Good): from the key's event time to the next card in the DOM,
 * and to the first animation frame after that.
 */
export async function recordKeyLatency(page: Page) {
  await page.addInitScript(() => {
    const latencies: { dom: number; frame: number }[] = [];
    (window as unknown as { latencies: typeof latencies }).latencies = latencies;
    let pressedAt: number | undefined;
    addEventListener('keydown', (event) => event.key === '3' && (pressedAt = event.timeStamp), true);
    // The grades leave the page with the next card (which can be the same card again, the
    // last one in learning) or with the done screen, in one render.
    new MutationObserver(() => {
      if (pressedAt === undefined || document.querySelector('.grades')) return;
      const start = pressedAt;
      const dom = performance.now() - start;
      pressedAt = undefined;
      requestAnimationFrame(() => latencies.push({ dom, frame: performance.now() - start }));
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-card-id'] });
  });
}

/**
 * Presses 3 up to `count` times (after `beforeEach`), each time waiting for its measurement;
 * returns the measurements of these presses (a page can be measured in several goes).
 */
export async function pressAndMeasure(page: Page, count: number, beforeEach: () => Promise<void>): Promise<KeyLatency[]> {
  const before = await page.evaluate(() => (window as unknown as { latencies: unknown[] }).latencies.length);
  for (let press = 0; press < count; press++) {
    if ((await page.locator('article.card').count()) === 0) break;
    await beforeEach();
    await page.keyboard.press('3');
    await page.waitForFunction((done) => (window as unknown as { latencies: unknown[] }).latencies.length > done, before + press);
  }
  return page.evaluate((from) => (window as unknown as { latencies: KeyLatency[] }).latencies.slice(from), before);
}

/** Shows the answer (Space) and waits `readingMs`, as a person reads it, before the grade key. */
export const readAnswer = (page: Page, readingMs: number) => async () => {
  await page.keyboard.press('Space');
  await page.locator('.grades').waitFor();
  await page.waitForTimeout(readingMs);
};

/** The benchmark deck's row on the home screen, once it shows its counts. */
export const benchDeckCounts = `a.deck[href$="/${benchDeckId}"] .counts`;

/**
 * Loads the app again at the home screen: the page's clock when the benchmark deck showed its
 * counts (a frame after they were in the DOM), from the navigation (0 on that clock).
 */
export async function openHomeTimed(page: Page, appUrl: string): Promise<number> {
  // From another document: a URL that differs only in its hash would not load the page again.
  await page.goto('about:blank');
  await page.goto(`${appUrl}#/`, { waitUntil: 'commit' });
  const handle = await page.waitForFunction((wanted) => (document.querySelector(wanted) ? performance.now() : false), benchDeckCounts, {
    polling: 'raf',
    timeout: 120_000,
  });
  return (await handle.jsonValue()) as number;
}

/** Raises the daily limits (stored as the app stores its settings) so that a session can go on for a thousand answers. */
export function raiseDailyLimits(page: Page, limits: { newCardsPerDay: number; reviewsPerDay: number }): Promise<void> {
  return page.evaluate(
    (value) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('kubecards');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction('settings', 'readwrite');
          transaction.objectStore('settings').put({ key: 'study', value });
          transaction.oncomplete = () => (open.result.close(), resolve());
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    limits,
  );
}

/**
 * The page's JS heap in use right after a forced garbage collection, in bytes, and how much of
 * it is code V8 compiled (from a heap snapshot): a session's hot functions are compiled again,
 * optimised, for a while, which is growth of no data the page keeps.
 */
export async function heapAfterGc(page: Page): Promise<{ used: number; code: number }> {
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('HeapProfiler.collectGarbage');
  const { usedSize } = await devtools.send('Runtime.getHeapUsage');
  let json = '';
  devtools.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => (json += chunk));
  await devtools.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await devtools.detach();
  const { snapshot, nodes } = JSON.parse(json) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[] };
  const fields = snapshot.meta.node_fields;
  const [type, size, code] = [fields.indexOf('type'), fields.indexOf('self_size'), snapshot.meta.node_types[0].indexOf('code')];
  let codeBytes = 0;
  for (let node = 0; node < nodes.length; node += fields.length) if (nodes[node + type] === code) codeBytes += nodes[node + size];
  return { used: usedSize, code: codeBytes };
}
