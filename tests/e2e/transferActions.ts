// What a user does on the data screen (import, export, backups), and the app's database read
// whole, for the end-to-end tests of transfers.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { readStore } from './browser.ts';

/** The stores a transfer writes. */
export const transferStores = ['decks', 'cards', 'notes', 'noteTypes', 'media', 'reviewLog', 'settings'] as const;
export type TransferStore = (typeof transferStores)[number];
export type Snapshot = Record<TransferStore, unknown[]>;

/** Every record of every store a transfer writes, as stored. */
export async function snapshot(page: Page): Promise<Snapshot> {
  const entries = await Promise.all(transferStores.map(async (store) => [store, await readStore(page, store)] as const));
  return Object.fromEntries(entries) as Snapshot;
}

/** From the home screen, by its icon link. */
export async function openDataScreen(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl);
  await page.locator('a.deck').first().waitFor();
  await page.getByRole('link', { name: 'Import, export and backups' }).tap();
  await page.getByRole('heading', { name: 'Import, export, backups' }).waitFor();
}

export interface FileToChoose {
  name: string;
  bytes: Uint8Array;
}

export type Outcome = { summary: Summary } | { message: string; error: boolean };

export interface Summary {
  notes: string;
  cards: string;
  reviews: string;
  media: string;
  decks: string;
  skipped: string | null;
}

// What a job on the data screen ends with: the summary of an import, or the screen's message.
const outcomeSelector = ':is(.import-summary, main.data > p.error, main.data > p.notice)';

/** Marks what is shown now, so that `waitForOutcome` waits for the next one. */
function markShownOutcomes(page: Page): Promise<void> {
  return page.evaluate((selector) => document.querySelectorAll(selector).forEach((element) => element.setAttribute('data-seen', '')), outcomeSelector);
}

async function waitForOutcome(page: Page): Promise<Outcome> {
  const shown = page.locator(`${outcomeSelector}:not([data-seen])`).first();
  await shown.waitFor({ timeout: 45_000 });
  if ((await shown.getAttribute('class'))?.includes('import-summary')) return { summary: await readSummary(page) };
  return { message: (await shown.textContent())!, error: (await shown.getAttribute('role')) === 'alert' };
}

async function readSummary(page: Page): Promise<Summary> {
  const text = (id: string) => page.getByTestId(`summary-${id}`).textContent();
  const skipped = page.getByTestId('summary-skipped');
  return {
    notes: (await text('notes'))!,
    cards: (await text('cards'))!,
    reviews: (await text('reviews'))!,
    media: (await text('media'))!,
    decks: (await text('decks'))!,
    skipped: (await skipped.count()) > 0 ? await skipped.textContent() : null,
  };
}

/** Chooses the file with the file button labelled `label`, without waiting for anything. */
export async function chooseFile(page: Page, label: string, file: FileToChoose): Promise<void> {
  await page.getByLabel(label).setInputFiles({ name: file.name, mimeType: 'application/octet-stream', buffer: Buffer.from(file.bytes) });
}

/** Imports a package or restores a backup through "Import a file…"; resolves with what the screen then shows. */
export async function importThroughUi(page: Page, file: FileToChoose, label = 'Import a file…'): Promise<Outcome> {
  await markShownOutcomes(page);
  await chooseFile(page, label, file);
  return waitForOutcome(page);
}

/** The summary of an import that must succeed. */
export async function importSummary(page: Page, file: FileToChoose, label?: string): Promise<Summary> {
  const outcome = await importThroughUi(page, file, label);
  if (!('summary' in outcome)) throw new Error(`${file.name} did not come in: ${outcome.message}`);
  return outcome.summary;
}

/** A text file through the mapping screen, with the columns it proposes, into the deck `deckTitle` (the file's own when absent). */
export async function importTextFile(page: Page, file: FileToChoose, deckTitle?: string): Promise<Summary> {
  await markShownOutcomes(page);
  await chooseFile(page, 'Import a file…', file);
  await page.getByRole('heading', { name: `Import ${file.name}` }).waitFor();
  if (deckTitle !== undefined) await page.getByLabel('Deck').fill(deckTitle);
  await page.getByRole('button', { name: 'Import', exact: true }).tap();
  const outcome = await waitForOutcome(page);
  if (!('summary' in outcome)) throw new Error(`${file.name} did not come in: ${outcome.message}`);
  return outcome.summary;
}

/** Taps `button` and resolves with the file the browser downloads. */
export async function downloadFrom(page: Page, button: string): Promise<FileToChoose> {
  await markShownOutcomes(page);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 45_000 }), page.getByRole('button', { name: button }).tap()]);
  await waitForOutcome(page);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(await readFile((await download.path())!)) };
}
