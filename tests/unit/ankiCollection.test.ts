import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { decompress } from 'fzstd';
import initSqlJs from 'sql.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { CollectionError, readAnkiCollection } from '../../src/domain/anki/collection.ts';
import type { AnkiCard, AnkiCollection, AnkiNote, AnkiRevlog } from '../../src/domain/anki/model.ts';
import { writeSchema18Collection } from '../support/ankiSchema18.ts';
import { ankiCard } from '../support/ankiCard.ts';

const SQL = await initSqlJs();
const fixtures = '../shared/fixtures/anki/';

/** The collection file of a fixture package, as the package reader picks it: anki21b (zstd), then anki21, then anki2. */
function fixtureCollection(file: string): Uint8Array {
  const entries = unzipSync(readFileSync(fixtures + file));
  const latest = entries['collection.anki21b'];
  const collection = latest ? decompress(latest) : (entries['collection.anki21'] ?? entries['collection.anki2']);
  if (!collection) throw new Error(`${file} has no collection`);
  return collection;
}

function read(bytes: Uint8Array): AnkiCollection {
  const db = new SQL.Database(bytes);
  try {
    return readAnkiCollection(db);
  } finally {
    db.close();
  }
}

/** A copy of a fixture's collection changed by `sql`, read back. */
function readChanged(file: string, sql: string): AnkiCollection {
  const db = new SQL.Database(fixtureCollection(file));
  db.run(sql);
  const changed = db.export();
  db.close();
  return read(changed);
}

function errorOf(action: () => unknown): CollectionError {
  try {
    action();
  } catch (error) {
    if (error instanceof CollectionError) return error;
    throw error;
  }
  throw new Error('expected a CollectionError');
}

describe('real Anki packages', () => {
  test('update1.apkg: one Basic note "hello" / "world" in the Default deck (schema 11)', () => {
    const collection = read(fixtureCollection('update1.apkg'));
    expect(collection).toMatchObject({ schema: 11, created: 1375902000, rolloverHour: 4, revlog: [] });
    const [note] = collection.notes;
    expect(collection.notes).toHaveLength(1);
    expect(note).toMatchObject({ guid: 'cU1%zNUzk1', fields: ['hello', 'world'], tags: [], mod: 1375933503 });
    const noteType = collection.noteTypes.find((candidate) => candidate.id === note?.noteTypeId);
    expect(noteType).toMatchObject({ name: 'Basic', kind: 'standard', fields: ['Front', 'Back'] });
    expect(noteType?.templates).toEqual([{ name: 'Card 1', front: '{{Front}}', back: expect.stringContaining('{{Back}}') }]);
    expect(collection.noteTypes.find((candidate) => candidate.name === 'Cloze')).toMatchObject({ kind: 'cloze', fields: ['Text', 'Extra'] });
    expect(collection.cards).toEqual([
      expect.objectContaining({ noteId: note?.id, deckId: 1, ord: 0, type: 0, queue: 0, due: 1, interval: 0, reps: 0, data: '' }),
    ]);
    expect(collection.decks).toEqual([{ id: 1, name: 'Default', filtered: false, configId: 1 }]);
    expect(collection.deckConfigs).toEqual([
      { id: 1, name: 'Default', newPerDay: 20, reviewsPerDay: 100, learnSteps: [1, 10], relearnSteps: [10], maximumIntervalDays: 36_500 },
    ]);
  });

  test('media.apkg: the note refers to its sound file', () => {
    const collection = read(fixtureCollection('media.apkg'));
    expect(collection.notes.map((note) => note.fields)).toEqual([['[sound:foo.wav]', '']]);
    expect(collection.cards).toHaveLength(1);
  });

  test('empty-legacy-2.colpkg: the stock note types and the Default deck (schema 11, Anki 25)', () => {
    const collection = read(fixtureCollection('empty-legacy-2.colpkg'));
    expect(collection).toMatchObject({ schema: 11, created: 1751335200, rolloverHour: 4, notes: [], cards: [], revlog: [] });
    expect(collection.noteTypes.map((noteType) => [noteType.name, noteType.kind, noteType.fields, noteType.templates.map((template) => template.name)])).toEqual([
      ['Basic', 'standard', ['Front', 'Back'], ['Card 1']],
      ['Basic (and reversed card)', 'standard', ['Front', 'Back'], ['Card 1', 'Card 2']],
      ['Basic (optional reversed card)', 'standard', ['Front', 'Back', 'Add Reverse'], ['Card 1', 'Card 2']],
      ['Basic (type in the answer)', 'standard', ['Front', 'Back'], ['Card 1']],
      ['Cloze', 'cloze', ['Text', 'Back Extra'], ['Cloze']],
      ['Image Occlusion', 'cloze', ['Occlusion', 'Image', 'Header', 'Back Extra', 'Comments'], ['Image Occlusion']],
    ]);
    expect(collection.noteTypes[4]?.templates[0]?.front).toContain('{{cloze:Text}}');
    expect(collection.noteTypes[3]?.templates[0]?.front).toContain('{{type:Back}}');
    expect(collection.decks).toEqual([{ id: 1, name: 'Default', filtered: false, configId: 1 }]);
    expect(collection.deckConfigs).toEqual([
      { id: 1, name: 'Default', newPerDay: 20, reviewsPerDay: 200, learnSteps: [1, 10], relearnSteps: [10], maximumIntervalDays: 36_500, desiredRetention: 0.9 },
    ]);
  });

  test('empty-latest.apkg: the same options read from protobuf (schema 18, unicase tables)', () => {
    const collection = read(fixtureCollection('empty-latest.apkg'));
    // Anki exported no note types for a package without notes (its `notetypes` table is empty,
    // though `fields` and `templates` keep rows, which are only readable without unicase).
    expect(collection).toMatchObject({ schema: 18, created: 1751335200, rolloverHour: 4, noteTypes: [], notes: [], cards: [], revlog: [] });
    expect(collection.decks).toEqual([{ id: 1, name: 'Default', filtered: false, configId: 1 }]);
    expect(collection.deckConfigs).toEqual(read(fixtureCollection('empty-legacy-2.colpkg')).deckConfigs);
  });
});

