// Imports, exports, backups and restores as the transfer worker runs them (runJob), on
// fake-indexeddb with sql.js and a fixed clock. What is stored is read straight from the
// database and compared whole: a failed or cancelled job must leave it exactly as it was.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { Rating, State, type Grade } from 'ts-fsrs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnkiCollection } from '../../src/domain/anki/model.ts';
import { readAnkiPackage } from '../../src/domain/anki/package.ts';
import { writeLegacyPackage } from '../../src/domain/anki/writePackage.ts';
import type { BuiltInDeck } from '../../src/domain/deckFile.ts';
import { applyAnswer, createScheduler, replaySchedule } from '../../src/domain/scheduler.ts';
import { scheduleOf } from '../../src/domain/schedule.ts';
import type { MergeCounts } from '../../src/domain/transfer/merge.ts';
import { defaultSettings, isAnswer, Queue, type CardRecord, type ReviewLogRow } from '../../src/domain/types.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { Storage } from '../../src/storage/index.ts';
import { TransferStorage } from '../../src/storage/transfer.ts';
import { CancelledError, recordsTable, runJob, type JobEnvironment } from '../../src/worker/jobs.ts';
import type { ImportSummary, TransferJob, TransferMessage } from '../../src/worker/protocol.ts';
import { generateAnkiPackage, imageBytes, imageName } from '../support/ankiFixtures.ts';
import { packageInput, truncated, zipBomb } from '../support/ankiZip.ts';

const originalZone = process.env.TZ;
const fixtures = new URL('../../../shared/fixtures/anki/', import.meta.url);
const fixtureFile = (name: string) => new File([readFileSync(new URL(name, fixtures))], name);
const dayMs = 86_400_000;
const MiB = 1024 * 1024;
/** The rows a summary counts: the history, without the rows that record where an imported schedule came from. */
const historyRows = (log: ReviewLogRow[]) => log.filter((row) => row.kind !== 'import').length;
const zeroCounts: MergeCounts = { decks: 0, notesAdded: 0, notesUpdated: 0, cardsAdded: 0, cardsUpdated: 0, reviewRows: 0, reviewRowsKnown: 0, media: 0 };

let SQL: SqlJsStatic;
let counter = 0;
let opened: { close(): void }[] = [];

beforeAll(async () => {
  SQL = await initSqlJs();
});

afterEach(() => {
  for (const storage of opened) storage.close();
  opened = [];
});

afterAll(() => {
  process.env.TZ = originalZone;
});

function freshName(): string {
  return `transfer-${++counter}`;
}

interface JobResult {
  messages: TransferMessage[];
  summary?: ImportSummary;
  file?: Blob;
}

/** Runs a job on database `name` at `now`; throws what the job throws. */
async function run(name: string, job: TransferJob, now: Date, cancelled: (messages: TransferMessage[]) => boolean = () => false): Promise<JobResult> {
  const storage = new TransferStorage(name);
  const messages: TransferMessage[] = [];
  const env: JobEnvironment = {
    storage,
    sqlite: async () => SQL,
    post: (message) => messages.push(message),
    cancelled: () => cancelled(messages),
    appBuild: 'test',
    now: () => now,
  };
  try {
    await runJob(job, env);
  } finally {
    storage.close();
  }
  const imported = messages.find((message) => message.type === 'imported');
  const file = messages.find((message) => message.type === 'file');
  return { messages, summary: imported?.summary, file: file?.blob };
}

