// The backup file: every deck, card, note, note type, log row, setting and media file, as a
// zip holding one versioned JSON document and the media. A backup is untrusted when it comes
// back (it may have been edited or damaged): every record is checked before any is used.
import { zipSync } from 'fflate';
import type { CardRecord, Deck, MediaRecord, NoteRecord, NoteTypeRecord, ReviewLogRow } from '../types.ts';
import type { TransferRecords } from './merge.ts';

export const backupFormat = 'kubecards-backup';
export const backupVersion = 1;
export const backupDocument = 'backup.json';

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** Dates survive JSON as {"$date": "…"}. */
function withDates(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return raw instanceof Date ? { $date: raw.toISOString() } : value;
}

function revivingDates(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && '$date' in value) {
    const date = new Date(String((value as { $date: unknown }).$date));
    if (Number.isNaN(date.getTime())) throw new BackupError(`The backup holds a date that is not one: ${String((value as { $date: unknown }).$date).slice(0, 40)}`);
    return date;
  }
  return value;
}

/**
 * The records as one JSON document, versioned, without the media's bytes: each media file
 * names the entry of the file (zip entry, package media) that holds them.
 */
export function recordsDocument(records: TransferRecords, createdAt: Date, appBuild: string, mediaEntry: (index: number) => string): string {
  const { media, ...rest } = records;
  const document = {
    format: backupFormat,
    version: backupVersion,
    createdAt,
    appBuild,
    ...rest,
    media: media.map((file, index) => ({ name: file.name, type: file.type, entry: mediaEntry(index) })),
  };
  return JSON.stringify(document, withDates);
}

/** The backup's bytes: deflated JSON, media stored as they are (they are compressed already). */
export function writeBackup(records: TransferRecords, createdAt: Date, appBuild: string): Uint8Array {
  const entries: Record<string, Uint8Array | [Uint8Array, { level: 0 }]> = {
    [backupDocument]: new TextEncoder().encode(recordsDocument(records, createdAt, appBuild, (index) => `media/${index}`)),
  };
  records.media.forEach((file, index) => (entries[`media/${index}`] = [file.bytes, { level: 0 }]));
  return zipSync(entries, { level: 6 });
}

/** Whether a zip's entry names are those of a backup. */
export function isBackup(entryNames: Iterable<string>): boolean {
  for (const name of entryNames) if (name === backupDocument) return true;
  return false;
}

type Check = (value: unknown, path: string) => void;

function fail(path: string, what: string): never {
  throw new BackupError(`The backup is damaged: ${path} ${what}.`);
}

const isString: Check = (value, path) => typeof value === 'string' || fail(path, 'is not text');
const isNumber: Check = (value, path) => (typeof value === 'number' && Number.isFinite(value)) || fail(path, 'is not a number');
const isDate: Check = (value, path) => value instanceof Date || fail(path, 'is not a date');
const isStrings: Check = (value, path) => (Array.isArray(value) && value.every((item) => typeof item === 'string')) || fail(path, 'is not a list of texts');

function record(value: unknown, path: string, fields: Record<string, Check>, optional: Record<string, Check> = {}): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(path, 'is not a record');
  const object = value as Record<string, unknown>;
  for (const [name, check] of Object.entries(fields)) check(object[name], `${path}.${name}`);
  for (const [name, check] of Object.entries(optional)) if (object[name] !== undefined) check(object[name], `${path}.${name}`);
}

function list(value: unknown, path: string, each: (item: unknown, path: string) => void): void {
  if (!Array.isArray(value)) fail(path, 'is not a list');
  value.forEach((item, index) => each(item, `${path}[${index}]`));
}

const schedule = { due: isDate, stability: isNumber, difficulty: isNumber, scheduled_days: isNumber, learning_steps: isNumber, reps: isNumber, lapses: isNumber, state: isNumber };

function checkDeck(value: unknown, path: string): void {
  record(value, path, { id: isString, title: isString, description: isString, position: isNumber, origin: isString }, { companion: isString, editedAt: isDate });
}

