// Input longer or stranger than anyone types. Deck names (older data, imports): every screen
// still fits a 360 px phone with its buttons in reach, and such a name cannot be typed in.
// Searches from a link: wildcards answer at once, and an overlong query is refused.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CardRecord, Deck } from '../../src/domain/types.ts';
import { makeCard } from '../support/cards.ts';
import { phoneForEachTest, readStore } from './browser.ts';

const phone = phoneForEachTest({ serviceWorkers: 'block' });

/** 10,000 characters and no space to break a line at. */
const longName = 'Kubernetes'.repeat(1_000);
const deck: Deck = { id: 'long-name', title: longName, description: longName, position: -1, origin: 'user' };
const card = makeCard('long-name-card', { deckId: deck.id, origin: 'user', front: 'What is in a name?', back: 'Ten thousand characters.' });

async function storeDeck(page: Page, deck: Deck, card: CardRecord) {
  await page.evaluate(
    ({ deck, card }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('kubecards');
        open.onsuccess = () => {
          const transaction = open.result.transaction(['decks', 'cards'], 'readwrite');
          transaction.objectStore('decks').put(deck);
          transaction.objectStore('cards').put(card);
          transaction.oncomplete = () => {
            open.result.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
        open.onerror = () => reject(open.error);
      }),
    { deck, card },
  );
}

/** The page is no wider than the screen. */
async function expectNoSideways(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

/** The control is on screen, on top and big enough to tap. */
async function expectInReach(control: Locator) {
  const box = (await control.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(360);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(control.page().viewportSize()!.height);
  expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(48);
  const onTop = await control.evaluate(
    (element, { x, y }) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && element.contains(hit);
    },
    { x: box.x + box.width / 2, y: box.y + box.height / 2 },
  );
  expect(onTop).toBe(true);
}

describe('a deck with a 10,000-character name', () => {
  it('fits every screen of a 360 px phone, buttons in reach', async () => {
    const { page, baseUrl } = phone();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    await storeDeck(page, deck, card);
    await page.reload();

    const deckLink = page.locator('a.deck', { hasText: 'KubernetesKubernetes' });
    await deckLink.waitFor();
    await page.screenshot({ path: '/tmp/kubecards-long-name-home.png' });
    await expectNoSideways(page);
    await expectInReach(page.getByRole('button', { name: 'New deck' }));
    await expectInReach(page.getByRole('link', { name: 'Browse cards' }));
    await expectInReach(page.getByRole('link', { name: 'Settings' }));

    await deckLink.tap();
    await page.locator('article.card').waitFor();
    await page.screenshot({ path: '/tmp/kubecards-long-name-review.png' });
    await expectNoSideways(page);
    const backToDecks = page.locator('header').getByRole('link', { name: 'Back to decks' });
    await expectInReach(backToDecks);
    await expectInReach(page.getByRole('button', { name: 'Deck menu' }));
    await expectInReach(page.getByRole('button', { name: 'Show answer' }));
    await page.getByRole('button', { name: 'Deck menu' }).tap();
    await expectInReach(page.getByRole('button', { name: 'Rename deck' }));

    await page.getByRole('link', { name: 'Deck options' }).tap();
    await page.getByRole('button', { name: 'Save' }).waitFor();
    await page.screenshot({ path: '/tmp/kubecards-long-name-options.png' });
    await expectNoSideways(page);
    await expectInReach(page.getByRole('link', { name: 'Back to the deck' }));

    // The done screen, after the deck's only card.
    await page.goto(`${baseUrl}#/deck/${deck.id}`);
    await page.getByRole('button', { name: 'Show answer' }).tap();
    await page.getByRole('button', { name: /^Easy/ }).tap();
    await page.locator('.done').waitFor();
    await page.screenshot({ path: '/tmp/kubecards-long-name-done.png' });
    await expectNoSideways(page);
    await expectInReach(backToDecks);
    await expectInReach(page.getByRole('button', { name: 'Deck menu' }));

    await page.goto(`${baseUrl}#/browse?q=deck:${'Kubernetes'.repeat(3)}*`);
    await page.getByTestId('browse-status').filter({ hasText: /^1 of / }).waitFor();
    await page.screenshot({ path: '/tmp/kubecards-long-name-browse.png' });
    await expectNoSideways(page);
    await expectInReach(backToDecks);

    await page.goto(`${baseUrl}#/card/${card.id}`);
    await page.locator('article.card').waitFor();
    await expectNoSideways(page);

    await page.goto(`${baseUrl}#/stats`);
    await page.getByRole('heading', { name: 'Exam readiness' }).waitFor();
    await expectNoSideways(page);
  });

  it('cannot be typed in as the name of a new deck or a deck renamed', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    const decksBefore = await readStore<Deck>(page, 'decks');
    // The name is refused in the question sheet itself, which stays open to correct it.
    await page.getByRole('button', { name: 'New deck' }).tap();
    await page.locator('dialog.question[open]').getByRole('textbox').fill(longName);
    await page.locator('dialog.question[open] button[type=submit]').tap();
    await page.getByRole('alert').filter({ hasText: 'a deck name can have at most 200 characters, and this one has 10000' }).waitFor();
    await page.locator('dialog.question[open]').getByRole('button', { name: 'Cancel' }).tap();
    expect(await page.evaluate(() => location.hash)).toBe('');

    await page.locator('a.deck').first().tap();
    await page.getByRole('button', { name: 'Deck menu' }).tap();
    await page.getByRole('button', { name: 'Rename deck' }).tap();
    await page.locator('dialog.question[open]').getByRole('textbox').fill(longName);
    await page.locator('dialog.question[open] button[type=submit]').tap();
    await page.getByRole('alert').filter({ hasText: 'a deck name can have at most 200 characters, and this one has 10000' }).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('dialog.question[open]').waitFor({ state: 'detached' });
    expect(await readStore<Deck>(page, 'decks')).toEqual(decksBefore);
  });
});

describe('a hostile search link', () => {
  it('answers 30 wildcards at once, and a query over 500 characters is refused', async () => {
    const { page, baseUrl } = phone();
    // A backtracking regex took 10 s for four wildcards and never ended for 30.
    await page.goto(`${baseUrl}#/browse?q=deck%3A${'*'.repeat(30)}z`);
    await page.getByTestId('browse-status').filter({ hasText: /^0 of [\d,]+ cards$/ }).waitFor({ timeout: 10_000 });

    await page.getByLabel('Search cards').fill('a'.repeat(501));
    await page.getByTestId('browse-status').filter({ hasText: 'The search is too long: 501 characters, at most 500.' }).waitFor();
  });
});
