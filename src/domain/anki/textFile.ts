// Anki's text import format ("Notes in Plain Text", .txt/.csv) and its export, with Anki's
// rules (rslib import_export/text/csv): `#key:value` header lines at the top, then one note
// per row, cut by papaparse. Where Anki's behaviour is odd or lossy, the comment says so.
import Papa from 'papaparse';

/** The `#key:value` lines at the top of the file, as far as Anki understands them. */
export interface TextFileHeaders {
  /** The separator character from `#separator:` (a name or the character itself). */
  separator?: string;
  html?: boolean;
  /** Column labels from `#columns:`, cut as Anki does: with the separator of a `#separator:` line above, else tab. */
  columns?: string[];
  /** 1-based, as in Anki; so are the other columns. */
  tagsColumn?: number;
  deck?: string;
  notetype?: string;
  deckColumn?: number;
  notetypeColumn?: number;
  guidColumn?: number;
  /** Tags for every note: `#tags:`, or a first line `tags:` (the old format). */
  tags?: string[];
  /** How Anki finds duplicates (`#match scope:`). */
  matchScope?: 'notetype' | 'notetype + deck';
  /** What Anki does with a duplicate (`#if matches:`). */
  ifMatches?: 'update current' | 'keep current' | 'keep both';
}

export interface TextFileRow {
  /** The file line the row starts on (1-based, header lines counted). */
  line: number;
  cells: string[];
}

export interface TextFile {
  headers: TextFileHeaders;
  /** The separator used: given, or guessed as Anki does. */
  separator: string;
  /** Whether cells are HTML: given, or guessed as Anki does (a tag in the first rows). */
  html: boolean;
  rows: TextFileRow[];
  /** The number of `#columns:` labels, else of cells in the first row (Anki's rule). */
  columnCount: number;
  /** From `#columns:`, else "Column 1"…; one per column. */
  columnNames: string[];
}

export class TextFileError extends Error {
  override name = 'TextFileError';
}

/** Anki's separator names; the order is the order Anki tries them when guessing. */
const separatorNames = [
  ['tab', '\t'],
  ['pipe', '|'],
  ['semicolon', ';'],
  ['colon', ':'],
  ['comma', ','],
  ['space', ' '],
] as const;

/** Anki guesses the separator from this many bytes after the header. */
const separatorGuessBytes = 8 * 1024;
/** Anki guesses "is HTML" from this many rows. */
const htmlGuessRows = 5;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the bytes of a text file: UTF-8 (BOM allowed), header lines, then rows via papaparse with the separator. */
export function parseTextFile(bytes: Uint8Array): TextFile {
  const text = decodeUtf8(bytes);
  const { headers, lineCount, end } = readHeader(text);
  const separator = headers.separator ?? guessSeparator(bytes.subarray(byteOffsetAfterLines(bytes, lineCount)));
  const rows = readRows(text.slice(end), separator, lineCount);
  if (rows.length === 0) throw new TextFileError('The file has no notes: it is empty or has only header and comment lines');
  const labels = headers.columns ?? [];
  const columnCount = headers.columns ? labels.length : rows[0]!.cells.length;
  const columnNames = Array.from({ length: columnCount }, (_, i) => labels[i] || `Column ${i + 1}`);
  const html = headers.html ?? rows.slice(0, htmlGuessRows).some((row) => row.cells.some(looksLikeHtml));
  return { headers, separator, html, rows, columnCount, columnNames };
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    // A newline byte never occurs inside a multi-byte sequence, so each line decodes alone.
    let start = 0;
    for (let line = 1; ; line++) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline === -1 ? bytes.length : newline;
      try {
        utf8.decode(bytes.subarray(start, end));
      } catch {
        throw new TextFileError(`Line ${line}: not valid UTF-8 text`);
      }
      if (newline === -1) throw new TextFileError('Not valid UTF-8 text');
      start = newline + 1;
    }
  }
}

/** The header: a first line `tags:…` or `#…`, then every following line starting with `#`. */
function readHeader(text: string): { headers: TextFileHeaders; lineCount: number; end: number } {
  const headers: TextFileHeaders = {};
  let lineCount = 0;
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    const line = text.slice(start, newline === -1 ? end : text[newline - 1] === '\r' ? newline - 1 : newline);
    if (lineCount === 0 && line.startsWith('tags:')) headers.tags = splitTags(line.slice('tags:'.length));
    else if (line.startsWith('#')) readHeaderLine(line.slice(1), headers);
    else break;
    lineCount++;
    start = end;
  }
  return { headers, lineCount, end: start };
}

