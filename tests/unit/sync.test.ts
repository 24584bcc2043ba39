// The pure side of sync: hybrid clocks, ids, how two versions of a document merge, and the
// app's records as document fields and back. Fixed inputs only: no IndexedDB, no real clock;
// the merge laws are checked over documents from a seeded generator.
import { describe, expect, it } from 'vitest';
import { State } from 'ts-fsrs';
import { clockTime, formatClock, HybridClock, laterClock } from '../../src/domain/sync/clock.ts';
import { logRowUid, newDeviceId } from '../../src/domain/sync/ids.ts';
import {
  latestClock,
  logDocId,
  mergeDocs,
  mergeLogDocs,
  mergeRecordDocs,
  parseSyncDoc,
  rowsPerBatch,
  sameContent,
  type Json,
  type LogDoc,
  type MediaDoc,
  type RecordDoc,
  type SyncedLogRow,
} from '../../src/domain/sync/documents.ts';
import {
  cardFields,
  cardFromFields,
  changedFields,
  deckFields,
  deckFromFields,
  deckSettingNames,
  logRowFromSynced,
  noteFields,
  noteFromFields,
  ownCardFields,
  ownDeckFields,
  settingsFields,
  settingsFromFields,
  syncedLogRow,
  type Fields,
} from '../../src/domain/sync/records.ts';
import { databaseUrl, describeSyncError, perUserDatabase } from '../../src/domain/sync/status.ts';
import { scheduleOf } from '../../src/domain/schedule.ts';
import {
  defaultSettings,
  Queue,
  type AnswerLogRow,
  type CardRecord,
  type Deck,
  type DeckSettings,
  type ManualLogRow,
  type NoteRecord,
  type NoteTypeRecord,
} from '../../src/domain/types.ts';
import { makeCard } from '../support/cards.ts';
import { seededRandom } from '../support/collection.ts';

const wall = Date.UTC(2026, 2, 14, 9, 30); // a fixed "now"
const day = 86_400_000;

describe('HybridClock', () => {
  it('issues strictly increasing clocks when the wall clock stands still or goes back', () => {
    const clock = new HybridClock('devicea');
    const walls = [wall, wall, wall, wall - 60_000, wall - day, wall + 5, wall + 5, wall - 1];
    const issued = walls.map((ms) => clock.next(ms));
    for (let i = 1; i < issued.length; i++) expect(issued[i] > issued[i - 1]).toBe(true);
    expect(issued.map(clockTime)).toEqual([wall, wall + 1, wall + 2, wall + 3, wall + 4, wall + 5, wall + 6, wall + 7]);
  });

  it('follows the wall clock when it moves ahead', () => {
    const clock = new HybridClock('devicea');
    expect(clockTime(clock.next(wall))).toBe(wall);
    expect(clockTime(clock.next(wall + 1000))).toBe(wall + 1000);
  });

  it('after observing a remote clock ahead, issues a later one', () => {
    const clock = new HybridClock('devicea');
    clock.next(wall);
    const remote = formatClock(wall + 3_600_000, 'deviceb');
    clock.observe(remote, wall);
    const next = clock.next(wall + 1);
    expect(next > remote).toBe(true);
    expect(clockTime(next)).toBe(wall + 3_600_001);
    // A remote clock behind changes nothing.
    clock.observe(formatClock(wall - day, 'devicec'), wall);
    expect(clockTime(clock.next(wall + 2))).toBe(wall + 3_600_002);
  });

  it('beats a remote clock of the same time from a device whose id sorts later', () => {
    const clock = new HybridClock('aaaa');
    const remote = formatClock(wall, 'zzzz');
    clock.observe(remote, wall);
    expect(clock.next(wall) > remote).toBe(true);
  });

  it('is not dragged into the future by a clock more than a day ahead of its own', () => {
    const clock = new HybridClock('devicea');
    clock.observe(formatClock(wall + 2 * day, 'deviceb'), wall);
    expect(clockTime(clock.next(wall))).toBe(wall);
    expect(clockTime('not-a-clock')).toBe(0);
  });

  it('keeps its place across restarts through `latest`', () => {
    const before = new HybridClock('devicea');
    const issued = [before.next(wall), before.next(wall)];
    before.observe(formatClock(wall + 500, 'deviceb'), wall);
    const restarted = new HybridClock('devicea', before.latest);
    expect(restarted.latest).toBe(formatClock(wall + 500, 'devicea'));
    const next = restarted.next(wall - day);
    expect(issued.every((clock) => next > clock)).toBe(true);
    expect(clockTime(next)).toBe(wall + 501);
  });

  it('sorts as strings in time order, equal times by device id', () => {
    const random = seededRandom(7);
    const devices = ['0a', 'a0', 'b', 'zz9', '9'];
    const stamps = Array.from({ length: 300 }, () => ({
      // Times of every magnitude (1 to 13 digits), so padding matters, and many equal ones.
      ms: random() < 0.3 ? wall : Math.floor(random() * 10 ** Math.ceil(random() * 13)),
      device: devices[Math.floor(random() * devices.length)],
    }));
    const byTime = [...stamps].sort((x, y) => x.ms - y.ms || (x.device < y.device ? -1 : x.device > y.device ? 1 : 0));
    const byString = stamps.map((stamp) => formatClock(stamp.ms, stamp.device)).sort();
    expect(byString).toEqual(byTime.map((stamp) => formatClock(stamp.ms, stamp.device)));
    expect(formatClock(wall, 'devicea') < formatClock(wall, 'deviceb')).toBe(true);
    expect(formatClock(999, 'z') < formatClock(1000, '0')).toBe(true);
  });

  it('gives back the time a clock was made of', () => {
    for (const ms of [0, 1, 35, 36, wall, 4_102_444_800_000 /* 2100 */, 95_617_584_000_000 /* 5000 */]) {
      expect(clockTime(formatClock(ms, 'devicea'))).toBe(ms);
    }
    expect(clockTime('')).toBe(0);
  });

  it('laterClock takes the later one, either missing', () => {
    const [early, late] = [formatClock(wall, 'b'), formatClock(wall + 1, 'a')];
    expect(laterClock(early, late)).toBe(late);
    expect(laterClock(late, early)).toBe(late);
    expect(laterClock(undefined, early)).toBe(early);
    expect(laterClock(early, undefined)).toBe(early);
    expect(laterClock(undefined, undefined)).toBeUndefined();
  });
});

