// Writes an AnkiCollection as a schema-18 SQLite file, the collection.anki21b of a "latest"
// Anki package, so tests can make realistic packages with notes, cards and review history.
// The table and column names are Anki's (rslib/src/storage/upgrades, schema 11 to 18); the
// DDL is our own. Config columns hold protobuf messages, written with protobufjs's Writer at
// the field numbers of proto/anki/notetypes.proto, decks.proto and deck_config.proto.
import { createHash } from 'node:crypto';
import protobuf from 'protobufjs/minimal.js';
import type { Database, SqlJsStatic } from 'sql.js';
import type { AnkiCollection, AnkiDeck, AnkiDeckConfig, AnkiNoteType } from '../../src/domain/anki/model.ts';

// Anki declares its name columns with its own `unicase` collation, which sql.js cannot
// create tables with. The tables are made without it and the declarations put back into
// sqlite_master afterwards, so the file reads like one Anki wrote.
const tableDefinitions = [
  `CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
    ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL,
    models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL)`,
  `CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
    usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL,
    flags integer NOT NULL, data text NOT NULL)`,
  `CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
    mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL,
    ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL, lapses integer NOT NULL,
    left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL)`,
  `CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
    ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL,
    type integer NOT NULL)`,
  `CREATE TABLE graves (oid integer NOT NULL, type integer NOT NULL, usn integer NOT NULL,
    PRIMARY KEY (oid, type)) WITHOUT ROWID`,
  `CREATE TABLE deck_config (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
    mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL)`,
  `CREATE TABLE config (KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL, mtime_secs integer NOT NULL,
    val blob NOT NULL) WITHOUT ROWID`,
  `CREATE TABLE fields (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE unicase,
    config blob NOT NULL, PRIMARY KEY (ntid, ord)) WITHOUT ROWID`,
  `CREATE TABLE templates (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE unicase,
    mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL, PRIMARY KEY (ntid, ord)) WITHOUT ROWID`,
  `CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY, name text NOT NULL COLLATE unicase,
    mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL)`,
  `CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE unicase,
    mtime_secs integer NOT NULL, usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL)`,
  `CREATE TABLE tags (tag text NOT NULL PRIMARY KEY COLLATE unicase, usn integer NOT NULL,
    collapsed boolean NOT NULL, config blob NULL) WITHOUT ROWID`,
];
const indexDefinitions = [
  'CREATE INDEX ix_cards_nid ON cards (nid)',
  'CREATE INDEX ix_cards_sched ON cards (did, queue, due)',
  'CREATE INDEX ix_revlog_cid ON revlog (cid)',
  'CREATE INDEX ix_notes_csum ON notes (csum)',
  'CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid)',
  'CREATE UNIQUE INDEX idx_templates_name_ntid ON templates (name, ntid)',
  'CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name)',
  'CREATE UNIQUE INDEX idx_decks_name ON decks (name)',
];
const unicase = ' COLLATE unicase';
const unsynced = -1;

export function writeSchema18Collection(SQL: SqlJsStatic, collection: AnkiCollection): Uint8Array {
  const db = new SQL.Database();
  try {
    for (const definition of tableDefinitions) db.run(definition.replaceAll(unicase, ''));
    for (const definition of indexDefinitions) db.run(definition);
    db.run('BEGIN');
    writeCol(db, collection);
    writeNoteTypes(db, collection.noteTypes);
    insertRows(db, 'decks', 6, collection.decks.map((deck) => [deck.id, deck.name.split('::').join('\x1f'), 0, unsynced, new Uint8Array(), deckKind(deck)]));
    insertRows(db, 'deck_config', 5, collection.deckConfigs.map((config) => [config.id, config.name, 0, unsynced, deckConfigBlob(config)]));
    insertRows(db, 'notes', 11, collection.notes.map((note) => [note.id, note.guid, note.noteTypeId, note.mod, unsynced, note.tags.length > 0 ? ` ${note.tags.join(' ')} ` : '', note.fields.join('\x1f'), note.fields[0] ?? '', checksum(note.fields[0] ?? ''), 0, '']));
    insertRows(db, 'cards', 18, collection.cards.map((card) => [card.id, card.noteId, card.deckId, card.ord, card.mod, unsynced, card.type, card.queue, card.due, card.interval, card.factor, card.reps, card.lapses, card.left, card.originalDue, card.originalDeckId, card.flags, card.data]));
    insertRows(db, 'revlog', 9, collection.revlog.map((entry) => [entry.id, entry.cardId, unsynced, entry.ease, entry.interval, entry.lastInterval, entry.factor, entry.time, entry.type]));
    db.run('COMMIT');
    restoreUnicase(db);
    return db.export();
  } finally {
    db.close();
  }
}

