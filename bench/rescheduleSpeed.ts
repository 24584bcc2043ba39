// Reschedule in the app at several collection sizes: a generated collection goes into a fresh
// profile's database, desired retention is changed in the settings and the reschedule
// accepted; timed from the tap to the result (the worker reads, computes and writes), with
// the main thread's long tasks meanwhile, then Undo. Floor, in the same run: the same
// computation in Node (rescheduleFromHistory over the same cards and logs, nothing else) plus
// plain IndexedDB reading the deck's cards and the whole log (getAll) and writing as many
// cards and log rows as changed in one transaction, into stores with the app's indexes, in the
// same browser profile.
import { metAtSizes } from './goals.ts';
import { loadavg } from 'node:os';
import { rescheduleFromHistory, schedulerForSettings } from '../src/domain/scheduler.ts';
import { defaultSettings, type ReviewLogRow } from '../src/domain/types.ts';
import { launchWithFreshProfile } from '../tests/support/chromium.ts';
import { benchDeckId } from '../tests/support/collection.ts';
import { longTasksSince, pageNow, recordLongTasks, traceMainThread, type TracedTask } from '../tests/support/longTasks.ts';
import { seedCollection, storedLogRowCount } from '../tests/support/seedCollection.ts';

export interface RescheduleRun {
  cards: number;
  logRows: number;
  changed: number;
  /** From the tap on Reschedule to the progress sheet gone, the result shown. */
  tapToDoneMs: number;
  /** Of which: until the sheet says it is saving (reading and computing in the worker). */
  computingMs: number;
  /** Main-thread tasks from the tap until 1 s after the result: over 50 ms of wall-clock time (Long Tasks API), and of CPU time (trace). */
  longTasks: number[];
  cpuLongTasks: number[];
  /** From the tap on Undo to the cards and log back, and its tasks likewise. */
  undoMs: number;
  undoLongTasks: number[];
  undoCpuLongTasks: number[];
  floor: { computeMs: number; readMs: number; writeMs: number };
  /** The machine's 1-minute load average when the run began. */
  load: number;
}

const desiredRetention = 0.85;

const cpuOver50 = (tasks: TracedTask[]) => tasks.filter((task) => task.cpuMs > 50).map((task) => task.cpuMs);

/** The same computation as the worker's, in Node: every card's schedule from its history. */
function computeFloorMs(cards: Awaited<ReturnType<typeof seedCollection>>['cards'], log: ReviewLogRow[], now: Date): number {
  const history = new Map<string, ReviewLogRow[]>();
  for (const row of log) history.set(row.cardId, [...(history.get(row.cardId) ?? []), row]);
  const scheduler = schedulerForSettings({ ...defaultSettings, desiredRetention });
  // Warmed up first, as the worker is after its first batches.
  for (const card of cards.slice(0, 2000)) rescheduleFromHistory(scheduler, card, history.get(card.id) ?? [], now);
  const started = performance.now();
  for (const card of cards) rescheduleFromHistory(scheduler, card, history.get(card.id) ?? [], now);
  return performance.now() - started;
}