describe('ids', () => {
  it('makes device ids of 12 letters and digits, from the random source given', () => {
    const first = newDeviceId(seededRandom(1));
    expect(first).toMatch(/^[0-9a-z]{12}$/);
    expect(newDeviceId(seededRandom(1))).toBe(first);
    expect(newDeviceId(seededRandom(2))).not.toBe(first);
    expect(newDeviceId(() => 0)).toBe('000000000000');
    expect(newDeviceId(() => 0.999_999)).toBe('zzzzzzzzzzzz');
  });

  it('names a log row by device, time and counter, in three parts split on "-"', () => {
    const uid = logRowUid('devicea', wall, 42);
    expect(uid.split('-')).toEqual(['devicea', wall.toString(36), (42).toString(36)]);
    expect(logRowUid('devicea', wall, 43)).not.toBe(uid);
    expect(logRowUid('deviceb', wall, 42)).not.toBe(uid);
  });
});

// --- Generated documents for the merge laws ---------------------------------------------

const fieldNames = ['front', 'back', 'flag', 'tags', 'deckId'];
const fieldValues: Json[] = [null, 0, 3, true, false, 'x', 'y', '', [], ['leech'], { noteId: 'n', number: 1 }];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A record document with some fields, from a few clocks so that equal ones are common. */
function randomRecordDoc(random: () => number): RecordDoc {
  const fields: Record<string, Json> = {};
  const clocks: Record<string, string> = {};
  for (const name of fieldNames) {
    if (random() < 0.4) continue;
    fields[name] = pick(random, fieldValues);
    clocks[name] = formatClock(wall + Math.floor(random() * 4), pick(random, ['deva', 'devb']));
  }
  return { _id: 'card:c1', type: 'record', fields, clocks };
}

/** The merge result without its revision, which is the first side's by design. */
const recordContent = (doc: RecordDoc) => ({ _id: doc._id, type: doc.type, fields: doc.fields, clocks: doc.clocks });

function answerRow(uid: string, reviewedAt: number, cardId = 'c1'): SyncedLogRow {
  return { uid, cardId, deckId: 'd1', reviewedAt, kind: 'answer', rating: 3, stateBefore: 2, due: reviewedAt + day, stability: 4.5, difficulty: 5, scheduledDays: 1, durationMs: 3000 };
}

// Rows of one batch: one row per uid, whatever document holds it (rows are immutable); two
// devices' rows share times, so ordering by uid matters. In merge order: by time, then uid.
const rowPool: SyncedLogRow[] = Array.from({ length: 12 }, (_, i) => {
  const reviewedAt = wall + Math.floor(i / 3) * 60_000;
  return answerRow(logRowUid(i % 2 ? 'devb' : 'deva', reviewedAt, i), reviewedAt, `c${i % 4}`);
}).sort((x, y) => x.reviewedAt - y.reviewedAt || (x.uid < y.uid ? -1 : 1));

/** A batch as merges leave it: rows ordered, none of them undone, tombstones sorted. */
function randomLogDoc(random: () => number): LogDoc {
  const undone = rowPool.filter(() => random() < 0.15).map((row) => row.uid).sort();
  const rows = rowPool.filter((row) => random() < 0.5 && !undone.includes(row.uid));
  return { _id: 'log:deva:2026-03-14:0', type: 'log', rows, undone };
}