// ---------------------------------------------------------------------------------------

const created = 1_700_006_400; // 2023-11-15 00:00 UTC
const day = 86_400;

function generatedCollection(): AnkiCollection {
  const basic = 1_700_000_000_001;
  const cloze = 1_700_000_000_002;
  const vocabulary = 1_700_000_000_003;
  const notes: AnkiNote[] = [
    { id: 1_700_100_000_001, guid: 'a1b2c3d4e5', noteTypeId: basic, mod: created + 10, tags: ['cka', 'storage::pv'], fields: ['What is a <b>PersistentVolume</b>?', 'Cluster storage'] },
    { id: 1_700_100_000_002, guid: 'f6#g7h8i9j', noteTypeId: cloze, mod: created + 20, tags: [], fields: ['A {{c1::Pod}} runs {{c2::containers}}', ''] },
    { id: 1_700_100_000_003, guid: 'k0l1m2n3o4', noteTypeId: vocabulary, mod: created + 30, tags: ['日本語'], fields: ['犬', 'いぬ', '<img src="dog.png">'] },
  ];
  // One card in each queue: new, learning, review, day learning, preview, suspended, buried (sibling and manual).
  const card = (index: number, fields: Partial<AnkiCard>): AnkiCard =>
    ankiCard({ id: 1_700_200_000_000 + index, noteId: notes[index % 3]!.id, mod: created + 100 + index, type: 2, queue: 2, due: 30, interval: 12, factor: 2500, reps: 5, ...fields });
  const cards = [
    card(0, { type: 0, queue: 0, due: 7, interval: 0, factor: 0, reps: 0 }),
    card(1, { type: 1, queue: 1, due: created + 40 * day + 600, interval: 0, left: 1002, reps: 1 }),
    card(2, { data: JSON.stringify({ s: 12.3456, d: 5.123, dr: 0.9, lrt: created + 20 * day }), flags: 1 }),
    card(3, { type: 3, queue: 3, due: 41, lapses: 2, left: 1, ord: 1 }),
    card(4, { queue: 4, due: created + 41 * day, deckId: 1_700_300_000_002, originalDeckId: 1_700_300_000_001, originalDue: 55 }),
    card(5, { queue: -1, flags: 7 }),
    card(6, { queue: -2, deckId: 1_700_300_000_001 }),
    card(7, { queue: -3, type: 0, due: 8, interval: 0, factor: 0, reps: 0 }),
  ];
  const revlog: AnkiRevlog[] = [
    { id: (created + day) * 1000, cardId: cards[2]!.id, ease: 3, interval: -600, lastInterval: 0, factor: 2500, time: 8_000, type: 0 },
    { id: (created + day) * 1000 + 601_000, cardId: cards[2]!.id, ease: 3, interval: 1, lastInterval: -600, factor: 2500, time: 5_500, type: 0 },
    { id: (created + 2 * day) * 1000, cardId: cards[2]!.id, ease: 4, interval: 4, lastInterval: 1, factor: 2650, time: 3_000, type: 1 },
    { id: (created + 6 * day) * 1000, cardId: cards[3]!.id, ease: 1, interval: -600, lastInterval: 4, factor: 2450, time: 12_000, type: 2 },
    { id: (created + 7 * day) * 1000, cardId: cards[4]!.id, ease: 2, interval: 3, lastInterval: 2, factor: 0, time: 60_000, type: 3 },
    { id: (created + 8 * day) * 1000, cardId: cards[5]!.id, ease: 0, interval: 0, lastInterval: 12, factor: 0, time: 0, type: 4 },
    { id: (created + 9 * day) * 1000, cardId: cards[6]!.id, ease: 0, interval: 20, lastInterval: 12, factor: 2500, time: 0, type: 5 },
  ];
  return {
    schema: 18,
    created,
    rolloverHour: 5,
    noteTypes: [
      { id: basic, name: 'Basic (and reversed card)', kind: 'standard', fields: ['Front', 'Back'], templates: [{ name: 'Card 1', front: '{{Front}}', back: '{{FrontSide}}<hr id=answer>{{Back}}' }, { name: 'Card 2', front: '{{Back}}', back: '{{FrontSide}}<hr id=answer>{{Front}}' }], css: '.card { color: black; }' },
      { id: cloze, name: 'Cloze', kind: 'cloze', fields: ['Text', 'Back Extra'], templates: [{ name: 'Cloze', front: '{{cloze:Text}}', back: '{{cloze:Text}}<br>{{Back Extra}}' }], css: '.cloze { font-weight: bold; }' },
      { id: vocabulary, name: 'Vocabulary', kind: 'standard', fields: ['Word', 'Reading', 'Picture'], templates: [{ name: 'Recognise', front: '{{Word}}', back: '{{Reading}} {{Picture}}' }], css: '' },
    ],
    decks: [
      { id: 1, name: 'Default', filtered: false, configId: 1 },
      { id: 1_700_300_000_001, name: 'CKA::Storage', filtered: false, configId: 1_700_400_000_001 },
      { id: 1_700_300_000_002, name: 'Filtered Deck 1', filtered: true },
    ],
    deckConfigs: [
      { id: 1, name: 'Default', newPerDay: 20, reviewsPerDay: 200, learnSteps: [1, 10], relearnSteps: [10], maximumIntervalDays: 36_500 },
      {
        id: 1_700_400_000_001,
        name: 'FSRS',
        newPerDay: 15,
        reviewsPerDay: 9_999,
        learnSteps: [0.5, 15, 1440],
        relearnSteps: [],
        maximumIntervalDays: 365,
        fsrsParams: [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542],
        desiredRetention: 0.87,
      },
    ],
    notes,
    cards,
    revlog,
  };
}

