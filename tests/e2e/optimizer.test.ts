// Optimize in the real app: FSRS parameters fitted in the optimiser worker (fsrs-browser's
// WebAssembly, under the CSP sent as a header on every response, as deploy/ does) to a
// generated history of 10,000 reviews, compared with the native fsrs-rs on the same history.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/build/contentSecurityPolicy.ts';
import { evaluateParameters } from '../../src/domain/optimizer/evaluation.ts';
import { trainingItems } from '../../src/domain/optimizer/trainingItems.ts';
import { studyDay } from '../../src/domain/studyDay.ts';
import { fitNatively, generateLearnerLog, learnerLogEnd, seedLearnerDeck } from '../support/learnerLog.ts';
import { serveStatic, type StaticServer } from '../support/staticServer.ts';
import { phoneForEachTest, type PhoneOptions } from './browser.ts';

const build = process.env.KUBECARDS_E2E_DIST ?? 'dist';
const deckId = 'learner';

/** Main-thread tasks over 50 ms from now on, as the Long Tasks API reports them. */
const watchLongTasks = (page: Page) =>
  page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { longTasks: number[] }).longTasks = seen;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => seen.push(Math.round(entry.duration)))).observe({ type: 'longtask' });
  });
const longTasks = (page: Page) => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);

const parametersField = (page: Page) => page.locator('input[name="fsrsParameters"]');

function servedWith(policy: string): () => ReturnType<ReturnType<typeof phoneForEachTest>> {
  let server: StaticServer;
  const options: PhoneOptions = { serviceWorkers: 'block' };
  beforeAll(async () => {
    server = await serveStatic(build, '/', { headers: { 'Content-Security-Policy': policy } });
    options.baseUrl = server.url;
  });
  afterAll(() => server.close());
  return phoneForEachTest(options);
}

describe('Optimize', () => {
  const phone = servedWith(contentSecurityPolicy);
  const { cards, log } = generateLearnerLog(10_000, learnerLogEnd);

  it('fits parameters in the worker that predict the reviews as well as native fsrs-rs, applies them with undo, and never blocks the page', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    await seedLearnerDeck(page, cards, log, deckId);
    await page.goto(`${baseUrl}#/options/${deckId}`);
    await expect.poll(() => parametersField(page).inputValue()).toBe('');
    await watchLongTasks(page);

    const started = performance.now();
    await page.getByRole('button', { name: 'Optimize', exact: true }).click();
    await page.getByRole('progressbar').first().waitFor();
    // Applying asks whether to reschedule: not now.
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click({ timeout: 180_000 }).catch(async (error) => {
      console.log(await page.locator('main').textContent());
      throw error;
    });
    const browserMs = performance.now() - started;
    const result = page.getByTestId('optimize-result');
    await expect.poll(() => result.textContent()).toContain('they are now in use');
    const fitted = (await parametersField(page).inputValue()).split(',').map(Number);
    expect(fitted).toHaveLength(21);

    // The same history through native fsrs-rs, in Node.
    const { items } = trainingItems(log, (at) => studyDay(at, 4).number);
    const { parameters: native, ms: nativeMs } = await fitNatively(items);
    const [defaults, inBrowser, inNode] = [undefined, fitted, native].map((parameters) => evaluateParameters(parameters, items)!);
    console.log(
      `optimizer, ${log.length} reviews (${items.length} items): browser ${(browserMs / 1000).toFixed(1)} s from the tap, native ${(nativeMs / 1000).toFixed(2)} s; ` +
        `log loss defaults ${defaults.logLoss.toFixed(4)}, browser ${inBrowser.logLoss.toFixed(4)}, native ${inNode.logLoss.toFixed(4)}; ` +
        `RMSE(bins) ${(defaults.rmseBins * 100).toFixed(2)} %, ${(inBrowser.rmseBins * 100).toFixed(2)} %, ${(inNode.rmseBins * 100).toFixed(2)} %`,
    );
    // Parameters are not unique (the loss is flat along some directions, and the two builds
    // differ in fsrs-rs version and batching), so what must agree is what they predict: log
    // loss within 1 % of native's and RMSE(bins) within 1 percentage point, both on the same
    // reviews, and both better than the defaults on this learner.
    expect(Math.abs(inBrowser.logLoss - inNode.logLoss) / inNode.logLoss).toBeLessThan(0.01);
    expect(Math.abs(inBrowser.rmseBins - inNode.rmseBins)).toBeLessThan(0.01);
    expect(inBrowser.logLoss).toBeLessThan(defaults.logLoss);
    // The figures shown are the ones computed here (4 decimals).
    expect(await result.textContent()).toContain(inBrowser.logLoss.toFixed(4));
    expect(await result.textContent()).toContain(defaults.logLoss.toFixed(4));
    expect(await longTasks(page)).toEqual([]);

    await page.getByRole('button', { name: 'Undo new fsrs parameters' }).click();
    await expect.poll(() => parametersField(page).inputValue()).toBe('');
    await page.reload();
    await expect.poll(() => parametersField(page).inputValue()).toBe('');
  }, 240_000);
});