describe('mergeRecordDocs', () => {
  const older = formatClock(wall, 'deva');
  const newer = formatClock(wall + 1, 'deva');

  it('takes each field from the side with the later clock, whichever side it is on', () => {
    const a: RecordDoc = { _id: 'card:c1', _rev: '2-a', type: 'record', fields: { front: 'A front', flag: 1 }, clocks: { front: newer, flag: older } };
    const b: RecordDoc = { _id: 'card:c1', _rev: '3-b', type: 'record', fields: { front: 'B front', flag: 4 }, clocks: { front: older, flag: newer } };
    for (const merged of [mergeRecordDocs(a, b), mergeRecordDocs(b, a)]) {
      expect(merged.fields).toEqual({ front: 'A front', flag: 4 });
      expect(merged.clocks).toEqual({ front: newer, flag: newer });
    }
  });

  it('breaks a tie of equal times by device id', () => {
    const a: RecordDoc = { _id: 'deck:d1', type: 'record', fields: { title: 'from a' }, clocks: { title: formatClock(wall, 'deva') } };
    const b: RecordDoc = { _id: 'deck:d1', type: 'record', fields: { title: 'from b' }, clocks: { title: formatClock(wall, 'devb') } };
    expect(mergeRecordDocs(a, b).fields.title).toBe('from b');
    expect(mergeRecordDocs(b, a).fields.title).toBe('from b');
  });

  it('keeps a field that one side only has, with its clock', () => {
    const a: RecordDoc = { _id: 'card:c1', type: 'record', fields: { front: 'A' }, clocks: { front: older } };
    const b: RecordDoc = { _id: 'card:c1', type: 'record', fields: { flag: 2, deleted: false }, clocks: { flag: newer, deleted: older } };
    for (const merged of [mergeRecordDocs(a, b), mergeRecordDocs(b, a)]) {
      expect(merged.fields).toEqual({ front: 'A', flag: 2, deleted: false });
      expect(merged.clocks).toEqual({ front: older, flag: newer, deleted: older });
    }
  });

  it('keeps the first side’s id and revision', () => {
    const a: RecordDoc = { _id: 'card:c1', _rev: '5-x', type: 'record', fields: {}, clocks: {} };
    const b: RecordDoc = { _id: 'card:c1', type: 'record', fields: {}, clocks: {} };
    expect(mergeRecordDocs(a, b)._rev).toBe('5-x');
    expect('_rev' in mergeRecordDocs(b, a)).toBe(false);
  });

  it('each field of a merge is the later of its two versions (generated pairs)', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 300; i++) {
      const [a, b] = [randomRecordDoc(random), randomRecordDoc(random)];
      const merged = mergeRecordDocs(a, b);
      expect(Object.keys(merged.fields).sort()).toEqual([...new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])].sort());
      for (const name of Object.keys(merged.fields)) {
        const clock = laterClock(a.clocks[name], b.clocks[name])!;
        expect(merged.clocks[name]).toBe(clock);
        const winners = [a, b].filter((doc) => name in doc.fields && doc.clocks[name] === clock).map((doc) => doc.fields[name]);
        expect(winners).toContainEqual(merged.fields[name]);
      }
    }
  });

  it('is commutative, idempotent and associative (generated pairs and triples)', () => {
    const random = seededRandom(12);
    for (let i = 0; i < 400; i++) {
      const [a, b, c] = [randomRecordDoc(random), randomRecordDoc(random), randomRecordDoc(random)];
      expect(recordContent(mergeRecordDocs(a, b))).toStrictEqual(recordContent(mergeRecordDocs(b, a)));
      expect(mergeRecordDocs(a, a)).toStrictEqual(a);
      expect(recordContent(mergeRecordDocs(mergeRecordDocs(a, b), c))).toStrictEqual(recordContent(mergeRecordDocs(a, mergeRecordDocs(b, c))));
    }
  });
});

describe('mergeLogDocs', () => {
  const [r0, r1, r2, r3] = rowPool;

  it('is the union of both sides by uid, ordered by time then uid', () => {
    const a: LogDoc = { _id: 'log:x', type: 'log', rows: [r3, r0], undone: [] };
    const b: LogDoc = { _id: 'log:x', type: 'log', rows: [r2, r1, r0], undone: [] };
    const merged = mergeLogDocs(a, b);
    expect(merged.rows).toEqual([r0, r1, r2, r3]);
    expect(merged.undone).toEqual([]);
    // r0, r1 and r2 share a time; r3 is a minute later.
    expect(new Set([r0, r1, r2].map((row) => row.reviewedAt)).size).toBe(1);
    expect([r0.uid, r1.uid, r2.uid]).toEqual([r0.uid, r1.uid, r2.uid].sort());
  });

  it('orders rows by uid when their times are equal, whatever order they came in', () => {
    const late = answerRow('deva-x-1', wall);
    const early = answerRow('devb-x-0', wall - 1);
    const sameTime = answerRow('deva-x-0', wall);
    const merged = mergeLogDocs({ _id: 'log:x', type: 'log', rows: [late, early], undone: [] }, { _id: 'log:x', type: 'log', rows: [sameTime], undone: [] });
    expect(merged.rows.map((row) => row.uid)).toEqual(['devb-x-0', 'deva-x-0', 'deva-x-1']);
  });

  it('drops rows undone on either side, and they stay gone in later merges', () => {
    const a: LogDoc = { _id: 'log:x', type: 'log', rows: [r0, r1, r2], undone: [] };
    const b: LogDoc = { _id: 'log:x', type: 'log', rows: [r0], undone: [r1.uid] };
    const merged = mergeLogDocs(a, b);
    expect(merged.rows).toEqual([r0, r2]);
    expect(merged.undone).toEqual([r1.uid]);
    // A device that has not heard of the undo sends the row again: it stays gone.
    const again = mergeLogDocs(merged, a);
    expect(again.rows).toEqual([r0, r2]);
    expect(mergeLogDocs(a, again).rows).toEqual([r0, r2]);
    expect(mergeLogDocs({ _id: 'log:x', type: 'log', rows: [r3], undone: [r3.uid] }, again).rows).toEqual([r0, r2]);
  });

  it('is commutative, idempotent and associative (generated pairs and triples)', () => {
    const random = seededRandom(21);
    for (let i = 0; i < 400; i++) {
      const [a, b, c] = [randomLogDoc(random), randomLogDoc(random), randomLogDoc(random)];
      const merged = mergeLogDocs(a, b);
      expect(merged).toStrictEqual(mergeLogDocs(b, a));
      expect(mergeLogDocs(a, a)).toStrictEqual(a);
      expect(mergeLogDocs(mergeLogDocs(a, b), c)).toStrictEqual(mergeLogDocs(a, mergeLogDocs(b, c)));
      // The union minus every tombstone, in order.
      const gone = new Set([...a.undone, ...b.undone]);
      const expected = rowPool.filter((row) => !gone.has(row.uid) && [...a.rows, ...b.rows].includes(row));
      expect(merged.rows).toEqual(expected);
      expect(merged.undone).toEqual([...gone].sort());
    }
  });
});