describe('a generated schema-18 collection', () => {
  test('reads back exactly as written: note types, nested and filtered decks, FSRS options, cards in every queue, review history', () => {
    const collection = generatedCollection();
    const bytes = writeSchema18Collection(SQL, collection);
    const db = new SQL.Database(bytes);
    // Declared like Anki's own tables, so the read has to get past the unicase collation.
    expect(db.exec("SELECT name FROM sqlite_master WHERE sql LIKE '%COLLATE unicase%' ORDER BY name")[0]?.values.flat()).toEqual(['deck_config', 'decks', 'fields', 'notetypes', 'tags', 'templates']);
    db.close();
    expect(read(bytes)).toEqual(collection);
  });

  describe('10,000 notes and 100,000 review log rows', () => {
    let bytes: Uint8Array;
    const noteCount = 10_000;
    beforeAll(() => {
      const base = generatedCollection();
      const notes = Array.from({ length: noteCount }, (_, index): AnkiNote => ({ ...base.notes[index % 3]!, id: 1_700_500_000_000 + index, guid: `g${index}` }));
      const cards = notes.map((note, index): AnkiCard => ({ ...base.cards[index % 8]!, id: 1_700_600_000_000 + index, noteId: note.id }));
      const revlog = Array.from({ length: noteCount * 10 }, (_, index): AnkiRevlog => ({ ...base.revlog[index % 7]!, id: 1_700_000_000_000 + index * 1000, cardId: cards[index % noteCount]!.id }));
      bytes = writeSchema18Collection(SQL, { ...base, notes, cards, revlog });
    });

    test('are read in well under two seconds', () => {
      const db = new SQL.Database(bytes);
      const started = performance.now();
      const collection = readAnkiCollection(db);
      const elapsed = performance.now() - started;
      db.close();
      expect([collection.notes.length, collection.cards.length, collection.revlog.length]).toEqual([noteCount, noteCount, noteCount * 10]);
      expect(collection.revlog[99_999]?.cardId).toBe(1_700_600_000_000 + 9_999);
      expect(elapsed).toBeLessThan(2_000);
    });
  });
});

// ---------------------------------------------------------------------------------------