describe('Optimize, global settings and Cancel', () => {
  const phone = servedWith(contentSecurityPolicy);

  it('fits the global preset from Settings, and with under 400 reviews says the defaults are likely better', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    const { cards, log } = generateLearnerLog(300, learnerLogEnd);
    await seedLearnerDeck(page, cards, log, deckId);
    await page.goto(`${baseUrl}#/settings`);
    await page.getByRole('button', { name: 'Optimize', exact: true }).click();
    const result = page.getByTestId('optimize-result');
    await result.waitFor({ timeout: 60_000 });
    // Only the learner deck has reviews: the built-in decks use the global settings too, with none.
    expect(await result.textContent()).toMatch(/On your \d+ reviews/);
    expect(await result.textContent()).toContain("FSRS's defaults are likely better than any fit");
    // On this history the fit is no better than the defaults (the same figures): nothing changes.
    expect(await result.textContent()).toContain('Your current parameters predict your reviews at least as well: they stay.');
    expect(await parametersField(page).inputValue()).toBe('');
  }, 120_000);

  it('Cancel stops the fit and leaves the parameters as they were', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    const { cards, log } = generateLearnerLog(10_000, learnerLogEnd);
    await seedLearnerDeck(page, cards, log, deckId);
    await page.goto(`${baseUrl}#/options/${deckId}`);
    await page.getByRole('button', { name: 'Optimize', exact: true }).click();
    await page.getByRole('progressbar', { name: 'Fitting the parameters' }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByTestId('optimize-status').textContent()).toBe('Cancelled. The parameters are as they were.');
    expect(await parametersField(page).inputValue()).toBe('');
    // Nothing comes later from the ended worker.
    await page.waitForTimeout(5000);
    expect(await parametersField(page).inputValue()).toBe('');
    expect(await page.getByTestId('optimize-result').count()).toBe(0);
  }, 120_000);
});

describe('Optimize where the browser refuses WebAssembly', () => {
  const phone = servedWith(contentSecurityPolicy.replace(" 'wasm-unsafe-eval'", ''));

  it('says why and leaves the parameters as they were', async () => {
    const browser = phone();
    const { page, baseUrl } = browser;
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    const { cards, log } = generateLearnerLog(1_000, learnerLogEnd);
    await seedLearnerDeck(page, cards, log, deckId);
    await page.goto(`${baseUrl}#/options/${deckId}`);
    await page.getByRole('button', { name: 'Optimize', exact: true }).click();
    await expect.poll(() => page.getByTestId('optimize-status').textContent(), { timeout: 60_000 }).toMatch(/^The optimiser failed: .+ The parameters are as they were\.$/);
    expect(await parametersField(page).inputValue()).toBe('');
    // The refusal is the browser's own console error: expected here.
    browser.errors.length = 0;
  });
});
