// Export, backup and restore at growing sizes, through the real Data screen: for each size a
// fresh profile gets a generated collection (tests/support/collection.ts), the Anki package
// (with scheduling) and the backup are made and downloaded, then the backup is restored and
// the package imported, each into a fresh profile of its own (an empty database: everything is
// written). Each job is timed from the tap (or the file's choice) to its outcome on the page,
// with the main thread's tasks over 50 ms (tests/support/transferTimed.ts).
import { launchWithFreshProfile } from '../tests/support/chromium.ts';
import { recordLongTasks } from '../tests/support/longTasks.ts';
import { seedCollection } from '../tests/support/seedCollection.ts';
import { collectGarbage, openDataScreenAt, timedDownload, timedFileChoice, type TimedJob } from '../tests/support/transferTimed.ts';

const defaultSizes = [1_000, 20_000, 100_000];

export interface TransferRun {
  cards: number;
  logRows: number;
  exportPackage: TimedJob & { bytes: number };
  backup: TimedJob & { bytes: number };
  restore: TimedJob;
  importPackage: TimedJob;
}

/** Chooses the file at `path` with the Data screen's file button `label`, in a fresh profile. */
async function inFreshProfile(appUrl: string, label: string, path: string): Promise<TimedJob> {
  const browser = await launchWithFreshProfile({ serviceWorkers: 'block' });
  try {
    const page = browser.context.pages()[0];
    await recordLongTasks(page);
    await openDataScreenAt(page, appUrl);
    return await timedFileChoice(page, label, path);
  } finally {
    await browser.close();
  }
}

export async function transferSpeed(appUrl: string, sizes = process.env.BENCH_SIZES ? process.env.BENCH_SIZES.split(',').map(Number) : defaultSizes): Promise<TransferRun[]> {
  const runs: TransferRun[] = [];
  for (const size of sizes) {
    const browser = await launchWithFreshProfile({ serviceWorkers: 'block' });
    try {
      const page = browser.context.pages()[0];
      await recordLongTasks(page);
      await page.goto(appUrl);
      await page.locator('a.deck').first().waitFor();
      const { cards, log } = await seedCollection(page, size, new Date());
      await openDataScreenAt(page, appUrl);
      await page.locator('main.data select option', { hasText: 'Benchmark' }).waitFor({ state: 'attached', timeout: 120_000 });
      await collectGarbage(page);
      const { path: packagePath, ...exportPackage } = await timedDownload(page, 'Export Anki package (.apkg)');
      const { path: backupPath, ...backup } = await timedDownload(page, 'Back up now');
      // The downloads live in this browser's folder until it closes: the other profiles read them first.
      const restore = await inFreshProfile(appUrl, 'Restore from a backup…', backupPath);
      const importPackage = await inFreshProfile(appUrl, 'Import a file…', packagePath);
      runs.push({ cards: cards.length, logRows: log.length, exportPackage, backup, restore, importPackage });
    } finally {
      await browser.close();
    }
  }
  return runs;
}

export const transferMarkers = { start: '<!-- bench:transfer:start -->', end: '<!-- bench:transfer:end -->' };

export function transferLines(runs: TransferRun[]): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const counted = (durations: number[]) => (durations.length ? `${durations.length}, longest ${Math.max(...durations)} ms` : 'none');
  const tasks = (job: TimedJob) =>
    `${counted(job.longTasks.map((task) => task.duration))} / ${counted(job.tracedTasks.filter((task) => task.cpuMs > 50).map((task) => task.cpuMs))}`;
  const jobs = (run: TransferRun) => [run.exportPackage, run.backup, run.restore, run.importPackage];
  const met = runs.every((run) => jobs(run).every((job) => job.tracedTasks.every((task) => task.cpuMs <= 50)));
  return [
    transferMarkers.start,
    `**Export, backup, restore** (measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): a generated collection beside the built-in decks in a fresh profile, unthrottled CPU, through the Data screen: Export Anki package (all decks, with scheduling) and Back up now, each from the tap to the notice after the download; then the backup restored and the package imported, each into a fresh profile of its own (an empty database, so everything is written), from the file's choice to the summary. All of it runs in the transfer worker. Main-thread tasks over 50 ms from the tap until a second after the outcome: wall-clock (Long Tasks API; on this machine, busy with other work, a task's wall time also counts its wait for a core) / CPU time (trace).`,
    '',
    '| cards | log rows | export .apkg | backup | restore the backup | import the .apkg | tasks over 50 ms, wall / CPU: export | backup | restore | import |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (run) =>
        `| ${run.cards.toLocaleString('en')} | ${run.logRows.toLocaleString('en')} | ${s(run.exportPackage.ms)} (${mb(run.exportPackage.bytes)}) | ${s(run.backup.ms)} (${mb(run.backup.bytes)}) | ${s(run.restore.ms)} | ${s(run.importPackage.ms)} | ${jobs(run).map(tasks).join(' | ')} |`,
    ),
    '',
    `Goal (issue 16): no main-thread task over 50 ms during import, export and backup: ${met ? 'met' : 'missed'} (by CPU time).`,
    transferMarkers.end,
  ];
}
