import { createHash } from 'node:crypto';
import { Unzip, UnzipInflate, unzipSync, type UnzipFile } from 'fflate';
import initSqlJs, { type Database } from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnkiCollection } from '../../src/domain/anki/collection.ts';
import type { AnkiCollection, AnkiMediaFile } from '../../src/domain/anki/model.ts';
import { AnkiWriteError, fieldChecksum, htmlToSortText, sha1, writeSchema11Collection } from '../../src/domain/anki/schema11.ts';
import { writeLegacyPackage } from '../../src/domain/anki/writePackage.ts';
import { ankiCard } from '../support/ankiCard.ts';
import { fsrsParams, reversedTemplates } from '../support/ankiFixtures.ts';

const SQL = await initSqlJs();

// 2024-01-15 04:00 UTC, and reviews in the days after it.
const created = 1_705_291_200;
const day = 86_400;

const basicId = 1_705_000_000_001;
const clozeId = 1_705_000_000_002;
const parentDeckId = 1_705_000_000_100;
const childDeckId = 1_705_000_000_101;
const filteredDeckId = 1_705_000_000_102;
const ckaPresetId = 1_705_000_000_200;

function card(id: number, noteId: number, ord: number, changes: Partial<AnkiCollection['cards'][number]>): AnkiCollection['cards'][number] {
  const data = '{"s":12.3456,"d":5.123,"dr":0.9,"lrt":1706000000}';
  return ankiCard({ id, noteId, deckId: childDeckId, ord, mod: created + 10 * day, type: 2, queue: 2, due: 30, interval: 12, factor: 2500, reps: 5, data, ...changes });
}

