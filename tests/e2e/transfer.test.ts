// Anki packages and text files come in through the data screen, parsed in the transfer worker:
// what the summary says, what IndexedDB then holds, and that the cards show.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnkiCard, AnkiCollection } from '../../src/domain/anki/model.ts';
import { defaultSettings, type CardRecord, type Deck, type MediaRecord, type NoteRecord, type ReviewLogRow } from '../../src/domain/types.ts';
import { generateAnkiCollection, generateAnkiPackage, hostileFields } from '../support/ankiFixtures.ts';
import { truncated, zipBomb } from '../support/ankiZip.ts';
import { cspViolations, phoneForEachTest, seriousAxeViolations, waitForServiceWorkerControl } from './browser.ts';
import { openDeck } from './reviewActions.ts';
import { chooseFile, downloadFrom, importSummary, importTextFile, importThroughUi, openDataScreen, snapshot, type Snapshot } from './transferActions.ts';

// Chromium (with its workers) and the package generator run in this zone, one with daylight
// saving time: Chromium takes it from TZ. Due days are checked on its local dates.
const zone = 'Europe/Berlin';
const machineZone = process.env.TZ;
process.env.TZ = zone;
afterAll(() => {
  process.env.TZ = machineZone;
});

const fixture = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(`../shared/fixtures/anki/${name}`)) });

const userCards = (records: Snapshot) => (records.cards as CardRecord[]).filter((card) => card.origin === 'user');
const newDecks = (before: Snapshot, after: Snapshot) => (after.decks as Deck[]).filter((deck) => !(before.decks as Deck[]).some((known) => known.id === deck.id));
const cardsOfDeck = (records: Snapshot, deckId: string) => userCards(records).filter((card) => card.deckId === deckId);
const noteOfCard = (records: Snapshot, card: CardRecord) => (records.notes as NoteRecord[]).find((note) => note.id === card.importedNote?.id)!;

