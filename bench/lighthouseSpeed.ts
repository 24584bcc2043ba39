// Lighthouse's mobile run (its default config: Moto G Power screen, simulated Slow 4G and a
// 4× slower CPU) of the home screen on a first visit, in Debian's Chromium with the project's
// flags and a fresh profile per run. The floor page (bench/floor, one line of Preact) gets the
// same runs, alternating with the app's, so the figures read as ratios to what any page costs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../tests/support/chromium.ts';
import { serveStatic } from '../tests/support/staticServer.ts';

const runs = 3;

export interface LighthouseResult {
  score: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  speedIndexMs: number;
  cls: number;
  /** Lighthouse's measure of this machine's speed at the run (higher is faster): a busy machine slows every task it simulates. */
  benchmarkIndex: number;
  /** Main-thread work by kind (script evaluation, style and layout, …), simulated ms. */
  mainThread: { group: string; ms: number }[];
  /** Main-thread time per script (bootup-time): total, scripting, parse and compile, simulated ms. */
  scripts: { url: string; totalMs: number; scriptingMs: number; compileMs: number }[];
  /** Main-thread tasks over 50 ms, simulated: the ones total blocking time counts. */
  longTasks: { url: string; startMs: number; durationMs: number }[];
  /** Requests to another origin than the page's: must be none. */
  offOrigin: string[];
}

export interface LighthouseRun {
  app: LighthouseResult[];
  floor: LighthouseResult[];
  lighthouseVersion: string;
}

