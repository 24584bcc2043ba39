// Reads an Anki collection (the SQLite file inside a package) into the neutral model of
// model.ts. Two layouts: schema 11, where note types, decks and deck options are JSON in the
// `col` row, and schema 18 (anki21b), where they are rows of their own tables with protobuf
// blobs. Everything comes from an untrusted file, so every cell and JSON value is checked and
// a problem is reported with where it is (table, row key, column).
import type { AnkiCard, AnkiCollection, AnkiDeck, AnkiDeckConfig, AnkiNote, AnkiNoteType, AnkiRevlog, AnkiTemplate } from './model.ts';
import { protobufFields, protobufFloats, protobufMessages, protobufNumber, protobufString, type ProtobufValue } from './protobuf.ts';
import type { SqlDatabase, SqlValue } from './sql.ts';

export class CollectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollectionError';
  }
}

function damaged(detail: string): CollectionError {
  return new CollectionError(`The collection in this package is damaged: ${detail}.`);
}

// Anki opens schemas 11 to 18 (rslib/src/storage/upgrades). 12 and 13 keep schema 11's
// layout; 14 is a half-way state of Anki's own upgrade (deck options moved, note types not)
// that no export writes; 15 to 17 differ from 18 only in tables read here not at all.
const oldestSchema = 11;
const newestSchema = 18;
const halfWaySchema = 14;
const firstTableSchema = 15;
const defaultRolloverHour = 4;

/**
 * The collection in `db`, which must be a schema 11–18 Anki collection. For schema 18 this
 * first removes the `unicase` collation from the schema of `db` (sql.js cannot provide it,
 * and SQLite cannot read a table whose key uses an unknown collation), so `db` should be a
 * throwaway copy opened for this read.
 */
export function readAnkiCollection(db: SqlDatabase): AnkiCollection {
  const tables = new Set(selectRows(db, "SELECT name FROM sqlite_master WHERE type = 'table'").map(([name]) => name));
  if (!tables.has('col')) throw damaged('it has no "col" table, so it is not an Anki collection');
  const [col] = readTable(db, 'col', ['id', 'ver', 'crt', 'conf', 'models', 'decks', 'dconf'], 1, (row) => ({
    version: row.integer('ver'),
    created: row.integer('crt'),
    json: { conf: row.text('conf'), models: row.text('models'), decks: row.text('decks'), dconf: row.text('dconf') },
  }));
  if (!col) throw damaged('its "col" table is empty');
  const { version } = col;
  if (version < oldestSchema || version > newestSchema || version === halfWaySchema) throw unknownSchema(version);
  const layout = version >= firstTableSchema ? 18 : 11;
  const needed = ['notes', 'cards', 'revlog', ...(layout === 18 ? ['notetypes', 'fields', 'templates', 'decks', 'deck_config', 'config'] : [])];
  const missing = needed.filter((table) => !tables.has(table));
  if (missing.length > 0) throw damaged(`it has no ${missing.map((table) => `"${table}"`).join(', ')} ${missing.length > 1 ? 'tables' : 'table'}`);

  const settings = layout === 18 ? readSchema18Settings(db) : readSchema11Settings(col.json);
  return {
    schema: layout,
    created: col.created,
    ...settings,
    notes: readNotes(db),
    cards: readCards(db),
    revlog: readRevlog(db),
  };
}

function unknownSchema(version: number): CollectionError {
  const advice =
    version > newestSchema
      ? 'It was written by a newer Anki: update Kubecards, or export it from Anki with "Support older Anki versions" ticked.'
      : version < oldestSchema
        ? 'It predates Anki 2.1: open it in a current Anki and export it again.'
        : 'Open it in a current Anki and export it again.';
  return new CollectionError(`This collection uses schema version ${version}, which this version of Kubecards cannot read. ${advice}`);
}

type Settings = Pick<AnkiCollection, 'rolloverHour' | 'creationOffset' | 'noteTypes' | 'decks' | 'deckConfigs'>;

// ---------------------------------------------------------------------------------------
// SQL access: one query per table, every cell checked as it is read.

function selectRows(db: SqlDatabase, sql: string, params?: SqlValue[]): SqlValue[][] {
  try {
    return db.exec(sql, params)[0]?.values ?? [];
  } catch (error) {
    throw damaged(sqliteProblem(error instanceof Error ? error.message : String(error)));
  }
}