describe('damaged or unknown collections', () => {
  const damaged = 'The collection in this package is damaged: ';

  test('a truncated SQLite file (its first 4 KB)', () => {
    expect(errorOf(() => read(fixtureCollection('update1.apkg').slice(0, 4096))).message).toBe(
      `${damaged}the database file is cut short or corrupt (SQLite: "database disk image is malformed").`,
    );
  });

  test('random bytes', () => {
    const bytes = Uint8Array.from({ length: 5000 }, (_, index) => (index * 7919 + 13) % 251);
    const error = errorOf(() => read(bytes));
    expect(error.name).toBe('CollectionError');
    expect(error.message).toBe(`${damaged}it is not an SQLite database.`);
  });

  test('a valid SQLite file without a col table', () => {
    const db = new SQL.Database();
    db.run('CREATE TABLE cards (id integer PRIMARY KEY)');
    const bytes = db.export();
    db.close();
    expect(errorOf(() => read(bytes)).message).toBe(`${damaged}it has no "col" table, so it is not an Anki collection.`);
  });

  test('schema versions 19 (newer Anki), 5 (older) and 14 (half-way through an upgrade)', () => {
    expect(errorOf(() => readChanged('update1.apkg', 'UPDATE col SET ver = 19')).message).toBe(
      'This collection uses schema version 19, which this version of Kubecards cannot read. It was written by a newer Anki: update Kubecards, or export it from Anki with "Support older Anki versions" ticked.',
    );
    expect(errorOf(() => readChanged('update1.apkg', 'UPDATE col SET ver = 5')).message).toBe(
      'This collection uses schema version 5, which this version of Kubecards cannot read. It predates Anki 2.1: open it in a current Anki and export it again.',
    );
    expect(errorOf(() => readChanged('update1.apkg', 'UPDATE col SET ver = 14')).message).toMatch(/^This collection uses schema version 14, which this version of Kubecards cannot read\./);
  });

  test('schemas 15 to 17 have the table layout of 18', () => {
    expect(readChanged('empty-latest.apkg', 'UPDATE col SET ver = 15')).toEqual(read(fixtureCollection('empty-latest.apkg')));
  });

  test('schema 18 without one of its tables', () => {
    expect(errorOf(() => readChanged('empty-latest.apkg', 'DROP TABLE deck_config')).message).toBe(`${damaged}it has no "deck_config" table.`);
  });

  test('text where cards.due holds a number', () => {
    expect(errorOf(() => readChanged('update1.apkg', "UPDATE cards SET due = 'soon'")).message).toBe(
      `${damaged}table cards, row with id 1375933503610, column due should hold a whole number but holds the text "soon".`,
    );
  });

  test('a fractional due is rounded, as Anki\'s database check does', () => {
    expect(readChanged('update1.apkg', 'UPDATE cards SET due = 2.6').cards[0]?.due).toBe(3);
  });

  test('binary data in notes.flds and in revlog.ease', () => {
    expect(errorOf(() => readChanged('update1.apkg', "UPDATE notes SET flds = x'00ff'")).message).toBe(
      `${damaged}table notes, row with id 1375933494578, column flds should hold text but holds 2 bytes of binary data.`,
    );
    const withReview = writeSchema18Collection(SQL, generatedCollection());
    const db = new SQL.Database(withReview);
    db.run("UPDATE revlog SET ease = x'0102' WHERE type = 1");
    const changed = db.export();
    db.close();
    expect(errorOf(() => read(changed)).message).toBe(
      `${damaged}table revlog, row with id ${(created + 2 * day) * 1000}, column ease should hold a whole number but holds 2 bytes of binary data.`,
    );
  });

  test('a broken protobuf blob names its table, row and column', () => {
    expect(errorOf(() => readChanged('empty-latest.apkg', "UPDATE deck_config SET config = x'0a0a0000803f'")).message).toMatch(
      new RegExp(`^${damaged}table deck_config, row with id 1, column config should hold a protobuf message but cannot be read \\(.+\\)\\.$`),
    );
    expect(errorOf(() => readChanged('empty-latest.apkg', "UPDATE decks SET kind = x''")).message).toBe(
      `${damaged}table decks, row with id 1, column kind holds neither a normal nor a filtered deck.`,
    );
  });

  test('broken JSON in col.models, and a note type without templates', () => {
    expect(errorOf(() => readChanged('update1.apkg', "UPDATE col SET models = '{\"1\": '")).message).toMatch(
      new RegExp(`^${damaged}col.models should hold JSON but cannot be read \\(.+\\)\\.$`),
    );
    expect(errorOf(() => readChanged('update1.apkg', `UPDATE col SET models = '{"7": {"name": "Basic", "flds": []}}'`)).message).toBe(
      `${damaged}col.models, entry "7", key "tmpls" should be a list but is nothing (NULL).`,
    );
  });
});
