// A package shared to the installed app (Android's share sheet: the manifest's share_target,
// a POST the service worker answers) is imported when the data screen opens.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CardRecord } from '../../src/domain/types.ts';
import { phoneForEachTest, readStore, waitForServiceWorkerControl } from './browser.ts';

const phone = phoneForEachTest();
const update1 = readFileSync(new URL('../../../shared/fixtures/anki/update1.apkg', import.meta.url));

describe('a package shared to the app', () => {
  it('is kept by the service worker and imported by the data screen', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await waitForServiceWorkerControl(page);
    const manifest = await (await page.request.get(`${baseUrl}manifest.webmanifest`)).json();
    expect(manifest.share_target).toMatchObject({ action: './share-target', method: 'POST', enctype: 'multipart/form-data' });
    // What the share sheet sends: the file as multipart form data, a POST to the action.
    const redirectedTo = await page.evaluate(async (bytes) => {
      const form = new FormData();
      form.append('file', new File([new Uint8Array(bytes)], 'update1.apkg'));
      const response = await fetch('share-target', { method: 'POST', body: form });
      return response.url;
    }, [...update1]);
    // The answer is the app itself (the service worker serves index.html for it).
    expect([baseUrl, `${baseUrl}index.html`]).toContain(redirectedTo);
    await page.goto(`${baseUrl}#/data?shared`);
    await expect.poll(() => page.getByTestId('summary-notes').textContent(), { timeout: 30_000 }).toBe('1 new, 0 updated');
    const cards = await readStore<CardRecord>(page, 'cards');
    expect(cards.filter((card) => card.kind === 'html').map((card) => card.front)).toEqual(['hello']);
    // Taken once: opening the screen again imports nothing.
    await page.reload();
    await page.getByRole('heading', { name: 'Import, export, backups' }).waitFor();
    expect(await page.getByTestId('summary-notes').count()).toBe(0);
  });
});