function sqliteProblem(message: string): string {
  if (message.includes('file is not a database')) return 'it is not an SQLite database';
  if (message.includes('database disk image is malformed')) return 'the database file is cut short or corrupt (SQLite: "database disk image is malformed")';
  return `SQLite reports "${message}"`;
}

/** Every row of `table`, each handed to `read` as a TableRow; the first `keyCount` columns name the row in messages. */
function readTable<T>(db: SqlDatabase, table: string, columns: string[], keyCount: number, read: (row: TableRow) => T, orderBy = ''): T[] {
  const sql = `SELECT ${columns.map((column) => `"${column}"`).join(', ')} FROM "${table}"${orderBy && ` ORDER BY ${orderBy}`}`;
  const row = new TableRow(table, columns, keyCount);
  const result: T[] = [];
  for (const cells of selectRows(db, sql)) {
    row.cells = cells;
    result.push(read(row));
  }
  return result;
}

/** One row at a time (the reader reuses it), with typed accessors that name the cell on failure. */
class TableRow {
  cells: SqlValue[] = [];
  private readonly index: Map<string, number>;

  constructor(
    private readonly table: string,
    private readonly columns: string[],
    private readonly keyCount: number,
  ) {
    this.index = new Map(columns.map((column, position) => [column, position]));
  }

  /** A whole number; a real is rounded, as Anki's database check does with fractional dues and intervals. */
  integer(column: string): number {
    const value = this.value(column);
    const rounded = typeof value === 'number' ? Math.round(value) : NaN;
    if (Number.isSafeInteger(rounded)) return rounded;
    throw this.wrong(column, 'a whole number', value);
  }

  /** Text; a number stored in a text column is taken as its digits. */
  text(column: string): string {
    const value = this.value(column);
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    throw this.wrong(column, 'text', value);
  }

  bytes(column: string): Uint8Array {
    const value = this.value(column);
    if (value instanceof Uint8Array) return value;
    throw this.wrong(column, 'binary data', value);
  }

  /** A protobuf message, decoded into its fields. */
  message(column: string): Map<number, ProtobufValue[]> {
    return this.decoded(column, 'a protobuf message', protobufFields, this.bytes(column));
  }

