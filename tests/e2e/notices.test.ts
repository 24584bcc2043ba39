// Small notices: "ready to work offline" leaves by itself, and where the browser offers to
// install the app (beforeinstallprompt, as Chromium does here) the home screen offers it in
// words, in the page and never over it.
import { describe, expect, it } from 'vitest';
import { phoneForEachTest } from './browser.ts';

const phone = phoneForEachTest();

describe('notices', () => {
  it('says the app is ready offline, then lets the notice go by itself', { timeout: 40_000 }, async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    const ready = page.getByText('Kubecards is ready to work offline.');
    await ready.waitFor({ timeout: 20_000 });
    await ready.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('offers to install in a line of the home screen when the browser does; Install opens its dialog, Not now is kept', async () => {
    const { page, baseUrl } = phone();
    await page.addInitScript(() => {
      // Chromium may make the offer itself, or not: either way prompt() says it was called.
      const prompt = async () => localStorage.setItem('prompted', 'yes');
      const real = (window as unknown as { BeforeInstallPromptEvent?: { prototype: { prompt: unknown } } }).BeforeInstallPromptEvent;
      if (real) real.prototype.prompt = prompt;
      addEventListener('load', () => setTimeout(() => dispatchEvent(Object.assign(new Event('beforeinstallprompt', { cancelable: true }), { prompt })), 100));
    });
    await page.goto(baseUrl);
    const hint = page.locator('.install-hint');
    await hint.getByText('Install Kubecards on this device').waitFor();
    // In the page, not over it: the deck list stays tappable.
    expect(await hint.evaluate((element) => getComputedStyle(element).position)).toBe('static');
    await hint.getByRole('button', { name: 'Install' }).tap();
    await hint.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => localStorage.getItem('prompted'))).toBe('yes');

    await page.reload();
    await hint.getByRole('button', { name: 'Not now' }).tap();
    await hint.waitFor({ state: 'detached' });
    await page.reload();
    await page.locator('a.deck').first().waitFor();
    await page.waitForTimeout(500);
    expect(await hint.count()).toBe(0);
  });

  it('makes the statistics link a 48 px target', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    const link = page.getByRole('link', { name: 'Statistics and exam readiness' });
    await link.waitFor();
    expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(48);
  });
});

describe('words for what the colours and short names say', () => {
  it('keys the counts on the home screen, gives the whole deck name in the deck menu, and a 48 px Fuzz setting', async () => {
    const { page, baseUrl } = phone();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(baseUrl);
    expect(await page.locator('.counts-key').innerText()).toMatch(/New\s+Learning\s+To review/);
    await page.locator('a.deck', { hasText: 'Contributing to open source' }).tap();
    await page.getByRole('button', { name: 'Deck menu' }).tap();
    await expect(page.locator('.deck-menu-title').textContent()).resolves.toBe('Contributing to open source and the Kubernetes community');
    await page.goto(`${baseUrl}#/settings`);
    const fuzz = page.locator('label', { hasText: 'Fuzz' });
    expect((await fuzz.boundingBox())!.height).toBeGreaterThanOrEqual(48);
  });
});
