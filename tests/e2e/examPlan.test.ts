import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { SettingRow } from '../../src/storage/database.ts';
import { phoneForEachTest, readStore, seriousAxeViolations } from './browser.ts';

const phone = phoneForEachTest({ serviceWorkers: 'block', colorScheme: 'dark' });

/** Main-thread long tasks (over 50 ms), recorded from the page's start. */
async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const tasks: { start: number; duration: number }[] = [];
    (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
    new PerformanceObserver((list) => list.getEntries().forEach((task) => tasks.push({ start: task.startTime, duration: task.duration }))).observe({
      type: 'longtask',
      buffered: true,
    });
  });
}

const longTasksSince = (page: Page, since: number) =>
  page.evaluate((from) => (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter((task) => task.start >= from), since);

/** The deck's "New cards per day", as its options screen shows it. */
async function newCardsPerDay(page: Page, deckId: string): Promise<string> {
  await page.evaluate((hash) => (location.hash = hash), `#/options/${encodeURIComponent(deckId)}`);
  await page.getByRole('button', { name: 'Save' }).waitFor();
  return page.getByLabel('New cards per day').inputValue();
}

describe('exam plan', () => {
  it('plans new cards a day for an exam a month away in a worker, applies its limits in one tap, and Undo puts them back', async () => {
    const { page, baseUrl } = phone();
    await page.setViewportSize({ width: 360, height: 800 });
    await recordLongTasks(page);
    const origin = new URL(baseUrl).origin;
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    const requests: string[] = [];
    page.context().on('request', (request) => requests.push(request.url()));

    await page.goto(baseUrl);
    await page.getByRole('link', { name: 'Statistics and exam readiness' }).tap();
    await page.getByRole('heading', { name: 'Exam readiness' }).waitFor();
    // Nothing of the plan before an exam date is set: no plan worker (the statistics have their own), no plan.
    expect(await page.locator('.exam-plan').count()).toBe(0);
    expect(workers.filter((url) => url.includes('examPlan'))).toEqual([]);

    // No long task from when the date is in (the plan starts once it rests) until the plan has been shown a while.
    requests.length = 0;
    const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Exam date (optional)').fill(inAMonth);
    const since = await page.evaluate(() => performance.now());
    // CSS, not roles, while measuring: Playwright's role queries run on the page's main thread too.
    await page.locator('.exam-plan progress').waitFor();
    const recall = page.getByTestId('plan-recall');
    await recall.waitFor({ timeout: 30_000 });
    const computeMs = Number(await page.locator('.exam-plan [data-compute-ms]').getAttribute('data-compute-ms'));
    console.log(`exam plan for the built-in decks, KCNA in 30 days: ${computeMs} ms in the worker`);
    await page.waitForTimeout(500);
    expect(await longTasksSince(page, since)).toEqual([]);

    // The plan ran in its own worker, from this origin, and asked nothing of any other.
    expect(workers.filter((url) => url.includes('examPlan'))).toHaveLength(1);
    expect(workers.every((url) => url.startsWith(origin))).toBe(true);
    expect(requests.some((url) => url.includes('examPlan'))).toBe(true);
    expect(requests.filter((url) => !url.startsWith(origin))).toEqual([]);

    // Figures: the recall it reaches, each deck's limit now and planned, the reviews it costs.
    expect(await recall.textContent()).toMatch(/^\d+\.\d % predicted recall on the exam day with this plan$/);
    const rows = await page.locator('table.plan-decks tbody tr').evaluateAll((found) =>
      found.map((row) => ({ deck: row.getAttribute('data-deck')!, cells: [...row.children].map((cell) => cell.textContent!) })),
    );
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const row of rows) expect(row.cells[1]).toMatch(/^20 → \d+$/);
    expect(await page.getByTestId('plan-reviews').textContent()).toMatch(/^Reviews a day with the plan: \d+\.\d on average, \d+ on the busiest day/);
    expect(await page.locator('table.plan-domains tbody tr').count()).toBe(4);
    expect(await page.locator('.plan-assumptions li').count()).toBeGreaterThan(4);
    expect(await page.locator('figure.chart', { hasText: 'Reviews a day with the plan' }).count()).toBe(1);
    const changed = rows.find((row) => row.cells[1] !== '20 → 20')!;
    const planned = changed.cells[1].split(' → ')[1];

    expect(await seriousAxeViolations(page)).toEqual([]);
    // Phone-sized: nothing sideways, buttons big enough for a thumb.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const use = page.getByRole('button', { name: 'Use these limits' });
    expect((await use.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    await use.tap();
    await page.getByText("The plan's limits are set.").waitFor();
    const settings = await readStore<SettingRow>(page, 'settings');
    expect(settings.filter((row) => row.key.startsWith('deck:')).map((row) => row.key)).toHaveLength(rows.filter((row) => row.cells[1] !== '20 → 20').length);
    expect(await newCardsPerDay(page, changed.deck)).toBe(planned);

    // Back on the statistics: the plan is computed again, and Undo is still offered.
    await page.evaluate(() => (location.hash = '#/stats'));
    const undo = page.getByRole('button', { name: 'Undo exam plan' });
    await undo.waitFor({ timeout: 30_000 });
    expect((await undo.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    await undo.tap();
    await page.getByText('The limits are back as they were.').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Use these limits' }).waitFor();
    expect((await readStore<SettingRow>(page, 'settings')).filter((row) => row.key.startsWith('deck:'))).toEqual([]);
    expect(await newCardsPerDay(page, changed.deck)).toBe('20');

    // The exam, its date and the target are kept: after a reload the plan is there again.
    await page.reload();
    await page.evaluate(() => (location.hash = '#/stats'));
    await page.getByTestId('plan-recall').waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('Exam date (optional)').inputValue()).toBe(inAMonth);
    expect(await page.getByLabel('Target recall (%)').inputValue()).toBe('90');
  });

  it('says there is nothing to plan for an exam today or past, and refuses a target that is no whole percentage', async () => {
    const { page, baseUrl } = phone();
    await page.goto(`${baseUrl}#/stats`);
    await page.getByRole('heading', { name: 'Exam readiness' }).waitFor();
    const local = new Date();
    const today = `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`;
    // Before 4 AM the study day is still yesterday's: the exam "today" is tomorrow's study day.
    if (local.getHours() >= 4) {
      await page.getByLabel('Exam date (optional)').fill(today);
      await page.getByText('The exam is today: no study day is left to plan.').waitFor();
    }
    await page.getByLabel('Exam date (optional)').fill('2020-01-01');
    await page.getByText('That exam date is past: there is nothing left to plan.').waitFor();

    await page.getByLabel('Target recall (%)').fill('100');
    await page.getByText('The target recall must be a whole number from 50 to 99.').waitFor();
    expect(await page.locator('.exam-plan').count()).toBe(0);
  });
});
