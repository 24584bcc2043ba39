// The installable, offline-first app: service worker, manifest, updates, old tabs, CSP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../support/buildApp.ts';
import { cspViolations, openPhone, seriousAxeViolations, waitForServiceWorkerControl, type PhoneBrowser, type PhoneOptions } from './browser.ts';
import { answerGood, currentCardId, openDeck, reviewLog } from './reviewActions.ts';
import { serveStatic, type StaticServer } from '../support/staticServer.ts';


let phone: PhoneBrowser | undefined;
const servers: StaticServer[] = [];

async function open(options: PhoneOptions = {}) {
  phone = await openPhone(options);
  return phone;
}

afterEach(async () => {
  if (!phone) return;
  for (const page of phone.context.pages()) if (!page.isClosed()) expect(await cspViolations(page)).toEqual([]);
  expect(phone.foreignRequests).toEqual([]);
  expect(phone.errors).toEqual([]);
  await phone.close();
  phone = undefined;
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function serve(folder: string, basePath?: string) {
  const server = await serveStatic(folder, basePath);
  servers.push(server);
  return server;
}

/** Loads once, goes offline, reloads, answers a card, reloads again: the answer is kept. */
async function expectWorksOffline({ context, page, baseUrl }: PhoneBrowser) {
  await page.goto(baseUrl);
  await page.locator('a.deck').first().waitFor();
  await waitForServiceWorkerControl(page);
  await context.setOffline(true);
  await page.reload();
  await openDeck(page, 'Kubernetes history');
  const answered = await answerGood(page);
  await page.reload();
  await page.locator('article.card').waitFor();
  const log = await reviewLog(page);
  expect(log.map((row) => row.cardId)).toEqual([answered]);
  await context.setOffline(false);
}

describe('installable offline app', () => {
  it('passes Chrome installability checks', async () => {
    const { context, page, baseUrl } = await open();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready);
    const devtools = await context.newCDPSession(page);
    const { installabilityErrors } = await devtools.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const manifest = await devtools.send('Page.getAppManifest');
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data!)).toMatchObject({ short_name: 'Kubecards', display: 'standalone' });
  });

  it('says when it is ready offline, then starts and answers offline and keeps the answer across reloads', async () => {
    const browser = await open();
    await browser.page.goto(browser.baseUrl);
    await browser.page.getByText('Kubecards is ready to work offline.').waitFor();
    await expectWorksOffline(browser);
  });

  it('works offline when deployed under a sub-path', async () => {
    const server = await serve(await buildApp({ base: '/kubecards/' }), '/kubecards/');
    const browser = await open({ baseUrl: server.url });
    await expectWorksOffline(browser);
    const scope = await browser.page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(server.url);
  });
});

