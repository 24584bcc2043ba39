// Browse on a phone: fields big enough to tap and read without iOS zooming, Anki's search
// terms (an unknown one is an error naming it), and bulk delete that Undo takes back whole.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CardRecord, ReviewLogRow } from '../../src/domain/types.ts';
import { phoneForEachTest, readStore, seriousAxeViolations } from './browser.ts';
import { answerGood, answerQuestion, reviewLog } from './reviewActions.ts';

const phone = phoneForEachTest({ serviceWorkers: 'block' });

async function heightAndFontSize(control: Locator): Promise<{ height: number; fontSize: number }> {
  return control.evaluate((element) => ({ height: element.getBoundingClientRect().height, fontSize: parseFloat(getComputedStyle(element).fontSize) }));
}

async function cardIds(page: Page): Promise<string[]> {
  return (await readStore<CardRecord>(page, 'cards')).map((card) => card.id);
}

function rowsOf(page: Page): Locator {
  return page.locator('.browse-list li a');
}

describe('Browse on a phone', () => {
  it('has a search field and sort menu at least 48 px tall with 16 px text at 360 px, and names an unknown term in an error', async () => {
    const { page, baseUrl } = phone();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${baseUrl}#/browse`);
    await page.getByTestId('browse-status').filter({ hasText: /^[\d,]+ of [\d,]+ cards$/ }).waitFor();
    for (const control of [page.getByLabel('Search cards'), page.getByLabel('Sort by')]) {
      const { height, fontSize } = await heightAndFontSize(control);
      expect(height).toBeGreaterThanOrEqual(48);
      expect(fontSize).toBeGreaterThanOrEqual(16);
    }
    // Each row's checkbox strip is a 48 px target; the state line is shown whole.
    const select = (await page.locator('.row-select').first().boundingBox())!;
    expect(Math.min(select.width, select.height)).toBeGreaterThanOrEqual(48);
    const state = page.locator('.row-state').first();
    expect(await state.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: '/tmp/kubecards-browse-360.png' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: '/tmp/kubecards-browse-360-dark.png' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByLabel('Search cards').fill('deck:current foo:bar');
    const error = page.getByRole('alert').filter({ hasText: 'Unknown search term "foo:bar"' });
    await error.waitFor();
    expect(await rowsOf(page).count()).toBe(0);
    expect(await page.getByLabel('Search cards').getAttribute('aria-invalid')).toBe('true');

    // Terms of Anki's that once found nothing silently now answer.
    await page.getByLabel('Search cards').fill('added:1 note:basic -rated:1');
    await page.getByTestId('browse-status').filter({ hasText: /^[1-9][\d,]* of / }).waitFor();
  });

  it('deletes two selected cards with their history after an in-app question; Undo brings both back', async () => {
    const { page, baseUrl } = phone();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(baseUrl);
    await page.locator('a.deck').first().tap();
    await page.locator('article.card').waitFor();
    const answered = [await answerGood(page), await answerGood(page)];
    const historyBefore = (await reviewLog(page)).filter((row) => answered.includes(row.cardId));
    expect(historyBefore).toHaveLength(2);
    const countBefore = (await cardIds(page)).length;

    // The two cards answered today, found by Anki's rated:1.
    await page.goto(`${baseUrl}#/browse?q=rated:1`);
    await page.getByTestId('browse-status').filter({ hasText: /^2 of / }).waitFor();
    const found = await rowsOf(page).evaluateAll((links) => links.map((link) => link.getAttribute('data-card-id')));
    expect(found.sort()).toEqual([...answered].sort());
    await page.getByLabel('Select all 2 cards').check();
    await page.getByText('2 cards selected').waitFor();
    await page.getByRole('button', { name: 'Actions…' }).tap();
    await page.locator('dialog.sheet[open]').getByRole('button', { name: 'Suspend', exact: true }).waitFor();
    await page.screenshot({ path: '/tmp/kubecards-browse-actions-360.png' });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Delete…' }).tap();
    const question = page.locator('dialog.question[open]');
    // As in Anki, a note goes whole: the cards of the same cloze notes go with the two.
    const cards = await readStore<CardRecord>(page, 'cards');
    const notes = new Set(cards.filter((card) => answered.includes(card.id)).map((card) => card.cloze?.noteId ?? card.id));
    const deleted = cards.filter((card) => notes.has(card.cloze?.noteId ?? card.id) && card.queue !== -3).map((card) => card.id);
    await question.getByText(`Delete ${deleted.length} cards?`).waitFor();
    await answerQuestion(page);

    await page.getByTestId('browse-status').filter({ hasText: /^0 of / }).waitFor();
    const idsAfter = await cardIds(page);
    expect(idsAfter).toHaveLength(countBefore - deleted.length);
    for (const id of deleted) expect(idsAfter).not.toContain(id);
    expect((await reviewLog(page)).filter((row) => answered.includes(row.cardId))).toEqual([]);
    await page.screenshot({ path: '/tmp/kubecards-browse-deleted-360.png' });

    await page.getByRole('button', { name: 'Undo delete cards' }).tap();
    await page.getByTestId('browse-status').filter({ hasText: /^2 of / }).waitFor();
    expect((await cardIds(page)).length).toBe(countBefore);
    const historyAfter = (await readStore<ReviewLogRow>(page, 'reviewLog')).filter((row) => answered.includes(row.cardId));
    expect(historyAfter).toEqual(historyBefore);
  });

  it("follows another tab's bulk action and its undo without a reload", async () => {
    const { context, page, baseUrl } = phone();
    await page.goto(`${baseUrl}#/browse?q=tag:crosstab`);
    await page.getByTestId('browse-status').filter({ hasText: /^0 of / }).waitFor();
    const other = await context.newPage();
    await other.goto(`${baseUrl}#/browse`);
    const first = rowsOf(other).first();
    await first.waitFor();
    const id = await first.getAttribute('data-card-id');
    await other.locator('.row-select input').first().check();
    await other.getByText('1 card selected').waitFor();
    await other.getByRole('button', { name: 'Actions…' }).tap();
    await other.getByLabel('Tag to add').fill('crosstab');
    await other.getByRole('button', { name: 'Add tag' }).tap();
    await other.getByText('Tagged “crosstab” on 1 card.').waitFor();

    // The first tab's search worker heard of the change, read that card again and searched anew.
    await page.getByTestId('browse-status').filter({ hasText: /^1 of / }).waitFor();
    expect(await rowsOf(page).evaluateAll((links) => links.map((link) => link.getAttribute('data-card-id')))).toEqual([id]);
    await other.getByRole('button', { name: 'Undo add tag' }).tap();
    await page.getByTestId('browse-status').filter({ hasText: /^0 of / }).waitFor();
  });
});
