// Data that leaves the browser comes back whole: an exported Anki package into a wiped browser,
// a backup restored over itself, into a fresh browser and from the data-lost screen, with its
// settings; daily backups into a folder.
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDocument } from '../../src/domain/transfer/backup.ts';
import { backupFilePattern } from '../../src/domain/transfer/backupName.ts';
import type { CardRecord, ReviewLogRow } from '../../src/domain/types.ts';
import { generateAnkiPackage, imageName } from '../support/ankiFixtures.ts';
import { deleteAppDatabase, openPhone, phoneForEachTest, readStore, type PhoneBrowser } from './browser.ts';
import { answerGood, openDeck } from './reviewActions.ts';
import { downloadFrom, importSummary, openDataScreen, snapshot, transferStores, type Snapshot } from './transferActions.ts';

const phone = phoneForEachTest({ serviceWorkers: 'block' });

// A second, fresh browser: a wiped profile, or another device. Checked as the first one is.
let fresh: PhoneBrowser | undefined;
afterEach(async () => {
  if (!fresh) return;
  expect(fresh.foreignRequests).toEqual([]);
  expect(fresh.errors).toEqual([]);
  await fresh.close();
  fresh = undefined;
});
async function openFreshPhone(): Promise<PhoneBrowser> {
  fresh = await openPhone({ serviceWorkers: 'block' });
  return fresh;
}

/** Answers a few built-in cards on the review screen, then imports a generated Anki package with history and an image. */
async function studyAndImport({ page, baseUrl }: PhoneBrowser): Promise<void> {
  await page.goto(baseUrl);
  await openDeck(page, 'Kubernetes history');
  for (let answer = 0; answer < 3; answer++) await answerGood(page);
  await openDataScreen(page, baseUrl);
  const { bytes } = await generateAnkiPackage({ notes: 100, image: true, now: new Date() });
  await importSummary(page, { name: 'generated.apkg', bytes });
}

const byKey = (key: (record: never) => string) => (a: unknown, b: unknown) => key(a as never).localeCompare(key(b as never));
const logKey = (row: ReviewLogRow) => `${row.cardId} ${row.reviewedAt.toISOString()} ${row.kind ?? 'answer'}`;

/**
 * What the data is, apart from what only this database knows: a card's `rev` counts the
 * writes of the card on this device (another device's copy has a count of its own), and a log
 * row's `id` is this database's auto-increment key. Records in a fixed order.
 */
function portable(records: Snapshot): Snapshot {
  return {
    ...records,
    cards: (records.cards as CardRecord[]).map(({ rev: _rev, ...card }) => card).sort(byKey((card: CardRecord) => card.id)),
    reviewLog: (records.reviewLog as ReviewLogRow[]).map(({ id: _id, ...row }) => row).sort(byKey(logKey)),
  };
}

/** Store by store, so that a difference says where it is. */
function expectSameRecords(actual: Snapshot, expected: Snapshot): void {
  for (const store of transferStores) expect({ store, records: actual[store] }).toEqual({ store, records: expected[store] });
}

