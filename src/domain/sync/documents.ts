// What sync stores on the server: CouchDB documents of two kinds. Review-log rows are
// immutable and batched per device and day ("log:<device>:<day>"); their ids are unique
// across devices, so merging two versions of a batch is a union, minus the rows an undo
// took back (kept as tombstones). Everything else (cards' content and state, decks,
// settings, imported notes) is a record document whose fields each carry the hybrid clock
// of their last change: two versions merge field by field, the later change winning.
// Card schedules are never stored here: each device replays them from the merged log.
import { isClock, laterClock } from './clock.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface RecordDoc {
  _id: string;
  _rev?: string;
  type: 'record';
  fields: Record<string, Json>;
  clocks: Record<string, string>;
}

/** A review-log row as JSON: dates as epoch milliseconds, `uid` its id across devices. */
export type SyncedLogRow = { uid: string; cardId: string; deckId: string; reviewedAt: number; kind: string } & Record<string, Json>;

export interface LogDoc {
  _id: string;
  _rev?: string;
  type: 'log';
  rows: SyncedLogRow[];
  /** Ids of rows of this batch that an undo took back: they never count again. */
  undone: string[];
}

/**
 * A media file of imported notes, by name: it never changes (an import keeps the first file
 * of a name), so two versions are the same file. `data` is its bytes in base64: in CouchDB
 * an attachment, which the replication carries.
 */
export interface MediaDoc {
  _id: string;
  _rev?: string;
  type: 'media';
  contentType: string;
  data?: string;
}

export type SyncDoc = RecordDoc | LogDoc | MediaDoc;

/** Rows per batch at most: a reschedule or an import writes thousands of rows at one time. */
export const rowsPerBatch = 500;

/**
 * The batch a log row belongs to: the device that wrote it, the UTC day it was made on, and
 * which run of that device's counter (rows written one after the other share a batch).
 */
export function logDocId(uid: string, reviewedAtMs: number): string {
  const [device, , counter] = uid.split('-');
  const run = Math.floor((parseInt(counter ?? '0', 36) || 0) / rowsPerBatch);
  return `log:${device}:${new Date(reviewedAtMs).toISOString().slice(0, 10)}:${run.toString(36)}`;
}

function jsonKey(value: Json | undefined): string {
  return JSON.stringify(value ?? null);
}

/** Field by field, the value with the later clock (equal clocks: the same change, or the greater value). */
export function mergeRecordDocs(a: RecordDoc, b: RecordDoc): RecordDoc {
  const fields: Record<string, Json> = {};
  const clocks: Record<string, string> = {};
  for (const name of new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])) {
    const [clockA, clockB] = [a.clocks[name], b.clocks[name]];
    const fromA = name in a.fields && (!(name in b.fields) || (clockA ?? '') > (clockB ?? '') || (clockA === clockB && jsonKey(a.fields[name]) >= jsonKey(b.fields[name])));
    fields[name] = fromA ? a.fields[name] : b.fields[name];
    const clock = laterClock(clockA, clockB);
    if (clock !== undefined) clocks[name] = clock;
  }
  return { _id: a._id, ...(a._rev ? { _rev: a._rev } : {}), type: 'record', fields, clocks };
}

/** The union of two versions of a batch, without the rows either says were undone. */
export function mergeLogDocs(a: LogDoc, b: LogDoc): LogDoc {
  const undone = [...new Set([...a.undone, ...b.undone])].sort();
  const gone = new Set(undone);
  const rows = new Map<string, SyncedLogRow>();
  for (const row of [...a.rows, ...b.rows]) if (!gone.has(row.uid) && !rows.has(row.uid)) rows.set(row.uid, row);
  const ordered = [...rows.values()].sort((x, y) => x.reviewedAt - y.reviewedAt || (x.uid < y.uid ? -1 : x.uid > y.uid ? 1 : 0));
  return { _id: a._id, ...(a._rev ? { _rev: a._rev } : {}), type: 'log', rows: ordered, undone };
}

export function mergeDocs<T extends SyncDoc>(a: T, b: T): T {
  if (a.type === 'media') return (a.data !== undefined ? a : { ...a, data: (b as MediaDoc).data }) as T;
  return (a.type === 'log' ? mergeLogDocs(a, b as LogDoc) : mergeRecordDocs(a as RecordDoc, b as RecordDoc)) as T;
}

/** Whether two versions of a document say the same (revisions aside). */
export function sameContent(a: SyncDoc, b: SyncDoc): boolean {
  if (a.type === 'media' || b.type === 'media') return a.type === b.type;
  const { _rev: _a, ...restA } = a;
  const { _rev: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

/** The newest clock a document holds, for the device's hybrid clock to move past. */
export function latestClock(doc: SyncDoc): string | undefined {
  if (doc.type !== 'record') return undefined;
  let latest: string | undefined;
  for (const clock of Object.values(doc.clocks)) latest = laterClock(latest, clock);
  return latest;
}

/** A document from the server, checked for the shape this app writes (another device, or anyone with the password, wrote it). */
export function parseSyncDoc(raw: unknown): SyncDoc | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const doc = raw as {
    _id?: unknown;
    _rev?: string;
    _deleted?: unknown;
    type?: unknown;
    rows?: unknown;
    undone?: unknown;
    fields?: unknown;
    clocks?: unknown;
    contentType?: unknown;
    _attachments?: { file?: { data?: unknown } };
  };
  if (typeof doc._id !== 'string' || doc._deleted) return undefined;
  if (doc.type === 'log') {
    if (!doc._id.startsWith('log:') || !Array.isArray(doc.rows) || !Array.isArray(doc.undone)) return undefined;
    const rows = (doc.rows as Partial<SyncedLogRow>[]).filter(
      (row): row is SyncedLogRow =>
        !!row && typeof row.uid === 'string' && typeof row.cardId === 'string' && typeof row.deckId === 'string' && Number.isFinite(row.reviewedAt) && typeof row.kind === 'string',
    );
    return { _id: doc._id, _rev: doc._rev, type: 'log', rows, undone: (doc.undone as unknown[]).filter((uid): uid is string => typeof uid === 'string') };
  }
  if (doc.type === 'media') {
    if (!doc._id.startsWith('media:') || typeof doc.contentType !== 'string') return undefined;
    const data = doc._attachments?.file?.data;
    return { _id: doc._id, _rev: doc._rev, type: 'media', contentType: doc.contentType, ...(typeof data === 'string' ? { data } : {}) };
  }
  if (doc.type === 'record') {
    if (!doc.fields || typeof doc.fields !== 'object' || !doc.clocks || typeof doc.clocks !== 'object') return undefined;
    const clocks = Object.fromEntries(Object.entries(doc.clocks).filter((entry): entry is [string, string] => isClock(entry[1])));
    return { _id: doc._id, _rev: doc._rev, type: 'record', fields: doc.fields as Record<string, Json>, clocks };
  }
  return undefined;
}
