// The app asks its questions in sheets of its own, never with the browser's prompt(),
// confirm() or alert(): those block the page, cannot be styled or reached with a thumb, and
// installed apps on some platforms show them with the site's address as their title.
import { describe, expect, it } from 'vitest';
import type { Deck } from '../../src/domain/types.ts';
import { phoneForEachTest, readStore, seriousAxeViolations } from './browser.ts';
import { answerQuestion } from './reviewActions.ts';

const phone = phoneForEachTest();

describe('questions the app asks', () => {
  it('asks for a new deck in a sheet: focus in its field, Escape cancels and gives focus back, no browser dialog', async () => {
    const { page, baseUrl } = phone();
    const native: string[] = [];
    page.on('dialog', (dialog) => {
      native.push(dialog.type());
      void dialog.dismiss();
    });
    await page.goto(baseUrl);
    const newDeck = page.getByRole('button', { name: 'New deck' });
    await newDeck.tap();
    const sheet = page.locator('dialog.question[open]');
    await sheet.waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('dialog.question') !== null && document.activeElement?.tagName)).toBe('INPUT');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('New deck');

    await newDeck.tap();
    await answerQuestion(page, 'Networking notes');
    await page.waitForURL(/#\/add\//);
    expect((await readStore<Deck>(page, 'decks')).map((deck) => deck.title)).toContain('Networking notes');

    // Deleting a deck asks first; Cancel keeps it.
    await page.goto(`${baseUrl}#/`);
    await page.locator('a.deck', { hasText: 'Networking notes' }).tap();
    await page.getByRole('button', { name: 'Deck menu' }).tap();
    await page.getByRole('button', { name: 'Delete deck' }).tap();
    await page.locator('dialog.question[open]').getByRole('button', { name: 'Cancel' }).tap();
    expect((await readStore<Deck>(page, 'decks')).map((deck) => deck.title)).toContain('Networking notes');
    await page.getByRole('button', { name: 'Delete deck' }).tap();
    await answerQuestion(page);
    await page.waitForURL(/#\/$/);
    expect((await readStore<Deck>(page, 'decks')).map((deck) => deck.title)).not.toContain('Networking notes');
    expect(native).toEqual([]);
  });
});