const columnKeys = {
  'notetype column': 'notetypeColumn',
  'deck column': 'deckColumn',
  'tags column': 'tagsColumn',
  'guid column': 'guidColumn',
} as const;

function readHeaderLine(line: string, headers: TextFileHeaders): void {
  const colon = line.indexOf(':');
  if (colon === -1) return; // a comment
  const key = line.slice(0, colon).trim().toLowerCase();
  const value = line.slice(colon + 1);
  // Anki cuts a value at its first non-alphanumeric character after the first, so that a
  // header exported as a row ("#separator:Pipe,,,") still reads; free text stays whole.
  const word = firstWord(value);
  switch (key) {
    case 'separator': {
      const separator = separatorFromValue(word);
      if (separator !== undefined) headers.separator = separator;
      break;
    }
    case 'html':
      if (/^(true|false)$/i.test(word)) headers.html = word.toLowerCase() === 'true';
      break;
    case 'tags':
      headers.tags = splitTags(value);
      break;
    case 'columns':
      // Cut with the separator given above it, else tab: Anki does not wait for the guess.
      if (value !== '') headers.columns = readRecord(value, headers.separator ?? '\t');
      break;
    case 'notetype':
      if (value !== '') headers.notetype = value;
      break;
    case 'deck':
      if (value !== '') headers.deck = value;
      break;
    case 'notetype column':
    case 'deck column':
    case 'tags column':
    case 'guid column': {
      const column = columnNumber(word);
      if (column !== undefined) headers[columnKeys[key]] = column || undefined; // 0: none
      break;
    }
    case 'match scope':
      if (value === 'notetype' || value === 'notetype + deck') headers.matchScope = value;
      break;
    case 'if matches':
      if (value === 'update current' || value === 'keep current' || value === 'keep both') headers.ifMatches = value;
      break;
  }
}

/** The value up to its first character after the first that is not an ASCII letter or digit. */
function firstWord(value: string): string {
  const from = (value.codePointAt(0) ?? 0) > 0xffff ? 2 : 1;
  for (let i = from; i < value.length; i++) {
    if (!isAsciiAlphanumeric(value.charCodeAt(i))) return value.slice(0, i);
  }
  return value;
}

function isAsciiAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function separatorFromValue(value: string): string | undefined {
  const name = value.toLowerCase();
  return separatorNames.find(([known, character]) => name.trim() === known || value === character)?.[1];
}

/** A column number (0 for none), or undefined for anything that is not a number. */
function columnNumber(value: string): number | undefined {
  const digits = value.trim();
  return /^\+?[0-9]{1,9}$/.test(digits) ? Number(digits) : undefined;
}

function splitTags(text: string): string[] {
  return text.split(/\s+/).filter((tag) => tag !== '');
}

/** Where the data starts in the bytes: after the header's lines (BOM included, as Anki counts). */
function byteOffsetAfterLines(bytes: Uint8Array, lineCount: number): number {
  let offset = 0;
  for (let line = 0; line < lineCount; line++) {
    const newline = bytes.indexOf(0x0a, offset);
    if (newline === -1) return bytes.length;
    offset = newline + 1;
  }
  return offset;
}

/** Anki's guess: the first known separator found in the first 8 KiB of data, else space. */
function guessSeparator(data: Uint8Array): string {
  const sample = data.subarray(0, separatorGuessBytes);
  return separatorNames.find(([, character]) => sample.includes(character.charCodeAt(0)))?.[1] ?? ' ';
}

/** Anki's test for HTML: a `<` with a `>` somewhere after it. */
function looksLikeHtml(cell: string): boolean {
  const open = cell.indexOf('<');
  return open !== -1 && cell.indexOf('>', open + 1) !== -1;
}

/** The file's line ending, from its first line break (papaparse needs one; Anki takes any). */
function lineEnding(text: string): '\n' | '\r\n' | '\r' {
  const cr = text.indexOf('\r');
  if (cr === -1) return '\n';
  const lf = text.indexOf('\n');
  if (lf !== -1 && lf < cr) return '\n';
  return text[cr + 1] === '\n' ? '\r\n' : '\r';
}

