// `npm run bench`: builds the app, a floor page and the benchmark pages, measures them in
// Debian's Chromium and prints one table (also written to bench/results/ and the README).
// `npm run bench -- sync` (node bench/run.mjs sync) measures sync only and replaces only its
// part of the results; `npm run bench -- optimizer` (or stats, browse, reschedule) does the same
// for that section.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { readDeckFolder } from '../src/build/builtInDecks.ts';
import { firstScreenFiles, largestFiles, precacheFiles, total, type FileSize } from '../src/build/bundleSize.ts';
import { cardFieldLimit } from '../src/domain/deckFile.ts';
import { parseMarkdown } from '../src/domain/markdown.ts';
import { markdownElements } from '../src/ui/common/Markdown.tsx';
import { buildApp } from '../tests/support/buildApp.ts';
import { chromiumPath, launchWithFreshProfile } from '../tests/support/chromium.ts';
import { serveStatic } from '../tests/support/staticServer.ts';
import { benchDeckId } from '../tests/support/collection.ts';
import { pressAndMeasure, recordKeyLatency, type KeyLatency } from '../tests/support/reviewSession.ts';
import { importPackage, importRuns, settleMs, timeAppImport, timeFloorImport, type ImportRun } from './importSpeed.ts';
import type { FloorResult } from './pages/importFloorWorker.ts';
import type { SeedResult } from './pages/seed.ts';
import type { CpuTime, Measured } from './pages/syncBench.ts';
import type { SyncTiming } from './pages/syncBenchProtocol.ts';
import { browseLines, browseMarkers, browseSpeed } from './browseSpeed.ts';
import { lighthouseLines, lighthouseMarkers, lighthouseSpeed } from './lighthouseSpeed.ts';
import { optimizerLines, optimizerMarkers, optimizerSpeed } from './optimizerSpeed.ts';
import { rescheduleLines, rescheduleMarkers, rescheduleSpeed } from './rescheduleSpeed.ts';
import { reviewLines, reviewMarkers, reviewSpeed } from './reviewSpeed.ts';
import { statsLines, statsMarkers, statsSpeed } from './statsSpeed.ts';
import { syncSpeed, type SyncRun } from './syncSpeed.ts';
import { transferLines, transferMarkers, transferSpeed } from './transferSpeed.ts';

const startRuns = 7;
const answersPerSize = 220;
const readingMs = 100;
// BENCH_SIZES=100000 measures one size only, for quick checks while optimizing.
const sizes = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : [1_000, 20_000, 100_000];
const jsx = { jsx: { runtime: 'automatic' as const, importSource: 'preact' } };
// Lighthouse's "Slow 4G" profile, and a mid-range phone's CPU.
const slow4g = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const cpuSlowdown = 4;

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}
const median = (values: number[]) => percentile(values, 0.5);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;

async function throttle(page: Page, network: boolean) {
  const devtools = await page.context().newCDPSession(page);
  await devtools.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  if (network) {
    await devtools.send('Network.enable');
    await devtools.send('Network.emulateNetworkConditions', slow4g);
  }
}

/** Milliseconds from navigation start to the first animation frame with `selector` in the page. */
async function timeToVisible(page: Page, url: string, selector: string): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction((wanted) => (document.querySelector(wanted) ? performance.now() : false), selector, {
    polling: 'raf',
    timeout: 120_000,
  });
  return (await handle.jsonValue()) as number;
}

/** First visits, each in a fresh profile, alternating app and floor so both see the same machine load. */
async function coldStarts(appUrl: string, floorUrl: string) {
  const app: number[] = [];
  const floor: number[] = [];
  for (let run = 0; run < startRuns; run++) {
    for (const [target, url, selector] of [
      [app, `${appUrl}#/deck/history`, 'article.card'],
      [floor, floorUrl, '#floor'],
    ] as const) {
      const browser = await launchWithFreshProfile();
      const page = browser.context.pages()[0];
      await throttle(page, true);
      target.push(await timeToVisible(page, url, selector));
      await browser.close();
    }
  }
  return { app, floor };
}