/** A collection with every part Anki's importer reads: two kinds of note type, nested and filtered decks, an FSRS preset, cards in each queue and their history. */
function sampleCollection(): AnkiCollection {
  return {
    schema: 11,
    created,
    rolloverHour: 4,
    noteTypes: [
      {
        id: basicId,
        name: 'Basic (and reversed card)',
        kind: 'standard',
        fields: ['Front', 'Back'],
        templates: reversedTemplates,
        css: '.card { font-size: 20px; }',
      },
      {
        id: clozeId,
        name: 'Cloze',
        kind: 'cloze',
        fields: ['Text', 'Back Extra'],
        templates: [{ name: 'Cloze', front: '{{cloze:Text}}', back: '{{cloze:Text}}<br>{{Back Extra}}' }],
        css: '.cloze { font-weight: bold; }',
      },
    ],
    decks: [
      { id: 1, name: 'Default', filtered: false, configId: 1 },
      { id: parentDeckId, name: 'Parent', filtered: false, configId: 1 },
      { id: childDeckId, name: 'Parent::Child', filtered: false, configId: ckaPresetId },
      { id: filteredDeckId, name: 'Cram', filtered: true },
    ],
    deckConfigs: [
      { id: 1, name: 'Default', newPerDay: 20, reviewsPerDay: 200, learnSteps: [1, 10], relearnSteps: [10], maximumIntervalDays: 36_500, desiredRetention: 0.9 },
      {
        id: ckaPresetId,
        name: 'CKA',
        newPerDay: 15,
        reviewsPerDay: 150,
        learnSteps: [1, 10, 60],
        relearnSteps: [5],
        maximumIntervalDays: 365,
        fsrsParams,
        desiredRetention: 0.85,
      },
    ],
    notes: [
      { id: 1_705_100_000_001, guid: 'f:Qx8p2[k', noteTypeId: basicId, mod: created + 100, tags: ['cka', 'k8s::pods'], fields: ['<b>kubectl</b> &amp; <img src="pod.png">', 'a CLI'] },
      { id: 1_705_100_000_002, guid: 'b7Y#e0nL', noteTypeId: basicId, mod: created + 200, tags: [], fields: ['42', 'the answer'] },
      { id: 1_705_100_000_003, guid: 'Zz9-aa!1', noteTypeId: basicId, mod: created + 300, tags: ['leech'], fields: ['<!-- hidden -->Node&nbsp;<style>p{}</style>pools', 'groups'] },
      { id: 1_705_100_000_004, guid: 'c1oze#Ab', noteTypeId: clozeId, mod: created + 400, tags: ['cka'], fields: ['{{c1::Pods}} run {{c2::containers}}<br>', ''] },
    ],
    cards: [
      card(1_705_200_000_001, 1_705_100_000_001, 0, { type: 0, queue: 0, due: 7, interval: 0, factor: 0, reps: 0, data: '' }),
      card(1_705_200_000_002, 1_705_100_000_001, 1, { type: 1, queue: 1, due: created + 3 * day + 600, interval: 0, factor: 0, reps: 1, left: 2, data: '{"s":0.212,"d":6.4133,"lrt":1705550000}' }),
      card(1_705_200_000_003, 1_705_100_000_002, 0, {}),
      card(1_705_200_000_004, 1_705_100_000_002, 1, { type: 3, queue: 3, due: 9, interval: 1, lapses: 1, left: 1, flags: 1 }),
      card(1_705_200_000_005, 1_705_100_000_003, 0, { queue: -1, lapses: 8 }),
      card(1_705_200_000_006, 1_705_100_000_003, 1, { queue: -2, due: 31 }),
      card(1_705_200_000_007, 1_705_100_000_004, 0, { queue: -3, due: 32, flags: 3 }),
      card(1_705_200_000_008, 1_705_100_000_004, 1, { deckId: filteredDeckId, originalDeckId: childDeckId, originalDue: 40, queue: 4, due: created + 12 * day }),
    ],
    revlog: [
      { id: (created + day) * 1000, cardId: 1_705_200_000_003, ease: 3, interval: -600, lastInterval: 0, factor: 2500, time: 6_000, type: 0 },
      { id: (created + day) * 1000 + 600_123, cardId: 1_705_200_000_003, ease: 3, interval: 3, lastInterval: -600, factor: 2500, time: 4_500, type: 0 },
      { id: (created + 4 * day) * 1000, cardId: 1_705_200_000_003, ease: 4, interval: 12, lastInterval: 3, factor: 2650, time: 3_000, type: 1 },
      { id: (created + 5 * day) * 1000, cardId: 1_705_200_000_004, ease: 1, interval: -300, lastInterval: 8, factor: 2300, time: 12_000, type: 2 },
      { id: (created + 6 * day) * 1000, cardId: 1_705_200_000_004, ease: 0, interval: 0, lastInterval: 1, factor: 0, time: 0, type: 4 },
      { id: (created + 7 * day) * 1000, cardId: 1_705_200_000_008, ease: 2, interval: 1, lastInterval: 1, factor: 543, time: 8_000, type: 3 },
    ],
  };
}

