import { describe, expect, it } from 'vitest';
import type { CardRecord } from '../../src/domain/types.ts';
import { phoneForEachTest, readStore, seriousAxeViolations } from './browser.ts';
import { currentCardId, openDeck, waitForCardOtherThan } from './reviewActions.ts';

// Siblings (the cards of one cloze note) never come back to back, and the done screen says
// why a deck stopped and offers Custom study.
const phone = phoneForEachTest();

/** The note a built-in card comes from: its block id, without a cloze card's `-c<n>`. */
const noteOf = (cardId: string) => cardId.replace(/-c\d+$/, '');

async function setDeckOptions(deckId: string, options: { newCardsPerDay: string; bury?: boolean }): Promise<void> {
  const { page, baseUrl } = phone();
  await page.goto(`${baseUrl}#/options/${deckId}`);
  await page.getByLabel('New cards per day').fill(options.newCardsPerDay);
  if (options.bury !== undefined) {
    for (const label of ['Bury new siblings', 'Bury review siblings', 'Bury interday learning siblings']) await page.getByLabel(label).setChecked(options.bury);
  }
  await page.getByRole('button', { name: 'Save' }).tap();
  await page.getByText('Saved.').waitFor();
  await page.goto(baseUrl);
}

async function answerEasy(): Promise<string> {
  const { page } = phone();
  const id = (await currentCardId(page))!;
  await page.getByRole('button', { name: 'Show answer' }).tap();
  await page.getByRole('button', { name: /^Easy/ }).tap();
  await waitForCardOtherThan(page, id);
  return id;
}

describe('siblings', () => {
  it('are buried by default in a built-in deck, and never come in a row over a whole deck with burying off', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await openDeck(page, 'History');
    expect(await currentCardId(page)).toBe('history-first-commit-c1');
    await answerEasy();
    const buried = (await readStore<CardRecord>(page, 'cards')).find((card) => card.id === 'history-first-commit-c2')!;
    expect(buried.queue).toBe(-2);
    // Undo takes the burial back with the answer.
    await page.keyboard.press('u');
    await page.locator('article.card[data-card-id="history-first-commit-c1"]').waitFor();
    expect((await readStore<CardRecord>(page, 'cards')).find((card) => card.id === 'history-first-commit-c2')!.queue).toBe(0);

    await setDeckOptions('history', { newCardsPerDay: '500', bury: false });
    await openDeck(page, 'History');
    const shown: string[] = [];
    while (await page.locator('article.card').count()) shown.push(await answerEasy());
    await page.locator('.done').waitFor();
    const cards = (await readStore<CardRecord>(page, 'cards')).filter((card) => card.deckId === 'history' && card.queue !== -3);
    expect(shown.length).toBe(cards.length);
    const multiCardNotes = new Set(cards.filter((card) => cards.some((other) => other.id !== card.id && noteOf(other.id) === noteOf(card.id))).map((card) => noteOf(card.id)));
    expect(multiCardNotes.size).toBeGreaterThan(2);
    const inARow = shown.slice(1).filter((id, index) => noteOf(id) === noteOf(shown[index]) && multiCardNotes.has(noteOf(id)));
    expect(inARow).toEqual([]);
  });
});

describe('the done screen', () => {
  it("says the daily new limit was reached and how many wait; Custom study raises today's limit and unburies", async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await setDeckOptions('history', { newCardsPerDay: '2' });
    await openDeck(page, 'History');
    expect(await answerEasy()).toBe('history-first-commit-c1');
    expect(await answerEasy()).toBe('history-dockercon-announcement-c1');
    const done = page.locator('.done');
    await done.waitFor();
    await expect.poll(() => done.textContent()).toMatch(/new card limit \(2\) has been reached: \d+ new cards wait/);
    const waiting = (await readStore<CardRecord>(page, 'cards')).filter((card) => card.deckId === 'history' && card.queue === 0).length;
    expect(await done.textContent()).toContain(`${waiting} new cards wait`);
    expect(await done.textContent()).toContain('2 buried cards come back tomorrow');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.getByLabel('Unbury').check();
    await page.getByRole('button', { name: 'Apply' }).tap();
    await expect.poll(async () => (await readStore<CardRecord>(page, 'cards')).filter((card) => card.queue === -2).length).toBe(0);
    await expect.poll(() => done.textContent()).not.toContain('buried');

    await page.getByLabel("Increase today's new card limit").check();
    await page.locator('input[name=custom-study-amount]').fill('3');
    await page.getByRole('button', { name: 'Apply' }).tap();
    // The unburied sibling comes first, in introduction order.
    await page.locator('article.card[data-card-id="history-first-commit-c2"]').waitFor();
    await answerEasy();
    await answerEasy();
    await answerEasy();
    await done.waitFor();
    await expect.poll(() => done.textContent()).toMatch(/new card limit \(5\) has been reached/);
  });

  it('studies the cards forgotten today, and reviews ahead, outside the schedule', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await setDeckOptions('history', { newCardsPerDay: '1' });
    await openDeck(page, 'History');
    const grade = async (name: RegExp) => {
      const id = (await currentCardId(page))!;
      await page.getByRole('button', { name: 'Show answer' }).tap();
      await page.getByRole('button', { name }).tap();
      await page.locator('.grades').waitFor({ state: 'detached' });
      return id;
    };
    // Again, then Good through the learning steps (shown early: nothing else is left).
    expect(await grade(/^Again/)).toBe('history-first-commit-c1');
    await grade(/^Good/);
    await grade(/^Good/);
    const done = page.locator('.done');
    await done.waitFor();

    await page.getByLabel('Study forgotten cards').check();
    await page.getByRole('button', { name: 'Study' }).tap();
    await page.locator('article.card[data-card-id="history-first-commit-c1"]').waitFor();
    await grade(/^Good/);
    await done.waitFor();

    await page.getByLabel('Review ahead').check();
    await page.locator('input[name=custom-study-amount]').fill('365');
    await page.getByRole('button', { name: 'Study' }).tap();
    await page.locator('article.card[data-card-id="history-first-commit-c1"]').waitFor();
    await grade(/^Good/);
    await done.waitFor();
    expect((await readStore<{ cardId: string }>(page, 'reviewLog')).filter((row) => row.cardId === 'history-first-commit-c1')).toHaveLength(5);
  });
});
