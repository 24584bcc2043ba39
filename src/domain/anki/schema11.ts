// Writes an AnkiCollection as a schema-11 Anki database: the layout of collection.anki21 in a
// "Legacy 2" package, which current Anki still imports (it upgrades the file to schema 18 as it
// opens it). Note types, decks and presets are JSON in the col row; every key that Anki's
// schema-11 deserialisers require (serde fields without a default in rslib's notetype/,
// decks/ and deckconfig/schema11.rs) is written, with Anki's defaults where Kubecards has no value.
import type { AnkiCard, AnkiCollection, AnkiDeck, AnkiDeckConfig, AnkiNote, AnkiNoteType, AnkiRevlog } from './model.ts';
import type { SqlDatabase, SqlValue } from './sql.ts';

export class AnkiWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnkiWriteError';
  }
}

/** Anki's usn for "changed here, not yet synced". */
const unsyncedUsn = -1;
/** Deck 1 "Default" and preset 1 "Default" exist in every Anki collection. */
const defaultDeckId = 1;
const defaultDeckConfigId = 1;
const fieldSeparator = '\x1f';

// Own DDL with the column names and types of Anki's schema 11 (rslib/src/storage/schema11.sql).
const schema11Tables = `
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
  ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL,
  models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
  usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL,
  flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL,
  ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL, lapses integer NOT NULL,
  left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
  ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL,
  type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
`;

// Built after the rows are in: one sort per index instead of an update per row.
const schema11Indexes = `
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
`;

/**
 * Creates the schema-11 tables in an empty SQLite database and fills them from `collection`.
 * Adds deck 1 "Default" and preset 1 "Default" when the collection lacks them, and gives preset 1
 * to a normal deck that has none. Throws AnkiWriteError, naming the record, when the collection
 * would not import: an id given twice or pointing nowhere, a note whose field count is not its
 * note type's, a field holding the field separator, a tag holding a space.
 */