async function runAt(appUrl: string, size: number): Promise<RescheduleRun> {
  const load = loadavg()[0];
  const browser = await launchWithFreshProfile({ serviceWorkers: 'block' });
  try {
    const page = browser.context.pages()[0];
    await recordLongTasks(page);
    await page.goto(appUrl);
    await page.locator('a.deck').first().waitFor();
    const now = new Date();
    const { cards, log } = await seedCollection(page, size, now);

    await page.evaluate(() => (location.hash = '#/settings'));
    await page.getByLabel('Desired retention').fill(String(desiredRetention));
    await page.getByRole('button', { name: 'Save' }).tap();
    await page.getByRole('dialog', { name: 'Reschedule the studied cards?' }).getByRole('button', { name: 'Reschedule' }).waitFor();
    // When the sheet first says it is saving, seen by the page itself.
    await page.evaluate(() => {
      const seen = new MutationObserver(() => {
        if (!document.querySelector('dialog.reschedule-progress p')?.textContent?.startsWith('Saving')) return;
        (window as unknown as { savingAt: number }).savingAt = performance.now();
        seen.disconnect();
      });
      seen.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    // CSS, not roles, while measuring: Playwright's role queries run on the page's main thread too.
    const trace = await traceMainThread(page);
    const since = await pageNow(page);
    await page.locator('dialog.question button[type="submit"]').tap();
    await page.locator('dialog.reschedule-progress').waitFor();
    await page.locator('dialog.reschedule-progress').waitFor({ state: 'detached', timeout: 900_000 });
    const doneAt = await pageNow(page);
    const status = page.locator('p.notice[role="status"]', { hasText: /Rescheduled|Not rescheduled/ });
    const text = (await status.textContent())!;
    const changed = Number(/Rescheduled ([\d,]+) cards/.exec(text)?.[1].replace(/,/g, '') ?? Number.NaN);
    if (!Number.isFinite(changed)) throw new Error(`the reschedule failed: ${text}`);
    await page.waitForTimeout(1000);
    const cpuLongTasks = cpuOver50(await trace.stop());
    const longTasks = (await longTasksSince(page, since)).map((task) => task.duration);
    const savingAt = await page.evaluate(() => (window as unknown as { savingAt: number }).savingAt);

    await page.evaluate(() => (location.hash = '#/'));
    await page.getByRole('button', { name: 'Undo reschedule' }).waitFor();
    const undoTrace = await traceMainThread(page);
    const undoSince = await pageNow(page);
    await page.locator('button.undo').tap();
    // Done once the log is as seeded again: a read waits for the undo's transaction.
    while ((await storedLogRowCount(page)) !== log.length) await page.waitForTimeout(200);
    const undoMs = (await pageNow(page)) - undoSince;
    const undoCpuLongTasks = cpuOver50(await undoTrace.stop());
    const undoLongTasks = (await longTasksSince(page, undoSince)).map((task) => task.duration);

    const { readMs, writeMs } = await page.evaluate(
      ({ deckId, changed }) => {
        const opened = (name: string, upgrade?: (db: IDBDatabase) => void) =>
          new Promise<IDBDatabase>((resolve, reject) => {
            const open = indexedDB.open(name);
            if (upgrade) open.onupgradeneeded = () => upgrade(open.result);
            open.onsuccess = () => resolve(open.result);
            open.onerror = () => reject(open.error);
          });
        const completed = (transaction: IDBTransaction) =>
          new Promise<void>((resolve, reject) => {
            transaction.oncomplete = () => resolve();
            transaction.onerror = () => reject(transaction.error);
          });
        return (async () => {
          const app = await opened('kubecards');
          let started = performance.now();
          const reading = app.transaction(['cards', 'reviewLog']);
          const cards = reading.objectStore('cards').index('deckId').getAll(deckId);
          reading.objectStore('reviewLog').getAll();
          await completed(reading);
          const readMs = performance.now() - started;
          app.close();
          // The app's stores with their indexes (src/storage/database.ts), each written index a write more.
          const scratch = await opened('reschedule-floor', (db) => {
            const cardStore = db.createObjectStore('cards', { keyPath: 'id' });
            for (const index of ['deckId', 'origin', 'queue']) cardStore.createIndex(index, index);
            cardStore.createIndex('[deckId+queue+due]', ['deckId', 'queue', 'due']);
            cardStore.createIndex('[deckId+queue+position]', ['deckId', 'queue', 'position']);
            const logStore = db.createObjectStore('reviewLog', { keyPath: 'id', autoIncrement: true });
            logStore.createIndex('cardId', 'cardId');
            logStore.createIndex('[deckId+stateBefore+reviewedAt]', ['deckId', 'stateBefore', 'reviewedAt']);
            logStore.createIndex('reviewedAt', 'reviewedAt');
          });
          const records = cards.result as (Record<string, unknown> & { id: string })[];
          started = performance.now();
          const writing = scratch.transaction(['cards', 'reviewLog'], 'readwrite', { durability: 'strict' });
          const at = new Date();
          const scheduleFields = ['due', 'stability', 'difficulty', 'elapsed_days', 'scheduled_days', 'learning_steps', 'reps', 'lapses', 'state', 'last_review'];
          records.slice(0, changed).forEach((card, index) => {
            writing.objectStore('cards').put(card);
            const schedule = Object.fromEntries(scheduleFields.map((field) => [field, card[field]]));
            writing.objectStore('reviewLog').add({ uid: `floor-${index}`, kind: 'reschedule', cardId: card.id, deckId, reviewedAt: at, schedule });
          });
          await completed(writing);
          const writeMs = performance.now() - started;
          scratch.close();
          indexedDB.deleteDatabase('reschedule-floor');
          return { readMs, writeMs };
        })();
      },
      { deckId: benchDeckId, changed },
    );
    return {
      cards: cards.length,
      logRows: log.length,
      changed,
      tapToDoneMs: doneAt - since,
      computingMs: savingAt - since,
      longTasks,
      cpuLongTasks,
      undoMs,
      undoLongTasks,
      undoCpuLongTasks,
      floor: { computeMs: computeFloorMs(cards, log, now), readMs, writeMs },
      load,
    };
  } finally {
    await browser.close();
  }
}

export async function rescheduleSpeed(appUrl: string, sizes = [1_000, 20_000, 100_000]): Promise<RescheduleRun[]> {
  const runs: RescheduleRun[] = [];
  for (const size of sizes) runs.push(await runAt(appUrl, size));
  return runs;
}

export const rescheduleMarkers = { start: '<!-- bench:reschedule:start -->', end: '<!-- bench:reschedule:end -->' };

export function rescheduleLines(runs: RescheduleRun[]): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const floorMs = (run: RescheduleRun) => run.floor.computeMs + run.floor.readMs + run.floor.writeMs;
  const tasks = (durations: number[]) => (durations.length === 0 ? 'none' : `${durations.length} (longest ${Math.max(...durations)} ms)`);
  return [
    rescheduleMarkers.start,
    `**Reschedule** (measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC): a generated collection (most cards studied for months, a full review log behind each) in a fresh profile, unthrottled CPU; desired retention 0.90 → ${desiredRetention} in the settings, Reschedule accepted. App: from the tap to the result (a worker reads the cards and logs in batches, computes each card's schedule, then writes the cards, a log row each and the sync outbox in one transaction), computing: until the sheet says it saves. Undo: from the tap on Undo on the deck list to the log as seeded again (on the page, on a connection of its own, in batches within one transaction). Main-thread tasks: CPU time from a trace of the renderer, and wall-clock time from the Long Tasks API, which on a machine busy with other work also counts the time the thread waited for a core (1-minute load average at the start of each run: ${runs.map((run) => run.load.toFixed(1)).join(', ')}). Floor: the same computation in Node (rescheduleFromHistory on the same cards and logs, no storage) + plain IndexedDB reading the deck's cards and the whole log (getAll) + writing as many cards and log rows as changed in one transaction, into stores with the app's indexes; ratio: app / floor.`,
    '',
    '| cards | log rows | changed | app: tap to result | of which computing | floor (compute + read + write) | ratio | main-thread tasks over 50 ms of CPU / of wall-clock time | undo | undo: tasks over 50 ms of CPU / of wall-clock time |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (run) =>
        `| ${run.cards.toLocaleString('en')} | ${run.logRows.toLocaleString('en')} | ${run.changed.toLocaleString('en')} | ${s(run.tapToDoneMs)} | ${s(run.computingMs)} | ${s(floorMs(run))} (${s(run.floor.computeMs)} + ${s(run.floor.readMs)} + ${s(run.floor.writeMs)}) | ${(run.tapToDoneMs / floorMs(run)).toFixed(1)} | ${tasks(run.cpuLongTasks)} / ${tasks(run.longTasks)} | ${s(run.undoMs)} | ${tasks(run.undoCpuLongTasks)} / ${tasks(run.undoLongTasks)} |`,
    ),
    '',
    rescheduleGoals(runs),
    rescheduleMarkers.end,
  ];
}

/** Issue 16's goals for rescheduling, met or missed at each size. */
export function rescheduleGoals(runs: RescheduleRun[]): string {
  const sizes = (goal: (run: RescheduleRun) => boolean) => metAtSizes(runs, goal);
  return `Goals (issue 16): completes with a progress bar and one undoable step: ${sizes((run) => run.changed > 0 && run.undoMs > 0)}; no main-thread task over 50 ms of CPU while rescheduling: ${sizes((run) => run.cpuLongTasks.length === 0)}; nor while undoing: ${sizes((run) => run.undoCpuLongTasks.length === 0)}.`;
}