function readRecord(line: string, separator: string): string[] {
  return Papa.parse<string[]>(line, { delimiter: separator }).data[0] ?? [];
}

/** Rows as Anki's csv reader yields them: `#` lines are comments, empty lines are skipped. */
function readRows(data: string, separator: string, headerLines: number): TextFileRow[] {
  const newline = lineEnding(data);
  const lineBreak = newline === '\r' ? '\r' : '\n';
  const rows: TextFileRow[] = [];
  // Line breaks before `counted`, found incrementally so the whole count stays linear.
  let counted = 0;
  let breaks = 0;
  Papa.parse<string[]>(data, {
    delimiter: separator,
    newline,
    comments: '#',
    step: ({ data: cells, errors, meta }) => {
      const error = errors[0];
      if (error) {
        const line = headerLines + 1 + countOf(data, lineBreak, 0, error.index ?? meta.cursor);
        throw new TextFileError(
          `Line ${line}: ${error.code === 'InvalidQuotes' ? 'a quote inside a quoted cell must be doubled ("")' : 'a quoted cell is never closed'}`,
        );
      }
      breaks += countOf(data, lineBreak, counted, meta.cursor);
      counted = meta.cursor;
      if (cells.length === 1 && cells[0] === '') return;
      // The cursor is past the row's line break, if it has one; breaks inside quoted cells
      // lead back to the line where the row starts.
      const ended = meta.cursor >= newline.length && data.startsWith(newline, meta.cursor - newline.length);
      const inside = cells.reduce((sum, cell) => sum + countOf(cell, lineBreak, 0, cell.length), 0);
      rows.push({ line: headerLines + 1 + breaks - (ended ? 1 : 0) - inside, cells });
    },
  });
  return rows;
}

function countOf(text: string, character: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf(character, from); at !== -1 && at < to; at = text.indexOf(character, at + 1)) count++;
  return count;
}

/** Which column feeds what, 0-based; undefined where nothing does. */
export interface ColumnMapping {
  /** For each note field, its column. */
  fields: (number | undefined)[];
  tags?: number;
  guid?: number;
  deck?: number;
  notetype?: number;
}

/** Anki's default mapping: fields by column name when `#columns:` names them, else in order, skipping the deck, note type, tags and guid columns; tags from `#tags column:`, else the first free column after the fields. */
export function defaultMapping(file: TextFile, fieldNames: string[]): ColumnMapping {
  const { headers, columnCount } = file;
  const zeroBased = (column: number | undefined) => (column === undefined ? undefined : column - 1);
  const meta = new Set(
    [headers.deckColumn, headers.notetypeColumn, headers.tagsColumn, headers.guidColumn].flatMap((c) => (c ? [c - 1] : [])),
  );
  const free = Array.from({ length: columnCount }, (_, column) => column).filter((column) => !meta.has(column));
  const labels = headers.columns ?? [];
  let fields: (number | undefined)[];
  if (labels.every((label) => label === '')) {
    fields = fieldNames.map((_, i) => free[i]);
  } else {
    const byName = new Map<string, number>();
    labels.forEach((label, column) => {
      if (!meta.has(column)) byName.set(label, column);
    });
    fields = fieldNames.map((name) => byName.get(name));
  }
  // Anki always maps the first field (to column 1 when its name is not found; here, to the
  // first column that is not a deck/note type/tags/guid column).
  fields[0] ??= free[0];
  if (fields[0] === undefined) {
    throw new TextFileError('No column is left for the first field: every column is a deck, note type, tags or guid column');
  }
  let tags = zeroBased(headers.tagsColumn);
  if (tags === undefined && headers.notetypeColumn === undefined) {
    const lastField = Math.max(...fields.map((column) => column ?? -1));
    tags = free.find((column) => column > lastField);
  }
  return {
    fields,
    tags,
    guid: zeroBased(headers.guidColumn),
    deck: zeroBased(headers.deckColumn),
    notetype: zeroBased(headers.notetypeColumn),
  };
}

export interface TextNote {
  line: number;
  /** HTML; undefined where the field has no column or the row no cell for it (Anki then leaves a new note's field empty and an updated note's field as it was). */
  fields: (string | undefined)[];
  /** The row's tags cell split on spaces; undefined without a tags column (an update keeps the note's tags). The file's `headers.tags` come on top, for every note. */
  tags?: string[];
  guid?: string;
  /** A deck name (or id) from the deck column. */
  deck?: string;
  /** A note type name (or id) from the note type column. */
  notetype?: string;
}