describe('mergeDocs, sameContent, latestClock', () => {
  it('merges each kind of document its own way', () => {
    const log: LogDoc = { _id: 'log:x', type: 'log', rows: [rowPool[0]], undone: [] };
    expect(mergeDocs(log, { ...log, rows: [rowPool[1]] }).rows).toEqual([rowPool[0], rowPool[1]]);
    const record: RecordDoc = { _id: 'deck:d', type: 'record', fields: { title: 'old' }, clocks: { title: formatClock(wall, 'a') } };
    expect(mergeDocs(record, { ...record, fields: { title: 'new' }, clocks: { title: formatClock(wall + 1, 'a') } }).fields).toEqual({ title: 'new' });
  });

  it('keeps a media file’s bytes from whichever side has them', () => {
    const stub: MediaDoc = { _id: 'media:a.png', _rev: '1-a', type: 'media', contentType: 'image/png' };
    const full: MediaDoc = { ...stub, data: 'iVBORw0K' };
    expect(mergeDocs(stub, full)).toEqual(full);
    expect(mergeDocs(full, stub)).toEqual(full);
    expect(sameContent(stub, full)).toBe(true);
  });

  it('compares documents without their revisions', () => {
    const record: RecordDoc = { _id: 'deck:d', _rev: '1-a', type: 'record', fields: { title: 'T' }, clocks: { title: formatClock(wall, 'a') } };
    expect(sameContent(record, { ...record, _rev: '2-b' })).toBe(true);
    expect(sameContent(record, { ...record, fields: { title: 'U' } })).toBe(false);
    expect(sameContent(record, { ...record, clocks: { title: formatClock(wall + 1, 'a') } })).toBe(false);
  });

  it('gives the newest clock of a record, none of a log batch', () => {
    const newest = formatClock(wall + 9, 'a');
    const record: RecordDoc = { _id: 'deck:d', type: 'record', fields: { a: 1, b: 2, c: 3 }, clocks: { a: formatClock(wall, 'z'), b: newest, c: formatClock(wall + 8, 'z') } };
    expect(latestClock(record)).toBe(newest);
    expect(latestClock({ ...record, fields: {}, clocks: {} })).toBeUndefined();
    expect(latestClock({ _id: 'log:x', type: 'log', rows: [], undone: [] })).toBeUndefined();
  });
});

describe('logDocId', () => {
  const at = Date.UTC(2026, 2, 14, 12);

  it('puts counters 0 to 499 of one device and UTC day in one batch, 500 in the next', () => {
    const first = logDocId(logRowUid('deva', at, 0), at);
    expect(first).toBe('log:deva:2026-03-14:0');
    expect(logDocId(logRowUid('deva', at + 60_000, 1), at + 60_000)).toBe(first);
    expect(logDocId(logRowUid('deva', at, rowsPerBatch - 1), at)).toBe(first);
    const next = logDocId(logRowUid('deva', at, rowsPerBatch), at);
    expect(next).not.toBe(first);
    expect(logDocId(logRowUid('deva', at, 2 * rowsPerBatch - 1), at)).toBe(next);
    expect(logDocId(logRowUid('deva', at, 2 * rowsPerBatch), at)).not.toBe(next);
  });

  it('gives another day or another device another batch', () => {
    const first = logDocId(logRowUid('deva', at, 3), at);
    expect(logDocId(logRowUid('devb', at, 3), at)).not.toBe(first);
    expect(logDocId(logRowUid('deva', at + day, 3), at + day)).not.toBe(first);
  });

  it('cuts days at UTC midnight', () => {
    const beforeMidnight = Date.UTC(2026, 2, 14, 23, 30);
    const afterMidnight = Date.UTC(2026, 2, 15, 0, 30);
    const before = logDocId(logRowUid('deva', beforeMidnight, 7), beforeMidnight);
    const after = logDocId(logRowUid('deva', afterMidnight, 8), afterMidnight);
    expect(before).toBe('log:deva:2026-03-14:0');
    expect(after).toBe('log:deva:2026-03-15:0');
  });
});