describe('export, backup and restore', () => {
  it('brings back cards, notes, review logs and due dates from an exported package into a wiped browser', async () => {
    const { page } = phone();
    await studyAndImport(phone());
    const exported = await downloadFrom(page, 'Export Anki package (.apkg)');
    expect(exported.name).toBe('Kubecards.apkg');
    const original = await snapshot(page);
    const answered = (original.reviewLog as ReviewLogRow[]).filter((row) => (original.cards as CardRecord[]).find((card) => card.id === row.cardId)?.origin === 'built-in');
    expect(answered).toHaveLength(3);

    const wiped = await openFreshPhone();
    await openDataScreen(wiped.page, wiped.baseUrl);
    await importSummary(wiped.page, exported);
    expectSameRecords(portable(await snapshot(wiped.page)), portable(original));
  });

  it('changes nothing when a backup is restored over itself, twice; restored into a fresh browser or from the data-lost screen, it is the original', async () => {
    const { page, baseUrl } = phone();
    await studyAndImport(phone());
    const backup = await downloadFrom(page, 'Back up now');
    expect(backup.name).toMatch(backupFilePattern);
    await page.getByTestId('last-backup').filter({ hasText: /^Last backup: / }).waitFor();
    const original = await snapshot(page);
    expect(original.media).toHaveLength(1);
    expect((original.media as { name: string }[])[0].name).toBe(imageName);

    for (let restore = 0; restore < 2; restore++) {
      await importSummary(page, backup, 'Restore from a backup…');
      expectSameRecords(await snapshot(page), original);
    }

    const other = await openFreshPhone();
    await openDataScreen(other.page, other.baseUrl);
    await importSummary(other.page, backup, 'Restore from a backup…');
    expectSameRecords(portable(await snapshot(other.page)), portable(original));

    // The browser deletes the database: the app says so and restores the backup from there.
    await deleteAppDatabase(page);
    await page.goto(`${baseUrl}#/`);
    await page.reload();
    await page.getByRole('heading', { name: 'Your data on this device is gone' }).waitFor();
    await page.getByLabel('Restore from a backup file…').setInputFiles({ name: backup.name, mimeType: 'application/zip', buffer: Buffer.from(backup.bytes) });
    await page.locator('a.deck', { hasText: 'CKA::Storage' }).waitFor();
    expectSameRecords(portable(await snapshot(page)), portable(original));
  });

  it('studies with the settings of a restored backup at once', async () => {
    const { page, baseUrl } = phone();
    await page.goto(`${baseUrl}#/settings`);
    await page.getByLabel('New cards per day').fill('5');
    await page.getByRole('button', { name: 'Save' }).tap();
    await page.getByText('Saved.').waitFor();
    await openDataScreen(page, baseUrl);
    const backup = await downloadFrom(page, 'Back up now');

    const other = await openFreshPhone();
    await openDataScreen(other.page, other.baseUrl);
    await importSummary(other.page, backup, 'Restore from a backup…');
    // Back to the decks without a reload: the deck offers the backup's 5 new cards a day.
    await other.page.getByRole('link', { name: 'Back to decks' }).tap();
    const deck = other.page.locator('a.deck', { hasText: 'Kubernetes history' });
    await expect(deck.locator('[data-count]').first().textContent()).resolves.toMatch(/^5 new/);
  });

  it('backs up into a chosen folder, keeping the newest 12, and again at a start a day later', async () => {
    const { context, page, baseUrl } = phone();
    // The folder picker, answered with a folder of the origin-private file system.
    await context.addInitScript(() => {
      (window as unknown as { showDirectoryPicker(): Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
        (await navigator.storage.getDirectory()).getDirectoryHandle('Backups', { create: true });
    });
    const folderNames = () =>
      page.evaluate(async () => {
        const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('Backups', { create: true });
        const names: string[] = [];
        for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
        return names.sort();
      });
    const older = Array.from({ length: 12 }, (_, day) => `kubecards-backup-2020-01-${String(day + 1).padStart(2, '0')}-0800.zip`);
    await page.goto(baseUrl);
    await openDeck(page, 'Kubernetes history');
    await answerGood(page);
    await page.evaluate(async (names) => {
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('Backups', { create: true });
      for (const name of [...names, 'notes.txt']) await folder.getFileHandle(name, { create: true });
    }, older);
    await openDataScreen(page, baseUrl);
    await page.getByRole('button', { name: 'Choose a folder for daily backups' }).tap();
    const made = (await page.locator('section[aria-labelledby=backup-title] p.notice').textContent())!.match(/^Backed up into the folder as (kubecards-backup-\S+\.zip)\.$/)?.[1];
    expect(made).toBeDefined();
    // Only the oldest of the app's own backups went; the other file stays.
    expect(await folderNames()).toEqual([...older.slice(1), made, 'notes.txt'].sort());
    await page.getByText('Each day you study, a backup goes into the folder “Backups”; the newest 12 are kept.').waitFor();

    // What it wrote is a backup (the test above restores one).
    const bytes = await page.evaluate(async (name) => {
      const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('Backups');
      return [...new Uint8Array(await (await (await folder.getFileHandle(name)).getFile()).arrayBuffer())];
    }, made!);
    expect(Object.keys(unzipSync(new Uint8Array(bytes)))).toContain(backupDocument);

    // A day later, after an answer, the app backs up by itself soon after it starts.
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    await page.evaluate(
      (at) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('kubecards');
          open.onsuccess = () => {
            const transaction = open.result.transaction('meta', 'readwrite');
            transaction.objectStore('meta').put({ key: 'lastBackupAt', value: at });
            transaction.oncomplete = () => resolve(open.result.close());
            transaction.onerror = () => reject(transaction.error);
          };
        }),
      dayAgo,
    );
    await page.goto(baseUrl);
    await openDeck(page, 'Kubernetes history');
    await answerGood(page);
    const startedAt = Date.now();
    await page.reload();
    await page.locator('article.card').waitFor();
    await expect
      .poll(async () => ((await readStore<{ key: string; value: Date }>(page, 'meta')).find((row) => row.key === 'lastBackupAt')?.value.getTime() ?? 0), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(startedAt);
    expect((await folderNames()).filter((name) => backupFilePattern.test(name)).length).toBe(12);
  });
});