/** Reloads with no network at all: everything comes from the service worker's cache. */
async function warmOfflineStarts(appUrl: string) {
  const browser = await launchWithFreshProfile();
  const page = browser.context.pages()[0];
  await page.goto(`${appUrl}#/deck/history`);
  await page.locator('article.card').waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await browser.context.setOffline(true);
  await throttle(page, false);
  const times: number[] = [];
  for (let run = 0; run < startRuns; run++) times.push(await timeToVisible(page, `${appUrl}?run=${run}#/deck/history`, 'article.card'));
  await browser.close();
  return times;
}

/** The same clock on the floor page, whose key handler re-renders at once. */
async function floorKeyLatency(floorUrl: string): Promise<KeyLatency[]> {
  const browser = await launchWithFreshProfile();
  const page = browser.context.pages()[0];
  await recordKeyLatency(page);
  await page.goto(floorUrl);
  await page.locator('#floor').waitFor();
  const latencies = await pressAndMeasure(page, answersPerSize, async () => {});
  await browser.close();
  return latencies;
}

interface SizeResult {
  size: number;
  seed: SeedResult;
  answers: KeyLatency[];
  heapBytes?: number;
}

/** Seeds a collection, then answers through the real review screen with the keyboard. */
async function answerLatency(appUrl: string, size: number, measureHeap: boolean): Promise<SizeResult> {
  // No service worker here: its navigation fallback would serve the app for the seed page.
  const browser = await launchWithFreshProfile({ serviceWorkers: 'block' });
  const page = browser.context.pages()[0];
  await page.goto(appUrl);
  await page.locator('a.deck').first().waitFor();
  await page.goto(`${appUrl}__bench__/seed.html?size=${size}`);
  const seed = (await (
    await page.waitForFunction(() => (window as unknown as { seedResult?: SeedResult }).seedResult, undefined, { timeout: 300_000 })
  ).jsonValue()) as SeedResult;

  await recordKeyLatency(page);
  await page.goto(`${appUrl}#/deck/${benchDeckId}`);
  await page.locator('article.card').waitFor();
  const answers = await pressAndMeasure(page, answersPerSize, async () => {
    await page.keyboard.press('Space');
    await page.locator('.grades').waitFor();
    // A person reads the answer before grading; the app reads the rest of the queue then.
    await page.waitForTimeout(readingMs);
  });
  let heapBytes: number | undefined;
  if (measureHeap) {
    const devtools = await browser.context.newCDPSession(page);
    await devtools.send('HeapProfiler.collectGarbage');
    heapBytes = (await devtools.send('Runtime.getHeapUsage')).usedSize;
  }
  await browser.close();
  return { size, seed, answers, heapBytes };
}

const markdownRuns = 15;

/** Card text of `size` characters: the built-in cards' sides, as many times as it takes. */
function cardText(size: number): string {
  const sides = readDeckFolder('decks').flatMap((deck) => deck.cards.flatMap((card) => [card.front, card.back]));
  let text = '';
  for (let index = 0; text.length < size; index++) text += `${sides[index % sides.length]}\n\n`;
  return text.slice(0, size);
}

let markdownRun = 0;

/** Milliseconds to parse `text` and build its Preact elements, a new text each run (no cache). */
function markdownTimes(text: string): number[] {
  return Array.from({ length: markdownRuns }, () => {
    const fresh = `${markdownRun++} ${text}`.slice(0, text.length);
    const started = performance.now();
    markdownElements(parseMarkdown(fresh));
    return performance.now() - started;
  });
}

function markdownRows(): string[] {
  const cases: [string, string][] = [
    [`64 KiB of built-in card text, the most parsed as Markdown`, cardText(cardFieldLimit)],
    ['100 KB of built-in card text, past the field limit: plain text', cardText(100_000)],
    ['64 KiB of `_x ` (hostile emphasis)', '_x '.repeat(cardFieldLimit / 2).slice(0, cardFieldLimit)],
    ['1 MB of `_x ` (hostile emphasis; plain text)', '_x '.repeat(350_000).slice(0, 1_000_000)],
  ];
  for (const [, text] of cases) markdownTimes(text); // warm-up: the JIT, as in a page that has rendered cards
  return cases.map(([label, text]) => {
    const times = markdownTimes(text);
    return `| ${label} | ${ms(median(times))} / ${ms(percentile(times, 0.95))} |`;
  });
}

