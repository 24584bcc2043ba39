// Jobs of the Data screen (export, backup, restore, import) timed as the page sees them, with
// the main thread's tasks over 50 ms from the tap (or the file's choice) until a second after
// the outcome: of wall-clock time (Long Tasks API, recordLongTasks must run before the page
// loads) and of CPU time (a trace). Only CSS selectors watch the page meanwhile: Playwright's
// role queries would run on its main thread and be measured too.
import { statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { longTasksSince, pageNow, traceMainThread, type LongTask, type TracedTask } from './longTasks.ts';

const jobTimeout = 900_000;
const notice = 'main.data > p.notice';
const failure = 'main.data > p.error';
/** An import's or a restore's summary: its cards line. */
const summary = '[data-testid=summary-cards]';

export interface TimedJob {
  /** From the tap or the file's choice to the outcome in the page. */
  ms: number;
  /** The notice (export, backup) or the summary's cards line (restore, import). */
  outcome: string;
  longTasks: LongTask[];
  tracedTasks: TracedTask[];
}

/** The Data screen, through its address (a role query there would not matter, but one way for all). */
export async function openDataScreenAt(page: Page, appUrl: string): Promise<void> {
  await page.goto(appUrl);
  await page.locator('a.deck').first().waitFor();
  await page.evaluate(() => (location.hash = '#/data'));
  await page.locator('main.data').waitFor();
}

/**
 * Collects the page's garbage now: seeding a collection through page.evaluate leaves its JSON
 * chunks in the renderer's heap past a navigation, and their collection is not the job's.
 */
export async function collectGarbage(page: Page): Promise<void> {
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('HeapProfiler.collectGarbage');
  await devtools.detach();
}

async function timed(page: Page, start: () => Promise<unknown>, outcome: string): Promise<TimedJob> {
  await page.evaluate((shown) => document.querySelectorAll(shown).forEach((element) => element.remove()), `${notice}, .import-summary`);
  const trace = await traceMainThread(page);
  const since = await pageNow(page);
  await start();
  await page.locator(`${outcome}, ${failure}`).first().waitFor({ timeout: jobTimeout });
  const ms = (await pageNow(page)) - since;
  // What the page does after the outcome (the screens hear of the change) counts too.
  await page.waitForTimeout(1000);
  const tracedTasks = await trace.stop();
  if (await page.locator(failure).count()) throw new Error(`the job failed: ${await page.locator(failure).textContent()}`);
  return { ms, outcome: ((await page.locator(outcome).textContent()) ?? '').trim(), longTasks: await longTasksSince(page, since), tracedTasks };
}

/** Taps the Data screen's `button` (Export…, Back up now): the job and the file downloaded, by its path. */
export async function timedDownload(page: Page, button: string): Promise<TimedJob & { path: string; bytes: number }> {
  let download: Promise<string> | undefined;
  const job = await timed(
    page,
    () => {
      download = page.waitForEvent('download', { timeout: jobTimeout }).then(async (event) => (await event.path())!);
      return page.locator('main.data button', { hasText: button }).tap();
    },
    notice,
  );
  const path = await download!;
  return { ...job, path, bytes: statSync(path).size };
}

/** Chooses the file at `path` with the Data screen's file button `label` (Import a file…, Restore from a backup…). */
export function timedFileChoice(page: Page, label: string, path: string): Promise<TimedJob> {
  // A path, not a buffer: Playwright would decode a buffer in the page, itself a long task.
  const input = page.locator('label.file-button', { hasText: label }).locator('input');
  return timed(page, () => input.setInputFiles(path), summary);
}
