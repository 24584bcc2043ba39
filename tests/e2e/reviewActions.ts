// What a user does on the review screen, for the end-to-end tests.
import type { Page } from 'playwright-core';
import type { ReviewLogRow } from '../../src/domain/types.ts';
import { readStore } from './browser.ts';

export function currentCardId(page: Page): Promise<string | null> {
  return page.locator('article.card').getAttribute('data-card-id');
}

export async function waitForCardOtherThan(page: Page, id: string | null): Promise<void> {
  await page.waitForFunction((previous) => {
    const card = document.querySelector('article.card');
    return (card !== null || document.querySelector('.done') !== null) && card?.getAttribute('data-card-id') !== previous;
  }, id);
}

export async function waitForCard(page: Page, id: string | null): Promise<void> {
  await page.waitForFunction((wanted) => document.querySelector('article.card')?.getAttribute('data-card-id') === wanted, id);
}

/** Opens a deck from the home screen by part of its title. */
export async function openDeck(page: Page, title: string): Promise<void> {
  await page.locator('a.deck', { hasText: title }).tap();
  await page.locator('article.card').waitFor();
}

/** Show answer, then Good, then waits until the next card (or the done screen) is shown. */
export async function answerGood(page: Page): Promise<string> {
  const id = (await currentCardId(page))!;
  await page.getByRole('button', { name: 'Show answer' }).tap();
  await page.getByRole('button', { name: /^Good/ }).tap();
  await waitForCardOtherThan(page, id);
  return id;
}

export async function reviewLog(page: Page): Promise<ReviewLogRow[]> {
  return readStore<ReviewLogRow>(page, 'reviewLog');
}

/** Answers the app's own question sheet (ask.tsx): types `text` into its field, if given, then confirms. */
export async function answerQuestion(page: Page, text?: string): Promise<void> {
  const sheet = page.locator('dialog.question[open]');
  await sheet.waitFor();
  if (text !== undefined) await sheet.getByRole('textbox').fill(text);
  await sheet.locator('button[type=submit]').tap();
}