async function runFailing(name: string, job: TransferJob, now: Date, cancelled?: (messages: TransferMessage[]) => boolean): Promise<Error> {
  try {
    await run(name, job, now, cancelled);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the job did not fail');
}

const importJob = (bytes: Uint8Array, name = 'deck.apkg'): TransferJob => ({ type: 'import', file: new File([bytes as BlobPart], name) });
const restoreJob = (bytes: Uint8Array): TransferJob => ({ type: 'restore', file: new File([bytes as BlobPart], 'backup.zip') });
const bytesOf = async (blob: Blob | undefined) => new Uint8Array(await blob!.arrayBuffer());

/**
 * Everything stored, each table in key order; log rows by card, time and kind, with or without
 * their auto ids, and with or without their ids across devices (two databases are two devices).
 */
async function dump(name: string, { logIds = true, uids = true } = {}) {
  const db = openDatabase(name);
  try {
    const [decks, cards, notes, noteTypes, log, media, settings] = await Promise.all([
      db.decks.toArray(),
      db.cards.toArray(),
      db.notes.toArray(),
      db.noteTypes.toArray(),
      db.reviewLog.toArray(),
      db.media.toArray(),
      db.settings.toArray(),
    ]);
    const orderedLog = [...log].sort(
      (a, b) => a.cardId.localeCompare(b.cardId) || a.reviewedAt.getTime() - b.reviewedAt.getTime() || (a.kind ?? 'answer').localeCompare(b.kind ?? 'answer'),
    );
    const rows = orderedLog.map(({ id, uid, ...row }) => ({ ...row, ...(logIds ? { id } : {}), ...(uids ? { uid } : {}) }));
    return { decks, cards, notes, noteTypes, log: rows, media, settings };
  } finally {
    db.close();
  }
}

/** Card `rev` is a per-device concurrency token (a count of writes on this device), not data: compared without it. */
const withoutRev = (cards: CardRecord[]) => cards.map(({ rev: _rev, ...card }) => card);

function logsByCard(log: ReviewLogRow[]): Map<string, ReviewLogRow[]> {
  const logs = new Map<string, ReviewLogRow[]>();
  for (const row of log) logs.set(row.cardId, [...(logs.get(row.cardId) ?? []), row]);
  return logs;
}

/** The Kubecards id of an Anki card: its note's guid and its template (or cloze) ordinal. */
const kubecardsCardId = (collection: AnkiCollection, ankiCardId: number): string => {
  const card = collection.cards.find((candidate) => candidate.id === ankiCardId)!;
  return `anki-${collection.notes.find((note) => note.id === card.noteId)!.guid}/${card.ord}`;
};

describe('the real Anki fixtures', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('update1.apkg: one Basic note in Default', async () => {
    const name = freshName();
    const { summary } = await run(name, { type: 'import', file: fixtureFile('update1.apkg') }, now);
    expect(summary).toEqual({ counts: { ...zeroCounts, decks: 1, notesAdded: 1, cardsAdded: 1 }, skipped: [] });
    const stored = await dump(name);
    expect(stored.decks.map((deck) => deck.title)).toEqual(['Default']);
    expect(stored.notes.map((note) => note.fields)).toEqual([['hello', 'world']]);
    expect(stored.cards).toHaveLength(1);
    expect(stored.cards[0]).toMatchObject({ kind: 'html', state: State.New, queue: Queue.New, deckId: stored.decks[0]!.id });
    expect(stored.noteTypes).toHaveLength(1);
    expect(stored.log).toEqual([]);
  });

  it('media.apkg: the note and foo.wav, byte for byte', async () => {
    const name = freshName();
    const bytes = readFileSync(new URL('media.apkg', fixtures));
    const { summary } = await run(name, importJob(bytes, 'media.apkg'), now);
    expect(summary).toEqual({ counts: { ...zeroCounts, decks: 1, notesAdded: 1, cardsAdded: 1, media: 1 }, skipped: [] });
    const zip = unzipSync(bytes);
    expect(JSON.parse(strFromU8(zip.media!))).toEqual({ 0: 'foo.wav' });
    const stored = await dump(name);
    expect(stored.media.map((file) => [file.name, file.bytes])).toEqual([['foo.wav', zip['0']]]);
    expect(stored.notes[0]!.fields[0]).toBe('[sound:foo.wav]');
  });

  it('empty-latest.apkg and empty-legacy-2.colpkg: nothing comes in', async () => {
    for (const file of ['empty-latest.apkg', 'empty-legacy-2.colpkg']) {
      const name = freshName();
      const { summary } = await run(name, { type: 'import', file: fixtureFile(file) }, now);
      expect(summary).toEqual({ counts: zeroCounts, skipped: [] });
      expect(await dump(name)).toEqual({ decks: [], cards: [], notes: [], noteTypes: [], log: [], media: [], settings: [] });
    }
  });

  it('text-2fields.txt: preview, then seven notes (a repeated first field and an empty one skipped)', async () => {
    const name = freshName();
    const { messages } = await run(name, { type: 'inspect-text', file: fixtureFile('text-2fields.txt') }, now);
    const preview = messages.find((message) => message.type === 'text-preview')!.preview;
    expect(preview).toMatchObject({ columnNames: ['Column 1', 'Column 2'], rowCount: 9, separator: '\t', html: false, mapping: { fields: [0, 1] } });
    expect(preview.rows[0]).toEqual(['食べる', 'to eat']);

    const job: TransferJob = { type: 'import-text', file: fixtureFile('text-2fields.txt'), mapping: { fields: [0, 1], deckTitle: 'Japanese' } };
    const { summary } = await run(name, job, now);
    expect(summary!.counts).toEqual({ ...zeroCounts, decks: 1, notesAdded: 7, cardsAdded: 7 });
    expect(summary!.skipped.map((item) => item.item).sort()).toEqual(['line 10', 'line 6', 'line 7 (imported)', 'line 8 (imported)']);
    const stored = await dump(name);
    expect(stored.decks.map((deck) => deck.title)).toEqual(['Japanese']);
    expect(stored.notes.map((note) => note.fields).sort()).toEqual(
      [['食べる', 'to eat'], ['飲む', 'to drink'], ['テスト', 'test'], ['to eat', '食べる'], ['多すぎる', 'too many'], ['not, enough, fields', ''], ['遊ぶ', '']].sort(),
    );
    expect(stored.cards.every((card) => card.state === State.New && card.queue === Queue.New)).toBe(true);

    // Again: every note is known by its first field, nothing is added.
    expect((await run(name, job, now)).summary!.counts).toEqual(zeroCounts);
    expect(await dump(name)).toEqual(stored);
  });

  it('text-tags.txt: two notes with the tags of the third column', async () => {
    const name = freshName();
    const job: TransferJob = { type: 'import-text', file: fixtureFile('text-tags.txt'), mapping: { fields: [0, 1], tags: 2, deckTitle: 'Tagged' } };
    const { summary } = await run(name, job, now);
    expect(summary).toEqual({ counts: { ...zeroCounts, decks: 1, notesAdded: 2, cardsAdded: 2 }, skipped: [] });
    const stored = await dump(name);
    expect(stored.cards.map((card) => card.tags).sort()).toEqual([['baz,qux'], ['baz2']]);
  });
});

