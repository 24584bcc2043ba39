// Sync in the real app: two browser profiles (a phone and a laptop) and a CouchDB-protocol
// server (pouchdb-server on loopback, started here and stopped by its pid), with the app and
// the server on one origin (/db/ is proxied), as deploy/ serves them in production.
import type { Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/build/contentSecurityPolicy.ts';
import type { CardRecord, ReviewLogRow } from '../../src/domain/types.ts';
import { serveStatic, type StaticServer } from '../support/staticServer.ts';
import { startSyncServer, type SyncServer } from '../support/syncServer.ts';
import { cspViolations, openPhone, readStore, seriousAxeViolations, waitForServiceWorkerControl, type PhoneBrowser } from './browser.ts';
import { answerGood } from './reviewActions.ts';

const folder = process.env.KUBECARDS_E2E_DIST ?? 'dist';
const user = { username: 'ana', password: 'correct horse battery' };
const database = 'userdb-616e61';
let server: SyncServer;
let origin: StaticServer;
let phones: PhoneBrowser[] = [];

beforeAll(async () => {
  server = await startSyncServer();
  // The policy on every response, as deploy/'s Caddy sends it: it binds the sync worker too.
  origin = await serveStatic(folder, '/', { headers: { 'Content-Security-Policy': contentSecurityPolicy }, proxy: { prefix: '/db/', target: () => server.url } });
});

afterAll(async () => {
  await origin?.close();
  await server?.stop();
});

beforeEach(async () => {
  await server.createUser(user.username, user.password).catch(() => {});
  await server.createDatabase(database, [user.username]);
});

afterEach(async () => {
  for (const phone of phones.splice(0)) {
    expect(phone.foreignRequests).toEqual([]);
    expect(await cspViolations(phone.page)).toEqual([]);
    await phone.close();
  }
  await fetch(`${server.url}/${database}`, { method: 'DELETE', headers: { authorization: `Basic ${btoa(`${server.admin.username}:${server.admin.password}`)}` } });
});

async function device(): Promise<PhoneBrowser> {
  const phone = await openPhone({ baseUrl: origin.url });
  phones.push(phone);
  await phone.page.goto(origin.url);
  await phone.page.locator('a.deck').first().waitFor();
  await waitForServiceWorkerControl(phone.page);
  return phone;
}

async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((target) => (location.hash = target), hash);
}

/** Settings → Sync: fills in the server and turns sync on; resolves once the first sync settled. */
async function turnOnSync(page: Page, password = user.password): Promise<void> {
  await go(page, '#/sync');
  await page.getByLabel('User name', { exact: true }).fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  expect(await page.getByLabel('Database').inputValue()).toBe(database);
  await page.getByRole('button', { name: 'Turn on sync' }).tap();
  await page.waitForFunction(() => document.querySelector('[data-testid=last-sync]')?.textContent !== 'Never' || document.querySelector('[data-testid=sync-error]'));
}

/** Sync now on the sync screen; resolves once it finished (or failed). */
async function syncNow(page: Page): Promise<void> {
  await go(page, '#/sync');
  const button = page.getByRole('button', { name: 'Sync now' });
  await button.waitFor();
  await button.tap();
  await page.getByRole('status').filter({ hasText: 'Synced.' }).or(page.getByTestId('sync-error')).waitFor();
}

async function answerCards(page: Page, count: number): Promise<string[]> {
  await go(page, '#/');
  await page.locator('a.deck').first().tap();
  await page.locator('article.card').waitFor();
  const answered: string[] = [];
  for (let i = 0; i < count; i++) answered.push(await answerGood(page));
  return answered;
}

/** Edits the note of a card of the first deck, a cloze note: as one text, as Anki edits one. */
async function editNoteText(page: Page, cardId: string, text: string): Promise<void> {
  await go(page, `#/edit/${cardId}`);
  await page.waitForFunction(() => document.querySelector('textarea')?.value);
  await page.getByLabel(/^Text, with deletions/).fill(text);
  await page.getByRole('button', { name: 'Save' }).tap();
  await page.locator('article.card, .card-screen').first().waitFor();
}