function writeCol(db: Database, collection: AnkiCollection): void {
  // Schema 18 keeps only the scalar columns of col; the JSON ones are left empty.
  db.run("INSERT INTO col VALUES (1, ?, ?, ?, 18, 0, 0, 0, '', '', '', '', '')", [collection.created, collection.created * 1000, collection.created * 1000]);
  const settings: Record<string, unknown> = { rollover: collection.rolloverHour, schedVer: 2, sched2021: true, curDeck: collection.decks[0]?.id ?? 1 };
  insertRows(db, 'config', 4, Object.entries(settings).map(([key, value]) => [key, unsynced, 0, new TextEncoder().encode(JSON.stringify(value))]));
}

function writeNoteTypes(db: Database, noteTypes: AnkiNoteType[]): void {
  insertRows(db, 'notetypes', 5, noteTypes.map((noteType) => [noteType.id, noteType.name, 0, unsynced, noteTypeConfig(noteType)]));
  insertRows(db, 'fields', 4, noteTypes.flatMap((noteType) => noteType.fields.map((name, ord) => [noteType.id, ord, name, fieldConfig()])));
  insertRows(db, 'templates', 6, noteTypes.flatMap((noteType) => noteType.templates.map((template, ord) => [noteType.id, ord, template.name, 0, unsynced, message((writer) => writer.uint32(tag(1, 2)).string(template.front).uint32(tag(2, 2)).string(template.back))])));
}

function insertRows(db: Database, table: string, columnCount: number, rows: (number | string | Uint8Array)[][]): void {
  const statement = db.prepare(`INSERT INTO ${table} VALUES (${Array.from({ length: columnCount }, () => '?').join(', ')})`);
  try {
    for (const row of rows) statement.run(row);
  } finally {
    statement.free();
  }
}

function restoreUnicase(db: Database): void {
  db.run('PRAGMA writable_schema = ON');
  for (const definition of tableDefinitions.filter((text) => text.includes(unicase))) {
    const name = /^CREATE TABLE (\w+)/.exec(definition)?.[1] ?? '';
    db.run("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", [definition, name]);
  }
  db.run('PRAGMA writable_schema = OFF');
}

/** Anki's csum: the first 8 hex digits of the SHA-1 of the first field, as a number. */
function checksum(field: string): number {
  return Number.parseInt(createHash('sha1').update(field).digest('hex').slice(0, 8), 16);
}

function tag(field: number, wireType: number): number {
  return (field << 3) | wireType;
}

function message(write: (writer: protobuf.Writer) => unknown): Uint8Array {
  const writer = protobuf.Writer.create();
  write(writer);
  return writer.finish();
}

function packedFloats(writer: protobuf.Writer, field: number, values: number[]): void {
  if (values.length === 0) return;
  writer.uint32(tag(field, 2)).fork();
  for (const value of values) writer.float(value);
  writer.ldelim();
}

/** Notetype.Config: 1 kind, 2 sort field, 3 css. */
function noteTypeConfig(noteType: AnkiNoteType): Uint8Array {
  return message((writer) => {
    if (noteType.kind === 'cloze') writer.uint32(tag(1, 0)).int32(1);
    writer.uint32(tag(3, 2)).string(noteType.css);
  });
}

/** Notetype.Field.Config: 3 font name, 4 font size, as Anki's stock note types have. */
function fieldConfig(): Uint8Array {
  return message((writer) => writer.uint32(tag(3, 2)).string('Arial').uint32(tag(4, 0)).uint32(20));
}

/** Deck.KindContainer: normal = 1 (Normal: 1 config id), filtered = 2 (Filtered: 1 reschedule, 2 search terms). */
function deckKind(deck: AnkiDeck): Uint8Array {
  if (!deck.filtered) return message((writer) => writer.uint32(tag(1, 2)).fork().uint32(tag(1, 0)).int64(deck.configId ?? 1).ldelim());
  return message((writer) =>
    writer.uint32(tag(2, 2)).fork().uint32(tag(1, 0)).bool(true).uint32(tag(2, 2)).fork().uint32(tag(1, 2)).string('is:due').uint32(tag(2, 0)).uint32(100).ldelim().ldelim(),
  );
}

/** DeckConfig.Config: 1/2 learn and relearn steps, 6 FSRS-6 params, 9/10 daily limits, 16 maximum interval, 37 desired retention. */
function deckConfigBlob(config: AnkiDeckConfig): Uint8Array {
  return message((writer) => {
    packedFloats(writer, 1, config.learnSteps);
    packedFloats(writer, 2, config.relearnSteps);
    packedFloats(writer, 6, config.fsrsParams ?? []);
    writer.uint32(tag(9, 0)).uint32(config.newPerDay);
    writer.uint32(tag(10, 0)).uint32(config.reviewsPerDay);
    writer.uint32(tag(16, 0)).uint32(config.maximumIntervalDays);
    if (config.desiredRetention !== undefined) writer.uint32(tag(37, 5)).float(config.desiredRetention);
  });
}