describe('parseSyncDoc', () => {
  const record: RecordDoc = { _id: 'card:c1', _rev: '3-abc', type: 'record', fields: { front: 'Q', flag: 2, tags: ['a'], exam: null }, clocks: { front: formatClock(wall, 'deva'), flag: formatClock(wall, 'devb'), tags: formatClock(0, 'deva'), exam: formatClock(0, 'deva') } };
  const log: LogDoc = { _id: 'log:deva:2026-03-14:0', _rev: '1-def', type: 'log', rows: [rowPool[0], rowPool[2]], undone: [rowPool[4].uid] };

  it('accepts what the app writes, as it comes back from the server', () => {
    expect(parseSyncDoc(JSON.parse(JSON.stringify(record)))).toEqual(record);
    expect(parseSyncDoc(JSON.parse(JSON.stringify(log)))).toEqual(log);
    const { _rev: _, ...unsaved } = record;
    expect(parseSyncDoc(unsaved)).toEqual(unsaved);
  });

  it('rejects deleted documents, unknown types and missing parts', () => {
    expect(parseSyncDoc({ ...record, _deleted: true })).toBeUndefined();
    expect(parseSyncDoc({ ...log, _deleted: true })).toBeUndefined();
    expect(parseSyncDoc({ ...record, type: 'card' })).toBeUndefined();
    const { type: _type, ...untyped } = record;
    expect(parseSyncDoc(untyped)).toBeUndefined();
    const { _id: _noId, ...unnamed } = record;
    expect(parseSyncDoc(unnamed)).toBeUndefined();
    const { fields: _fields, ...noFields } = record;
    expect(parseSyncDoc(noFields)).toBeUndefined();
    const { clocks: _clocks, ...noClocks } = record;
    expect(parseSyncDoc(noClocks)).toBeUndefined();
    const { rows: _rows, ...noRows } = log;
    expect(parseSyncDoc(noRows)).toBeUndefined();
    const { undone: _undone, ...noUndone } = log;
    expect(parseSyncDoc(noUndone)).toBeUndefined();
    expect(parseSyncDoc({ ...log, _id: 'card:c1' })).toBeUndefined();
    for (const raw of [null, undefined, 'log:x', 42, []]) expect(parseSyncDoc(raw)).toBeUndefined();
  });

  it('drops log rows without uid, cardId or reviewedAt, and tombstones that are not ids', () => {
    const good = rowPool[0];
    const { uid: _uid, ...noUid } = rowPool[1];
    const { cardId: _cardId, ...noCard } = rowPool[2];
    const { reviewedAt: _reviewedAt, ...noTime } = rowPool[3];
    const parsed = parseSyncDoc({ ...log, rows: [noUid, good, noCard, null, noTime, { ...rowPool[5], reviewedAt: 'yesterday' }], undone: [rowPool[4].uid, 7, null] });
    expect(parsed).toEqual({ ...log, rows: [good], undone: [rowPool[4].uid] });
  });

  it('accepts a media file with or without its attachment’s bytes, under media: only', () => {
    const raw = { _id: 'media:a.png', _rev: '2-x', type: 'media', contentType: 'image/png', _attachments: { file: { content_type: 'image/png', data: 'iVBORw0K' } } };
    expect(parseSyncDoc(raw)).toEqual({ _id: 'media:a.png', _rev: '2-x', type: 'media', contentType: 'image/png', data: 'iVBORw0K' });
    const stub = { ...raw, _attachments: { file: { content_type: 'image/png', stub: true, digest: 'md5-x' } } };
    expect(parseSyncDoc(stub)).toEqual({ _id: 'media:a.png', _rev: '2-x', type: 'media', contentType: 'image/png' });
    expect(parseSyncDoc({ ...raw, _id: 'card:c1' })).toBeUndefined();
    expect(parseSyncDoc({ ...raw, contentType: undefined })).toBeUndefined();
  });

  it('drops clocks that are not strings', () => {
    const parsed = parseSyncDoc({ ...record, clocks: { ...record.clocks, flag: 5 } });
    expect(parsed?.type === 'record' && parsed.clocks).toEqual({ front: record.clocks.front, tags: record.clocks.tags, exam: record.clocks.exam });
  });
});

