// The import benchmark: a generated anki21b package through the real Data screen in a fresh
// profile, timed in the page from the file input's change event to the summary in the DOM,
// with the main thread's long tasks, the page's and the worker's JS heaps (polled over CDP)
// and the renderer's peak RSS. The floor is the same file through bench/pages/importFloor.html.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { generateAnkiPackage } from '../tests/support/ankiFixtures.ts';
import { launchWithFreshProfile } from '../tests/support/chromium.ts';
import type { FloorResult } from './pages/importFloorWorker.ts';

export const importRuns = 3;
const packageNotes = 10_000;
// About 70 % of the 12,000 cards are studied; 12 rows each on average make ~100,000 rows.
const reviewsPerCard = 12;
/** Long tasks are still collected this long after the summary shows (the screens reload their data). */
export const settleMs = 1000;

export interface ImportPackage {
  /** The package on disk: the page gets it as a user's pick gives it, a File backed by the file. */
  path: string;
  bytes: number;
  notes: number;
  cards: number;
  revlog: number;
}

/** Writes the generated package into `folder`. */
export async function importPackage(now: Date, folder: string): Promise<ImportPackage> {
  const { bytes, collection } = await generateAnkiPackage({ notes: packageNotes, reviewsPerCard, now, seed: 11 });
  const path = join(folder, 'generated.apkg');
  writeFileSync(path, bytes);
  return { path, bytes: bytes.length, notes: collection.notes.length, cards: collection.cards.length, revlog: collection.revlog.length };
}

export interface Memory {
  /** Largest JS heap in use seen by polling (Runtime.getHeapUsage usedSize), page and worker. */
  pageHeap: number;
  workerHeap: number;
  /** Largest ArrayBuffer backing stores seen in the worker (the unpacked file, SQLite's WASM memory). */
  workerBuffers: number;
  /** Peak resident set size (VmHWM) of the largest renderer process, over the browser's life. */
  rendererPeakRss?: number;
}

export interface ImportRun {
  /** In-page milliseconds from the input's change event to the summary in the DOM. */
  doneMs: number;
  /** When each progress phase first showed, in ms after the change event. */
  phases: { phase: string; at: number }[];
  /** Main-thread long tasks (over 50 ms) from the change event until a second after done: start (after the change event) and length. */
  longTasks: { at: number; duration: number }[];
  memory: Memory;
  summary: { cards: string; reviews: string };
}

type PageState = { changedAt?: number; doneAt?: number; phases: { phase: string; at: number }[]; longTasks: { start: number; duration: number }[] };

/** In-page clocks, installed before any script of the page runs. */
async function recordImport(page: Page, doneSelector: string) {
  await page.addInitScript((selector) => {
    const state: PageState = { phases: [], longTasks: [] };
    (window as unknown as { importState: PageState }).importState = state;
    new PerformanceObserver((list) => list.getEntries().forEach((task) => state.longTasks.push({ start: task.startTime, duration: task.duration }))).observe({
      type: 'longtask',
      buffered: true,
    });
    addEventListener('change', (event) => (event.target as HTMLElement).matches('input[type=file]') && (state.changedAt ??= performance.now()), true);
    new MutationObserver(() => {
      if (state.changedAt === undefined || state.doneAt !== undefined) return;
      if (document.querySelector(selector)) {
        state.doneAt = performance.now();
        return;
      }
      const phase = document.querySelector('.transfer-progress p')?.textContent?.split(':')[0];
      if (phase && phase !== state.phases.at(-1)?.phase) state.phases.push({ phase, at: performance.now() - state.changedAt });
    }).observe(document, { subtree: true, childList: true, characterData: true });
  }, doneSelector);
}

/**
 * Polls the JS heap of the page and of every worker it starts. Workers are reached through
 * Target.setAutoAttach on the page's session (not flattened: Playwright's CDPSession cannot
 * address child sessions, so their messages go through Target.sendMessageToTarget).
 */