export function writeSchema11Collection(db: SqlDatabase, collection: AnkiCollection): void {
  const decks = withDefaultDeck(collection.decks);
  const deckConfigs = withDefaultDeckConfig(collection.deckConfigs);
  checkReferences(collection, decks, deckConfigs);
  // Nothing in the model says when it was written; the latest change it records is used
  // instead, so the same collection always gives the same file.
  const modified = latestChange(collection);

  db.exec('BEGIN');
  try {
    db.exec(schema11Tables);
    db.run('INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, ?)', [
      collection.created,
      modified * 1000,
      modified * 1000,
      JSON.stringify(collectionConfig(collection)),
      JSON.stringify(byId(collection.noteTypes, (noteType) => noteTypeJson(noteType, modified))),
      JSON.stringify(byId(decks, (deck) => deckJson(deck, modified))),
      JSON.stringify(byId(deckConfigs, (config) => deckConfigJson(config, modified))),
      JSON.stringify(tagRegistry(collection.notes)),
    ]);
    insertRows(db, 'notes', 11, collection.notes, noteRow);
    insertRows(db, 'cards', 18, collection.cards, cardRow);
    insertRows(db, 'revlog', 9, collection.revlog, revlogRow);
    db.exec(schema11Indexes);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

function withDefaultDeck(decks: AnkiDeck[]): AnkiDeck[] {
  if (decks.some((deck) => deck.id === defaultDeckId)) return decks;
  return [{ id: defaultDeckId, name: 'Default', filtered: false, configId: defaultDeckConfigId }, ...decks];
}

function withDefaultDeckConfig(configs: AnkiDeckConfig[]): AnkiDeckConfig[] {
  if (configs.some((config) => config.id === defaultDeckConfigId)) return configs;
  // Anki's own defaults for a new preset (deckconfig/schema11.rs).
  const defaults: AnkiDeckConfig = {
    id: defaultDeckConfigId,
    name: 'Default',
    newPerDay: 20,
    reviewsPerDay: 200,
    learnSteps: [1, 10],
    relearnSteps: [10],
    maximumIntervalDays: 36_500,
  };
  return [defaults, ...configs];
}

function checkReferences(collection: AnkiCollection, decks: AnkiDeck[], deckConfigs: AnkiDeckConfig[]): void {
  const noteTypes = new Map(collection.noteTypes.map((noteType) => [noteType.id, noteType]));
  const deckIds = new Set(decks.map((deck) => deck.id));
  const configIds = new Set(deckConfigs.map((config) => config.id));
  const notes = new Map(collection.notes.map((note) => [note.id, note]));
  const cardIds = new Set(collection.cards.map((card) => card.id));
  checkUnique('note type', collection.noteTypes);
  checkUnique('deck', decks);
  checkUnique('preset', deckConfigs);
  checkUnique('note', collection.notes);
  checkUnique('card', collection.cards);
  checkUnique('review log row', collection.revlog);
  for (const noteType of collection.noteTypes) {
    if (noteType.fields.length === 0) throw new AnkiWriteError(`Note type ${noteType.id} "${noteType.name}" has no fields`);
    if (noteType.templates.length === 0) throw new AnkiWriteError(`Note type ${noteType.id} "${noteType.name}" has no templates`);
  }
  for (const deck of decks) {
    // Anki's importer looks up each normal deck's preset and fails when it is missing.
    if (!deck.filtered && deck.configId !== undefined && !configIds.has(deck.configId)) {
      throw new AnkiWriteError(`Deck ${deck.id} "${deck.name}" uses preset ${deck.configId}, which is not in the collection`);
    }
  }
  for (const note of collection.notes) {
    const noteType = noteTypes.get(note.noteTypeId);
    if (!noteType) throw new AnkiWriteError(`Note ${note.id} has note type ${note.noteTypeId}, which is not in the collection`);
    if (note.fields.length !== noteType.fields.length) {
      throw new AnkiWriteError(
        `Note ${note.id} has ${note.fields.length} fields; its note type ${noteType.id} "${noteType.name}" has ${noteType.fields.length}`,
      );
    }
    if (note.fields.some((field) => field.includes(fieldSeparator))) {
      throw new AnkiWriteError(`Note ${note.id} has a field holding the field separator U+001F`);
    }
    const badTag = note.tags.find((tag) => tag === '' || /\s/.test(tag));
    if (badTag !== undefined) throw new AnkiWriteError(`Note ${note.id} has a tag that is empty or holds a space: "${badTag}"`);
  }
  for (const card of collection.cards) {
    const note = notes.get(card.noteId);
    if (!note) throw new AnkiWriteError(`Card ${card.id} belongs to note ${card.noteId}, which is not in the collection`);
    if (!deckIds.has(card.deckId)) throw new AnkiWriteError(`Card ${card.id} is in deck ${card.deckId}, which is not in the collection`);
    if (card.originalDeckId !== 0 && !deckIds.has(card.originalDeckId)) {
      throw new AnkiWriteError(`Card ${card.id} has original deck ${card.originalDeckId}, which is not in the collection`);
    }
    const noteType = noteTypes.get(note.noteTypeId)!;
    if (noteType.kind === 'standard' && (card.ord < 0 || card.ord >= noteType.templates.length)) {
      throw new AnkiWriteError(`Card ${card.id} uses template ${card.ord}; note type ${noteType.id} "${noteType.name}" has ${noteType.templates.length}`);
    }
  }
  for (const entry of collection.revlog) {
    if (!cardIds.has(entry.cardId)) throw new AnkiWriteError(`Review log row ${entry.id} is for card ${entry.cardId}, which is not in the collection`);
  }
}

function checkUnique(kind: string, items: { id: number }[]): void {
  const seen = new Set<number>();
  for (const { id } of items) {
    if (seen.has(id)) throw new AnkiWriteError(`Two of the collection's ${kind}s have the id ${id}`);
    seen.add(id);
  }
}

/** Seconds since the epoch of the latest change the collection records (at least its creation). */
function latestChange(collection: AnkiCollection): number {
  let latest = collection.created;
  for (const note of collection.notes) latest = Math.max(latest, note.mod);
  for (const card of collection.cards) latest = Math.max(latest, card.mod);
  for (const entry of collection.revlog) latest = Math.max(latest, Math.floor(entry.id / 1000));
  return latest;
}

function byId<T extends { id: number }>(items: T[], toJson: (item: T) => object): Record<string, object> {
  const map: Record<string, object> = {};
  for (const item of items) map[String(item.id)] = toJson(item);
  return map;
}

/** col.conf: the keys Anki puts in a new schema-11 collection (config/schema11.rs), plus the day settings. */
function collectionConfig(collection: AnkiCollection): Record<string, unknown> {
  let nextPosition = 1;
  for (const card of collection.cards) if (card.type === 0) nextPosition = Math.max(nextPosition, card.due + 1);
  return {
    // Without schedVer 2 the importer takes a package with any non-new card for a V1 one and
    // rewrites its learning review log (config/mod.rs scheduler_version, scheduler/upgrade.rs).
    schedVer: 2,
    sched2021: true,
    rollover: collection.rolloverHour,
    // Minutes west of UTC at creation. With it Anki counts calendar days from crt's local date,
    // as Kubecards does; without it, 24-hour periods from crt in the zone of the day of import.
    creationOffset: collection.creationOffset ?? new Date(collection.created * 1000).getTimezoneOffset(),
    // A preset's desired retention or parameters only mean something with FSRS on.
    fsrs: collection.deckConfigs.some((config) => config.fsrsParams !== undefined || config.desiredRetention !== undefined),
    activeDecks: [defaultDeckId],
    curDeck: defaultDeckId,
    curModel: collection.noteTypes[0]?.id ?? null,
    nextPos: nextPosition,
    newSpread: 0,
    collapseTime: 1200,
    timeLim: 0,
    estTimes: true,
    dueCounts: true,
    sortType: 'noteFld',
    sortBackwards: false,
    addToCur: true,
    dayLearnFirst: false,
  };
}

// The LaTeX preamble and closing Anki gives every new note type.
const latexPreamble =
  '\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n' +
  '\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n';
const latexClosing = '\\end{document}';

function noteTypeJson(noteType: AnkiNoteType, modified: number): object {
  return {
    id: noteType.id,
    name: noteType.name,
    type: noteType.kind === 'cloze' ? 1 : 0,
    mod: modified,
    usn: unsyncedUsn,
    sortf: 0,
    did: defaultDeckId,
    tmpls: noteType.templates.map((template, ord) => ({
      name: template.name,
      ord,
      qfmt: template.front,
      afmt: template.back,
      bqfmt: '',
      bafmt: '',
      did: null,
      bfont: '',
      bsize: 0,
    })),
    flds: noteType.fields.map((name, ord) => ({
      name,
      ord,
      sticky: false,
      rtl: false,
      font: 'Arial',
      size: 20,
      description: '',
      plainText: false,
      collapsed: false,
      excludeFromSearch: false,
      media: [],
    })),
    css: noteType.css,
    latexPre: latexPreamble,
    latexPost: latexClosing,
    latexsvg: false,
    // Which fields each template needs: Anki works this out from the templates again when it
    // imports a note type (notetype/mod.rs prepare_for_update), so none are listed.
    req: [],
    tags: [],
    vers: [],
  };
}

function deckJson(deck: AnkiDeck, modified: number): object {
  const common = {
    id: deck.id,
    mod: modified,
    name: deck.name,
    usn: unsyncedUsn,
    lrnToday: [0, 0],
    revToday: [0, 0],
    newToday: [0, 0],
    timeToday: [0, 0],
    collapsed: false,
    browserCollapsed: false,
    desc: '',
    dyn: deck.filtered ? 1 : 0,
  };
  if (deck.filtered) {
    // The model keeps no search of its own: the deck comes in empty of terms and keeps its cards.
    return {
      ...common,
      resched: true,
      terms: [],
      separate: true,
      delays: null,
      previewDelay: 10,
      previewAgainSecs: 60,
      previewHardSecs: 600,
      previewGoodSecs: 0,
    };
  }
  return { ...common, conf: deck.configId ?? defaultDeckConfigId, extendNew: 0, extendRev: 0 };
}

/** The key under which schema 11 keeps FSRS parameters of each length (4.x: 17, 5: 19, 6: 21). */
function fsrsParamsKey(config: AnkiDeckConfig): string {
  const length = config.fsrsParams!.length;
  if (length === 21) return 'fsrsParams6';
  if (length === 19) return 'fsrsParams5';
  if (length === 17) return 'fsrsWeights';
  throw new AnkiWriteError(`Preset ${config.id} "${config.name}" has ${length} FSRS parameters; Anki takes 17, 19 or 21`);
}

function deckConfigJson(config: AnkiDeckConfig, modified: number): object {
  const fsrsParams = config.fsrsParams === undefined ? {} : { [fsrsParamsKey(config)]: config.fsrsParams };
  return {
    id: config.id,
    mod: modified,
    name: config.name,
    usn: unsyncedUsn,
    maxTaken: 60,
    autoplay: true,
    timer: 0,
    replayq: true,
    dyn: false,
    new: {
      bury: false,
      delays: config.learnSteps,
      initialFactor: 2500,
      ints: [1, 4, 0],
      order: 1,
      perDay: config.newPerDay,
      separate: true,
    },
    rev: {
      bury: false,
      ease4: 1.3,
      ivlFct: 1,
      maxIvl: config.maximumIntervalDays,
      perDay: config.reviewsPerDay,
      hardFactor: 1.2,
    },
    lapse: {
      delays: config.relearnSteps,
      leechAction: 1,
      leechFails: 8,
      minInt: 1,
      mult: 0,
    },
    newMix: 0,
    newPerDayMinimum: 0,
    interdayLearningMix: 0,
    reviewOrder: 0,
    newSortOrder: 0,
    newGatherPriority: 0,
    buryInterdayLearning: false,
    ...fsrsParams,
    // Left out, Anki would read a desired retention of 0 (deckconfig/schema11.rs serde default).
    desiredRetention: config.desiredRetention ?? 0.9,
    sm2Retention: 0.9,
    ignoreRevlogsBeforeDate: '',
    easyDaysPercentages: [1, 1, 1, 1, 1, 1, 1],
    stopTimerOnAnswer: false,
    secondsToShowQuestion: 0,
    secondsToShowAnswer: 0,
    questionAction: 0,
    answerAction: 0,
    waitForAudio: true,
    weightSearch: '',
  };
}

/** col.tags: every tag the notes use, which schema 14 turns into the tags table. */
function tagRegistry(notes: AnkiNote[]): Record<string, number> {
  const tags = new Set<string>();
  for (const note of notes) for (const tag of note.tags) tags.add(tag);
  // fromEntries defines each key, so even a tag named "__proto__" is kept.
  return Object.fromEntries([...tags].map((tag) => [tag, unsyncedUsn]));
}

function noteRow(note: AnkiNote): SqlValue[] {
  const firstField = htmlToSortText(note.fields[0]);
  return [
    note.id,
    note.guid,
    note.noteTypeId,
    note.mod,
    unsyncedUsn,
    note.tags.length === 0 ? '' : ` ${note.tags.join(' ')} `,
    note.fields.join(fieldSeparator),
    // The sort field is field 0 (sortf above).
    firstField,
    fieldChecksum(firstField),
    0,
    '',
  ];
}

function cardRow(card: AnkiCard): SqlValue[] {
  return [
    card.id,
    card.noteId,
    card.deckId,
    card.ord,
    card.mod,
    unsyncedUsn,
    card.type,
    card.queue,
    card.due,
    card.interval,
    card.factor,
    card.reps,
    card.lapses,
    card.left,
    card.originalDue,
    card.originalDeckId,
    card.flags,
    card.data,
  ];
}

function revlogRow(entry: AnkiRevlog): SqlValue[] {
  return [entry.id, entry.cardId, unsyncedUsn, entry.ease, entry.interval, entry.lastInterval, entry.factor, entry.time, entry.type];
}

// sql.js prepares each statement it runs, so one row per statement is slow; 50 rows was the
// fastest batch measured (100,000 review rows: 2.2 s one by one, 0.34 s in 50s, 0.5 s in 111s),
// and 50 × 18 card columns stays under SQLite's smallest limit of 999 bound parameters.
const rowsPerStatement = 50;

function insertRows<T>(db: SqlDatabase, table: string, columns: number, items: readonly T[], toRow: (item: T) => SqlValue[]): void {
  const placeholders = `(${new Array<string>(columns).fill('?').join(',')})`;
  const statement = (rows: number) => `INSERT INTO ${table} VALUES ${new Array<string>(rows).fill(placeholders).join(',')}`;
  const fullStatement = statement(rowsPerStatement);
  for (let start = 0; start < items.length; start += rowsPerStatement) {
    const end = Math.min(items.length, start + rowsPerStatement);
    const parameters: SqlValue[] = [];
    for (let index = start; index < end; index++) for (const value of toRow(items[index])) parameters.push(value);
    db.run(end - start === rowsPerStatement ? fullStatement : statement(end - start), parameters);
  }
}

const utf8 = new TextEncoder();

/** Anki's field checksum: the first 32 bits of the SHA-1 of the HTML-stripped first field. */
export function fieldChecksum(strippedField: string): number {
  const digest = sha1(utf8.encode(strippedField));
  return ((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0;
}

const mediaTagNames = new Set(['img', 'audio', 'video', 'object', 'source']);
const namedEntities = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', ' '],
]);

/**
 * A field as Anki keeps it for sorting and duplicate checks (text.rs
 * strip_html_preserving_media_filenames): a media tag becomes " its file name ", comments,
 * style and script blocks and all other tags go, and entities are decoded (a no-break space
 * becomes a space). One pass, linear in the field's length: each closing mark is searched
 * for from where the last search of it stopped. Unlike Anki's pattern, a ">" inside a quoted
 * attribute ends the tag, and only the common named entities are decoded; Anki computes
 * both columns again on import, so this only matters for a .colpkg until its next check.
 */
export function htmlToSortText(html: string): string {
  const commentEnd = forwardSearch(html, /-->/g);
  const styleEnd = forwardSearch(html, /<\/style>/gi);
  const scriptEnd = forwardSearch(html, /<\/script>/gi);
  const tagEnd = forwardSearch(html, />/g);
  const text: string[] = [];
  let position = 0;
  while (position < html.length) {
    const open = html.indexOf('<', position);
    if (open === -1) break;
    text.push(html.slice(position, open));
    const close = tagEnd(open + 1);
    if (close === -1) {
      // No tag can end after this point: the rest is text.
      position = open;
      break;
    }
    const blockEnd = html.startsWith('<!--', open)
      ? endOf(commentEnd(open + 4), 3)
      : startsWithWord(html, open + 1, 'style')
        ? endOf(styleEnd(close), 8)
        : startsWithWord(html, open + 1, 'script')
          ? endOf(scriptEnd(close), 9)
          : -1;
    if (blockEnd !== -1) {
      position = blockEnd;
      continue;
    }
    const fileName = mediaFileName(html.slice(open, close + 1));
    if (fileName !== undefined) text.push(` ${fileName} `);
    position = close + 1;
  }
  text.push(html.slice(position));
  return decodeEntities(text.join(''));
}

/** Where a block ends (after its closing mark of `length` characters), or -1 when it is not closed. */
function endOf(closingMark: number, length: number): number {
  return closingMark === -1 ? -1 : closingMark + length;
}

/** Finds `pattern` at or after a position that only moves forward, never scanning a stretch twice. */
function forwardSearch(text: string, pattern: RegExp): (from: number) => number {
  let found = -2;
  return (from) => {
    if (found === -1 || found >= from) return found;
    pattern.lastIndex = from;
    found = pattern.exec(text)?.index ?? -1;
    return found;
  };
}

function startsWithWord(text: string, at: number, word: string): boolean {
  if (text.slice(at, at + word.length).toLowerCase() !== word) return false;
  const next = text.charAt(at + word.length);
  return !/[A-Za-z0-9_]/.test(next);
}

/** The src or data file name of an img, audio, video, object or source tag. */
function mediaFileName(tag: string): string | undefined {
  const name = /^<([A-Za-z0-9]+)/.exec(tag)?.[1].toLowerCase();
  if (name === undefined || !mediaTagNames.has(name)) return undefined;
  const attribute = /\b(?:src|data)=/i.exec(tag);
  if (!attribute) return undefined;
  const start = attribute.index + attribute[0].length;
  const quote = tag.charAt(start);
  if (quote === '"' || quote === "'") {
    const end = tag.indexOf(quote, start + 1);
    return end > start + 1 ? tag.slice(start + 1, end) : undefined;
  }
  const end = /[ >]/.exec(tag.slice(start))?.index ?? -1;
  return end > 0 ? tag.slice(start, start + end) : undefined;
}

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]{2,6}));/g, (entity, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return namedEntities.get(name) ?? entity;
    const codePoint = decimal !== undefined ? Number(decimal) : parseInt(hex!, 16);
    if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return entity;
    const character = String.fromCodePoint(codePoint);
    return character === '\u00a0' ? ' ' : character;
  });
}

