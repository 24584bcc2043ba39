// Settings → Display: a theme other than the system's, and a card text size, kept on this
// device across reloads.
import { describe, expect, it } from 'vitest';
import { phoneForEachTest } from './browser.ts';
import { openDeck } from './reviewActions.ts';

const phone = phoneForEachTest({ colorScheme: 'light' });

describe('display settings', () => {
  it('shows dark on a light system when chosen, and larger card text, after a reload too', async () => {
    const { page, baseUrl } = phone();
    const rootBackground = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.goto(`${baseUrl}#/settings`);
    await page.getByRole('radio', { name: 'Dark' }).waitFor();
    expect(await rootBackground()).toBe('rgb(250, 250, 250)');
    await page.getByRole('radio', { name: 'Dark' }).check();
    expect(await rootBackground()).toBe('rgb(18, 19, 22)');

    await page.goto(`${baseUrl}#/`);
    await openDeck(page, 'Kubernetes history');
    const size = () => page.locator('.card-text').first().evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
    const defaultSize = await size();
    await page.goto(`${baseUrl}#/settings`);
    await page.getByLabel('Card text size').selectOption({ label: 'Larger' });
    await page.reload();
    await page.getByRole('radio', { name: 'Dark' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    expect(await rootBackground()).toBe('rgb(18, 19, 22)');
    await page.goto(`${baseUrl}#/`);
    await openDeck(page, 'Kubernetes history');
    expect(await size()).toBeCloseTo(defaultSize * 1.3, 0);
  });
});