describe('importing through the data screen', () => {
  const phone = phoneForEachTest({ serviceWorkers: 'block' });

  it('imports each of Anki’s test packages and text files, and shows their cards and sound', async () => {
    const { page, baseUrl } = phone();
    await openDataScreen(page, baseUrl);
    const start = await snapshot(page);

    // One Basic note, "hello" / "world", in Anki's Default deck.
    expect(await importSummary(page, fixture('update1.apkg'))).toEqual({ notes: '1 new, 0 updated', cards: '1 new, 0 updated', reviews: '0 rows', media: '0', decks: '1', skipped: null });
    const afterUpdate1 = await snapshot(page);
    const [ankiDeck] = newDecks(start, afterUpdate1);
    expect(ankiDeck.title).toBe('Default');
    const [hello] = cardsOfDeck(afterUpdate1, ankiDeck.id);
    expect(noteOfCard(afterUpdate1, hello).fields).toEqual(['hello', 'world']);
    expect(hello).toMatchObject({ kind: 'html', queue: 0, reps: 0 });
    expect(afterUpdate1.noteTypes).toHaveLength(1);

    // The same deck again, with one sound file.
    expect(await importSummary(page, fixture('media.apkg'))).toEqual({ notes: '1 new, 0 updated', cards: '1 new, 0 updated', reviews: '0 rows', media: '1', decks: '0', skipped: null });
    const afterMedia = await snapshot(page);
    const wav = unzipSync(readFileSync('../shared/fixtures/anki/media.apkg'))['0'];
    expect(afterMedia.media as MediaRecord[]).toEqual([{ name: 'foo.wav', type: expect.stringMatching(/^audio\/(x-)?wav$/), bytes: wav }]);
    const sound = cardsOfDeck(afterMedia, ankiDeck.id).find((card) => card.id !== hello.id)!;
    expect(noteOfCard(afterMedia, sound).fields[0]).toBe('[sound:foo.wav]');

    // Collections without notes add nothing at all.
    for (const name of ['empty-latest.apkg', 'empty-legacy-2.colpkg']) {
      expect(await importSummary(page, fixture(name))).toEqual({ notes: '0 new, 0 updated', cards: '0 new, 0 updated', reviews: '0 rows', media: '0', decks: '0', skipped: null });
    }
    expect(await snapshot(page)).toEqual(afterMedia);

    // Anki's tab-separated test file: of its 9 lines, a duplicate first field and an empty one
    // are skipped; a line with a field too many or too few comes in, and is listed as such.
    expect(await importTextFile(page, fixture('text-2fields.txt'))).toEqual({ notes: '7 new, 0 updated', cards: '7 new, 0 updated', reviews: '0 rows', media: '0', decks: '1', skipped: '4 items skipped or changed' });
    await page.getByTestId('summary-skipped').tap();
    expect(await page.locator('.import-summary li').allTextContents()).toEqual([
      'line 10: the first field is empty',
      'line 6: the same first field as an earlier line',
      'line 7 (imported): 3 columns where the file has 2: the extra one is not imported',
      'line 8 (imported): 1 column where the file has 2: the missing ones are left empty',
    ]);
    const afterText = await snapshot(page);
    const [textDeck] = newDecks(afterMedia, afterText);
    expect(textDeck.title).toBe('text-2fields');
    const textNotes = (cards: CardRecord[]) => cards.map((card) => noteOfCard(afterText, card).fields).sort();
    expect(textNotes(cardsOfDeck(afterText, textDeck.id))).toEqual(
      [
        ['食べる', 'to eat'],
        ['飲む', 'to drink'],
        ['テスト', 'test'],
        ['to eat', '食べる'],
        ['多すぎる', 'too many'],
        ['not, enough, fields', ''],
        ['遊ぶ', ''],
      ].sort(),
    );

    // Three columns for two fields: the third is the tags.
    expect(await importTextFile(page, fixture('text-tags.txt'))).toEqual({ notes: '2 new, 0 updated', cards: '2 new, 0 updated', reviews: '0 rows', media: '0', decks: '1', skipped: null });
    const afterTags = await snapshot(page);
    const [tagsDeck] = newDecks(afterText, afterTags);
    expect(tagsDeck.title).toBe('text-tags');
    const tagged = cardsOfDeck(afterTags, tagsDeck.id).map((card) => ({ fields: noteOfCard(afterTags, card).fields, tags: card.tags }));
    expect(tagged.sort((a, b) => a.fields[0].localeCompare(b.fields[0]))).toEqual([
      { fields: ['foo', 'bar'], tags: ['baz,qux'] },
      { fields: ['foo2', 'bar2'], tags: ['baz2'] },
    ]);
    // Out as text, with Anki's headers; in again, it adds nothing twice.
    await page.getByRole('combobox', { name: /^Deck/ }).selectOption({ label: 'text-tags' });
    const csv = await downloadFrom(page, 'Export notes as text (.csv)');
    expect(csv.name).toBe('text-tags.csv');
    expect(new TextDecoder().decode(csv.bytes)).toBe('#separator:comma\n#html:true\n#tags column:3\n#columns:Front,Back,Tags\nfoo,bar,"baz,qux"\nfoo2,bar2,baz2\n');
    expect(await importTextFile(page, csv)).toEqual({ notes: '0 new, 0 updated', cards: '0 new, 0 updated', reviews: '0 rows', media: '0', decks: '0', skipped: null });
    expect(await snapshot(page)).toEqual(afterTags);
    // Nothing but the new records: the built-in decks are as they were.
    expect((afterTags.cards as CardRecord[]).filter((card) => card.origin === 'built-in')).toEqual((start.cards as CardRecord[]).filter((card) => card.origin === 'built-in'));
    expect(afterTags.reviewLog).toEqual([]);

    // The imported deck studies like any other: hello, world, then the sound's play button.
    await page.goto(`${baseUrl}#/`);
    await openDeck(page, 'Default');
    await page.getByText('hello').waitFor();
    await page.getByRole('button', { name: 'Show answer' }).tap();
    await page.getByText('world').waitFor();
    await page.getByRole('button', { name: /^Good/ }).tap();
    const play = page.getByRole('button', { name: 'Play foo.wav' });
    await play.waitFor();
    expect(await play.isEnabled()).toBe(true);
  });

  it('imports a file opened with the installed app, also when the data screen is open already', async () => {
    const { context, page, baseUrl } = phone();
    // The Launch Handler API as an installed app has it: the test calls the app's consumer with files.
    await context.addInitScript(() => {
      const page = window as unknown as { launchQueue: { setConsumer(consumer: object): void }; launchConsumer?: object };
      Object.getPrototypeOf(page.launchQueue).setConsumer = (consumer: object) => (page.launchConsumer = consumer);
    });
    const launchWith = ({ name, bytes }: { name: string; bytes: Uint8Array }) =>
      page.evaluate(
        ({ name, bytes }) => {
          const file = new File([new Uint8Array(bytes)], name);
          (window as unknown as { launchConsumer(params: object): void }).launchConsumer({ files: [{ getFile: async () => file }] });
        },
        { name, bytes: [...bytes] },
      );
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    await launchWith(fixture('update1.apkg'));
    await expect(page.getByTestId('summary-notes').textContent()).resolves.toBe('1 new, 0 updated');
    // The manifest's launch_handler is focus-existing: the next file comes to the open screen.
    await page.evaluate(() => document.querySelector('.import-summary')!.setAttribute('data-seen', ''));
    await launchWith(fixture('media.apkg'));
    await page.locator('.import-summary:not([data-seen])').waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('summary-media').textContent()).resolves.toBe('1');
  });

  it('brings in a generated anki21b package with its history: the counts, and due dates on the local days Anki shows', async () => {
    const { page, baseUrl } = phone();
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(zone);
    await openDataScreen(page, baseUrl);
    const before = await snapshot(page);
    const { bytes, collection } = await generateAnkiPackage({ notes: 300, now: new Date() });
    const summary = await importSummary(page, { name: 'generated.apkg', bytes });
    const homeDeckIds = new Set(collection.cards.map((card) => card.originalDeckId || card.deckId));
    // Review rows: those of Anki's log (the rows the import adds for each card's schedule are not the package's history).
    expect(summary.reviews).toBe(`${collection.revlog.length.toLocaleString('en')} rows`);
    expect({ ...summary, reviews: undefined }).toEqual({
      notes: `${collection.notes.length} new, 0 updated`,
      cards: `${collection.cards.length.toLocaleString('en')} new, 0 updated`,
      reviews: undefined,
      media: '0',
      decks: String(homeDeckIds.size),
      skipped: null,
    });
    const after = await snapshot(page);
    expect(newDecks(before, after).map((deck) => deck.title).sort()).toEqual(collection.decks.filter((deck) => homeDeckIds.has(deck.id)).map((deck) => deck.name).sort());
    // Every Anki answer is an answer row, at its time; each studied card also gets one row with the schedule it had in Anki.
    const log = after.reviewLog as ReviewLogRow[];
    expect(log.filter((row) => row.kind !== 'import').map((row) => row.reviewedAt.getTime()).sort()).toEqual(collection.revlog.map((entry) => entry.id).sort());
    const studied = collection.cards.filter((card) => card.type !== 0 || card.reps > 0);
    expect(log.filter((row) => row.kind === 'import')).toHaveLength(studied.length);

    // Each Anki card as a Kubecards card, found by its note's guid and its template.
    const stored = userCards(after);
    expect(stored).toHaveLength(collection.cards.length);
    const cardOf = (ankiCard: AnkiCard) => {
      const guid = collection.notes.find((note) => note.id === ankiCard.noteId)!.guid;
      const note = (after.notes as NoteRecord[]).find((candidate) => candidate.guid === guid)!;
      return stored.find((card) => card.importedNote?.id === note.id && card.importedNote.ord === ankiCard.ord)!;
    };
    const dueProblems = collection.cards.flatMap((ankiCard) => {
      const expected = expectedDue(collection, ankiCard);
      if (!expected) return [];
      const due = cardOf(ankiCard).due;
      const shown = 'date' in expected ? localDateTime(due) : due.toISOString();
      const wanted = 'date' in expected ? `${expected.date} ${String(defaultSettings.dayStartHour).padStart(2, '0')}:00` : expected.at.toISOString();
      return shown === wanted ? [] : [`card ${ankiCard.id} (queue ${ankiCard.queue}, due ${ankiCard.due}): ${shown} instead of ${wanted}`];
    });
    expect(dueProblems).toEqual([]);
    // The package has cards due on a day, cards due at a time (learning steps) and new cards.
    const kinds = new Set(collection.cards.map((card) => expectedDue(collection, card)).map((expected) => (expected ? Object.keys(expected)[0] : 'new')));
    expect([...kinds].sort()).toEqual(['at', 'date', 'new']);
  });
});

