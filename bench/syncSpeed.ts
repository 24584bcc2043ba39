// The sync benchmark: a CouchDB-protocol server of its own (pouchdb-server, as in the tests)
// behind /db/ on the origin that serves the bench pages, as the production proxy does, and
// bench/pages/syncBench.html in Chromium, which times the app's sync job in a worker.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchWithFreshProfile } from '../tests/support/chromium.ts';
import { serveStatic, type StaticServer } from '../tests/support/staticServer.ts';
import { startSyncServer, type SyncServer } from '../tests/support/syncServer.ts';
import type { CpuSnapshot, SyncBenchResult } from './pages/syncBench.ts';

const syncCards = 20_000;
const syncAnswers = 50;
const user = { username: 'bench', password: 'bench-sync' };
const syncDatabase = 'userdb-bench';
/** Where the floor sends the same documents: a database apart, so that none of them is there yet. */
const floorDatabase = 'userdb-bench-floor';
const timeoutMs = 30 * 60_000;

export interface SyncRun extends SyncBenchResult {
  /** The floor's server database, that is A's documents after its first sync: their count (log batches apart) and JSON bytes. */
  stored: { docs: number; logDocs: number; jsonBytes: number };
  runMs: number;
  /** The 1-minute load average as the run began and ended: other work on the machine skews every time. */
  load: [number, number];
}

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** CPU milliseconds (user and system) process `pid` has used, from /proc; 0 once it is gone. */
function cpuMs(pid: number | string): number {
  try {
    // Fields after the command name, which is in parentheses: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return 0;
  }
}

/** The server's CPU time, and that of each process of the browser whose profile is `profile`. */
function cpuSnapshot(serverPid: number, profile: string): CpuSnapshot {
  const browser: Record<string, number> = {};
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // Chromium's child processes rewrite their command line into one string; all name the profile.
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--user-data-dir=${profile}`)) browser[pid] = cpuMs(pid);
    } catch {
      // ended while being read
    }
  }
  return { server: cpuMs(serverPid), browser };
}

/** Documents in `database` and the bytes of their JSON, as an admin reads them. */
async function storedDocuments(server: SyncServer, database: string): Promise<SyncRun['stored']> {
  const authorization = `Basic ${Buffer.from(`${server.admin.username}:${server.admin.password}`).toString('base64')}`;
  const response = await fetch(`${server.url}/${database}/_all_docs?include_docs=true`, { headers: { authorization } });
  if (!response.ok) throw new Error(`reading ${database} answered ${response.status}`);
  const { rows } = (await response.json()) as { rows: { id: string; doc: object }[] };
  return {
    docs: rows.length,
    logDocs: rows.filter((row) => row.id.startsWith('log:')).length,
    jsonBytes: rows.reduce((sum, row) => sum + Buffer.byteLength(JSON.stringify(row.doc)), 0),
  };
}

/** Runs the bench page at `url` to its end, printing its steps. */
async function runPage(page: Page, url: string, snapshot: () => CpuSnapshot): Promise<SyncBenchResult> {
  await page.exposeFunction('cpuSnapshot', snapshot);
  // The page's steps; not PouchDB's notes (console.info) or the 404s it expects.
  page.on('console', (message) => message.type() === 'log' && console.log(`  ${message.text()}`));
  const query = new URLSearchParams({ cards: String(syncCards), answers: String(syncAnswers), database: syncDatabase, floorDatabase, ...user });
  await page.goto(`${url}?${query}`);
  const outcome = (await (
    await page.waitForFunction(
      () => {
        const state = window as unknown as { syncBenchResult?: SyncBenchResult; syncBenchFailure?: string };
        return state.syncBenchResult ?? (state.syncBenchFailure && { failure: state.syncBenchFailure });
      },
      undefined,
      { timeout: timeoutMs, polling: 1000 },
    )
  ).jsonValue()) as SyncBenchResult | { failure: string };
  if ('failure' in outcome) throw new Error(`the sync benchmark failed: ${outcome.failure}`);
  return outcome;
}

/** One run in a fresh profile; `pagesDir` holds the built bench pages under __bench__/. */
export async function syncSpeed(pagesDir: string): Promise<SyncRun> {
  const began = performance.now();
  const loadBefore = loadavg()[0];
  const server = await startSyncServer();
  let site: StaticServer | undefined;
  try {
    await server.createUser(user.username, user.password);
    for (const database of [syncDatabase, floorDatabase]) await server.createDatabase(database, [user.username]);
    site = await serveStatic(pagesDir, '/', { proxy: { prefix: '/db/', target: () => server.url } });
    const profile = mkdtempSync(join(tmpdir(), 'kubecards-profile-'));
    let result: SyncBenchResult;
    try {
      const browser = await launchWithFreshProfile({}, profile);
      try {
        result = await runPage(browser.context.pages()[0], `${site.url}__bench__/syncBench.html`, () => cpuSnapshot(server.pid, profile));
      } finally {
        await browser.close();
      }
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
    return { ...result, stored: await storedDocuments(server, floorDatabase), runMs: performance.now() - began, load: [loadBefore, loadavg()[0]] };
  } finally {
    await site?.close();
    await server.stop();
  }
}