const media: AnkiMediaFile[] = [
  { name: 'pod.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) },
  { name: 'node pool.mp3', bytes: new Uint8Array([0x49, 0x44, 0x33, 9, 8, 7, 6]) },
];

function writeCollection(collection: AnkiCollection): Uint8Array {
  const db = new SQL.Database();
  try {
    writeSchema11Collection(db, collection);
    return db.export();
  } finally {
    db.close();
  }
}

/** Every zip entry in file order, with its compression method and inflated bytes. */
function zipEntries(zip: Uint8Array): { name: string; compression: number; bytes: Uint8Array }[] {
  const found: UnzipFile[] = [];
  const unzip = new Unzip((file) => found.push(file));
  unzip.register(UnzipInflate);
  unzip.push(zip, true);
  const inflated = unzipSync(zip);
  return found.map((file) => ({ name: file.name, compression: file.compression, bytes: inflated[file.name] }));
}

function rows(db: Database, sql: string): unknown[][] {
  return db.exec(sql)[0]?.values ?? [];
}

function colJson(db: Database, column: 'conf' | 'models' | 'decks' | 'dconf' | 'tags'): Record<string, Record<string, unknown>> {
  return JSON.parse(rows(db, `SELECT ${column} FROM col`)[0][0] as string);
}

/** Writes, zips, unzips and reopens the sample, as Anki's importer would see it. */
function reopenedSample(): { db: Database; entries: ReturnType<typeof zipEntries> } {
  const entries = zipEntries(writeLegacyPackage(writeCollection(sampleCollection()), media));
  const collectionEntry = entries.find((entry) => entry.name === 'collection.anki21');
  return { db: new SQL.Database(collectionEntry!.bytes), entries };
}

function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

describe('a Legacy 2 package', () => {
  it('holds collection.anki21 (deflated), the JSON media map and numbered media files (stored), and no meta entry', () => {
    const { entries } = reopenedSample();
    expect(entries.map((entry) => [entry.name, entry.compression])).toEqual([
      ['collection.anki21', 8],
      ['media', 8],
      ['0', 0],
      ['1', 0],
    ]);
    const map = JSON.parse(new TextDecoder().decode(entries[1].bytes));
    expect(map).toEqual({ 0: 'pod.png', 1: 'node pool.mp3' });
    expect(entries[2].bytes).toEqual(media[0].bytes);
    expect(entries[3].bytes).toEqual(media[1].bytes);
  });

  it('has an empty media map when there is no media', () => {
    const entries = zipEntries(writeLegacyPackage(new Uint8Array([1, 2, 3]), []));
    expect(entries.map((entry) => entry.name)).toEqual(['collection.anki21', 'media']);
    expect(new TextDecoder().decode(entries[1].bytes)).toBe('{}');
    expect(entries[0].bytes).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('refuses media names Anki refuses, and a name given twice', () => {
    for (const name of ['../evil.png', 'dir/x.png', 'dir\\x.png', '..', '.', '', 'C:x.png']) {
      expect(() => writeLegacyPackage(new Uint8Array(), [{ name, bytes: new Uint8Array() }])).toThrow(AnkiWriteError);
    }
    const twice = [media[0], { ...media[0] }];
    expect(() => writeLegacyPackage(new Uint8Array(), twice)).toThrow(/given twice/);
  });
});

describe('the schema-11 collection', () => {
  it('has the tables and columns of Anki schema 11 (rslib/src/storage/schema11.sql) and its indexes', () => {
    const { db } = reopenedSample();
    const columns = (table: string) => rows(db, `PRAGMA table_info(${table})`).map((row) => row[1]);
    expect(columns('col')).toEqual(['id', 'crt', 'mod', 'scm', 'ver', 'dty', 'usn', 'ls', 'conf', 'models', 'decks', 'dconf', 'tags']);
    expect(columns('notes')).toEqual(['id', 'guid', 'mid', 'mod', 'usn', 'tags', 'flds', 'sfld', 'csum', 'flags', 'data']);
    expect(columns('cards')).toEqual(['id', 'nid', 'did', 'ord', 'mod', 'usn', 'type', 'queue', 'due', 'ivl', 'factor', 'reps', 'lapses', 'left', 'odue', 'odid', 'flags', 'data']);
    expect(columns('revlog')).toEqual(['id', 'cid', 'usn', 'ease', 'ivl', 'lastIvl', 'factor', 'time', 'type']);
    expect(columns('graves')).toEqual(['usn', 'oid', 'type']);
    expect(rows(db, 'SELECT count(*) FROM graves')).toEqual([[0]]);
    const indexes = rows(db, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' ORDER BY name");
    expect(indexes).toEqual([
      ['ix_cards_nid', 'cards'],
      ['ix_cards_sched', 'cards'],
      ['ix_cards_usn', 'cards'],
      ['ix_notes_csum', 'notes'],
      ['ix_notes_usn', 'notes'],
      ['ix_revlog_cid', 'revlog'],
      ['ix_revlog_usn', 'revlog'],
    ]);
    expect(rows(db, 'PRAGMA integrity_check')).toEqual([['ok']]);
  });

  it('has one col row of version 11 with schedVer 2, the rollover and the times of the latest change', () => {
    const { db } = reopenedSample();
    // The cards' mod (10 days after creation) is the latest change: later than every note and review.
    const latest = (created + 10 * day) * 1000;
    expect(rows(db, 'SELECT id, crt, mod, scm, ver, dty, usn, ls FROM col')).toEqual([[1, created, latest, latest, 11, 0, 0, 0]]);
    const conf = colJson(db, 'conf');
    expect(conf).toMatchObject({ schedVer: 2, sched2021: true, rollover: 4, fsrs: true, curDeck: 1, activeDecks: [1], curModel: basicId, nextPos: 8 });
    // Every tag in use, so a restored .colpkg lists them (schema 14 moves this map into the tags table).
    expect(colJson(db, 'tags')).toEqual({ cka: -1, 'k8s::pods': -1, leech: -1 });
  });

  it('keeps a tag named like an object property in the tag map', () => {
    const collection = sampleCollection();
    collection.notes[1].tags = ['__proto__'];
    const tags = colJson(new SQL.Database(writeCollection(collection)), 'tags');
    expect(Object.keys(tags)).toContain('__proto__');
  });

  // Keys Anki's serde structs need (fields without a default; deserialize_with alone does not
  // make a key optional): rslib/src/notetype/schema11.rs NotetypeSchema11, NoteFieldSchema11,
  // CardTemplateSchema11.
  const noteTypeKeys = ['id', 'name', 'type', 'mod', 'usn', 'sortf', 'did', 'tmpls', 'flds', 'css'];
  const fieldKeys = ['name', 'ord', 'sticky', 'rtl', 'font', 'size'];
  const templateKeys = ['name', 'ord', 'qfmt'];
  // rslib/src/decks/schema11.rs: DeckCommonSchema11 with DeckTodaySchema11 flattened in,
  // NormalDeckSchema11, FilteredDeckSchema11.
  const deckKeys = ['id', 'name', 'usn', 'lrnToday', 'revToday', 'newToday', 'timeToday', 'collapsed', 'dyn'];
  const normalDeckKeys = ['conf'];
  const filteredDeckKeys = ['resched', 'terms'];
  // rslib/src/deckconfig/schema11.rs: DeckConfSchema11, NewConfSchema11, RevConfSchema11, LapseConfSchema11.
  const deckConfigKeys = ['id', 'mod', 'name', 'usn', 'maxTaken', 'autoplay', 'timer', 'new', 'rev', 'lapse'];
  const newKeys = ['delays', 'initialFactor', 'ints', 'order', 'perDay'];
  const reviewKeys = ['ease4', 'ivlFct', 'maxIvl', 'perDay'];
  const lapseKeys = ['delays', 'leechAction', 'leechFails', 'minInt', 'mult'];

  it('has note types with every key Anki requires, keyed by id', () => {
    const { db } = reopenedSample();
    const models = colJson(db, 'models');
    expect(Object.keys(models)).toEqual([String(basicId), String(clozeId)]);
    for (const model of Object.values(models)) {
      for (const key of noteTypeKeys) expect(model, key).toHaveProperty(key);
      for (const field of model['flds'] as object[]) for (const key of fieldKeys) expect(field, key).toHaveProperty(key);
      for (const template of model['tmpls'] as object[]) for (const key of templateKeys) expect(template, key).toHaveProperty(key);
    }
    const basic = models[String(basicId)];
    expect(basic).toMatchObject({ id: basicId, name: 'Basic (and reversed card)', type: 0, sortf: 0, usn: -1, css: '.card { font-size: 20px; }' });
    expect(basic['tmpls']).toMatchObject([
      { name: 'Card 1', ord: 0, qfmt: '{{Front}}', afmt: '{{FrontSide}}<hr id=answer>{{Back}}' },
      { name: 'Card 2', ord: 1, qfmt: '{{Back}}', afmt: '{{FrontSide}}<hr id=answer>{{Front}}' },
    ]);
    expect(basic['flds']).toMatchObject([
      { name: 'Front', ord: 0, sticky: false, rtl: false },
      { name: 'Back', ord: 1, sticky: false, rtl: false },
    ]);
    expect(models[String(clozeId)]).toMatchObject({ type: 1, tmpls: [{ name: 'Cloze', ord: 0, qfmt: '{{cloze:Text}}' }] });
  });

  it('has decks with every key Anki requires, nested names with "::" and their presets', () => {
    const { db } = reopenedSample();
    const decks = colJson(db, 'decks');
    expect(Object.keys(decks)).toEqual(['1', String(parentDeckId), String(childDeckId), String(filteredDeckId)]);
    for (const deck of Object.values(decks)) {
      for (const key of [...deckKeys, ...(deck['dyn'] === 1 ? filteredDeckKeys : normalDeckKeys)]) expect(deck, key).toHaveProperty(key);
    }
    expect(decks['1']).toMatchObject({ name: 'Default', dyn: 0, conf: 1 });
    expect(decks[String(childDeckId)]).toMatchObject({ name: 'Parent::Child', dyn: 0, conf: ckaPresetId, newToday: [0, 0] });
    expect(decks[String(filteredDeckId)]).toMatchObject({ name: 'Cram', dyn: 1, resched: true });
  });

  it('has presets with every key Anki requires, steps, limits and the FSRS parameters and retention', () => {
    const { db } = reopenedSample();
    const presets = colJson(db, 'dconf');
    expect(Object.keys(presets)).toEqual(['1', String(ckaPresetId)]);
    for (const preset of Object.values(presets)) {
      for (const key of deckConfigKeys) expect(preset, key).toHaveProperty(key);
      for (const key of newKeys) expect(preset['new'], key).toHaveProperty(key);
      for (const key of reviewKeys) expect(preset['rev'], key).toHaveProperty(key);
      for (const key of lapseKeys) expect(preset['lapse'], key).toHaveProperty(key);
    }
    const cka = presets[String(ckaPresetId)];
    expect(cka).toMatchObject({
      name: 'CKA',
      dyn: false,
      new: { delays: [1, 10, 60], perDay: 15, initialFactor: 2500 },
      rev: { perDay: 150, maxIvl: 365 },
      lapse: { delays: [5] },
      fsrsParams6: fsrsParams,
      desiredRetention: 0.85,
    });
    expect(presets['1']).not.toHaveProperty('fsrsParams6');
  });

  it('keeps FSRS-5 and FSRS-4.5 parameters under the keys Anki reads them from, and refuses other counts', () => {
    const withParams = (count: number) => {
      const collection = sampleCollection();
      collection.deckConfigs[1].fsrsParams = fsrsParams.slice(0, count);
      return new SQL.Database(writeCollection(collection));
    };
    expect(colJson(withParams(19), 'dconf')[String(ckaPresetId)]).toMatchObject({ fsrsParams5: fsrsParams.slice(0, 19) });
    expect(colJson(withParams(17), 'dconf')[String(ckaPresetId)]).toMatchObject({ fsrsWeights: fsrsParams.slice(0, 17) });
    expect(() => withParams(20)).toThrow(/20 FSRS parameters/);
  });

  it('has the notes as given, with tags between spaces, fields joined by U+001F, and Anki\'s sort field and checksum', () => {
    const { db } = reopenedSample();
    // Only HTML goes: cloze marks stay. sfld has integer affinity, so "42" comes back a number.
    const sortTexts = ['kubectl &  pod.png ', 42, 'Node pools', '{{c1::Pods}} run {{c2::containers}}'];
    const expected = sampleCollection().notes.map((note, index) => {
      const sortText = sortTexts[index];
      return [
        note.id,
        note.guid,
        note.noteTypeId,
        note.mod,
        -1,
        note.tags.length === 0 ? '' : ` ${note.tags.join(' ')} `,
        note.fields.join('\x1f'),
        sortText,
        parseInt(sha1Hex(String(sortText)).slice(0, 8), 16),
        0,
        '',
      ];
    });
    expect(rows(db, 'SELECT * FROM notes ORDER BY id')).toEqual(expected);
    expect(rows(db, `SELECT tags FROM notes WHERE id = ${expected[0][0]}`)).toEqual([[' cka k8s::pods ']]);
  });

  it('has the cards and review log as given, unsynced', () => {
    const { db } = reopenedSample();
    const { cards, revlog } = sampleCollection();
    expect(new Set(cards.map((entry) => entry.queue))).toEqual(new Set([0, 1, 2, 3, 4, -1, -2, -3]));
    expect(rows(db, 'SELECT * FROM cards ORDER BY id')).toEqual(
      cards.map((c) => [c.id, c.noteId, c.deckId, c.ord, c.mod, -1, c.type, c.queue, c.due, c.interval, c.factor, c.reps, c.lapses, c.left, c.originalDue, c.originalDeckId, c.flags, c.data]),
    );
    expect(rows(db, 'SELECT * FROM revlog ORDER BY id')).toEqual(revlog.map((r) => [r.id, r.cardId, -1, r.ease, r.interval, r.lastInterval, r.factor, r.time, r.type]));
  });

  it('reads back with readAnkiCollection as the collection it was written from', () => {
    const { db } = reopenedSample();
    // The writer records the creator's UTC offset, as Anki does, when the model has none.
    const sample = sampleCollection();
    expect(readAnkiCollection(db)).toEqual({ ...sample, creationOffset: new Date(sample.created * 1000).getTimezoneOffset() });
  });

  it('writes many rows per statement: 2,000 review rows come back whole', () => {
    const collection = sampleCollection();
    const cardId = collection.cards[2].id;
    collection.revlog = Array.from({ length: 2_000 }, (_, index) => ({ id: (created + day) * 1000 + index, cardId, ease: 1 + (index % 4), interval: index, lastInterval: 0, factor: 2500, time: index, type: 1 }));
    const db = new SQL.Database(writeCollection(collection));
    expect(rows(db, 'SELECT count(*), sum(ivl), min(id), max(id) FROM revlog')).toEqual([[2_000, (1_999 * 2_000) / 2, (created + day) * 1000, (created + day) * 1000 + 1_999]]);
  });

  it('adds deck 1 and preset 1 "Default" when the collection has neither, and gives a deck without a preset preset 1', () => {
    const collection = sampleCollection();
    collection.decks = [{ id: parentDeckId, name: 'Parent', filtered: false }];
    collection.deckConfigs = [];
    collection.cards = collection.cards.map((entry) => ({ ...entry, deckId: parentDeckId, originalDeckId: 0 }));
    const db = new SQL.Database(writeCollection(collection));
    const decks = colJson(db, 'decks');
    expect(decks['1']).toMatchObject({ id: 1, name: 'Default', conf: 1 });
    expect(decks[String(parentDeckId)]).toMatchObject({ conf: 1 });
    const presets = colJson(db, 'dconf');
    expect(Object.keys(presets)).toEqual(['1']);
    // Anki's own defaults; a missing desired retention would be read as 0.
    expect(presets['1']).toMatchObject({ name: 'Default', new: { perDay: 20, delays: [1, 10] }, rev: { perDay: 200 }, desiredRetention: 0.9 });
    expect(colJson(db, 'conf')['fsrs']).toBe(false);
  });

  it('refuses a collection Anki would not import, naming the record', () => {
    const broken = (change: (collection: AnkiCollection) => void) => {
      const collection = sampleCollection();
      change(collection);
      return () => writeCollection(collection);
    };
    expect(broken((c) => (c.notes[0].noteTypeId = 99))).toThrow(/Note 1705100000001 has note type 99/);
    expect(broken((c) => c.notes[0].fields.push('extra'))).toThrow(/has 3 fields; its note type .* has 2/);
    expect(broken((c) => (c.notes[0].fields[1] = 'a\x1fb'))).toThrow(/field separator/);
    expect(broken((c) => (c.notes[0].tags = ['two words']))).toThrow(/tag .* "two words"/);
    expect(broken((c) => (c.cards[0].noteId = 5))).toThrow(/Card 1705200000001 belongs to note 5/);
    expect(broken((c) => (c.cards[0].deckId = 5))).toThrow(/Card 1705200000001 is in deck 5/);
    expect(broken((c) => (c.cards[7].originalDeckId = 5))).toThrow(/original deck 5/);
    expect(broken((c) => (c.cards[0].ord = 2))).toThrow(/uses template 2/);
    expect(broken((c) => (c.decks[2].configId = 5))).toThrow(/"Parent::Child" uses preset 5/);
    expect(broken((c) => (c.revlog[0].cardId = 5))).toThrow(/Review log row .* card 5/);
    expect(broken((c) => (c.noteTypes[1].templates = []))).toThrow(/has no templates/);
    expect(broken((c) => (c.noteTypes[0].fields = []))).toThrow(AnkiWriteError);
    expect(broken((c) => c.revlog.push({ ...c.revlog[0] }))).toThrow(/review log rows have the id/);
    expect(broken((c) => (c.decks[3].id = parentDeckId))).toThrow(`Two of the collection's decks have the id ${parentDeckId}`);
  });

  it('leaves the database empty when a preset cannot be written', () => {
    const collection = sampleCollection();
    collection.deckConfigs[1].fsrsParams = [1, 2, 3];
    const db = new SQL.Database();
    expect(() => writeSchema11Collection(db, collection)).toThrow(AnkiWriteError);
    expect(rows(db, 'SELECT name FROM sqlite_master')).toEqual([]);
  });
});

const originalZone = process.env.TZ;

// Node re-reads TZ when it is assigned. creationOffset is minutes west of UTC on the day of crt
// (in January: Tokyo 9 h east, Los Angeles 8 h west, Berlin 1 h east).
describe.each([
  ['Asia/Tokyo', -540],
  ['America/Los_Angeles', 480],
  ['Europe/Berlin', -60],
])('the collection written in %s', (zone, minutesWest) => {
  beforeAll(() => {
    process.env.TZ = zone;
  });
  afterAll(() => {
    process.env.TZ = originalZone;
  });

  it('records the zone offset at creation, so Anki counts days from the local date of crt', () => {
    const db = new SQL.Database(writeCollection(sampleCollection()));
    expect(colJson(db, 'conf')['creationOffset']).toBe(minutesWest);
  });
});

describe('sort field and checksum', () => {
  it('strips HTML as Anki does: media tags leave their file name, comments, style and script blocks go', () => {
    expect(htmlToSortText('<b>bold</b> text')).toBe('bold text');
    expect(htmlToSortText('a<img src="x.jpg">b')).toBe('a x.jpg b');
    expect(htmlToSortText("<IMG class=pic SRC='y z.png'>")).toBe(' y z.png ');
    expect(htmlToSortText('<img src=plain.gif alt="p">')).toBe(' plain.gif ');
    expect(htmlToSortText('<audio controls src="s.mp3"></audio>')).toBe(' s.mp3 ');
    expect(htmlToSortText('<image src="no.png">')).toBe('');
    expect(htmlToSortText('x<!-- <b>c</b> -->y<script type="t">alert(1)</script>z<STYLE>p { }</STYLE>!')).toBe('xyz!');
    expect(htmlToSortText('&lt;div&gt; &amp;&nbsp;&#65;&#x42;&quot;&apos;&unknown;')).toBe('<div> & AB"\'&unknown;');
    expect(htmlToSortText('1 < 2 and no tag')).toBe('1 < 2 and no tag');
    expect(htmlToSortText('<!-- unclosed comment> after')).toBe(' after');
  });

  it('takes time linear in the field, whatever its shape', () => {
    const shapes = ['<'.repeat(200_000), '<!--'.repeat(50_000) + '>', '<style>'.repeat(30_000), '<img src="'.repeat(20_000) + '>', '&#'.repeat(100_000)];
    const started = performance.now();
    for (const shape of shapes) htmlToSortText(shape);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('computes SHA-1 as Node does, across block boundaries', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1_000]) {
      const bytes = Uint8Array.from({ length }, (_, index) => (index * 31 + length) & 0xff);
      expect(Buffer.from(sha1(bytes)).toString('hex'), `length ${length}`).toBe(createHash('sha1').update(bytes).digest('hex'));
    }
  });

  it('checksums the UTF-8 text as Anki does: the first 32 bits of its SHA-1, unsigned', () => {
    for (const text of ['', 'kubectl', 'Grüße – 日本語', '\u{1f600}']) {
      expect(fieldChecksum(text)).toBe(parseInt(sha1Hex(text).slice(0, 8), 16));
    }
  });
});