/** SHA-1 (FIPS 180-4): Anki's checksums use it, and domain code has no crypto API to call. */
export function sha1(message: Uint8Array): Uint8Array {
  const bitLength = message.length * 8;
  const paddedLength = Math.ceil((message.length + 9) / 64) * 64;
  const padded = new Uint8Array(paddedLength);
  padded.set(message);
  padded[message.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(paddedLength - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(paddedLength - 4, bitLength >>> 0);
  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const words = new Uint32Array(80);
  for (let block = 0; block < paddedLength; block += 64) {
    for (let i = 0; i < 16; i++) words[i] = view.getUint32(block + i * 4);
    for (let i = 16; i < 80; i++) {
      const mixed = words[i - 3] ^ words[i - 8] ^ words[i - 14] ^ words[i - 16];
      words[i] = (mixed << 1) | (mixed >>> 31);
    }
    let [a, b, c, d, e] = state;
    for (let i = 0; i < 80; i++) {
      const [mix, constant] =
        i < 20 ? [(b & c) | (~b & d), 0x5a827999] : i < 40 ? [b ^ c ^ d, 0x6ed9eba1] : i < 60 ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc] : [b ^ c ^ d, 0xca62c1d6];
      const next = (((a << 5) | (a >>> 27)) + mix + e + constant + words[i]) >>> 0;
      e = d;
      d = c;
      c = ((b << 30) | (b >>> 2)) >>> 0;
      b = a;
      a = next;
    }
    state[0] = (state[0] + a) >>> 0;
    state[1] = (state[1] + b) >>> 0;
    state[2] = (state[2] + c) >>> 0;
    state[3] = (state[3] + d) >>> 0;
    state[4] = (state[4] + e) >>> 0;
  }
  const digest = new Uint8Array(20);
  const digestView = new DataView(digest.buffer);
  state.forEach((word, index) => digestView.setUint32(index * 4, word));
  return digest;
}
