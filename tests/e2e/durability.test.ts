import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardRecord, ReviewLogRow } from '../../src/domain/types.ts';
import { openPhone, readStore, type PhoneBrowser } from './browser.ts';

let phone: PhoneBrowser;
beforeEach(async () => {
  phone = await openPhone();
});
afterEach(async () => {
  await phone.close();
});

/** Opens the history deck, answers Good on the first card and waits for the next card. */
async function answerOneCard(page: Page, baseUrl: string): Promise<string> {
  await page.goto(baseUrl);
  await page.locator('a.deck', { hasText: 'Kubernetes history' }).tap();
  const card = page.locator('article.card');
  const id = (await card.getAttribute('data-card-id'))!;
  await page.getByRole('button', { name: 'Show answer' }).tap();
  await page.getByRole('button', { name: /^Good/ }).tap();
  await page.waitForFunction((first) => document.querySelector('article.card')?.getAttribute('data-card-id') !== first, id);
  return id;
}

async function expectStoredOnce(page: Page, baseUrl: string, id: string) {
  await page.goto(baseUrl);
  await page.locator('a.deck').first().waitFor();
  const log = (await readStore<ReviewLogRow>(page, 'reviewLog')).filter((row) => row.cardId === id);
  expect(log).toHaveLength(1);
  const card = (await readStore<CardRecord>(page, 'cards')).find((stored) => stored.id === id)!;
  expect(card.reps).toBe(1);
  expect(card.due.getTime()).toBe(log[0].due.getTime());
}

describe('an answer survives the page going away', () => {
  it('is stored exactly once after the renderer crashes', async () => {
    const { context, page, baseUrl } = phone;
    const id = await answerOneCard(page, baseUrl);
    const devtools = await context.newCDPSession(page);
    const crashed = page.waitForEvent('crash');
    devtools.send('Page.crash').catch(() => {}); // never answers: the page is gone
    await crashed;
    await expectStoredOnce(await context.newPage(), baseUrl, id);
  });

  it('is stored exactly once after the tab is closed', async () => {
    const { context, page, baseUrl } = phone;
    const id = await answerOneCard(page, baseUrl);
    await page.close();
    await expectStoredOnce(await context.newPage(), baseUrl, id);
  });
});