  /** Runs `decode` on a value of this row, reporting a failure as damage to this cell. */
  decoded<In, Out>(column: string, expected: string, decode: (input: In) => Out, input: In): Out {
    try {
      return decode(input);
    } catch (error) {
      throw damaged(`${this.where(column)} should hold ${expected} but cannot be read (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  where(column: string): string {
    const key = this.columns
      .slice(0, this.keyCount)
      .map((name, position) => `${name} ${describeKey(this.cells[position] ?? null)}`)
      .join(', ');
    return `table ${this.table}, row with ${key}, column ${column}`;
  }

  private value(column: string): SqlValue {
    return this.cells[this.index.get(column) ?? -1] ?? null;
  }

  private wrong(column: string, expected: string, value: SqlValue): CollectionError {
    return damaged(`${this.where(column)} should hold ${expected} but holds ${describe(value)}`);
  }
}

function describeKey(value: SqlValue): string {
  return typeof value === 'number' ? String(value) : describe(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (NULL)';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (value instanceof Uint8Array) return `${value.length} bytes of binary data`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${value}`;
  return Array.isArray(value) ? 'a list' : 'an object';
}

// ---------------------------------------------------------------------------------------
// Notes, cards and review log: the same columns in both layouts.

function readNotes(db: SqlDatabase): AnkiNote[] {
  return readTable(
    db,
    'notes',
    ['id', 'guid', 'mid', 'mod', 'tags', 'flds'],
    1,
    (row) => ({
      id: row.integer('id'),
      guid: row.text('guid'),
      noteTypeId: row.integer('mid'),
      mod: row.integer('mod'),
      tags: row
        .text('tags')
        .split(/\s+/)
        .filter((tag) => tag !== ''),
      fields: row.text('flds').split('\x1f'),
    }),
    'id',
  );
}

function readCards(db: SqlDatabase): AnkiCard[] {
  const columns = ['id', 'nid', 'did', 'ord', 'mod', 'type', 'queue', 'due', 'ivl', 'factor', 'reps', 'lapses', 'left', 'odue', 'odid', 'flags', 'data'];
  return readTable(
    db,
    'cards',
    columns,
    1,
    (row) => ({
      id: row.integer('id'),
      noteId: row.integer('nid'),
      deckId: row.integer('did'),
      ord: row.integer('ord'),
      mod: row.integer('mod'),
      type: row.integer('type'),
      queue: row.integer('queue'),
      due: row.integer('due'),
      interval: row.integer('ivl'),
      factor: row.integer('factor'),
      reps: row.integer('reps'),
      lapses: row.integer('lapses'),
      left: row.integer('left'),
      originalDue: row.integer('odue'),
      originalDeckId: row.integer('odid'),
      flags: row.integer('flags'),
      data: row.text('data'),
    }),
    'id',
  );
}

function readRevlog(db: SqlDatabase): AnkiRevlog[] {
  return readTable(
    db,
    'revlog',
    ['id', 'cid', 'ease', 'ivl', 'lastIvl', 'factor', 'time', 'type'],
    1,
    (row) => ({
      id: row.integer('id'),
      cardId: row.integer('cid'),
      ease: row.integer('ease'),
      interval: row.integer('ivl'),
      lastInterval: row.integer('lastIvl'),
      factor: row.integer('factor'),
      time: row.integer('time'),
      type: row.integer('type'),
    }),
    'id',
  );
}

// ---------------------------------------------------------------------------------------
// Schema 11: JSON in the col row (notetype/schema11.rs, decks/schema11.rs, deckconfig/schema11.rs).

/** Where a JSON value sits, for messages: the col column and the path inside it. */
type JsonPlace = string;

/** The JSON columns of the col row, as text. */
type ColJson = Record<'conf' | 'models' | 'decks' | 'dconf', string>;

function readSchema11Settings(col: ColJson): Settings {
  const conf = jsonObject(parseJson(col, 'conf'), 'col.conf');
  return {
    rolloverHour: rolloverHour(conf['rollover']),
    creationOffset: creationOffset(conf['creationOffset']),
    noteTypes: jsonEntries(col, 'models').map(([id, value, place]) => schema11NoteType(id, value, place)),
    decks: jsonEntries(col, 'decks').map(([id, value, place]) => schema11Deck(id, value, place)),
    deckConfigs: jsonEntries(col, 'dconf').map(([id, value, place]) => schema11DeckConfig(id, value, place)),
  };
}

function parseJson(col: ColJson, column: keyof ColJson): unknown {
  try {
    return JSON.parse(col[column]);
  } catch (error) {
    throw damaged(`col.${column} should hold JSON but cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The entries of an id-keyed JSON map, in id order; the key is the id (Anki trusts it over the inner "id"). */
function jsonEntries(col: ColJson, column: keyof ColJson): [number, unknown, JsonPlace][] {
  const map = jsonObject(parseJson(col, column), `col.${column}`);
  return Object.entries(map)
    .map(([key, value]): [number, unknown, JsonPlace] => {
      const place = `col.${column}, entry ${JSON.stringify(key)}`;
      return [jsonId(key, place), value, place];
    })
    .sort(([a], [b]) => a - b);
}

function schema11NoteType(id: number, value: unknown, place: JsonPlace): AnkiNoteType {
  const noteType = jsonObject(value, place);
  const fields = jsonList(noteType['flds'], `${place}, key "flds"`).map((field, index) => {
    const where = `${place}, field ${index}`;
    const entry = jsonObject(field, where);
    return { name: jsonString(entry['name'], `${where}, key "name"`), ord: ordOr(entry['ord'], index) };
  });
  const templates = jsonList(noteType['tmpls'], `${place}, key "tmpls"`).map((template, index) => {
    const where = `${place}, template ${index}`;
    const entry = jsonObject(template, where);
    return {
      ord: ordOr(entry['ord'], index),
      template: {
        name: jsonString(entry['name'], `${where}, key "name"`),
        front: jsonString(entry['qfmt'], `${where}, key "qfmt"`),
        back: optionalString(entry['afmt']),
      },
    };
  });
  return {
    id,
    name: jsonString(noteType['name'], `${place}, key "name"`),
    kind: noteType['type'] === 1 ? 'cloze' : 'standard',
    fields: byOrd(fields).map((field) => field.name),
    templates: byOrd(templates).map((entry) => entry.template),
    css: optionalString(noteType['css']),
  };
}

function schema11Deck(id: number, value: unknown, place: JsonPlace): AnkiDeck {
  const deck = jsonObject(value, place);
  // "dyn" is 0/1, or a boolean in files from some old clients (Anki accepts both).
  const filtered = deck['dyn'] === 1 || deck['dyn'] === true;
  const name = jsonString(deck['name'], `${place}, key "name"`);
  return filtered ? { id, name, filtered } : { id, name, filtered, configId: jsonId(deck['conf'], `${place}, key "conf"`) };
}

// Anki reads a missing or invalid option as its default (deckconfig/schema11.rs,
// default_on_invalid), so a wrong value here falls back to the same default.
function schema11DeckConfig(id: number, value: unknown, place: JsonPlace): AnkiDeckConfig {
  const config = jsonObject(value, place);
  const group = (key: string): Record<string, unknown> => {
    const inner = config[key];
    return typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  };
  const newCards = group('new');
  const reviews = group('rev');
  const lapses = group('lapse');
  return deckConfig({
    id,
    name: jsonString(config['name'], `${place}, key "name"`),
    newPerDay: countOr(newCards['perDay'], 20),
    reviewsPerDay: countOr(reviews['perDay'], 200),
    learnSteps: numbersOr(newCards['delays'], [1, 10]),
    relearnSteps: numbersOr(lapses['delays'], [10]),
    maximumIntervalDays: countOr(reviews['maxIvl'], 36_500),
    fsrsParams: [config['fsrsParams6'], config['fsrsParams5'], config['fsrsWeights']].map((params) => numbersOr(params, [])),
    desiredRetention: typeof config['desiredRetention'] === 'number' ? config['desiredRetention'] : 0,
  });
}

function jsonObject(value: unknown, place: JsonPlace): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw damaged(`${place} should be a JSON object but is ${describe(value)}`);
}

function jsonList(value: unknown, place: JsonPlace): unknown[] {
  if (Array.isArray(value)) return value;
  throw damaged(`${place} should be a list but is ${describe(value)}`);
}

function jsonString(value: unknown, place: JsonPlace): string {
  if (typeof value === 'string') return value;
  throw damaged(`${place} should be text but is ${describe(value)}`);
}

/** An id as Anki writes it in JSON: a whole number, or its digits as text. */
function jsonId(value: unknown, place: JsonPlace): number {
  const id = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (Number.isSafeInteger(id)) return id;
  throw damaged(`${place} should be a numeric id but is ${describe(value)}`);
}

function optionalString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function ordOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

function countOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

function numbersOr(value: unknown, fallback: number[]): number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isFinite(item)) ? value : fallback;
}

function byOrd<T extends { ord: number }>(entries: T[]): T[] {
  return [...entries].sort((a, b) => a.ord - b.ord);
}

/** Anki's rollover: a small whole number capped at 23, 4 when missing or invalid (config/mod.rs). */
function rolloverHour(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, 23) : defaultRolloverHour;
}

/** A deck config from either layout: the first non-empty FSRS parameter list (FSRS-6, then 5, then 4.x, as Anki picks), retention only when set. */
function deckConfig(config: Omit<AnkiDeckConfig, 'fsrsParams' | 'desiredRetention'> & { fsrsParams: number[][]; desiredRetention: number }): AnkiDeckConfig {
  const { fsrsParams, desiredRetention, ...rest } = config;
  const params = fsrsParams.find((list) => list.length > 0);
  return { ...rest, ...(params && { fsrsParams: params }), ...(desiredRetention > 0 && { desiredRetention }) };
}

// ---------------------------------------------------------------------------------------
// Schema 18: tables with protobuf blobs (proto/anki/notetypes.proto, decks.proto, deck_config.proto).

function readSchema18Settings(db: SqlDatabase): Settings {
  removeUnicaseCollation(db);
  const fieldNames = groupByNoteType(readTable(db, 'fields', ['ntid', 'ord', 'name'], 2, (row) => ({ noteTypeId: row.integer('ntid'), value: row.text('name') }), 'ntid, ord'));
  const templates = groupByNoteType(
    readTable(
      db,
      'templates',
      ['ntid', 'ord', 'name', 'config'],
      2,
      (row) => {
        const config = row.message('config'); // Notetype.Template.Config
        const template: AnkiTemplate = { name: row.text('name'), front: protobufString(config, 1), back: protobufString(config, 2) };
        return { noteTypeId: row.integer('ntid'), value: template };
      },
      'ntid, ord',
    ),
  );
  const noteTypes = readTable(
    db,
    'notetypes',
    ['id', 'name', 'config'],
    1,
    (row): AnkiNoteType => {
      const id = row.integer('id');
      const config = row.message('config'); // Notetype.Config: 1 kind, 3 css
      return {
        id,
        name: row.text('name'),
        kind: protobufNumber(config, 1) === 1 ? 'cloze' : 'standard',
        fields: fieldNames.get(id) ?? [],
        templates: templates.get(id) ?? [],
        css: protobufString(config, 3),
      };
    },
    'id',
  );
  const decks = readTable(
    db,
    'decks',
    ['id', 'name', 'kind'],
    1,
    (row): AnkiDeck => {
      const id = row.integer('id');
      const name = row.text('name').split('\x1f').join('::');
      const kind = row.message('kind'); // Deck.KindContainer: oneof normal = 1, filtered = 2
      const [normal] = protobufMessages(kind, 1);
      if (normal) return { id, name, filtered: false, configId: protobufNumber(row.decoded('kind', 'a normal deck', protobufFields, normal), 1) };
      if (kind.has(2)) return { id, name, filtered: true };
      throw damaged(`${row.where('kind')} holds neither a normal nor a filtered deck`);
    },
    'id',
  );
  const deckConfigs = readTable(
    db,
    'deck_config',
    ['id', 'name', 'config'],
    1,
    (row) => {
      const config = row.message('config'); // DeckConfig.Config
      const floats = (field: number) => row.decoded('config', 'a list of numbers', (fields: typeof config) => protobufFloats(fields, field), config);
      return deckConfig({
        id: row.integer('id'),
        name: row.text('name'),
        learnSteps: floats(1),
        relearnSteps: floats(2),
        newPerDay: protobufNumber(config, 9),
        reviewsPerDay: protobufNumber(config, 10),
        maximumIntervalDays: protobufNumber(config, 16),
        fsrsParams: [floats(6), floats(5), floats(3)],
        desiredRetention: protobufNumber(config, 37),
      });
    },
    'id',
  );
  return { rolloverHour: rolloverHour(schema18Config(db, 'rollover')), creationOffset: creationOffset(schema18Config(db, 'creationOffset')), noteTypes, decks, deckConfigs };
}

function groupByNoteType<T>(rows: { noteTypeId: number; value: T }[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const { noteTypeId, value } of rows) {
    const group = groups.get(noteTypeId);
    if (group) group.push(value);
    else groups.set(noteTypeId, [value]);
  }
  return groups;
}

/** A config value (JSON) of a schema-18 collection; undefined when missing or unreadable, as Anki reads it. */
function schema18Config(db: SqlDatabase, key: string): unknown {
  const [row] = selectRows(db, 'SELECT "val" FROM "config" WHERE "KEY" = ?', [key]);
  const value = row?.[0];
  if (value === undefined || value === null) return undefined;
  const text = value instanceof Uint8Array ? new TextDecoder().decode(value) : String(value);
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The creator's UTC offset (minutes west), when the collection has a usable one. */
function creationOffset(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 24 * 60 ? value : undefined;
}

/**
 * Anki declares its name columns `COLLATE unicase`, a collation of its own. sql.js cannot
 * register collations, and SQLite refuses every query on a WITHOUT ROWID table that has such
 * a column (`fields`, `templates`: "no such collation sequence"); rowid tables read fine as
 * long as no WHERE or ORDER BY touches those columns. Declaring the columns with the default
 * collation instead changes nothing this reader relies on: it never compares names in SQL,
 * and the tables' keys are integers.
 */
function removeUnicaseCollation(db: SqlDatabase): void {
  const unicase = /\bcollate\s+"?unicase\b"?/gi; // starts at a literal word: linear
  const schema = selectRows(db, "SELECT type, name, sql FROM sqlite_master WHERE sql LIKE '%unicase%'");
  if (schema.length === 0) return;
  selectRows(db, 'PRAGMA writable_schema = ON');
  for (const [type, name, sql] of schema) {
    if (typeof sql !== 'string') continue;
    selectRows(db, 'UPDATE sqlite_master SET sql = ? WHERE type = ? AND name = ?', [sql.replace(unicase, ''), type ?? null, name ?? null]);
  }
  selectRows(db, 'PRAGMA writable_schema = RESET'); // off again, and the schema re-read
}