describe('what an import must not do', () => {
  const phone = phoneForEachTest({ serviceWorkers: 'block' });

  it('runs nothing and fetches nothing of hostile HTML in fields', async () => {
    const { page, baseUrl, errors } = phone();
    await openDataScreen(page, baseUrl);
    const { bytes, collection } = await generateAnkiPackage({ notes: 1 + hostileFields.length, hostile: true, now: new Date() });
    await importSummary(page, { name: 'hostile.apkg', bytes });
    const after = await snapshot(page);
    for (const [index, field] of hostileFields.entries()) {
      const note = (after.notes as NoteRecord[]).find((candidate) => candidate.guid === collection.notes[index + 1].guid)!;
      expect(note.fields[0]).toBe(field); // stored as it came: it is sanitised whenever it is shown
      const card = userCards(after).find((candidate) => candidate.importedNote?.id === note.id)!;
      await page.goto(`${baseUrl}#/card/${encodeURIComponent(card.id)}`);
      await page.getByText(`Answer ${index + 1}`).first().waitFor();
      const links = page.locator('.card-html a');
      for (let link = 0; link < (await links.count()); link++) await links.nth(link).tap();
    }
    expect(await page.evaluate(() => (window as unknown as { hacked?: boolean }).hacked)).toBeUndefined();
    expect(page.context().pages()).toHaveLength(1);
    expect(await takeParserReports(page, errors)).toEqual([]);
  });

  it('refuses a truncated package and a zip bomb, saying why, and writes nothing', async () => {
    const { page, baseUrl } = phone();
    await openDataScreen(page, baseUrl);
    const before = await snapshot(page);
    const { bytes } = await generateAnkiPackage({ notes: 50, now: new Date() });
    expect(await importThroughUi(page, { name: 'cut.apkg', bytes: truncated(bytes, Math.floor(bytes.length / 2)) })).toEqual({
      message: 'Importing cut.apkg failed: This package is incomplete: the file ends too early. Copy or download it again.',
      error: true,
    });
    // 24 MB of zeros in 24 KB: refused once 10 MB have come out.
    expect(await importThroughUi(page, { name: 'bomb.apkg', bytes: zipBomb({ zeros: 24 * 1024 * 1024 }) })).toEqual({
      message: 'Importing bomb.apkg failed: This package looks like a zip bomb: the entry "collection.anki21" unpacks to more than 100 times its packed size.',
      error: true,
    });
    expect(await snapshot(page)).toEqual(before);
  });

  it('writes nothing when cancelled', async () => {
    const { page, baseUrl } = phone();
    await openDataScreen(page, baseUrl);
    const before = await snapshot(page);
    const { bytes } = await generateAnkiPackage({ notes: 5000, now: new Date() });
    // Cancelled while it converts (the worker is ended), and while it writes (the write is aborted).
    for (const phase of [/^Converting cards: [\d,]+ of [\d,]+ \(\d+ %\)$/, /^Saving$/]) {
      await cancelWhenShown(page, phase);
      await chooseFile(page, 'Import a file…', { name: 'big.apkg', bytes });
      await expect(page.locator('main.data > p.notice').textContent()).resolves.toBe('Importing big.apkg was cancelled; nothing was changed.');
      expect(await page.evaluate(() => (window as unknown as { cancelledAt: string }).cancelledAt)).toMatch(phase);
      expect(await snapshot(page)).toEqual(before);
    }
  });
});

