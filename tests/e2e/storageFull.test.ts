// Storage full or failing, for real: the browser profile on a small disk of its own (tmpfs,
// mounted as root), filled while the app runs and freed again; a database gone while the
// rest of the site's data stays; and a quota too small for the service worker's files.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { CardRecord } from '../../src/domain/types.ts';
import { launchWithFreshProfile } from '../support/chromium.ts';
import { deleteAppDatabase, openPhone, readStore, waitForServiceWorkerControl } from './browser.ts';
import { answerGood, currentCardId, openDeck, reviewLog } from './reviewActions.ts';

const storageFull = /^Your device storage is full|: your device storage is full/;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A tmpfs of `megabytes`, unmounted after the test even when it fails. */
function smallDisk(megabytes: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'kubecards-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}M`, 'tmpfs', folder]);
  cleanups.push(() => {
    execFileSync('umount', [folder]);
    rmSync(folder, { recursive: true });
  });
  return folder;
}

/** Writes `file` until the disk has not one byte left. */
function fillDisk(file: string): void {
  const descriptor = openSync(file, 'w');
  try {
    for (let chunk = 1 << 20; chunk >= 512; chunk >>= 1) {
      const bytes = Buffer.alloc(chunk);
      try {
        for (;;) writeSync(descriptor, bytes);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(descriptor);
  }
}

/** Chromium with its profile in `profile`, recording console errors and uncaught page errors. */
async function launchIn(profile: string): Promise<{ page: Page; errors: string[] }> {
  const browser = await launchWithFreshProfile({ serviceWorkers: 'block' }, profile);
  cleanups.push(() => browser.close());
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

/** Show answer, Good: the next card once the answer is saved, or the error shown instead. */
async function tryAnswerGood(page: Page): Promise<{ saved: true } | { saved: false; error: string }> {
  const id = await currentCardId(page);
  await page.getByRole('button', { name: 'Show answer' }).tap();
  await page.getByRole('button', { name: /^Good/ }).tap();
  const outcome = await page.waitForFunction((previous) => {
    const shown = document.querySelector('article.card')?.getAttribute('data-card-id');
    return document.querySelector('.error[role=alert]')?.textContent || (shown !== previous && 'saved');
  }, id);
  const text = (await outcome.jsonValue()) as string;
  return text === 'saved' ? { saved: true } : { saved: false, error: text };
}

describe('storage full or failing', () => {
  it('says plainly that an answer or a card was not saved, keeps earlier answers, and tells a lost database instead of re-seeding it', async () => {
    const baseUrl = inject('baseUrl');
    const disk = smallDisk(64);
    const profile = join(disk, 'profile');
    mkdirSync(profile);
    const filler = join(disk, 'filler');
    const { page, errors } = await launchIn(profile);

    await page.goto(baseUrl);
    await openDeck(page, 'Kubernetes history');
    const answered = [await answerGood(page), await answerGood(page), await answerGood(page)];
    const deckId = decodeURIComponent(new URL(page.url()).hash.slice('#/deck/'.length));

    fillDisk(filler);
    // A small write may still fit in the last page of a file; the next ones cannot.
    let refused: string | undefined;
    for (let attempt = 0; attempt < 5 && !refused; attempt++) {
      const id = await currentCardId(page);
      const outcome = await tryAnswerGood(page);
      if (outcome.saved) answered.push(id!);
      else {
        refused = outcome.error;
        // Nothing half-written: the same card stays, its answer still to be given.
        expect(await currentCardId(page)).toBe(id);
      }
    }
    expect(refused).toMatch(storageFull);
    const unanswered = (await currentCardId(page))!;

    await page.goto(`${baseUrl}#/add/${encodeURIComponent(deckId)}`);
    await page.getByLabel('Front', { exact: true }).fill('Written while the disk is full');
    await page.getByLabel('Back', { exact: true }).fill('Never stored');
    await page.getByRole('button', { name: 'Add', exact: true }).tap();
    await expect(page.locator('.error[role=alert]').textContent()).resolves.toMatch(storageFull);

    // Starting on a full disk, as a user would, and answering once more: the decks, one
    // plain sentence, or the news that the data is gone; never an uncaught error.
    const lostHeading = page.getByRole('heading', { name: 'Your data on this device is gone' });
    const start = async (): Promise<'started' | 'not started' | 'lost'> => {
      await page.goto(`${baseUrl}#/`);
      await page.reload();
      await page.locator('a.deck, #app:has-text("could not start"), h1:has-text("Your data on this device is gone")').first().waitFor();
      if (await lostHeading.isVisible()) return 'lost';
      const text = await page.locator('#app').innerText();
      if (!text.includes('could not start')) return 'started';
      expect(text).toMatch(/could not start: your device storage is full\. Free some space/);
      return 'not started';
    };
    const outcomes = [await start()];
    if (outcomes[0] === 'started') {
      await openDeck(page, 'Kubernetes history');
      const id = (await currentCardId(page))!;
      const outcome = await tryAnswerGood(page);
      if (outcome.saved) answered.push(id);
      else expect(outcome.error).toMatch(storageFull);
      outcomes.push(await start());
    }
    expect(errors).toEqual([]);

    rmSync(filler);
    outcomes.push(await start());
    console.info(`storageFull: answer refused with "${refused}"; starts on the full disk, then freed: ${outcomes.join(', ')}`);
    if (outcomes.includes('lost')) {
      // Chromium deleted the database: said so, and the built-in decks come back only when asked.
      expect(outcomes.at(-1)).toBe('lost');
      expect(await page.locator('a.deck').count()).toBe(0);
      await page.getByRole('button', { name: 'Start again with the built-in decks' }).tap();
      await page.locator('a.deck', { hasText: 'Kubernetes history' }).waitFor();
      expect(await reviewLog(page)).toEqual([]);
    } else {
      expect(outcomes.at(-1)).toBe('started');
      expect((await reviewLog(page)).map((row) => row.cardId).sort()).toEqual([...answered].sort());
      const cards = await readStore<CardRecord>(page, 'cards');
      expect(cards.find((card) => card.id === unanswered)?.reps).toBe(answered.includes(unanswered) ? 1 : 0);
      expect(cards.some((card) => card.front.includes('Written while the disk is full'))).toBe(false);
    }
    expect(errors).toEqual([]);
  });

  it('tells when only the database is gone and starts again when asked; after site data is cleared it starts fresh without a word', async () => {
    const { context, page, baseUrl, errors, close } = await openPhone({ serviceWorkers: 'block' });
    cleanups.push(close);
    const lostHeading = page.getByRole('heading', { name: 'Your data on this device is gone' });
    await page.goto(baseUrl);
    await openDeck(page, 'Kubernetes history');
    await answerGood(page);

    // What Chromium may do after writes failed on a full disk (see above): the database is
    // deleted, the rest of the site's data is kept.
    await deleteAppDatabase(page);
    for (let load = 0; load < 2; load++) {
      await page.reload();
      await lostHeading.waitFor();
      expect(await page.locator('a.deck').count()).toBe(0);
    }
    await page.getByRole('button', { name: 'Start again with the built-in decks' }).tap();
    await page.locator('a.deck', { hasText: 'Kubernetes history' }).waitFor();
    await page.reload();
    await page.locator('a.deck').first().waitFor();
    expect(await lostHeading.count()).toBe(0);
    expect(await reviewLog(page)).toEqual([]);

    // Clearing the site's data removes what remembers the database, too.
    await openDeck(page, 'Kubernetes history');
    await answerGood(page);
    const devtools = await context.newCDPSession(page);
    await devtools.send('Storage.clearDataForOrigin', { origin: new URL(baseUrl).origin, storageTypes: 'all' });
    await page.goto(baseUrl);
    await page.reload();
    await page.locator('a.deck').first().waitFor();
    expect(await lostHeading.count()).toBe(0);
    expect(await reviewLog(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('warns when little storage is left', async () => {
    const { context, page, baseUrl, errors, close } = await openPhone({ serviceWorkers: 'block' });
    cleanups.push(close);
    // Chromium's estimate() ignores both the free disk space and Storage.overrideQuotaForOrigin,
    // so it reports here what Firefox reports on a nearly full device: 30 MB left of the quota.
    await context.addInitScript(() => {
      navigator.storage.estimate = async () => ({ usage: 2_000_000, quota: 32_000_000 });
    });
    await page.goto(baseUrl);
    await page.getByText('Your device is almost out of storage.').waitFor();
    expect(errors).toEqual([]);
  });

  it('says when the app could not be stored for offline use', async () => {
    const { context, page, baseUrl, errors, close } = await openPhone();
    cleanups.push(close);
    await page.goto(baseUrl);
    await waitForServiceWorkerControl(page);
    // The database stays; the worker and its files go, and the quota is set to leave no room for them.
    const usage = await page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())!.unregister();
      for (const name of await caches.keys()) await caches.delete(name);
      return (await navigator.storage.estimate()).usage!;
    });
    const devtools = await context.newCDPSession(page);
    await devtools.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseUrl).origin, quotaSize: usage + 50_000 });
    await page.reload();
    await page.locator('a.deck').first().waitFor();
    await page.getByText('Kubecards could not be stored for offline use').waitFor();
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) ?? null)).toBeNull();
    expect(errors).toEqual([]);
  });
});