function fileRows(files: FileSize[]): string[] {
  return files.map((file) => `| \`${file.file}\` | ${kb(file.bytes)} | ${kb(file.gzipBytes)} |`);
}

/** Imports of one generated package, alternating the floor, the phone profile and an unthrottled CPU, each in a fresh profile. */
async function importSpeed(appUrl: string, folder: string) {
  const started = performance.now();
  const file = await importPackage(new Date(), folder);
  const generateMs = performance.now() - started;
  const floor: Awaited<ReturnType<typeof timeFloorImport>>[] = [];
  const phone: ImportRun[] = [];
  const unthrottled: ImportRun[] = [];
  for (let run = 0; run < importRuns; run++) {
    floor.push(await timeFloorImport(appUrl, file, cpuSlowdown));
    phone.push(await timeAppImport(appUrl, file, true, cpuSlowdown));
    unthrottled.push(await timeAppImport(appUrl, file, false, cpuSlowdown));
  }
  return { file: { bytes: file.bytes, notes: file.notes, cards: file.cards, revlog: file.revlog, generateMs }, floor, phone, unthrottled };
}

function importLines({ file, floor, phone, unthrottled }: Awaited<ReturnType<typeof importSpeed>>): string[] {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;
  /** The run with the median time, whose phases and memory the table shows. */
  const typical = (runs: ImportRun[]) => [...runs].sort((a, b) => a.doneMs - b.doneMs)[Math.floor(runs.length / 2)];
  const row = (label: string, runs: ImportRun[]) => {
    const times = runs.map((run) => run.doneMs);
    const tasks = runs.flatMap((run) => run.longTasks.map((task) => task.duration));
    const peak = (pick: (run: ImportRun) => number | undefined) => mb(Math.max(...runs.map((run) => pick(run) ?? 0)));
    return `| ${label} | ${seconds(median(times))} | ${seconds(Math.min(...times))} – ${seconds(Math.max(...times))} | ${tasks.length ? ms(Math.max(...tasks)) : 'none'} | ${tasks.length} | ${peak((run) => run.memory.pageHeap)} | ${peak((run) => run.memory.workerHeap)} + ${peak((run) => run.memory.workerBuffers)} | ${peak((run) => run.memory.rendererPeakRss)} |`;
  };
  const floorTimes = floor.map((run) => run.doneMs);
  const floorSteps = floor.map((run) => run.result.steps);
  const phases = (run: ImportRun) =>
    run.phases.map((phase, index) => `${phase.phase} ${seconds((run.phases[index + 1]?.at ?? run.doneMs) - phase.at)}`).join(', ');
  const step = (name: keyof FloorResult['steps']) => `${name} ${ms(median(floorSteps.map((steps) => steps[name])))}`;
  return [
    `**Import**: a generated anki21b package (${mb(file.bytes)}: ${file.notes.toLocaleString('en')} notes, ${file.cards.toLocaleString('en')} cards, ${file.revlog.toLocaleString('en')} review rows) set on the Data screen's file input in a fresh profile (the app installed, its service worker active), from the input's change event to the summary in the DOM (in-page clock), median of ${importRuns} runs. Long tasks: the main thread's (PerformanceObserver 'longtask') from the change event until ${settleMs / 1000} s after the summary. Memory: the largest JS heap in use seen polling every 50 ms over CDP (Runtime.getHeapUsage), the worker's with its ArrayBuffers (file, SQLite's WASM memory), and the renderer process's peak RSS (VmHWM). Phone: CPU slowed ${cpuSlowdown}× by CDP, which slows the page's main thread only: Chromium refuses Emulation.setCPUThrottlingRate for workers, so the worker's work runs at this machine's full speed. Floor: the same file through a bare worker that reads it, unzips it (fflate), decompresses the collection (fzstd), reads every row of notes, cards and revlog with sql.js and stores them unchanged in IndexedDB in one transaction: what any importer with these libraries pays.`,
    '',
    '| | median | fastest – slowest | longest main-thread task | tasks over 50 ms | page JS heap | worker JS heap + buffers | renderer peak RSS |',
    '|---|---|---|---|---|---|---|---|',
    `| floor (read, unzip, zstd, SQLite rows, IndexedDB write) | ${seconds(median(floorTimes))} | ${seconds(Math.min(...floorTimes))} – ${seconds(Math.max(...floorTimes))} | | | | | |`,
    row(`app, phone profile`, phone),
    `| ratio app, phone / floor | ${(median(phone.map((run) => run.doneMs)) / median(floorTimes)).toFixed(2)} | | | | | | |`,
    row('app, CPU not slowed', unthrottled),
    '',
    `Goal (issue 11): under 10 s on the phone profile with no main-thread task over 50 ms: ${median(phone.map((run) => run.doneMs)) < 10_000 && phone.every((run) => run.longTasks.length === 0) ? 'met' : 'missed'}. Where the time goes (median run, phone profile; phases as the progress bar shows them): ${phases(typical(phone))}. Floor steps (median): ${(['read', 'unzip', 'zstd', 'sqlite', 'write'] as const).map(step).join(', ')}. Summary: ${typical(phone).summary.cards} cards, ${typical(phone).summary.reviews}.`,
  ];
}

