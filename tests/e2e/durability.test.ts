import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardRecord, AnswerLogRow } from '../../src/domain/types.ts';
import { openPhone, readStore, type PhoneBrowser } from './browser.ts';
import { answerGood, openDeck } from './reviewActions.ts';

let phone: PhoneBrowser;
beforeEach(async () => {
  phone = await openPhone();
});
afterEach(async () => {
  await phone.close();
});

/** Opens the history deck and answers Good on the first card; the next card shows once it is saved. */
async function answerOneCard(page: Page, baseUrl: string): Promise<string> {
  await page.goto(baseUrl);
  await openDeck(page, 'Kubernetes history');
  return answerGood(page);
}

async function expectStoredOnce(page: Page, baseUrl: string, id: string) {
  await page.goto(baseUrl);
  await page.locator('a.deck').first().waitFor();
  const log = (await readStore<AnswerLogRow>(page, 'reviewLog')).filter((row) => row.cardId === id);
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
