// Small notices: "ready to work offline" leaves by itself, and where the browser offers to
// install the app (beforeinstallprompt) the app offers it in words, once.
import { describe, expect, it } from 'vitest';
import { phoneForEachTest, waitForServiceWorkerControl } from './browser.ts';

const phone = phoneForEachTest();

describe('notices', () => {
  it('says the app is ready offline, then lets the notice go by itself', { timeout: 40_000 }, async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    const ready = page.getByText('Kubecards is ready to work offline.');
    await ready.waitFor({ timeout: 20_000 });
    await ready.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('offers to install when the browser does, and Install opens the browser\'s dialog', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    await waitForServiceWorkerControl(page);
    await page.evaluate(() => {
      const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
        prompt: async () => ((window as unknown as { prompted: boolean }).prompted = true),
      });
      dispatchEvent(offer);
    });
    await page.getByText('Install Kubecards on this device').waitFor();
    await page.getByRole('button', { name: 'Install' }).tap();
    await page.getByText('Install Kubecards on this device').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (window as unknown as { prompted?: boolean }).prompted)).toBe(true);
  });

  it('makes the statistics link a 48 px target', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    const link = page.getByRole('link', { name: 'Statistics and exam readiness' });
    await link.waitFor();
    expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(48);
  });
});