async function pollMemory(devtools: CDPSession) {
  const memory: Memory = { pageHeap: 0, workerHeap: 0, workerBuffers: 0 };
  const workers = new Set<string>();
  const waiting = new Map<number, (result: { usedSize: number; backingStorageSize?: number }) => void>();
  let nextId = 0;
  devtools.on('Target.attachedToTarget', (event) => event.targetInfo.type === 'worker' && workers.add(event.sessionId));
  devtools.on('Target.detachedFromTarget', (event) => event.sessionId && workers.delete(event.sessionId));
  devtools.on('Target.receivedMessageFromTarget', (event) => {
    const reply = JSON.parse(event.message) as { id?: number; result?: { usedSize: number; backingStorageSize?: number } };
    if (reply.id !== undefined && reply.result) waiting.get(reply.id)?.(reply.result);
    if (reply.id !== undefined) waiting.delete(reply.id);
  });
  await devtools.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const workerHeap = (sessionId: string) =>
    new Promise<void>((resolve) => {
      const id = ++nextId;
      waiting.set(id, (result) => {
        memory.workerHeap = Math.max(memory.workerHeap, result.usedSize);
        memory.workerBuffers = Math.max(memory.workerBuffers, result.backingStorageSize ?? 0);
        resolve();
      });
      devtools.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) }).catch(() => resolve());
      // A worker that ends (or is busy past the next poll) does not answer: do not wait for it.
      setTimeout(resolve, 200);
    });
  let polling = true;
  const loop = (async () => {
    while (polling) {
      const page = devtools.send('Runtime.getHeapUsage').then(
        (result) => void (memory.pageHeap = Math.max(memory.pageHeap, result.usedSize)),
        () => {},
      );
      await Promise.all([page, ...[...workers].map(workerHeap), new Promise((resolve) => setTimeout(resolve, 50))]);
    }
  })();
  return async () => {
    polling = false;
    await loop;
    return memory;
  };
}

/** Peak RSS (VmHWM) of the largest renderer of the browser whose profile is `profile`, from /proc. */
function rendererPeakRss(profile: string): number | undefined {
  const peaks = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        // Chromium's child processes rewrite their command line into one string.
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (!command.includes(`--user-data-dir=${profile}`) || !command.includes('--type=renderer')) return [];
        return [Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024];
      } catch {
        return []; // ended while being read
      }
    });
  return peaks.length ? Math.max(...peaks) : undefined;
}

/** One import in a fresh profile: home → Import, export and backups → the file input. */
export async function timeAppImport(appUrl: string, file: ImportPackage, throttled: boolean, cpuSlowdown: number): Promise<ImportRun> {
  const profile = mkdtempSync(join(tmpdir(), 'kubecards-profile-'));
  const browser = await launchWithFreshProfile({}, profile);
  try {
    const page = browser.context.pages()[0];
    await recordImport(page, '[data-testid=summary-cards]');
    const devtools = await browser.context.newCDPSession(page);
    if (throttled) await devtools.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    await page.goto(appUrl);
    await page.locator('a.deck').first().waitFor();
    // The installed app: the worker's chunks and SQLite's WASM come from the service worker's cache.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.getByRole('link', { name: 'Import, export and backups' }).click();
    const input = page.getByLabel('Import a file…');
    await input.waitFor({ state: 'attached' });
    const stopPolling = await pollMemory(devtools);
    // A path, not a buffer: Playwright would decode a buffer in the page, itself a long task.
    await input.setInputFiles(file.path);
    await Promise.race([
      page.locator('[data-testid=summary-cards]').waitFor({ timeout: 300_000 }),
      page
        .locator('p.error')
        .waitFor({ timeout: 300_000 })
        .then(async () => {
          throw new Error(`the import failed: ${await page.locator('p.error').textContent()}`);
        }),
    ]);
    await page.waitForTimeout(settleMs);
    const memory = await stopPolling();
    memory.rendererPeakRss = rendererPeakRss(profile);
    const state = await page.evaluate(() => (window as unknown as { importState: PageState }).importState);
    const summary = { cards: (await page.getByTestId('summary-cards').textContent()) ?? '', reviews: (await page.getByTestId('summary-reviews').textContent()) ?? '' };
    return {
      doneMs: state.doneAt! - state.changedAt!,
      phases: state.phases,
      longTasks: state.longTasks.filter((task) => task.start + task.duration >= state.changedAt!).map((task) => ({ at: task.start - state.changedAt!, duration: task.duration })),
      memory,
      summary,
    };
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The floor: the same file through the floor page's worker, same profile settings and clock. */
export async function timeFloorImport(appUrl: string, file: ImportPackage, cpuSlowdown: number): Promise<{ doneMs: number; result: FloorResult }> {
  const browser = await launchWithFreshProfile({ serviceWorkers: 'block' });
  try {
    const page = browser.context.pages()[0];
    await recordImport(page, '#done');
    const devtools = await browser.context.newCDPSession(page);
    await devtools.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
    await page.goto(`${appUrl}__bench__/importFloor.html`);
    await page.locator('#file').setInputFiles(file.path);
    await page.locator('#done').waitFor({ timeout: 300_000 });
    const state = await page.evaluate(() => (window as unknown as { importState: PageState }).importState);
    const result = await page.evaluate(() => (window as unknown as { floorResult: FloorResult }).floorResult);
    if (result.rows !== file.notes + file.cards + file.revlog) throw new Error(`the floor read ${result.rows} rows`);
    return { doneMs: state.doneAt! - state.changedAt!, result };
  } finally {
    await browser.close();
  }
}
