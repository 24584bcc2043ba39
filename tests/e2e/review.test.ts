import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { intervalLabel } from '../../src/domain/intervalLabel.ts';
import type { CardRecord, ReviewLogRow } from '../../src/domain/types.ts';
import { phoneForEachTest, readStore } from './browser.ts';
import { currentCardId, waitForCard, waitForCardOtherThan } from './reviewActions.ts';

const phone = phoneForEachTest();

const counts = async (page: Page) => {
  const read = async (key: string) =>
    (await page.locator(`header [data-count="${key}"]`).first().textContent())!.replace(/\s+/g, ' ').trim();
  return { newCards: await read('newCards'), learning: await read('learning'), reviews: await read('reviews') };
};
const gradeLabels = (page: Page) =>
  page.locator('.grades button').evaluateAll((buttons) =>
    buttons.map((button) => ({
      name: button.querySelector('.grade-name')!.textContent,
      interval: button.querySelector('.grade-interval')!.textContent,
    })),
  );
const cardInDb = async (page: Page, id: string) => (await readStore<CardRecord>(page, 'cards')).find((card) => card.id === id)!;
const logOf = async (page: Page, id: string) => (await readStore<ReviewLogRow>(page, 'reviewLog')).filter((row) => row.cardId === id);

async function expectGradeButtonsWithIntervals(page: Page) {
  const labels = await gradeLabels(page);
  expect(labels.map((label) => label.name)).toEqual(['Again', 'Hard', 'Good', 'Easy']);
  for (const { interval } of labels) expect(interval).toMatch(/^\d+(\.\d)?(s|m|h|d|mo|y)$/);
  // New card, default steps 1m 10m: Again 1m, Hard 6m, Good 10m, Easy some days.
  expect(labels.map((label) => label.interval).slice(0, 3)).toEqual(['1m', '6m', '10m']);
  return labels;
}

describe('review loop on a phone', () => {
  it('answers, shows intervals, undoes and keeps the answer across a reload (touch)', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    const deckLink = page.locator('a.deck', { hasText: 'Kubernetes history' });
    await deckLink.waitFor();
    const deckCounts = await deckLink.locator('[data-count]').allTextContents();
    expect(deckCounts[0]).toMatch(/^20 new/);
    await deckLink.tap();

    const first = await currentCardId(page);
    expect(first).toBeTruthy();
    const firstStored = await cardInDb(page, first!);
    expect(await counts(page)).toEqual({ newCards: '20 new', learning: '0 learning', reviews: '0 to review' });

    await page.getByRole('button', { name: 'Show answer' }).tap();
    const labels = await expectGradeButtonsWithIntervals(page);
    for (const button of await page.locator('.answer-bar button').all()) {
      const box = (await button.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(48);
      expect(box.width).toBeGreaterThanOrEqual(48);
      // Within thumb reach: in the lower third of the screen.
      expect(box.y).toBeGreaterThan((915 * 2) / 3);
    }

    await page.getByRole('button', { name: /^Good/ }).tap();
    await waitForCardOtherThan(page, first);
    const second = await currentCardId(page);
    expect(second).not.toBe(first);
    const answered = await cardInDb(page, first!);
    // The label on the button equals the interval stored.
    expect(intervalLabel(answered.due.getTime() - answered.last_review!.getTime())).toBe(labels[2].interval);
    expect(await logOf(page, first!)).toHaveLength(1);
    expect(await counts(page)).toEqual({ newCards: '19 new', learning: '1 learning', reviews: '0 to review' });

    await page.getByRole('button', { name: 'Undo' }).tap();
    await waitForCard(page, first);
    expect(await cardInDb(page, first!)).toEqual({ ...firstStored, rev: firstStored.rev + 2 });
    expect(await logOf(page, first!)).toHaveLength(0);
    expect(await counts(page)).toEqual({ newCards: '20 new', learning: '0 learning', reviews: '0 to review' });

    // Space after tapping Undo shows the answer; it must not undo a second time.
    await page.keyboard.press('Space');
    await page.locator('.grades').waitFor();
    expect(await logOf(page, first!)).toHaveLength(0);
    await page.getByRole('button', { name: /^Good/ }).tap();
    await waitForCardOtherThan(page, first);

    await page.reload();
    await page.locator('article.card').waitFor();
    expect(await currentCardId(page)).toBe(second);
    expect(await counts(page)).toEqual({ newCards: '19 new', learning: '1 learning', reviews: '0 to review' });
    expect(await logOf(page, first!)).toHaveLength(1);
    expect((await cardInDb(page, first!)).reps).toBe(1);

    // No horizontal scroll on a small phone.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByRole('link', { name: 'Back to decks' }).tap();
    await deckLink.waitFor();
    await expect(deckLink.locator('[data-count]').allTextContents()).resolves.toEqual([
      '19 new',
      '1 learning',
      '0 to review',
    ]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('does the same with the keyboard alone', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    // Tab to the first deck (past the bar's links, the statistics link and an install offer), then open it.
    for (let tabs = 0; tabs < 12 && !(await page.evaluate(() => document.activeElement?.matches('a.deck'))); tabs++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.locator('article.card').waitFor();
    const first = await currentCardId(page);
    const firstStored = await cardInDb(page, first!);
    const before = await counts(page);
    const newBefore = Number.parseInt(before.newCards);
    expect(before).toMatchObject({ learning: '0 learning', reviews: '0 to review' });

    await page.keyboard.press('Space');
    await expectGradeButtonsWithIntervals(page);
    await page.keyboard.press('3');
    await waitForCardOtherThan(page, first);
    const second = await currentCardId(page);
    expect(await logOf(page, first!)).toHaveLength(1);

    await page.keyboard.press('u');
    await waitForCard(page, first);
    expect(await cardInDb(page, first!)).toEqual({ ...firstStored, rev: firstStored.rev + 2 });
    expect(await logOf(page, first!)).toHaveLength(0);

    // Enter shows the answer, Enter again answers Good; Ctrl+Z undoes too.
    await page.keyboard.press('Enter');
    await page.locator('.grades').waitFor();
    await page.keyboard.press('Enter');
    await waitForCardOtherThan(page, first);
    await page.keyboard.press('Control+z');
    await waitForCard(page, first);
    await page.keyboard.press('Space');
    await page.keyboard.press('Space');
    await waitForCardOtherThan(page, first);
    expect(await currentCardId(page)).toBe(second);

    await page.reload();
    await page.locator('article.card').waitFor();
    expect(await counts(page)).toEqual({ newCards: `${newBefore - 1} new`, learning: '1 learning', reviews: '0 to review' });
    expect(await logOf(page, first!)).toHaveLength(1);
  });
});