describe('updates', () => {
  let buildA: string;
  let buildB: string;
  beforeAll(async () => {
    buildA = await buildApp({ label: 'A' });
    buildB = await buildApp({ label: 'B' });
  });

  it('offers a new version without interrupting the review, and reloads into it when accepted', async () => {
    const server = await serve(buildA);
    const { page } = await open({ baseUrl: server.url });
    await page.goto(server.url);
    await page.locator('a.deck').first().waitFor();
    await waitForServiceWorkerControl(page);
    await openDeck(page, 'Kubernetes history');
    await answerGood(page);

    // Half-way through the next card: its answer is showing when the new version lands.
    await page.getByRole('button', { name: 'Show answer' }).tap();
    const inProgress = await currentCardId(page);
    server.serveFrom(buildB);
    // What the app's periodic check does, until the browser has fetched and installed B.
    const notice = page.getByText('Update available');
    for (let attempt = 0; attempt < 15 && !(await notice.isVisible()); attempt++) {
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
      await notice.waitFor({ timeout: 2_000 }).catch(() => {});
    }
    await notice.waitFor({ timeout: 1_000 });
    expect(await currentCardId(page)).toBe(inProgress);
    expect(await page.locator('.grades button').count()).toBe(4);

    // The review goes on under the notice; then the user accepts.
    await page.getByRole('button', { name: /^Good/ }).tap();
    await page.waitForFunction((id) => document.querySelector('article.card')?.getAttribute('data-card-id') !== id, inProgress);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reload' }).tap()]);
    await page.goto(`${server.url}#/settings`);
    await expect(page.getByTestId('build').textContent()).resolves.toBe('B');
    expect(await reviewLog(page)).toHaveLength(2);
  });

  it('recovers from a lazy chunk that is gone with one reload', async () => {
    const { page, baseUrl } = await open({ serviceWorkers: 'block' });
    // Gone for the first page (its preload and its import alike), there again after a reload,
    // as after a deploy.
    let pages = 0;
    page.on('framenavigated', (frame) => frame === page.mainFrame() && pages++);
    let failed = 0;
    await page.route(/_virtual_built-in-deck_history-.*\.js$/, async (route) => {
      if (pages > 1) return route.continue();
      failed++;
      await route.fulfill({ status: 404, body: '' });
    });
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    expect(failed).toBeGreaterThanOrEqual(1);
    expect(pages).toBe(2);
    // The 404 of the gone chunk is expected here; nothing else may have gone wrong.
    phone!.errors.splice(0, phone!.errors.length, ...phone!.errors.filter((error) => !/404|dynamically imported module/.test(error)));
  });

  it('stops an old tab from writing when a newer version upgrades the database', async () => {
    const { context, page, baseUrl } = await open({ serviceWorkers: 'block' });
    await page.goto(baseUrl);
    await openDeck(page, 'Kubernetes history');
    await answerGood(page);

    const newer = await context.newPage();
    await newer.goto(baseUrl);
    await newer.locator('a.deck').first().waitFor();
    // What a later app version does: open the database at a higher schema version.
    await newer.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open('kubecards', 1000);
          request.onsuccess = () => {
            request.result.close();
            resolve();
          };
          request.onerror = () => reject(request.error);
        }),
    );
    await page.getByText('Kubecards was updated in another tab').waitFor();
    await expect(page.getByRole('button', { name: 'Reload' }).isVisible()).resolves.toBe(true);
    // The old tab's controls are covered; its keys write nothing.
    await page.keyboard.press('Space');
    await page.keyboard.press('3');
    await newer.close();
    const probe = await context.newPage();
    await probe.goto('about:blank');
    await probe.goto(baseUrl);
    const rows = await probe.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const request = indexedDB.open('kubecards');
          request.onsuccess = () => {
            const count = request.result.transaction('reviewLog').objectStore('reviewLog').count();
            count.onsuccess = () => resolve(count.result);
          };
          request.onerror = () => reject(request.error);
        }),
    );
    expect(rows).toBe(1);
  });
});

describe('storage that lasts', () => {
  it('asks for persistent storage after the first answer, not at first paint, and shows it in settings', async () => {
    const { context, page, baseUrl } = await open();
    await context.addInitScript(() => {
      const calls: number[] = [];
      (window as unknown as { persistCalls: number[] }).persistCalls = calls;
      const original = navigator.storage.persist.bind(navigator.storage);
      navigator.storage.persist = () => {
        calls.push(Date.now());
        return original();
      };
    });
    await page.goto(baseUrl);
    await openDeck(page, 'Kubernetes history');
    const persistCalls = () => page.evaluate(() => (window as unknown as { persistCalls: number[] }).persistCalls.length);
    expect(await persistCalls()).toBe(0);
    await answerGood(page);
    await page.waitForFunction(() => (window as unknown as { persistCalls: number[] }).persistCalls.length === 1);
    await page.goto(`${baseUrl}#/settings`);
    await page.getByTestId('persisted').filter({ hasText: /^(Yes|No):/ }).waitFor();
    await expect(page.getByTestId('usage').textContent()).resolves.toMatch(/^\d+(\.\d)? (kB|MB) of \d+(\.\d)? (kB|MB) available$/);
    expect(await page.getByTestId('ios-install-hint').count()).toBe(0);
  });
});


describe('accessibility', () => {
  it.each(['light', 'dark'] as const)('has no serious or critical axe violations on home, review, settings, statistics and browse (%s)', async (colorScheme) => {
    const { page, baseUrl } = await open({ colorScheme, serviceWorkers: 'block' });
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await openDeck(page, 'Kubernetes history');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Show answer' }).tap();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}#/settings`);
    await page.getByTestId('usage').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}#/stats`);
    await page.getByTestId('readiness').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}#/browse`);
    await page.getByTestId('browse-status').filter({ hasText: /cards$/ }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