describe.each(['America/Los_Angeles', 'Asia/Tokyo', 'Europe/Berlin'])('a generated anki21b package with history, in %s', (zone) => {
  let now: Date;
  let collection: AnkiCollection;
  let bytes: Uint8Array;
  const name = freshName();

  beforeAll(async () => {
    process.env.TZ = zone;
    // Mid-January: the collection was made in summer time, so the two offsets differ.
    now = new Date(2026, 0, 15, 12, 0);
    ({ bytes, collection } = await generateAnkiPackage({ notes: 200, now, image: true, hostile: true, seed: 7 }));
  });
  afterAll(() => {
    process.env.TZ = originalZone;
  });

  it('comes in with the right counts, queues, flags, tags, leech and deck names', async () => {
    const { summary } = await run(name, importJob(bytes), now);
    const usedDecks = new Set(collection.cards.map((card) => card.originalDeckId || card.deckId));
    expect(summary).toEqual({
      counts: { ...zeroCounts, decks: usedDecks.size, notesAdded: 200, cardsAdded: collection.cards.length, reviewRows: collection.revlog.length, media: 1 },
      skipped: [],
    });

    const stored = await dump(name);
    expect([stored.notes.length, stored.cards.length, historyRows(stored.log)]).toEqual([200, collection.cards.length, collection.revlog.length]);
    expect(stored.log.filter(isAnswer)).toHaveLength(collection.revlog.length);
    expect(stored.media).toEqual([{ name: imageName, type: 'image/png', bytes: imageBytes }]);
    expect(stored.decks.map((deck) => deck.title).sort()).toEqual(['CKA::Networking', 'CKA::Storage', 'Default']);

    const cards = new Map(stored.cards.map((card) => [card.id, card]));
    const deckTitles = new Map(stored.decks.map((deck) => [deck.id, deck.title]));
    const ankiDecks = new Map(collection.decks.map((deck) => [deck.id, deck.name]));
    const expectedQueue = (queue: number, type: number) =>
      queue === -1 ? Queue.Suspended : queue < -1 ? Queue.Buried : type === 0 ? Queue.New : type === 2 ? Queue.Review : Queue.Learning;
    for (const ankiCard of collection.cards) {
      const card = cards.get(kubecardsCardId(collection, ankiCard.id))!;
      const note = collection.notes.find((candidate) => candidate.id === ankiCard.noteId)!;
      expect(card.queue).toBe(expectedQueue(ankiCard.queue, ankiCard.type));
      expect(card.state).toBe(ankiCard.type);
      expect(card.flag ?? 0).toBe(ankiCard.flags & 7);
      expect(card.tags).toEqual(note.tags);
      expect(deckTitles.get(card.deckId)).toBe(ankiDecks.get(ankiCard.originalDeckId || ankiCard.deckId));
      expect([card.reps, card.lapses]).toEqual([ankiCard.reps, ankiCard.lapses]);
    }
    // Each special card is there: the leech suspended with its tag, the buried ones, the filtered one back home.
    const leech = stored.cards.filter((card) => card.tags.includes('leech'));
    expect(leech.map((card) => card.queue)).toEqual([Queue.Suspended]);
    expect(stored.cards.filter((card) => card.queue === Queue.Buried)).toHaveLength(2);
    expect(stored.cards.filter((card) => card.flag).length).toBeGreaterThan(0);
    expect(collection.cards.some((card) => card.originalDeckId !== 0)).toBe(true);
  });

  it('puts every review card on the local day Anki shows it', async () => {
    const { cards } = await dump(name);
    const byId = new Map(cards.map((card) => [card.id, card]));
    // Anki (scheduler/timing.rs, with a creation offset): today's day number is the calendar
    // days from the creation date, in the offset of its creation, to today's local date, one
    // fewer before the rollover hour. A due day d is shown on today's date + (d - that number).
    const offsetMs = collection.creationOffset! * 60_000;
    const createdDate = new Date(collection.created * 1000 - offsetMs);
    const createdDay = Date.UTC(createdDate.getUTCFullYear(), createdDate.getUTCMonth(), createdDate.getUTCDate()) / dayMs;
    const rolloverPassed = now.getHours() >= collection.rolloverHour;
    const todayDate = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (rolloverPassed ? 0 : 1));
    const daysElapsed = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / dayMs - createdDay - (rolloverPassed ? 0 : 1);
    let reviewCards = 0;
    const offsets = new Set<number>();
    for (const ankiCard of collection.cards.filter((card) => card.type === 2)) {
      const due = ankiCard.originalDeckId ? ankiCard.originalDue : ankiCard.due;
      offsets.add(Math.sign(due - daysElapsed));
      const shown = new Date(todayDate.getFullYear(), todayDate.getMonth(), todayDate.getDate() + due - daysElapsed, defaultSettings.dayStartHour);
      expect(byId.get(kubecardsCardId(collection, ankiCard.id))!.due).toEqual(shown);
      reviewCards++;
    }
    expect(reviewCards).toBeGreaterThan(100);
    // Some are due today, some overdue, some later.
    expect([...offsets].sort()).toEqual([-1, 0, 1]);
    // Learning cards are due at their exact time.
    for (const ankiCard of collection.cards.filter((card) => card.queue === 1)) {
      expect(byId.get(kubecardsCardId(collection, ankiCard.id))!.due).toEqual(new Date(ankiCard.due * 1000));
    }
  });

  it("stores each card's schedule as the replay of its log", async () => {
    const { cards, log } = await dump(name);
    const scheduler = createScheduler(defaultSettings);
    const logs = logsByCard(log);
    let replayed = 0;
    for (const card of cards) {
      const schedule = replaySchedule(scheduler, card.id, logs.get(card.id) ?? []);
      if (!schedule) continue;
      expect(scheduleOf(card)).toEqual(schedule);
      replayed++;
    }
    expect(replayed).toBe(new Set(log.map((row) => row.cardId)).size);
  });

  it('adds nothing when imported again', async () => {
    const before = await dump(name);
    const { summary } = await run(name, importJob(bytes), now);
    expect(summary!.counts).toEqual({ ...zeroCounts, reviewRowsKnown: historyRows(before.log) });
    expect(await dump(name)).toEqual(before);
  });
});