describe('card fields', () => {
  const userCard = makeCard('u1', {
    origin: 'user',
    deckId: 'my-deck',
    position: 7,
    front: 'What is a Pod?',
    back: 'The smallest deployable unit.',
    source: 'me',
    tags: ['pods', 'basics'],
    note: 'remember this',
    flag: 3,
    state: State.Review,
    queue: Queue.Review,
    stability: 12.5,
    difficulty: 4.2,
    reps: 5,
    due: new Date(wall + 3 * day),
    last_review: new Date(wall - 9 * day),
    editedAt: new Date(wall - day),
  });

  /** Through JSON, as a document is on the server. */
  const viaServer = (fields: Fields): Fields => JSON.parse(JSON.stringify(fields)) as Fields;

  it('round-trips a user card: content, deck, flag', () => {
    const back = cardFromFields(userCard.id, undefined, viaServer(cardFields(userCard)), scheduleOf(userCard));
    expect(back).toEqual(userCard);
  });

  it('round-trips cloze and imported-note cards', () => {
    const cloze = makeCard('z1', { origin: 'user', kind: 'cloze', cloze: { noteId: 'n1', text: '{{c1::etcd}} stores state', number: 1 } });
    expect(cardFromFields(cloze.id, undefined, viaServer(cardFields(cloze)), scheduleOf(cloze))).toEqual(cloze);
    const html = makeCard('h1', { origin: 'user', kind: 'html', front: '<b>Q</b>', importedNote: { id: 'note1', noteTypeId: 'type1', ord: 0 } });
    expect(cardFromFields(html.id, undefined, viaServer(cardFields(html)), scheduleOf(html))).toEqual(html);
  });

  it('round-trips suspension, burial and retirement', () => {
    for (const held of [{ queue: Queue.Suspended }, { queue: Queue.Buried, buriedOnDay: 20_500 }, { queue: Queue.Retired }] as Partial<CardRecord>[]) {
      const card = makeCard('u2', { origin: 'user', state: State.Review, ...held });
      const back = cardFromFields(card.id, undefined, viaServer(cardFields(card)), scheduleOf(card));
      expect(back).toEqual(card);
    }
  });

  it('puts a card released on another device back in the queue of its state', () => {
    const stored = makeCard('u3', { origin: 'user', state: State.Review, queue: Queue.Suspended });
    const back = cardFromFields(stored.id, stored, { suspended: false }, scheduleOf(stored));
    expect(back).toEqual({ ...stored, queue: Queue.Review });
    const buried = makeCard('u4', { origin: 'user', queue: Queue.Buried, buriedOnDay: 3 });
    const unburied = cardFromFields(buried.id, buried, { buriedOnDay: null }, scheduleOf(buried)) as CardRecord;
    expect(unburied.queue).toBe(Queue.New);
    expect('buriedOnDay' in unburied).toBe(false);
  });

  it('applies some fields over the stored card, keeping its schedule and revision', () => {
    const stored = makeCard('b1', { rev: 4, state: State.Review, queue: Queue.Review, stability: 30 });
    const back = cardFromFields(stored.id, stored, { flag: 5, front: 'edited', editedAt: wall }, scheduleOf(makeCard('other')));
    expect(back).toEqual({ ...stored, flag: 5, front: 'edited', editedAt: new Date(wall) });
  });

  it('says a card is deleted, or unknown when it is not stored and the fields do not say what it is', () => {
    const schedule = scheduleOf(userCard);
    expect(cardFields(undefined)).toEqual({ deleted: true });
    expect(cardFromFields('x', undefined, cardFields(undefined), schedule)).toBe('deleted');
    expect(cardFromFields(userCard.id, userCard, { deleted: true }, schedule)).toBe('deleted');
    // A full document of a card this device lacks, without its text: not a card it can show.
    expect(cardFromFields('x', undefined, { flag: 2 }, schedule)).toBe('unknown');
    expect(cardFromFields('x', undefined, { ...cardFields(userCard), kind: 'video' }, schedule)).toBe('unknown');
    expect(cardFromFields(userCard.id, userCard, { kind: 'video' }, schedule)).toBe('unknown');
  });

  it('sends of a built-in card only what the user changed', () => {
    const untouched = makeCard('b1', { state: State.Review, queue: Queue.Review });
    expect(ownCardFields(untouched)).toEqual({});
    expect(ownCardFields({ ...untouched, flag: 2 })).toEqual({ flag: 2 });
    expect(ownCardFields({ ...untouched, queue: Queue.Suspended })).toEqual({ suspended: true });
    expect(ownCardFields({ ...untouched, queue: Queue.Buried, buriedOnDay: 9 })).toEqual({ buriedOnDay: 9 });
    expect(ownCardFields({ ...untouched, tags: ['leech'] })).toEqual({ tags: ['leech'] });
    const edited = { ...untouched, front: 'better question', editedAt: new Date(wall) };
    expect(ownCardFields(edited)).toEqual({
      kind: 'basic',
      front: 'better question',
      back: untouched.back,
      source: untouched.source,
      exam: untouched.exam,
      tags: [],
      note: '',
      cloze: null,
      editedAt: wall,
    });
    expect(ownCardFields(userCard)).toEqual(cardFields(userCard));
  });

  it('lists exactly the fields that changed', () => {
    const before = cardFields(userCard);
    expect(changedFields(before, before)).toEqual([]);
    const after = cardFields({ ...userCard, flag: 0, tags: ['pods'], queue: Queue.Suspended });
    expect(changedFields(before, after).sort()).toEqual(['flag', 'suspended', 'tags']);
    expect(changedFields(undefined, after)).toEqual(Object.keys(after));
    // Absent and null are the same value.
    expect(changedFields({ a: 1 }, { a: 1, b: null })).toEqual([]);
    expect(changedFields({ a: { x: [1] } }, { a: { x: [2] } })).toEqual(['a']);
  });
});

