import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDeckFolder } from '../../src/build/builtInDecks.ts';
import type { CardRecord, ReviewLogRow } from '../../src/domain/types.ts';
import { phoneForEachTest, readStore } from './browser.ts';
import { answerGood, openDeck } from './reviewActions.ts';

const phone = phoneForEachTest({ serviceWorkers: 'block' });
const builtInDeliveryCards = readDeckFolder(fileURLToPath(new URL('../../decks', import.meta.url)))
  .flatMap((deck) => deck.cards)
  .filter((card) => card.exam.includes('KCNA Cloud Native Application Delivery')).length;

describe('statistics and exam readiness', () => {
  it('shows answers on the home screen and the statistics screen, and readiness for every KCNA domain', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await openDeck(page, 'Pod networking');
    for (let i = 0; i < 3; i++) await answerGood(page);
    await page.goto(`${baseUrl}#/`);
    await page.getByTestId('today-reviews').filter({ hasText: '3' }).waitFor();
    expect(await page.getByTestId('streak').textContent()).toBe('1');

    await page.getByRole('link', { name: 'Statistics and exam readiness' }).tap();
    await page.getByRole('heading', { name: 'Exam readiness' }).waitFor();
    await page.getByText('1 of the last 365 days studied, 3 answers').first().waitFor();
    const domains = await page.locator('table.readiness tbody tr').evaluateAll((rows) =>
      rows.map((row) => [...row.children].map((cell) => cell.textContent)),
    );
    expect(domains.map((cells) => cells[0])).toEqual([
      'Kubernetes Fundamentals (44 %)',
      'Container Orchestration (28 %)',
      'Cloud Native Application Delivery (16 %)',
      'Cloud Native Architecture (12 %)',
    ]);
    // Container Orchestration holds the networking cards just studied: some recall now.
    expect(domains[1][1]).toMatch(/^3 of \d+$/);
    expect(domains[1][2]).toMatch(/^\d+\.\d %$/);
    expect(Number.parseFloat(domains[1][2]!)).toBeGreaterThan(0);
    // Application Delivery has no networking card: none of it studied yet.
    expect(domains[2][1]).toBe(`0 of ${builtInDeliveryCards}`);
    await expect(page.getByTestId('readiness').textContent()).resolves.toMatch(/^\d+\.\d % predicted recall today$/);
    // Without an exam date "today" is the exam: one recall column, not two that say the same.
    expect(await page.locator('table.readiness thead th').allTextContents()).toEqual(['Domain (weight)', 'Studied', 'Recall now']);

    // A chart's axes are labelled, and a tap on a bar says its value.
    const forecast = page.locator('figure.chart', { hasText: 'Future due' });
    expect(await forecast.locator('text.axis').count()).toBeGreaterThanOrEqual(6);
    // A real touch where the first bar's column is (the SVG column is the target).
    await forecast.scrollIntoViewIfNeeded();
    const column = (await forecast.locator('rect.chart-column').first().boundingBox())!;
    await page.touchscreen.tap(column.x + column.width / 2, column.y + column.height / 2);
    await forecast.locator('.chart-readout').filter({ hasText: /^today: \d+$/ }).waitFor();

    // "Study next" starts a session of that domain's cards, from every deck.
    const suggested = (await page.getByTestId('suggested').textContent())!;
    await page.getByTestId('suggested').tap();
    await page.getByRole('heading', { name: `Study: KCNA ${suggested}` }).waitFor();
    const studied = (await page.locator('article.card').getAttribute('data-card-id'))!;
    const cards = await readStore<CardRecord>(page, 'cards');
    expect(cards.find((card) => card.id === studied)!.exam).toContain(`KCNA ${suggested}`);
    await answerGood(page);
    expect((await readStore<ReviewLogRow>(page, 'reviewLog')).map((row) => row.cardId)).toContain(studied);
    await page.goto(`${baseUrl}#/stats`);
    await page.getByRole('heading', { name: 'Exam readiness' }).waitFor();

    // With an exam date a month away, predicted recall drops below today's.
    const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Exam date (optional)').fill(inAMonth);
    await page.getByTestId('readiness').filter({ hasText: 'on the exam date' }).waitFor();
    expect(await page.locator('table.readiness thead th').allTextContents()).toEqual(['Domain (weight)', 'Studied', 'Recall now', 'On exam day']);

    await page.locator('.readiness-controls select').selectOption('CKA');
    await page.locator('table.readiness tbody tr[data-domain="Troubleshooting"]').waitFor();
    expect(await page.locator('table.readiness tbody tr').count()).toBe(5);

    // Every chart says what it shows in text (once the worker has given them all, and the heatmap its table).
    await page.locator('main.stats[aria-busy="false"] figure.heatmap table').waitFor({ state: 'attached' });
    const charts = await page.locator('figure.chart').evaluateAll((figures) =>
      figures.map((figure) => ({
        label: figure.querySelector('svg')?.getAttribute('aria-label') ?? '',
        role: figure.querySelector('svg')?.getAttribute('role'),
        table: figure.querySelector('table') !== null,
      })),
    );
    expect(charts.length).toBeGreaterThanOrEqual(7);
    for (const chart of charts) {
      expect(chart.role).toBe('img');
      expect(chart.label.length).toBeGreaterThan(10);
      expect(chart.table).toBe(true);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(412);
  });
});