it('the same generated collection in the anki21 layout (schema 11) comes in as the anki21b one does', async () => {
  const now = new Date('2026-02-20T15:00:00Z');
  const stored = [];
  for (const layout of ['anki21b', 'anki21'] as const) {
    const { bytes } = await generateAnkiPackage({ notes: 40, now, layout, seed: 5 });
    const name = freshName();
    expect((await run(name, importJob(bytes), now)).summary!.skipped).toEqual([]);
    stored.push(await dump(name, { logIds: false, uids: false }));
  }
  expect(stored[0]!.cards.length).toBeGreaterThan(40);
  expect(stored[1]).toEqual(stored[0]);
});

// ---------------------------------------------------------------------------------------

/** Kubecards' own Markdown cards, one of them cloze, as the app seeds a built-in deck. */
const builtInDeck: BuiltInDeck = {
  id: 'kcna-basics',
  title: 'KCNA basics',
  description: 'Built-in test deck',
  cards: [
    ...Array.from({ length: 5 }, (_, position) => ({
      id: `kcna-${position}`,
      position,
      kind: 'basic' as const,
      front: `What does **object ${position}** do?`,
      back: `It runs \`kubectl get ${position}\`.`,
      source: 'https://kubernetes.io/docs/',
      exam: ['KCNA Kubernetes Fundamentals' as const],
      tags: ['kcna'],
      note: position === 0 ? 'A *note*.' : '',
    })),
  ],
};