const answers = (log: ReviewLogRow[]) => log.filter((row) => row.kind === undefined || row.kind === 'answer');
const byId = (cards: CardRecord[]) => new Map(cards.map((card) => [card.id, card]));

describe('sync between two devices', () => {
  it('unites two offline sessions: the union of logs, the same due dates, the later edit, every answer once', { timeout: 120_000 }, async () => {
    const [phone, laptop] = [await device(), await device()];
    await turnOnSync(phone.page);
    await turnOnSync(laptop.page);
    const docsOnline = await server.docCount(database);

    // Both offline: the phone answers four new cards, the laptop three (the same first three).
    await phone.context.setOffline(true);
    await laptop.context.setOffline(true);
    const phoneAnswered = await answerCards(phone.page, 4);
    const laptopAnswered = await answerCards(laptop.page, 3);
    expect(laptopAnswered).toEqual(phoneAnswered.slice(0, 3));
    const edited = phoneAnswered[0];
    await editNoteText(phone.page, edited, 'Edited on the phone: {{c1::Joe Beda}}');
    await editNoteText(laptop.page, edited, 'Edited on the laptop, later: {{c1::Joe Beda}}');
    // Offline, nothing went to the server, and the status says what waits.
    expect(await server.docCount(database)).toBe(docsOnline);
    await go(phone.page, '#/sync');
    await phone.page.getByTestId('sync-waiting').filter({ hasNotText: /^0 changes$/ }).waitFor();

    await phone.context.setOffline(false);
    await laptop.context.setOffline(false);
    await syncNow(phone.page);
    await syncNow(laptop.page);
    await syncNow(phone.page);

    const [phoneLog, laptopLog] = [await readStore<ReviewLogRow>(phone.page, 'reviewLog'), await readStore<ReviewLogRow>(laptop.page, 'reviewLog')];
    const uids = (log: ReviewLogRow[]) => answers(log).map((row) => row.uid).sort();
    expect(uids(phoneLog)).toHaveLength(7);
    expect(new Set(uids(phoneLog)).size).toBe(7);
    expect(uids(laptopLog)).toEqual(uids(phoneLog));
    const [phoneCards, laptopCards] = [byId(await readStore<CardRecord>(phone.page, 'cards')), byId(await readStore<CardRecord>(laptop.page, 'cards'))];
    for (const id of phoneAnswered) {
      expect(phoneCards.get(id)!.due).toEqual(laptopCards.get(id)!.due);
      expect(phoneCards.get(id)!.reps).toBe(laptopCards.get(id)!.reps);
    }
    expect(phoneCards.get(edited)!.cloze?.text).toBe('Edited on the laptop, later: {{c1::Joe Beda}}');
    expect(laptopCards.get(edited)!.cloze?.text).toBe('Edited on the laptop, later: {{c1::Joe Beda}}');
    expect(await phone.page.getByTestId('sync-error').count()).toBe(0);
    expect([...phone.errors, ...laptop.errors]).toEqual([]);
  });

  it('catches up a device that was offline for 30 days', { timeout: 120_000 }, async () => {
    const [phone, laptop] = [await device(), await device()];
    await turnOnSync(phone.page);
    await turnOnSync(laptop.page);
    await phone.context.setOffline(true);
    // The laptop studies every fifth day for a month and syncs each time; the phone is away.
    const start = Date.now() + 3_600_000;
    for (let day = 0; day < 30; day += 5) {
      await laptop.page.clock.setFixedTime(start + day * 86_400_000);
      await answerCards(laptop.page, 2);
      await syncNow(laptop.page);
    }
    await phone.page.clock.setFixedTime(start + 30 * 86_400_000);
    await phone.context.setOffline(false);
    await syncNow(phone.page);
    const [phoneLog, laptopLog] = [await readStore<ReviewLogRow>(phone.page, 'reviewLog'), await readStore<ReviewLogRow>(laptop.page, 'reviewLog')];
    expect(answers(laptopLog)).toHaveLength(12);
    expect(answers(phoneLog).map((row) => row.uid).sort()).toEqual(answers(laptopLog).map((row) => row.uid).sort());
    const [phoneCards, laptopCards] = [byId(await readStore<CardRecord>(phone.page, 'cards')), byId(await readStore<CardRecord>(laptop.page, 'cards'))];
    for (const row of answers(laptopLog)) expect(phoneCards.get(row.cardId)!.due).toEqual(laptopCards.get(row.cardId)!.due);
  });

  it('sends an answer by itself a few seconds later, and a device that starts gets it', { timeout: 60_000 }, async () => {
    const [phone, laptop] = [await device(), await device()];
    await turnOnSync(phone.page);
    await turnOnSync(laptop.page);
    const before = await server.docCount(database);
    const [answered] = await answerCards(phone.page, 1);
    // No Sync now: the change itself starts a sync about 5 s later.
    await expect.poll(() => server.docCount(database), { timeout: 20_000 }).toBeGreaterThan(before);
    // Nor on the laptop: starting the app syncs.
    await laptop.page.reload();
    await expect
      .poll(async () => answers(await readStore<ReviewLogRow>(laptop.page, 'reviewLog')).map((row) => row.cardId), { timeout: 20_000 })
      .toContain(answered);
  });

  it('says so when the password is wrong, and keeps the data as it was', { timeout: 60_000 }, async () => {
    const phone = await device();
    await answerCards(phone.page, 2);
    const before = { log: await readStore(phone.page, 'reviewLog'), cards: await readStore(phone.page, 'cards') };
    await turnOnSync(phone.page, 'not the password');
    await phone.page.getByTestId('sync-error').filter({ hasText: 'Wrong user name or password' }).waitFor();
    // The screen itself: no serious accessibility finding, nothing wider than a 360 px phone, buttons big enough to tap.
    await phone.page.setViewportSize({ width: 360, height: 740 });
    expect(await seriousAxeViolations(phone.page)).toEqual([]);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    for (const name of ['Sync now', 'Save and sync', 'Turn off sync']) {
      const box = (await phone.page.getByRole('button', { name }).boundingBox())!;
      expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(48);
    }
    expect({ log: await readStore(phone.page, 'reviewLog'), cards: await readStore(phone.page, 'cards') }).toEqual(before);
    expect(await server.docCount(database)).toBe(0);
  });

  it('survives the server dying in the middle of a sync: nothing is damaged and the next sync completes', { timeout: 90_000 }, async () => {
    const phone = await device();
    await answerCards(phone.page, 5);
    const before = { log: await readStore(phone.page, 'reviewLog'), cards: await readStore(phone.page, 'cards') };
    // The server dies when the first batch of documents is on its way to it.
    let killed = false;
    await phone.context.route('**/db/**/_bulk_docs*', async (route: Route) => {
      if (!killed) {
        killed = true;
        await server.kill();
      }
      await route.continue();
    });
    await turnOnSync(phone.page);
    expect(killed).toBe(true);
    await phone.page.getByTestId('sync-error').filter({ hasText: 'could not be reached' }).waitFor();
    expect({ log: await readStore(phone.page, 'reviewLog'), cards: await readStore(phone.page, 'cards') }).toEqual(before);

    await server.restart();
    await server.createUser(user.username, user.password);
    await server.createDatabase(database, [user.username]);
    await syncNow(phone.page);
    await phone.page.getByTestId('last-sync').filter({ hasNotText: 'Never' }).waitFor();
    expect(await phone.page.getByTestId('sync-error').count()).toBe(0);
    // A second device gets all of it.
    const laptop = await device();
    await turnOnSync(laptop.page);
    expect(answers(await readStore<ReviewLogRow>(laptop.page, 'reviewLog')).map((row) => row.uid).sort()).toEqual(
      answers(before.log as ReviewLogRow[]).map((row) => row.uid).sort(),
    );
  });
});