/** Debian's Chromium, headless, on a free DevTools port (it writes the port into the profile). */
async function launchForLighthouse(): Promise<{ port: number; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'kubecards-lighthouse-'));
  const browser = spawn(chromiumPath, [...chromiumArgs, '--headless', `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'], {
    stdio: 'ignore',
  });
  const portFile = join(profile, 'DevToolsActivePort');
  const started = Date.now();
  while (!existsSync(portFile) || !readFileSync(portFile, 'utf8').includes('\n')) {
    if (browser.exitCode !== null) throw new Error(`Chromium exited with ${browser.exitCode}`);
    if (Date.now() - started > 30_000) throw new Error('Chromium did not open its DevTools port');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const port = Number(readFileSync(portFile, 'utf8').split('\n')[0]);
  return {
    port,
    async close() {
      const exited = new Promise((resolve) => browser.once('exit', resolve));
      browser.kill();
      await exited;
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

type Items<T> = { details?: { items?: T[] } };

async function audit(url: string): Promise<{ result: LighthouseResult; version: string }> {
  const browser = await launchForLighthouse();
  try {
    const runner = await lighthouse(url, { port: browser.port, logLevel: 'error', onlyCategories: ['performance'], disableFullPageScreenshot: true });
    if (!runner) throw new Error('Lighthouse returned no result');
    const { lhr } = runner;
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const value = (id: string) => lhr.audits[id].numericValue ?? Number.NaN;
    const items = <T>(id: string) => (lhr.audits[id] as Items<T>).details?.items ?? [];
    const origin = new URL(url).origin;
    const round = (ms: number) => Math.round(ms);
    return {
      version: lhr.lighthouseVersion,
      result: {
        score: Math.round((lhr.categories.performance.score ?? 0) * 100),
        fcpMs: round(value('first-contentful-paint')),
        lcpMs: round(value('largest-contentful-paint')),
        tbtMs: round(value('total-blocking-time')),
        speedIndexMs: round(value('speed-index')),
        cls: value('cumulative-layout-shift'),
        benchmarkIndex: Math.round(lhr.environment.benchmarkIndex),
        mainThread: items<{ groupLabel: string; duration: number }>('mainthread-work-breakdown').map((item) => ({ group: item.groupLabel, ms: round(item.duration) })),
        scripts: items<{ url: string; total: number; scripting: number; scriptParseCompile: number }>('bootup-time').map((item) => ({
          url: item.url,
          totalMs: round(item.total),
          scriptingMs: round(item.scripting),
          compileMs: round(item.scriptParseCompile),
        })),
        longTasks: items<{ url: string; startTime: number; duration: number }>('long-tasks').map((item) => ({
          url: item.url,
          startMs: round(item.startTime),
          durationMs: round(item.duration),
        })),
        offOrigin: items<{ url: string }>('network-requests')
          .map((item) => item.url)
          .filter((requested) => /^https?:/.test(requested) && new URL(requested).origin !== origin),
      },
    };
  } finally {
    await browser.close();
  }
}

export async function lighthouseSpeed(appUrl: string): Promise<LighthouseRun> {
  const floorDir = mkdtempSync(join(tmpdir(), 'kubecards-floor-'));
  await build({
    configFile: false,
    root: 'bench/floor',
    logLevel: 'error',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: { outDir: floorDir, emptyOutDir: true },
  });
  const floorServer = await serveStatic(floorDir);
  const run: LighthouseRun = { app: [], floor: [], lighthouseVersion: '' };
  try {
    for (let index = 0; index < runs; index++) {
      const app = await audit(appUrl);
      run.app.push(app.result);
      run.lighthouseVersion = app.version;
      run.floor.push((await audit(floorServer.url)).result);
    }
  } finally {
    await floorServer.close();
    rmSync(floorDir, { recursive: true, force: true });
  }
  return run;
}

export const lighthouseMarkers = { start: '<!-- bench:lighthouse:start -->', end: '<!-- bench:lighthouse:end -->' };

/** The run with the median score (ties: the median total blocking time), whose details the table shows. */
function typical(results: LighthouseResult[]): LighthouseResult {
  return [...results].sort((a, b) => a.score - b.score || b.tbtMs - a.tbtMs)[Math.floor(results.length / 2)];
}

export function lighthouseLines(run: LighthouseRun): string[] {
  const ms = (value: number) => `${Math.round(value)} ms`;
  const app = typical(run.app);
  const floor = typical(run.floor);
  const scriptName = (url: string) => (/^https?:/.test(url) ? new URL(url).pathname : url);
  const figure = (label: string, pick: (result: LighthouseResult) => number, show: (value: number) => string) =>
    `| ${label} | ${show(pick(app))} | ${run.app.map((result) => show(pick(result))).join(', ')} | ${show(pick(floor))} | ${pick(floor) ? (pick(app) / pick(floor)).toFixed(2) : ''} |`;
  const met = app.score >= 98 && app.tbtMs <= 50;
  return [
    lighthouseMarkers.start,
    `**Lighthouse** ${run.lighthouseVersion} (measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): its default mobile run (performance only; simulated throttling: 150 ms RTT, 1.6 Mbps, CPU 4× slower) of the home screen, a first visit in a fresh profile of Debian's Chromium (the project's flags), ${runs} runs alternating with the floor page; the median run by score shown. Requests off the page's origin: ${run.app.some((result) => result.offOrigin.length) ? run.app.flatMap((result) => result.offOrigin).join(', ') : 'none'}.`,
    '',
    '| | app (median run) | app, each run | floor | ratio app / floor |',
    '|---|---|---|---|---|',
    figure('performance score', (result) => result.score, String),
    figure('first contentful paint', (result) => result.fcpMs, ms),
    figure('largest contentful paint', (result) => result.lcpMs, ms),
    figure('total blocking time', (result) => result.tbtMs, ms),
    figure('speed index', (result) => result.speedIndexMs, ms),
    figure('cumulative layout shift', (result) => result.cls, (value) => value.toFixed(3)),
    figure('benchmark index (machine speed)', (result) => result.benchmarkIndex, String),
    '',
    `Goal (issue 16): performance ≥ 98 with total blocking time ≤ 50 ms: ${met ? 'met' : 'missed'}. What the main thread does (median run, simulated): ${app.mainThread.map((item) => `${item.group} ${ms(item.ms)}`).join(', ')}. By script (total / scripting / parse and compile): ${app.scripts.map((item) => `\`${scriptName(item.url)}\` ${ms(item.totalMs)} / ${ms(item.scriptingMs)} / ${ms(item.compileMs)}`).join(', ') || 'none over Lighthouse’s threshold'}. Tasks over 50 ms: ${app.longTasks.filter((task) => task.durationMs > 50).map((task) => `${ms(task.durationMs)} at ${ms(task.startMs)} (${scriptName(task.url)})`).join(', ') || 'none'}.`,
    lighthouseMarkers.end,
  ];
}
