// Export, backup and restore of a large collection (a quarter of largeCollectionSize cards, as
// the three jobs take long; about five log rows a card; `npm run bench` measures up to 100,000)
// through the Data screen: the transfer worker does the work, so the page's main
// thread has no task over 50 ms (of CPU time) from the tap until a second after the outcome,
// and the restore brings back every card and log row into a fresh profile.
import { describe, expect, it } from 'vitest';
import { recordLongTasks } from '../support/longTasks.ts';
import { largeCollectionSize, seedCollection, storedLogRowCount } from '../support/seedCollection.ts';
import { collectGarbage, openDataScreenAt, timedDownload, timedFileChoice, type TimedJob } from '../support/transferTimed.ts';
import { openPhone, phoneForEachTest } from './browser.ts';

const phone = phoneForEachTest({ serviceWorkers: 'block' });
const size = largeCollectionSize / 4;

const report = (name: string, job: TimedJob) =>
  `${name} ${Math.round(job.ms)} ms ("${job.outcome}"); over 50 ms of wall-clock time: [${job.longTasks.map((task) => `${task.duration} ms (${task.scripts.join('; ')})`).join(', ')}], traced: ${JSON.stringify(job.tracedTasks)}`;
// CPU time: on a machine busy with other work, any task's wall time can pass 50 ms while the thread waits for a core.
const overBudget = (job: TimedJob) => job.tracedTasks.filter((task) => task.cpuMs > 50);

describe(`export, backup and restore at ${size.toLocaleString('en')} cards`, () => {
  it('exports, backs up and restores in the worker with no long task on the main thread', { timeout: 1_200_000 }, async () => {
    const { page, baseUrl } = phone();
    await recordLongTasks(page);
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    const { cards, log } = await seedCollection(page, size, new Date());
    await openDataScreenAt(page, baseUrl);
    await page.locator('main.data select option', { hasText: 'Benchmark' }).waitFor({ state: 'attached', timeout: 120_000 });
    await collectGarbage(page);
    const rows = `${log.length.toLocaleString('en')} review rows`;

    const exported = await timedDownload(page, 'Export Anki package (.apkg)');
    console.log(report('export', exported));
    expect(exported.outcome).toContain(rows);
    expect(exported.path).toBeTruthy();
    expect(overBudget(exported)).toEqual([]);

    const backup = await timedDownload(page, 'Back up now');
    console.log(report('backup', backup));
    expect(backup.outcome).toContain(rows);
    expect(overBudget(backup)).toEqual([]);

    // Into a fresh profile: every card and log row is written.
    const other = await openPhone({ serviceWorkers: 'block' });
    try {
      await recordLongTasks(other.page);
      await openDataScreenAt(other.page, baseUrl);
      const restored = await timedFileChoice(other.page, 'Restore from a backup…', backup.path);
      console.log(report('restore', restored));
      expect(restored.outcome).toMatch(new RegExp(`^${cards.length.toLocaleString('en')} new, `));
      expect(await storedLogRowCount(other.page)).toBe(log.length);
      expect(overBudget(restored)).toEqual([]);
      expect(other.foreignRequests).toEqual([]);
      expect(other.errors).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