export interface TextFileProblem {
  line: number;
  reason: string;
}

/**
 * The notes of a file for a mapping, as Anki's importer makes them: cells are escaped to
 * HTML unless the file is HTML; a row with fewer cells than the file's columns has its
 * missing fields unset, extra cells are dropped (each such row is in `warnings`); a row
 * whose first field is empty is skipped.
 */
export function notesFromTextFile(
  file: TextFile,
  mapping: ColumnMapping,
  fieldCount: number,
): { notes: TextNote[]; skipped: TextFileProblem[]; warnings: TextFileProblem[] } {
  const toHtml = file.html ? (cell: string) => cell : escapeHtml;
  const mapped = new Set([...mapping.fields, mapping.tags, mapping.guid, mapping.deck, mapping.notetype]);
  const notes: TextNote[] = [];
  const skipped: TextFileProblem[] = [];
  const warnings: TextFileProblem[] = [];
  for (const { line, cells } of file.rows) {
    const cell = (column: number | undefined) => (column === undefined ? undefined : cells[column]);
    const fields: (string | undefined)[] = [];
    for (let i = 0; i < fieldCount; i++) {
      const value = cell(mapping.fields[i]);
      fields.push(value === undefined ? undefined : toHtml(value));
    }
    if (!fields[0]) {
      skipped.push({ line, reason: 'the first field is empty' });
      continue;
    }
    const mismatch = columnMismatch(cells.length, file.columnCount, mapped);
    if (mismatch) warnings.push({ line, reason: mismatch });
    const note: TextNote = { line, fields };
    const tags = cell(mapping.tags);
    if (tags !== undefined) note.tags = splitTags(tags);
    const guid = cell(mapping.guid);
    if (guid) note.guid = guid;
    const deck = cell(mapping.deck);
    if (deck !== undefined) note.deck = deck;
    const notetype = cell(mapping.notetype);
    if (notetype !== undefined) note.notetype = notetype;
    notes.push(note);
  }
  return { notes, skipped, warnings };
}

function columnMismatch(cellCount: number, columnCount: number, mapped: Set<number | undefined>): string | undefined {
  if (cellCount === columnCount) return undefined;
  const counts = `${cellCount} ${cellCount === 1 ? 'column' : 'columns'} where the file has ${columnCount}`;
  if (cellCount < columnCount) return `${counts}: the missing ones are left empty`;
  let dropped = 0;
  for (let column = columnCount; column < cellCount; column++) if (!mapped.has(column)) dropped++;
  return dropped === 0 ? counts : `${counts}: ${dropped === 1 ? 'the extra one is' : `${dropped} extra ones are`} not imported`;
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };

/** Anki's escape for plain text cells: the five HTML specials, and line breaks as `<br>` (a CRLF too, where Anki keeps the CR). */
function escapeHtml(text: string): string {
  if (!/[&<>"'\n]/.test(text)) return text;
  return text.replace(/[&<>"']/g, (special) => htmlEntities[special]!).replace(/\r?\n/g, '<br>');
}

/** Anki's "Notes in Plain Text" export with HTML: header lines, then one row per note (its fields, then its tags). */
export function textFileFromNotes(
  notes: { fields: string[]; tags: string[] }[],
  fieldNames: string[],
  separator: ',' | '\t' = '\t',
): string {
  const columnCount = fieldNames.length;
  const rows = notes.map(({ fields, tags }, index) => {
    if (fields.length > columnCount) {
      throw new RangeError(`Note ${index + 1} has ${fields.length} fields; the export has ${columnCount}`);
    }
    return [...fields, ...Array<string>(columnCount - fields.length).fill(''), tags.join(' ')];
  });
  const unparse = (data: string[][]) =>
    Papa.unparse(data, {
      delimiter: separator,
      newline: '\n',
      // A row starting with `#` would read back as a comment.
      quotes: (value: unknown, column: number) => column === 0 && String(value).startsWith('#'),
    });
  const name = separatorNames.find(([, character]) => character === separator)![0];
  const header = [
    `#separator:${name}`,
    '#html:true',
    `#tags column:${columnCount + 1}`,
    `#columns:${unparse([[...fieldNames, 'Tags']])}`,
  ];
  return `${header.join('\n')}\n${rows.length ? `${unparse(rows)}\n` : ''}`;
}