describe('on a small phone', () => {
  const phone = phoneForEachTest({ serviceWorkers: 'block' });

  /** No sideways scroll, every control a 48 px target, and no serious or critical axe finding. */
  async function expectUsableAt360(page: Page): Promise<void> {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const targets = await page.evaluate(() =>
      [...document.querySelectorAll('main button, main a[href], main select, main input:not([type=file]):not([type=checkbox]), main label.file-button, main label.checkbox')]
        .map((element) => ({ element, box: element.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0)
        .map(({ element, box }) => ({ name: `${element.localName} "${element.textContent?.trim().slice(0, 30)}"`, width: box.width, height: box.height })),
    );
    expect(targets.length).toBeGreaterThanOrEqual(5);
    expect(targets.filter((target) => target.width < 48 || target.height < 48)).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
  }

  it('has the data screen and the mapping screen usable at 360 px', async () => {
    const { page, baseUrl } = phone();
    await page.setViewportSize({ width: 360, height: 740 });
    await openDataScreen(page, baseUrl);
    await expectUsableAt360(page);
    // With a summary of what came in and what did not, opened.
    await importTextFile(page, fixture('text-2fields.txt'));
    await page.getByTestId('summary-skipped').tap();
    await expectUsableAt360(page);
    // The mapping screen of a file with long lines.
    const long = `${'a long field with a lot of words in it '.repeat(10)}\t${'another long field '.repeat(20)}\n`.repeat(20);
    await chooseFile(page, 'Import a file…', { name: 'long-lines.txt', bytes: new TextEncoder().encode(long) });
    await page.getByRole('heading', { name: 'Import long-lines.txt' }).waitFor();
    await expectUsableAt360(page);
  });
});

describe('offline', () => {
  const phone = phoneForEachTest();

  it('shows an imported image on the review screen with the network off', async () => {
    const { context, page, baseUrl } = phone();
    await page.goto(baseUrl);
    await waitForServiceWorkerControl(page);
    await page.getByText('Kubecards is ready to work offline.').waitFor();
    await page.getByRole('button', { name: 'OK' }).tap();
    await openDataScreen(page, baseUrl);
    // The one card is a review card; a seed for which it is due now, so that the review screen shows it.
    const now = new Date();
    const seed = [...Array(100).keys()].find((candidate) => {
      const collection = generateAnkiCollection({ notes: 1, image: true, now, seed: candidate });
      const expected = expectedDue(collection, collection.cards[0]);
      return expected !== undefined && 'date' in expected && dayOfDate(expected.date) <= ankiToday(collection, now);
    });
    const { bytes } = await generateAnkiPackage({ notes: 1, image: true, now, seed });
    expect((await importSummary(page, { name: 'image.apkg', bytes })).media).toBe('1');
    await page.goto(`${baseUrl}#/`);
    await context.setOffline(true);
    await page.reload();
    await openDeck(page, 'CKA::Storage');
    await page.waitForFunction(() => {
      const image = document.querySelector('.card-html')?.shadowRoot?.querySelector('img');
      return image?.complete && image.naturalWidth === 1 && image.src.startsWith('blob:');
    });
    await context.setOffline(false);
  });
});




/**
 * Taps Cancel on the data screen (a click from the page) as soon as the progress bar's text
 * matches `phase`, which may show for only a moment; `window.cancelledAt` is the text it matched.
 */
async function cancelWhenShown(page: Page, phase: RegExp): Promise<void> {
  await page.evaluate((source) => {
    const pattern = new RegExp(source);
    const observer = new MutationObserver(() => {
      const text = document.querySelector('.transfer-progress p')?.textContent ?? '';
      if (!pattern.test(text)) return;
      observer.disconnect();
      (window as unknown as { cancelledAt: string }).cancelledAt = text;
      [...document.querySelectorAll<HTMLButtonElement>('.transfer-progress button')].find((button) => button.textContent === 'Cancel')!.click();
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  }, phase.source);
}

/**
 * Parsing a card's HTML makes Chromium report its inline event handlers and styles as refused
 * by the CSP (see takeParserViolations in cardHtml.test.ts): reports of what was blocked, not
 * of anything run or loaded. Takes exactly those out of `errors`; returns every violation of
 * another kind (a load of an image, a font, a frame…).
 */
async function takeParserReports(page: Page, errors: string[]): Promise<string[]> {
  const parserError = /^(Applying inline style|Executing inline event handler) violates the following Content Security Policy directive '(style|script)-src 'self'/;
  errors.splice(0, errors.length, ...errors.filter((error) => !parserError.test(error)));
  return (await cspViolations(page)).filter((violation) => !/^(style-src-attr|script-src-attr) inline$/.test(violation));
}

/** Local date and time in the test's zone, as "2026-03-29 04:00". */
function localDateTime(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

const dayMs = 86_400_000;
/** Days since 1970-01-01 of a "2026-03-29" date, and back. */
const dayOfDate = (date: string) => Date.parse(`${date}T00:00:00Z`) / dayMs;
const dateOfDay = (day: number) => new Date(day * dayMs).toISOString().slice(0, 10);

/**
 * When Anki shows `card` as due: a learning step at its time; a day number on the local date
 * that many days after the collection's creation date, taken in the creation offset (rslib
 * scheduler/timing.rs, sched_timing_today_v2_new: days_elapsed counts calendar dates from
 * it, less one before the rollover hour). New cards have no due date.
 */
function expectedDue(collection: AnkiCollection, card: AnkiCard): { at: Date } | { date: string } | undefined {
  const due = card.originalDeckId ? card.originalDue : card.due;
  if (card.type === 0) return undefined;
  if (due > 1_000_000_000) return { at: new Date(due * 1000) };
  const created = new Date(collection.created * 1000 - collection.creationOffset! * 60_000).toISOString().slice(0, 10);
  return { date: dateOfDay(dayOfDate(created) + due) };
}

/** The local date (as days since 1970) on which Anki's today began: yesterday's before the rollover hour. */
function ankiToday(collection: AnkiCollection, now: Date): number {
  const [date, time] = localDateTime(now).split(' ');
  return dayOfDate(date) - (Number(time.slice(0, 2)) >= collection.rolloverHour ? 0 : 1);
}