const syncMarkers = { start: '<!-- bench:sync:start -->', end: '<!-- bench:sync:end -->' };

function syncLines(run: SyncRun): string[] {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const time = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : ms(value));
  const count = (value: number) => value.toLocaleString('en');
  const { seeded, floorPush, floorPull, stored } = run;
  const cpu = ({ cpu: { browser, server } }: { cpu: CpuTime }) => `${time(browser)} / ${time(server)}`;
  const row = (label: string, timing: Measured<SyncTiming>, floorMs?: number) => {
    const { preparingRead, preparingReplica, sending, receiving, applyingRecords, applyingLog } = timing.phases;
    const { sent, received } = timing.result.status;
    const ratio = floorMs === undefined ? '' : (timing.totalMs / floorMs).toFixed(2);
    return `| ${label} | ${count(sent ?? 0)} / ${count(received ?? 0)} | ${time(preparingRead)} + ${time(preparingReplica)} | ${time(sending)} | ${time(receiving)} | ${time(applyingRecords)} + ${time(applyingLog)} | ${time(timing.totalMs)} | ${ratio} | ${cpu(timing)} |`;
  };
  const applied = (timing: SyncTiming) => `${count(timing.result.applied.cards)} card writes and ${count(timing.result.applied.rows)} log rows`;
  return [
    syncMarkers.start,
    `**Sync** (measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, one run; this section took ${Math.round(run.runMs / 1000)} s, 1-minute load average, its own processes included, ${run.load.map((load) => load.toFixed(1)).join(' → ')}): device A's database holds ${count(seeded.cards)} user cards in ${seeded.decks} decks with ${count(seeded.logRows)} review-log rows over the last year (generated, written as a backup restore writes them, which also fills the outbox; not timed). The app's sync job (\`runSync\` with \`SyncStorage\` and pouchdb-browser, in a dedicated worker as in the app) syncs it with pouchdb-server 4.2.0 (in memory, a Node process on this machine) behind \`/db/\` on the page's own origin, through a Node proxy; CPU not slowed. Then a fresh device B (an empty database of its own) syncs; then, ${run.rounds.length} times, A answers ${run.rounds[0].answers} cards (Good, through the app's storage) and syncs, and B syncs. Phases, from the job's calls to its replica: preparing (this device's changes read from the app's database, then merged into its local replica), sending (replication to the server, then clearing the outbox), receiving (replication from the server), applying what the replica got since the last sync into the app's database (record documents, then log batches: rows added and every card with new rows replayed). Documents: sent / received as the job counts them. Floor: PouchDB alone with the same documents (A's replica after its first sync, copied into a plain local database, default options; the app's replica compacts automatically): pushed to an empty server database, then pulled from it into a fresh local database, in the same run and worker; ratio: the sync's total / that floor. CPU: what all of Chromium's processes (page, worker, IndexedDB in the browser process) and the server's process used meanwhile (${cpus().length} cores here: the two overlap).`,
    '',
    '| | documents sent / received | preparing: app data read + replica written | sending | receiving | applying: records + log batches | total | ratio to floor | CPU Chromium / server |',
    '|---|---|---|---|---|---|---|---|---|',
    `| floor: PouchDB pushes them, plain local database → server | ${count(floorPush.docs)} / 0 | | ${time(floorPush.totalMs)} | | | ${time(floorPush.totalMs)} | | ${cpu(floorPush)} |`,
    `| floor: PouchDB pulls them, server → fresh local database | 0 / ${count(floorPull.docs)} | | | ${time(floorPull.totalMs)} | | ${time(floorPull.totalMs)} | | ${cpu(floorPull)} |`,
    row('first sync of A (push)', run.firstA, floorPush.totalMs),
    row('first sync of B, a fresh device (pull)', run.firstB, floorPull.totalMs),
    ...run.rounds.flatMap(({ answers, a, b }, round) => [row(`A after ${answers} ${round ? 'more ' : ''}answers`, a), row('B after that (pulls them)', b)]),
    '',
    `Outbox before A's first sync: ${count(run.firstA.waitingBefore)} documents; before its syncs after answers: ${run.rounds.map(({ a }) => count(a.waitingBefore)).join(', ')}. On the server after A's first sync: ${count(stored.docs)} documents (${count(seeded.cards)} cards, ${seeded.decks} decks, ${count(stored.logDocs)} log batches), ${mb(stored.jsonBytes)} of JSON. Applied: A's first sync ${applied(run.firstA)}, B's ${applied(run.firstB)} (a card is written by each batch that changes it); after the first answers A's ${applied(run.rounds[0].a)}, B's ${applied(run.rounds[0].b)}. Sending / floor push: ${(run.firstA.phases.sending / floorPush.totalMs).toFixed(2)}; receiving / floor pull: ${(run.firstB.phases.receiving / floorPull.totalMs).toFixed(2)}.`,
    syncMarkers.end,
  ];
}