function checkCard(value: unknown, path: string): void {
  record(
    value,
    path,
    { id: isString, deckId: isString, kind: isString, front: isString, back: isString, source: isString, exam: isStrings, tags: isStrings, note: isString, position: isNumber, queue: isNumber, origin: isString, rev: isNumber, ...schedule },
    { last_review: isDate, editedAt: isDate, flag: isNumber, buriedOnDay: isNumber },
  );
  const card = value as CardRecord;
  if (!['basic', 'cloze', 'html'].includes(card.kind)) fail(`${path}.kind`, `is "${card.kind}", not basic, cloze or html`);
}

function checkLogRow(value: unknown, path: string): void {
  record(value, path, { cardId: isString, deckId: isString, reviewedAt: isDate }, { uid: isString });
  const row = value as ReviewLogRow;
  if (row.kind === undefined || row.kind === 'answer') {
    record(value, path, { rating: isNumber, stateBefore: isNumber, due: isDate, stability: isNumber, difficulty: isNumber, scheduledDays: isNumber, durationMs: isNumber });
  } else if (['reset', 'reschedule', 'import'].includes(row.kind)) {
    record((value as { schedule: unknown }).schedule, `${path}.schedule`, schedule, { last_review: isDate });
  } else {
    fail(`${path}.kind`, `is "${String(row.kind)}", not a kind of log row`);
  }
}

function checkNote(value: unknown, path: string): void {
  record(value, path, { id: isString, guid: isString, noteTypeId: isString, fields: isStrings });
}

function checkNoteType(value: unknown, path: string): void {
  record(value, path, { id: isString, name: isString, kind: isString, fields: isStrings, css: isString });
  list((value as { templates: unknown }).templates, `${path}.templates`, (template, at) => record(template, at, { name: isString, front: isString, back: isString }));
}

/** The records of a backup from its zip entries, every one checked. */
export function readBackup(entries: Map<string, Uint8Array>): TransferRecords {
  const bytes = entries.get(backupDocument);
  if (!bytes) throw new BackupError(`This file is not a Kubecards backup: it has no ${backupDocument}.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BackupError(`The backup is damaged: ${backupDocument} is not UTF-8 text.`);
  }
  return readRecordsDocument(text, (entry) => entries.get(entry));
}

/**
 * Records from a document recordsDocument wrote, every one checked; a document from a newer
 * version of Kubecards is refused rather than half read.
 */
export function readRecordsDocument(text: string, mediaBytes: (entry: string) => Uint8Array | undefined): TransferRecords {
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(text, revivingDates) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`The backup is damaged: ${backupDocument} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (document.format !== backupFormat) throw new BackupError('This file is not a Kubecards backup.');
  if (typeof document.version !== 'number' || document.version > backupVersion) {
    throw new BackupError(`This backup was made by a newer version of Kubecards (backup format ${String(document.version)}); update the app to restore it.`);
  }
  list(document.decks, 'decks', checkDeck);
  list(document.cards, 'cards', checkCard);
  list(document.log, 'log', checkLogRow);
  list(document.notes, 'notes', checkNote);
  list(document.noteTypes, 'noteTypes', checkNoteType);
  const media: MediaRecord[] = [];
  list(document.media, 'media', (item, path) => {
    record(item, path, { name: isString, type: isString, entry: isString });
    const { name, type, entry } = item as { name: string; type: string; entry: string };
    const fileBytes = mediaBytes(entry);
    if (!fileBytes) fail(path, `names ${entry}, which is not in the file`);
    media.push({ name, type, bytes: fileBytes });
  });
  const settings = document.settings as TransferRecords['settings'];
  if (settings !== undefined) {
    record(settings, 'settings', {});
    const studyChecks = { dayStartHour: isNumber, newCardsPerDay: isNumber, reviewsPerDay: isNumber, desiredRetention: isNumber, maximumIntervalDays: isNumber, learningSteps: isStrings, relearningSteps: isStrings };
    if (settings.study !== undefined) record(settings.study, 'settings.study', studyChecks);
    list(settings.decks, 'settings.decks', (item, path) => (Array.isArray(item) && typeof item[0] === 'string') || fail(path, 'is not a deck setting'));
  }
  return {
    decks: document.decks as Deck[],
    cards: document.cards as CardRecord[],
    log: (document.log as ReviewLogRow[]).map(({ id: _id, ...row }) => row as ReviewLogRow),
    notes: document.notes as NoteRecord[],
    noteTypes: document.noteTypes as NoteTypeRecord[],
    media,
    settings,
  };
}