describe('deck fields', () => {
  const userDeck: Deck = { id: 'my-deck', title: 'Networking', description: 'Services and ingress', position: 3, origin: 'user', editedAt: new Date(wall) };
  const builtIn: Deck = { id: 'kcna', title: 'KCNA', description: 'The built-in deck', position: 0, origin: 'built-in' };

  it('round-trips a deck', () => {
    expect(deckFromFields(userDeck.id, undefined, JSON.parse(JSON.stringify(deckFields(userDeck))) as Fields)).toEqual(userDeck);
    expect(deckFromFields(builtIn.id, undefined, deckFields(builtIn))).toEqual(builtIn);
  });

  it('applies a rename over the stored deck', () => {
    expect(deckFromFields(builtIn.id, builtIn, { title: 'Mine', editedAt: wall })).toEqual({ ...builtIn, title: 'Mine', editedAt: new Date(wall) });
  });

  it('says a deck is deleted, or unknown when it is not stored and has no title', () => {
    expect(deckFields(undefined)).toEqual({ deleted: true });
    expect(deckFromFields('x', undefined, deckFields(undefined))).toBe('deleted');
    expect(deckFromFields(userDeck.id, userDeck, { deleted: true })).toBe('deleted');
    expect(deckFromFields('x', undefined, { title: 'Renamed', editedAt: 1 })).toBe('unknown');
  });

  it('sends of a built-in deck only its name once renamed', () => {
    expect(ownDeckFields(builtIn)).toEqual({});
    expect(ownDeckFields({ ...builtIn, title: 'Renamed', editedAt: new Date(wall) })).toEqual({ title: 'Renamed', description: builtIn.description, editedAt: wall });
    expect(ownDeckFields(userDeck)).toEqual(deckFields(userDeck));
  });

  it('lists exactly the fields that changed', () => {
    expect(changedFields(deckFields(userDeck), deckFields({ ...userDeck, title: 'Net', position: 4 })).sort()).toEqual(['position', 'title']);
    expect(changedFields(deckFields(userDeck), deckFields(undefined))).toEqual(['deleted']);
  });
});

describe('settings fields', () => {
  const studySettingNames = Object.keys(defaultSettings);

  it('round-trips the study settings', () => {
    const settings = { ...defaultSettings, dayStartHour: 6, learningSteps: ['5m'], fuzz: false };
    const fields = settingsFields(settings, studySettingNames);
    expect(Object.keys(fields)).toEqual(studySettingNames);
    expect(settingsFromFields(undefined, JSON.parse(JSON.stringify(fields)) as Fields)).toEqual(settings);
    expect(settingsFromFields(defaultSettings, fields)).toEqual(settings);
  });

  it('gives a deck setting the deck does not set as null, which removes it', () => {
    const deckSettings: DeckSettings = { newCardsPerDay: 5, learningSteps: ['2m'] };
    const fields = settingsFields(deckSettings, deckSettingNames);
    expect(fields).toEqual({ ...Object.fromEntries(deckSettingNames.map((name) => [name, null])), newCardsPerDay: 5, learningSteps: ['2m'] });
    const stored: DeckSettings = { reviewsPerDay: 50, newCardsPerDay: 10 };
    expect(settingsFromFields(stored, fields)).toEqual(deckSettings);
    expect(settingsFromFields(stored, { reviewsPerDay: null })).toEqual({ newCardsPerDay: 10 });
    expect(settingsFields(undefined, deckSettingNames)).toEqual(Object.fromEntries(deckSettingNames.map((name) => [name, null])));
  });
});

describe('note fields', () => {
  const note: NoteRecord = { id: 'n1', guid: 'Ab#12', noteTypeId: 't1', fields: ['<b>front</b>', 'back'] };
  const noteType: NoteTypeRecord = { id: 't1', name: 'Basic', kind: 'standard', fields: ['Front', 'Back'], templates: [{ name: 'Card 1', front: '{{Front}}', back: '{{Back}}' }], css: '.card {}' };

  it('accepts a note and a note type as the app stores them', () => {
    expect(noteFromFields(JSON.parse(JSON.stringify(noteFields(note))) as Fields)).toEqual({ note });
    expect(noteFromFields(JSON.parse(JSON.stringify(noteFields(noteType))) as Fields)).toEqual({ noteType });
    expect(noteFromFields(noteFields({ ...noteType, kind: 'cloze' }))).toEqual({ noteType: { ...noteType, kind: 'cloze' } });
  });

  it('rejects malformed ones', () => {
    const malformed: unknown[] = [
      null,
      'n1',
      [],
      { ...note, id: 1 },
      { ...note, fields: 'front' },
      { ...note, fields: ['front', 2] },
      { id: 'n1', guid: 'g', fields: ['a'] }, // no note type: neither a note nor a note type
      { ...noteType, kind: 'other' },
      { ...noteType, css: undefined },
      { ...noteType, name: 5 },
      { ...noteType, templates: 'Card 1' },
      { ...noteType, templates: [{ name: 'Card 1', front: '{{Front}}' }] },
      { ...noteType, templates: [null] },
    ];
    for (const record of malformed) expect(noteFromFields({ record: record as Json })).toBeUndefined();
    expect(noteFromFields({})).toBeUndefined();
  });
});