/** Builds the bench pages into `folder`/__bench__/, where the pages are served from. */
async function buildBenchPages(folder: string, pages: string[]) {
  await build({
    configFile: false,
    root: 'bench/pages',
    base: '/__bench__/',
    logLevel: 'error',
    oxc: jsx,
    worker: { format: 'es' },
    build: { outDir: join(folder, '__bench__'), emptyOutDir: true, rolldownOptions: { input: pages.map((page) => `bench/pages/${page}.html`) } },
  });
}

/** The sections that measure the app served from a build, each also runnable alone. */
const appSections = {
  optimizer: { label: 'optimizing', measure: optimizerSpeed, lines: optimizerLines, markers: optimizerMarkers },
  stats: { label: 'statistics at size', measure: statsSpeed, lines: statsLines, markers: statsMarkers },
  browse: { label: 'browsing at size', measure: browseSpeed, lines: browseLines, markers: browseMarkers },
  reschedule: { label: 'rescheduling at size', measure: rescheduleSpeed, lines: rescheduleLines, markers: rescheduleMarkers },
  review: { label: 'home and review at size', measure: reviewSpeed, lines: reviewLines, markers: reviewMarkers },
  transfer: { label: 'export, backup, restore and import at size', measure: transferSpeed, lines: transferLines, markers: transferMarkers },
  lighthouse: { label: 'Lighthouse', measure: lighthouseSpeed, lines: lighthouseLines, markers: lighthouseMarkers },
} as const;
type AppSection = keyof typeof appSections;
const isAppSection = (name: string): name is AppSection => name in appSections;

/** Runs an app section against the served build: its figures and its lines of the results. */
async function measureSection(name: AppSection, appUrl: string): Promise<{ run: unknown; lines: string[] }> {
  const section = appSections[name];
  console.log(`${section.label}…`);
  const run = await section.measure(appUrl);
  return { run, lines: (section.lines as (runs: typeof run) => string[])(run) };
}