describe('round trips of a database with imported and built-in cards', () => {
  const seededAt = new Date('2026-01-05T09:00:00Z');
  const now = new Date('2026-03-10T18:00:00Z');
  const origin = freshName();
  let exported: Uint8Array;
  let backup: Uint8Array;

  beforeAll(async () => {
    process.env.TZ = 'America/Los_Angeles';
    const storage = new Storage(origin);
    await storage.syncBuiltInDecks([builtInDeck], 'v1', seededAt);
    const scheduler = createScheduler(defaultSettings);
    // A few days of study on three built-in cards.
    const ratings: Grade[] = [Rating.Good, Rating.Again, Rating.Good, Rating.Easy];
    for (const [index, cardId] of ['kcna-0', 'kcna-1', 'kcna-3'].entries()) {
      for (const [step, rating] of ratings.entries()) {
        const before = (await storage.card(cardId))!;
        const at = new Date(seededAt.getTime() + (step * 3 + index) * dayMs + step * 600_000);
        const { card, log } = applyAnswer(scheduler, before, rating, at, 3000);
        await storage.answer(before, card, log);
      }
    }
    await storage.saveSettings({ ...defaultSettings, desiredRetention: 0.85 });
    await storage.saveDeckSettings('kcna-basics', { newCardsPerDay: 5 });
    storage.close();
    const { bytes } = await generateAnkiPackage({ notes: 60, now, image: true, seed: 3 });
    await run(origin, importJob(bytes), now);
    exported = await bytesOf((await run(origin, { type: 'export-apkg', withScheduling: true }, now)).file);
    backup = await bytesOf((await run(origin, { type: 'backup' }, now)).file);
  });
  afterAll(() => {
    process.env.TZ = originalZone;
  });

  it('export → fresh database → import: the same cards, notes, note types, log and due dates', async () => {
    const original = await dump(origin, { logIds: false });
    expect(original.cards.filter((card) => card.origin === 'built-in' && card.state !== State.New)).toHaveLength(3);
    const copy = freshName();
    const { summary } = await run(copy, importJob(exported, 'Kubecards.apkg'), now);
    expect(summary!.counts).toMatchObject({ cardsAdded: original.cards.length, reviewRows: historyRows(original.log), notesAdded: original.notes.length });
    const restored = await dump(copy, { logIds: false });
    expect(withoutRev(restored.cards)).toEqual(withoutRev(original.cards));
    expect(restored.notes).toEqual(original.notes);
    expect(restored.noteTypes).toEqual(original.noteTypes);
    expect(restored.log).toEqual(original.log);
    expect(restored.decks).toEqual(original.decks);
    expect(restored.media).toEqual(original.media);
  });

  it('the same export without the Kubecards table: the Anki columns give the same notes, due days and answers', async () => {
    const contents = await readAnkiPackage(packageInput(exported));
    const db = new SQL.Database(contents.collection);
    db.run(`DROP TABLE ${recordsTable}`);
    const plainAnki = writeLegacyPackage(db.export(), contents.media);
    db.close();

    const original = await dump(origin, { logIds: false });
    const copy = freshName();
    const { summary } = await run(copy, importJob(plainAnki), now);
    expect(summary!.counts.cardsAdded).toBe(original.cards.length);
    const restored = await dump(copy, { logIds: false });

    // Imported notes keep their guid and so their id; Kubecards' own cards became notes of their own.
    const originalNotes = new Map(original.notes.map((note) => [note.id, note.fields]));
    for (const note of restored.notes.filter((candidate) => originalNotes.has(candidate.id))) expect(note.fields).toEqual(originalNotes.get(note.id));
    expect(restored.notes.filter((note) => originalNotes.has(note.id))).toHaveLength(original.notes.length);

    const answers = (log: ReviewLogRow[]) => {
      const counts = new Map<string, number>();
      for (const row of log.filter(isAnswer)) counts.set(row.cardId, (counts.get(row.cardId) ?? 0) + 1);
      return counts;
    };
    const originalAnswers = answers(original.log);
    const restoredAnswers = answers(restored.log);
    // The card ids of Kubecards' own cards change (they are notes now): match them by note guid.
    const restoredById = new Map(restored.cards.map((card) => [card.id, card]));
    const restoredIdOf = (card: CardRecord) => (card.importedNote ? card.id : `anki-${card.id}/0`);
    const dueDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate() - (date.getHours() < defaultSettings.dayStartHour ? 1 : 0)).getTime();
    for (const card of original.cards) {
      const back = restoredById.get(restoredIdOf(card))!;
      expect(back).toBeDefined();
      expect(restoredAnswers.get(back.id) ?? 0).toBe(originalAnswers.get(card.id) ?? 0);
      expect(back.state).toBe(card.state);
      if (card.state !== State.New) expect(dueDay(back.due)).toBe(dueDay(card.due));
    }
  });

  it('backup → restore into a fresh database: deep-equal to the original, settings included', async () => {
    const copy = freshName();
    await run(copy, restoreJob(backup), now);
    const original = await dump(origin, { logIds: false });
    const restored = await dump(copy, { logIds: false });
    expect(withoutRev(restored.cards)).toEqual(withoutRev(original.cards));
    expect({ ...restored, cards: [] }).toEqual({ ...original, cards: [] });
    expect(restored.settings.map((row) => row.key).sort()).toEqual(['deck:kcna-basics', 'study']);
  });

  it('backup → restore twice: nothing changes, and the second restore counts nothing', async () => {
    const copy = freshName();
    await run(copy, restoreJob(backup), now);
    const once = await dump(copy);
    const { summary } = await run(copy, restoreJob(backup), now);
    expect(summary).toEqual({ counts: { ...zeroCounts, reviewRowsKnown: historyRows(once.log) }, skipped: [] });
    expect(await dump(copy)).toEqual(once);

    const before = await dump(origin);
    expect((await run(origin, restoreJob(backup), now)).summary!.counts).toEqual({ ...zeroCounts, reviewRowsKnown: historyRows(before.log) });
    expect(await dump(origin)).toEqual(before);
  });

  it('a restore keeps answers given after the backup, and both devices end with the union of their logs', async () => {
    const scheduler = createScheduler({ ...defaultSettings, desiredRetention: 0.85 });
    const answerOn = async (name: string, cardId: string, at: Date, rating: Grade) => {
      const storage = new Storage(name);
      opened.push(storage);
      const before = (await storage.card(cardId))!;
      const { card, log } = applyAnswer(scheduler, before, rating, at, 2000);
      await storage.answer(before, card, log);
    };
    // Device A restores the backup, then answers a card; device B answers the same card later.
    const deviceA = freshName();
    const deviceB = freshName();
    await run(deviceA, restoreJob(backup), now);
    await run(deviceB, restoreJob(backup), now);
    await answerOn(deviceA, 'kcna-1', new Date(now.getTime() + dayMs), Rating.Good);
    await answerOn(deviceB, 'kcna-1', new Date(now.getTime() + 2 * dayMs), Rating.Hard);
    await answerOn(deviceB, 'kcna-2', new Date(now.getTime() + 2 * dayMs), Rating.Good);

    // The old backup back on A: A's later answer stays.
    const beforeOld = await dump(deviceA);
    await run(deviceA, restoreJob(backup), now);
    expect(await dump(deviceA)).toEqual(beforeOld);

    // B's backup on A: A has both answers of kcna-1 and the schedule they replay to.
    const backupB = await bytesOf((await run(deviceB, { type: 'backup' }, now)).file);
    const { summary } = await run(deviceA, restoreJob(backupB), now);
    expect(summary!.counts).toMatchObject({ reviewRows: 2, cardsUpdated: 2 });
    const after = await dump(deviceA);
    const log = after.log.filter((row) => row.cardId === 'kcna-1');
    expect(log.filter(isAnswer).slice(-2).map((row) => [row.reviewedAt, row.rating])).toEqual([
      [new Date(now.getTime() + dayMs), Rating.Good],
      [new Date(now.getTime() + 2 * dayMs), Rating.Hard],
    ]);
    const card = after.cards.find((candidate) => candidate.id === 'kcna-1')!;
    expect(scheduleOf(card)).toEqual(replaySchedule(scheduler, 'kcna-1', log));
    expect(after.log.filter((row) => row.cardId === 'kcna-2').filter(isAnswer)).toHaveLength(1);
  });

  describe('a failure writes nothing', () => {
    it('a truncated package', async () => {
      const before = await dump(origin);
      const error = await runFailing(origin, importJob(truncated(exported, Math.floor(exported.length / 2))), now);
      expect(error.name).toBe('PackageError');
      expect(await dump(origin)).toEqual(before);
    });

    it('a zip bomb', async () => {
      const before = await dump(origin);
      const error = await runFailing(origin, importJob(zipBomb({ zeros: 24 * MiB })), now);
      expect(error.message).toMatch(/zip bomb/);
      expect(await dump(origin)).toEqual(before);
    });

    it('a backup whose JSON is cut off, and one with a card due "tomorrow"', async () => {
      const before = await dump(origin);
      const entries = unzipSync(backup);
      const text = strFromU8(entries['backup.json']!);
      const cutOff = zipSync({ ...entries, 'backup.json': strToU8(text.slice(0, text.length - 100)) });
      expect((await runFailing(origin, restoreJob(cutOff), now)).message).toMatch(/^The backup is damaged: backup\.json is not valid JSON/);

      const document = JSON.parse(text) as { cards: Record<string, unknown>[] };
      document.cards[3]!.due = 'tomorrow';
      const badDue = zipSync({ ...entries, 'backup.json': strToU8(JSON.stringify(document)) });
      expect((await runFailing(origin, restoreJob(badDue), now)).message).toBe('The backup is damaged: cards[3].due is not a date.');
      expect(await dump(origin)).toEqual(before);
    });

    it('cancelling before the write, and during it', async () => {
      const copy = freshName();
      await run(copy, restoreJob(backup), now);
      const before = await dump(copy);
      const { bytes } = await generateAnkiPackage({ notes: 30, now, seed: 11 });
      // Cancelled once the package is read, before saving starts.
      const early = await runFailing(copy, importJob(bytes), now, (messages) => messages.some((message) => message.type === 'progress' && message.phase === 'Converting cards'));
      expect(early).toBeInstanceOf(CancelledError);
      // Cancelled once the write has begun (the plan is made, nothing stored yet).
      const late = await runFailing(copy, importJob(bytes), now, (messages) => messages.some((message) => message.type === 'saving'));
      expect(late).toBeInstanceOf(CancelledError);
      expect(await dump(copy)).toEqual(before);
    });
  });
});
