// The card editor: where Save and the back arrows lead (explicit routes, never the browser's
// history, which a tab opened on the editor does not have), its preview, and its speed.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { phoneForEachTest } from './browser.ts';
import { currentCardId, openDeck, waitForCard } from './reviewActions.ts';

const phone = phoneForEachTest({ serviceWorkers: 'block' });

const hash = (page: Page) => page.evaluate(() => location.hash);

async function saveFront(page: Page, front: string) {
  await page.getByLabel('Front', { exact: true }).fill(front);
  await page.getByRole('button', { name: 'Save' }).tap();
}

describe('card editor navigation', () => {
  it('saves an edit from the review screen back to the deck, and Back neither reopens the editor nor leaves the deck', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await openDeck(page, 'Steering Committee');
    const card = (await currentCardId(page))!;
    await page.keyboard.press('e');
    await saveFront(page, 'Edited from the review screen');
    await waitForCard(page, card);
    expect(await hash(page)).toBe('#/deck/governance');
    await page.locator('article.card', { hasText: 'Edited from the review screen' }).waitFor();
    // The editor's entry was replaced by the deck's: Back goes to the deck as it was before.
    await page.goBack();
    expect(await hash(page)).toBe('#/deck/governance');
    await page.locator('article.card').waitFor();
  });

  it('saves an edit opened in a new tab to the card deck, staying in the app', async () => {
    const { page, baseUrl } = phone();
    // A new tab opened on the editor: only about:blank behind it in the tab's history.
    await page.goto(`${baseUrl}#/edit/governance-steering-size`);
    await page.waitForFunction(() => document.querySelector('textarea')?.value);
    await saveFront(page, 'Edited in a tab of its own');
    await page.locator('article.card').waitFor();
    expect(page.url()).toBe(`${baseUrl}#/deck/governance`);
  });

  it('saves an edit opened from the card screen back to that card; its back arrow leads to browse', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    await page.goto(`${baseUrl}#/card/governance-steering-size`);
    await page.getByRole('link', { name: 'Edit' }).tap();
    await page.getByLabel('Front', { exact: true }).waitFor();
    await page.waitForFunction(() => document.querySelector('textarea')?.value);
    expect(await hash(page)).toBe('#/edit/governance-steering-size?from=card');
    await saveFront(page, 'Edited from the card screen');
    await page.locator('article.card', { hasText: 'Edited from the card screen' }).waitFor();
    expect(await hash(page)).toBe('#/card/governance-steering-size');
    await page.getByRole('link', { name: 'Back to browse' }).tap();
    await page.getByLabel('Search cards').waitFor();
    expect(await hash(page)).toBe('#/browse');
  });
});

describe('card editor preview', () => {
  it('shows each card of a cloze note, with the deletion marked in text and in code', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    await page.goto(`${baseUrl}#/add/governance`);
    await page.getByLabel('Cloze').check();
    await page.getByLabel(/Text, with deletions/).fill('Run `kubectl {{c1::drain}} node-1` before {{c2::maintenance::when}}.');
    const preview = page.locator('.preview');
    await preview.getByRole('region', { name: 'Card 2' }).waitFor();
    expect(await preview.innerText()).not.toContain('{{c');
    expect(await preview.innerText()).not.toContain('**');
    const card1 = preview.getByRole('region', { name: 'Card 1' });
    expect(await card1.locator('code .cloze').allTextContents()).toEqual(['[…]', 'drain']);
    const card2 = preview.getByRole('region', { name: 'Card 2' });
    expect(await card2.locator('.cloze').allTextContents()).toEqual(['[when]', 'maintenance']);
  });

  it('keeps typing cheap after pasting a megabyte: the preview follows after a pause', async () => {
    const { page, baseUrl } = phone();
    await page.goto(`${baseUrl}#/add/governance`);
    const front = page.getByLabel('Front', { exact: true });
    await front.fill('_x '.repeat(350_000));
    await page.waitForFunction(() => document.querySelector('.preview')?.textContent?.includes('_x _x'));
    await front.press('End');
    // Script time, not time to the next frame: Chromium's own editing of a 1 MB textarea
    // takes hundreds of milliseconds here, with or without the app around it.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const scriptMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'ScriptDuration')!.value * 1000;
    const keystrokeMs: number[] = [];
    for (const key of 'typing') {
      const before = await scriptMs();
      await page.keyboard.press(key);
      await page.evaluate(() => new Promise(requestAnimationFrame));
      keystrokeMs.push((await scriptMs()) - before);
    }
    console.log(`script per keystroke after a 1 MB paste: ${keystrokeMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    expect(keystrokeMs.sort((a, b) => a - b)[Math.floor(keystrokeMs.length / 2)]).toBeLessThan(30);
    await page.waitForFunction(() => document.querySelector('.preview')?.textContent?.includes('_x typing'));
    await page.getByRole('button', { name: 'Add', exact: true }).tap();
    await page.getByText('Front: 1,050,006 characters, more than the 65,536 a field may hold.').waitFor();
  });
});