/** `npm run bench -- <section>`: one section alone, put in place of its part of the results. */
async function sectionOnly(name: 'sync' | AppSection) {
  const work = mkdtempSync(join(tmpdir(), 'kubecards-bench-'));
  let run: unknown;
  let section: string;
  let markers: { start: string; end: string };
  if (name === 'sync') {
    console.log('building the sync benchmark page…');
    await buildBenchPages(work, ['syncBench']);
    console.log('syncing…');
    const synced = await syncSpeed(work);
    [run, section, markers] = [synced, syncLines(synced).join('\n'), syncMarkers];
  } else {
    console.log('building the app…');
    await buildApp({ outDir: work, label: 'bench' });
    const server = await serveStatic(work);
    const measured = await measureSection(name, server.url);
    await server.close();
    [run, section, markers] = [measured.run, measured.lines.join('\n'), appSections[name].markers];
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`\n${section}\n`);
  const results = JSON.parse(readFileSync('bench/results/latest.json', 'utf8')) as Record<string, unknown>;
  writeFileSync('bench/results/latest.json', `${JSON.stringify({ ...results, [name]: run }, null, 2)}\n`);
  writeFileSync('bench/results/latest.md', placeSection(readFileSync('bench/results/latest.md', 'utf8'), section, markers));
  const readme = readFileSync('README.md', 'utf8');
  if (readme.includes(benchEnd)) writeFileSync('README.md', placeSection(readme, section, markers, benchEnd));
}

const benchEnd = '\n<!-- bench:end -->';

/** A section in the results, from its start marker to its end marker. */
const markedSection = (markers: { start: string; end: string }) => new RegExp(`${markers.start}[\\s\\S]*?${markers.end}`);

/** `text` with `section` in place of the part between `markers`, else added before `end` (or at the end). */
function placeSection(text: string, section: string, markers: { start: string; end: string }, end?: string): string {
  const marked = markedSection(markers);
  if (marked.test(text)) return text.replace(marked, () => section);
  const at = end ? text.indexOf(end) : text.trimEnd().length;
  return `${text.slice(0, at)}\n\n${section}${text.slice(at)}`;
}

/**
 * BENCH_KEEP=sync,optimizer: sections whose figures of the last run are kept as they are (their
 * code unchanged since), not measured again; each says when it was measured.
 */
const kept = new Set(process.env.BENCH_KEEP?.split(',') ?? []);

/** A section of the last results: its figures (latest.json) and its lines (latest.md). */
function keptSection(name: string, markers: { start: string; end: string }): { run: unknown; lines: string[] } {
  const run = (JSON.parse(readFileSync('bench/results/latest.json', 'utf8')) as Record<string, unknown>)[name];
  const found = markedSection(markers).exec(readFileSync('bench/results/latest.md', 'utf8'));
  if (run === undefined || !found) throw new Error(`BENCH_KEEP: the last results have no "${name}" section to keep`);
  console.log(`keeping the last ${name} figures…`);
  return { run, lines: found[0].split('\n') };
}

async function syncSection(appDir: string): Promise<{ run: SyncRun; lines: string[] }> {
  const run = await syncSpeed(appDir);
  return { run, lines: syncLines(run) };
}