describe('synced log rows', () => {
  const answer: AnswerLogRow & { uid: string } = {
    id: 17,
    uid: logRowUid('deva', wall, 3),
    kind: 'answer',
    cardId: 'c1',
    deckId: 'd1',
    rating: 3,
    reviewedAt: new Date(wall),
    stateBefore: State.Review,
    due: new Date(wall + 4 * day),
    stability: 9.25,
    difficulty: 5.5,
    scheduledDays: 4,
    durationMs: 4200,
  };
  const reviewed = makeCard('c1', { state: State.Review, queue: Queue.Review, due: new Date(wall + 10 * day), last_review: new Date(wall), stability: 11, reps: 3 });
  const manual = (kind: ManualLogRow['kind'], schedule = scheduleOf(reviewed)): ManualLogRow & { uid: string } => ({
    id: 18,
    uid: logRowUid('deva', wall + 1, 4),
    kind,
    cardId: 'c1',
    deckId: 'd1',
    reviewedAt: new Date(wall + 1),
    schedule,
  });
  /** Out and back through JSON, as a row goes to the server and to another device. */
  const roundTrip = (row: Parameters<typeof syncedLogRow>[0]) => logRowFromSynced(JSON.parse(JSON.stringify(syncedLogRow(row))) as SyncedLogRow);
  const withoutLocalId = <T extends { id?: number }>({ id: _id, ...row }: T) => row;

  it('stores dates as milliseconds and leaves out the local id', () => {
    const synced = syncedLogRow(answer);
    expect(synced).toEqual({ ...withoutLocalId(answer), reviewedAt: wall, due: wall + 4 * day });
    expect('id' in synced).toBe(false);
  });

  it('round-trips an answer row exactly', () => {
    expect(roundTrip(answer)).toStrictEqual(withoutLocalId(answer));
    // Rows stored before manual rows existed have no kind: they are answers.
    const { kind: _kind, ...old } = answer;
    expect(roundTrip(old)).toStrictEqual(withoutLocalId(answer));
  });

  it('round-trips reset, reschedule and import rows exactly', () => {
    for (const kind of ['reset', 'reschedule', 'import'] as const) {
      const row = manual(kind);
      const back = roundTrip(row);
      expect(back).toStrictEqual(withoutLocalId(row));
      expect(back && 'schedule' in back && back.schedule.last_review).toEqual(new Date(wall));
    }
  });

  it('leaves an absent last_review absent', () => {
    const fresh = scheduleOf(makeCard('c1'));
    expect('last_review' in fresh).toBe(false);
    const back = roundTrip(manual('reset', fresh));
    expect(back).toStrictEqual(withoutLocalId(manual('reset', fresh)));
    expect(back && 'schedule' in back && 'last_review' in back.schedule).toBe(false);
  });

  it('rejects rows this app does not write', () => {
    const synced = syncedLogRow(answer);
    expect(logRowFromSynced({ ...synced, rating: 7 })).toBeUndefined();
    expect(logRowFromSynced({ ...synced, rating: 0 })).toBeUndefined();
    const { stability: _stability, ...noStability } = synced;
    expect(logRowFromSynced(noStability as SyncedLogRow)).toBeUndefined();
    expect(logRowFromSynced({ ...synced, due: 'soon' })).toBeUndefined();
    const manualRow = syncedLogRow(manual('reset'));
    expect(logRowFromSynced({ ...manualRow, kind: 'forget' })).toBeUndefined();
    expect(logRowFromSynced({ ...manualRow, schedule: null })).toBeUndefined();
    expect(logRowFromSynced({ ...manualRow, schedule: { ...(manualRow.schedule as Record<string, Json>), due: null } })).toBeUndefined();
  });
});

describe('status', () => {
  it('names CouchDB’s per-user database by the UTF-8 bytes of the user name', () => {
    expect(perUserDatabase('ana')).toBe('userdb-616e61');
    expect(perUserDatabase('José')).toBe('userdb-4a6f73c3a9');
    expect(perUserDatabase('名')).toBe('userdb-e5908d');
  });

  it('makes the database URL from a server address relative to the app or absolute', () => {
    const base = 'https://cards.example/';
    const database = perUserDatabase('ana');
    expect(databaseUrl({ serverUrl: '/db', database }, base)).toBe('https://cards.example/db/userdb-616e61');
    expect(databaseUrl({ serverUrl: '/db/', database }, base)).toBe('https://cards.example/db/userdb-616e61');
    expect(databaseUrl({ serverUrl: 'https://ana:pw@couch.example/db', database }, base)).toBe('https://couch.example/db/userdb-616e61');
    expect(databaseUrl({ serverUrl: 'https://couch.example:5984', database }, base)).toBe('https://couch.example:5984/userdb-616e61');
    expect(databaseUrl({ serverUrl: '/db', database: 'team/cards (ana)+1' }, base)).toBe('https://cards.example/db/team%2Fcards%20(ana)%2B1');
  });

  it('describes errors in plain words, by kind', () => {
    const cases: [unknown, string][] = [
      [{ status: 401 }, 'unauthorized'],
      [{ status: 403 }, 'forbidden'],
      [{ status: 404 }, 'missing'],
      [{ status: 413 }, 'server-full'],
      [{ status: 507 }, 'server-full'],
      [new TypeError('Failed to fetch'), 'unreachable'],
      [new SyntaxError('Unexpected token \'B\', "Bad gateway" is not valid JSON'), 'unreachable'],
      [{ name: 'QuotaExceededError' }, 'device-full'],
      [{ status: 500 }, 'server'],
      [{ status: 500, reason: 'insufficient_storage' }, 'server-full'],
      [new TypeError('fetch failed'), 'unreachable'],
      // A fault of this device is not the server's.
      [new Error('x is undefined'), 'failed'],
    ];
    for (const [error, kind] of cases) expect(describeSyncError(error).kind, JSON.stringify(error)).toBe(kind);
    expect(describeSyncError({ status: 500, reason: 'boom' }).message).toContain('500: boom');
  });
});