async function main() {
  const began = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'kubecards-bench-'));
  const appDir = join(work, 'app');
  const floorDir = join(work, 'floor');
  console.log('building the app, the floor page and the benchmark pages…');
  await buildApp({ outDir: appDir, label: 'bench' });
  await build({ configFile: false, root: 'bench/floor', logLevel: 'error', oxc: jsx, build: { outDir: floorDir, emptyOutDir: true } });
  await buildBenchPages(appDir, ['seed', 'importFloor', 'syncBench']);
  const appServer = await serveStatic(appDir);
  const floorServer = await serveStatic(floorDir);

  const firstScreen = firstScreenFiles(appDir);
  const floorFirstScreen = firstScreenFiles(floorDir);
  const precache = precacheFiles(appDir);
  const largest = largestFiles(appDir, 5).filter((file) => !file.file.startsWith('__bench__'));
  const firstScreenNames = new Set(firstScreen.map((file) => file.file));
  const lazyChunks = precache.filter((file) => file.file.endsWith('.js') && file.file.startsWith('assets/') && !firstScreenNames.has(file.file));

  console.log('cold starts…');
  const cold = await coldStarts(appServer.url, floorServer.url);
  console.log('warm offline starts…');
  const warm = await warmOfflineStarts(appServer.url);
  console.log('floor key latency…');
  const floorKeys = await floorKeyLatency(floorServer.url);
  console.log('card text…');
  const markdown = markdownRows();
  const bySize: SizeResult[] = [];
  for (const size of sizes) {
    console.log(`answering at ${size} cards…`);
    bySize.push(await answerLatency(appServer.url, size, size === 20_000 || sizes.length === 1));
  }
  console.log('importing an Anki package…');
  const imported = await importSpeed(appServer.url, work);
  console.log('syncing…');
  const synced = kept.has('sync') ? keptSection('sync', syncMarkers) : await syncSection(appDir);
  const measured: Partial<Record<AppSection, { run: unknown; lines: string[] }>> = {};
  for (const name of Object.keys(appSections) as AppSection[]) {
    measured[name] = kept.has(name) ? keptSection(name, appSections[name].markers) : await measureSection(name, appServer.url);
  }
  await appServer.close();
  await floorServer.close();
  rmSync(work, { recursive: true, force: true });

  const chromium = execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const heap = bySize.find((result) => result.heapBytes !== undefined) ?? bySize[0];
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0].model.trim()}, ${chromium}, Node ${process.version}; the run took ${Math.round((Date.now() - began) / 1000)} s.`,
    '',
    '**Bytes** (gzip level 9). First screen: the JS and CSS index.html loads before the first render. Precache: every file the service worker stores for offline use.',
    '',
    '| | raw | gzip |',
    '|---|---|---|',
    `| first screen JS+CSS, ${firstScreen.length} files | ${kb(total(firstScreen).bytes)} | ${kb(total(firstScreen).gzipBytes)} |`,
    `| floor page JS+CSS | ${kb(total(floorFirstScreen).bytes)} | ${kb(total(floorFirstScreen).gzipBytes)} |`,
    `| precache, ${precache.length} files | ${kb(total(precache).bytes)} | ${kb(total(precache).gzipBytes)} |`,
    ...fileRows(largest),
    `| loaded later, when needed: ${lazyChunks.map((file) => `\`${file.file.replace(/^assets\/|-[\w-]{8}\.js$/g, '')}\` ${kb(file.gzipBytes)}`).join(', ')} | ${kb(total(lazyChunks).bytes)} | ${kb(total(lazyChunks).gzipBytes)} |`,
    '',
    `**Start**, median of ${startRuns} runs. Cold: a first visit in a fresh profile on a phone profile (412×915, CPU slowed ${cpuSlowdown}×, 150 ms RTT, 1.6 Mbps down), from navigation start to the first animation frame showing the first card (the app: opening the database and seeding the decks included) or the line of text (floor). Warm: reload with the network off, served by the service worker, same CPU slowdown.`,
    '',
    '| | median | fastest | slowest |',
    '|---|---|---|---|',
    `| app, cold, first card | ${ms(median(cold.app))} | ${ms(Math.min(...cold.app))} | ${ms(Math.max(...cold.app))} |`,
    `| floor (Vite + Preact, one line), cold | ${ms(median(cold.floor))} | ${ms(Math.min(...cold.floor))} | ${ms(Math.max(...cold.floor))} |`,
    `| ratio app / floor | ${(median(cold.app) / median(cold.floor)).toFixed(2)} | | |`,
    `| app, warm offline, first card | ${ms(median(warm))} | ${ms(Math.min(...warm))} | ${ms(Math.max(...warm))} |`,
    '',
    `Goal (issue 16): cold start to the first card ≤ 1.5× the floor: ${median(cold.app) / median(cold.floor) <= 1.5 ? 'met' : 'missed'} (${(median(cold.app) / median(cold.floor)).toFixed(2)}×).`,
    '',
    `**Answer latency**: from the grade key's event time to the next card in the page (DOM) and to the first animation frame after it (a frame comes every 16.7 ms, so this adds the wait for the display; the floor row shows that wait alone), over ${answersPerSize} answers (Space, ${readingMs} ms to read, then 3 = Good) on the review screen, unthrottled CPU. **Queue**: time for the storage module to build the study queue of the deck (next card and counts), 30 runs after 4 warm-ups. **Answer write**: one answer's transaction (card and log row, durability strict), 30 runs. Collections are generated: 30 % new, 0.2 % learning, the rest review cards with a replayed FSRS history; ${'250 + 1 %'} of them due today.`,
    '',
    '| cards | review log rows | answers | key → card in DOM p50 / p95 | key → next frame p50 / p95 | queue p50 / p95 | answer write p50 / p95 |',
    '|---|---|---|---|---|---|---|',
    `| floor page (re-render on key 3) | | ${floorKeys.length} | ${ms(median(floorKeys.map((key) => key.dom)))} / ${ms(percentile(floorKeys.map((key) => key.dom), 0.95))} | ${ms(median(floorKeys.map((key) => key.frame)))} / ${ms(percentile(floorKeys.map((key) => key.frame), 0.95))} | | |`,
    ...bySize.map(({ size, seed, answers }) => {
      const dom = answers.map((answer) => answer.dom);
      const frame = answers.map((answer) => answer.frame);
      return `| ${size.toLocaleString('en')} | ${seed.logRows.toLocaleString('en')} | ${answers.length} | ${ms(median(dom))} / ${ms(percentile(dom, 0.95))} | ${ms(median(frame))} / ${ms(percentile(frame, 0.95))} | ${ms(median(seed.queueMs))} / ${ms(percentile(seed.queueMs, 0.95))} | ${ms(median(seed.writeMs))} / ${ms(percentile(seed.writeMs, 0.95))} |`;
    }),
    '',
    `Goal (issue 16): answer → next card in the DOM p95 ≤ 8 ms: ${bySize.map(({ size, answers }) => `${size.toLocaleString('en')} cards ${percentile(answers.map((answer) => answer.dom), 0.95) <= 8 ? 'met' : 'missed'}`).join(', ')}.`,
    '',
    `**Card text**: parsing (markdown-it) and building the Preact elements of one card side, in Node on this machine, unthrottled, ${markdownRuns} runs each, a new text each run.`,
    '',
    '| card text | p50 / p95 |',
    '|---|---|',
    ...markdown,
    '',
    `**Memory**: JS heap in use after ${heap.answers.length} answers at ${heap.size.toLocaleString('en')} cards, after a forced garbage collection (DevTools Runtime.getHeapUsage): ${((heap.heapBytes ?? 0) / 1024 / 1024).toFixed(1)} MB.`,
    '',
    ...importLines(imported),
    '',
    ...synced.lines,
    ...Object.values(measured).flatMap((part) => ['', ...part.lines]),
  ];
  const table = lines.join('\n');
  console.log(`\n${table}\n`);

  const results = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0].model.trim(), chromium, node: process.version },
    bytes: { firstScreen, floorFirstScreen, precache, largest, lazyChunks },
    start: { cold, warmOffline: warm, method: { cpuSlowdown, network: slow4g, runs: startRuns } },
    floorKeys,
    markdown,
    bySize: bySize.map(({ size, seed, answers, heapBytes }) => ({ size, seed, answers, heapBytes })),
    import: imported,
    sync: synced.run,
    ...Object.fromEntries(Object.entries(measured).map(([name, part]) => [name, part.run])),
  };
  writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync('bench/results/latest.md', `# Benchmark results\n\n${table}\n`);
  const readme = readFileSync('README.md', 'utf8');
  const marked = /(<!-- bench:start -->\n)[\s\S]*?(\n<!-- bench:end -->)/;
  if (marked.test(readme)) writeFileSync('README.md', readme.replace(marked, `$1${table}$2`));
}

const section = process.argv[2];
if (section === undefined) await main();
else if (section === 'sync' || isAppSection(section)) await sectionOnly(section);
else throw new Error(`no bench section "${section}": run all (npm run bench), or one of sync, ${Object.keys(appSections).join(', ')} (npm run bench -- sync)`);
