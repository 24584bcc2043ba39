import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  defaultMapping,
  notesFromTextFile,
  parseTextFile,
  TextFileError,
  textFileFromNotes,
  type TextFile,
} from '../../src/domain/anki/textFile.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../shared/fixtures/anki/${name}`, import.meta.url)));
const utf8 = (text: string) => new TextEncoder().encode(text);
const parse = (text: string) => parseTextFile(utf8(text));
const basic = ['Front', 'Back'];

function notesOf(file: TextFile, fieldNames = basic) {
  return notesFromTextFile(file, defaultMapping(file, fieldNames), fieldNames.length);
}

function parseError(bytes: Uint8Array): string {
  try {
    parseTextFile(bytes);
  } catch (error) {
    if (error instanceof TextFileError) return error.message;
    throw error;
  }
  throw new Error('parsed without an error');
}

describe("Anki's test fixtures", () => {
  it('text-2fields.txt: comment, Japanese text, rows with too many and too few fields, an empty front', () => {
    const file = parseTextFile(fixture('text-2fields.txt'));
    expect(file.separator).toBe('\t');
    expect(file.html).toBe(false);
    expect(file.columnCount).toBe(2);
    expect(file.columnNames).toEqual(['Column 1', 'Column 2']);
    expect(defaultMapping(file, basic)).toEqual({ fields: [0, 1] });
    const { notes, skipped, warnings } = notesOf(file);
    // Anki's current importer keeps the row with too many cells (the extra one dropped) and
    // the row with too few (Back unset); the repeated 飲む row is for the importer's
    // duplicate check against the collection.
    expect(notes).toEqual([
      { line: 2, fields: ['食べる', 'to eat'] },
      { line: 3, fields: ['飲む', 'to drink'] },
      { line: 4, fields: ['テスト', 'test'] },
      { line: 5, fields: ['to eat', '食べる'] },
      { line: 6, fields: ['飲む', 'to drink'] },
      { line: 7, fields: ['多すぎる', 'too many'] },
      { line: 8, fields: ['not, enough, fields', undefined] },
      { line: 9, fields: ['遊ぶ', ''] },
    ]);
    expect(skipped).toEqual([{ line: 10, reason: 'the first field is empty' }]);
    expect(warnings).toEqual([
      { line: 7, reason: '3 columns where the file has 2: the extra one is not imported' },
      { line: 8, reason: '1 column where the file has 2: the missing ones are left empty' },
    ]);
  });

  it('text-tags.txt: the column after the fields holds the tags', () => {
    const file = parseTextFile(fixture('text-tags.txt'));
    expect(file.separator).toBe('\t');
    expect(file.columnCount).toBe(3);
    expect(defaultMapping(file, basic)).toEqual({ fields: [0, 1], tags: 2 });
    expect(notesOf(file)).toEqual({
      notes: [
        { line: 1, fields: ['foo', 'bar'], tags: ['baz,qux'] },
        { line: 2, fields: ['foo2', 'bar2'], tags: ['baz2'] },
      ],
      skipped: [],
      warnings: [],
    });
  });
});

describe('header lines', () => {
  it.each([
    ['Comma', ','],
    ['SEMICOLON', ';'],
    ['tab', '\t'],
    ['Space', ' '],
    ['pipe', '|'],
    ['COLON', ':'],
    [',', ','],
    [';', ';'],
    ['\t', '\t'],
    [' ', ' '],
    ['|', '|'],
    [':', ':'],
  ])('#separator:%j', (value, separator) => {
    const file = parse(`#separator:${value}\na${separator}b,c${separator}d\n`);
    expect(file.headers.separator).toBe(separator);
    expect(file.separator).toBe(separator);
    expect(file.rows).toEqual([{ line: 2, cells: separator === ',' ? ['a', 'b', 'c', 'd'] : ['a', 'b,c', 'd'] }]);
  });

  it('reads a separator with delimiters after it, as when a header was exported as a row', () => {
    expect(parse('#separator:Pipe,,,,,,,\na|b\n').separator).toBe('|');
    expect(parse('#separator:\t|,:\na\tb\n').separator).toBe('\t');
  });

  it('ignores an unknown separator and guesses instead', () => {
    const file = parse('#separator:foo\na;b\n');
    expect(file.headers.separator).toBeUndefined();
    expect(file.separator).toBe(';');
  });

  it('guesses the separator as Anki does: tab, pipe, semicolon, colon, comma, then space', () => {
    expect(parse('a,b|c\tb\n').separator).toBe('\t');
    expect(parse('a,b:c|d;e\n').separator).toBe('|');
    expect(parse('a,b:c;d\n').separator).toBe(';');
    expect(parse('a,b:c\n').separator).toBe(':');
    expect(parse('a,b\n').separator).toBe(',');
    expect(parse('foobar\n').separator).toBe(' ');
    // from the first 8 KiB of data only, not from the header
    expect(parse(`#deck:a,b\n${'x'.repeat(9000)};\n`).separator).toBe(' ');
  });

  it('reads html: true/false in any case, and ignores other values', () => {
    expect(parse('#html:true\n<b>x</b>\n').html).toBe(true);
    expect(parse('#html:FALSE\n<b>x</b>\n').html).toBe(false);
    expect(parse('#html:true|||||\nx\n').headers.html).toBe(true);
    expect(parse('#html:maybe\nx\n').headers.html).toBeUndefined();
  });

  it('guesses html from a tag in the first five rows', () => {
    expect(parse('<br/>\n').html).toBe(true);
    expect(parse('a<b\tc>d\n').html).toBe(false); // the tag test is per cell
    expect(parse('a\nb\nc\nd\ne\n<b>f</b>\n').html).toBe(false);
    expect(parse('a\nb\nc\nd\n<b>e</b>\n').html).toBe(true);
  });

  it('reads every header Anki knows, with a comment between', () => {
    const file = parse(
      [
        '#separator:Comma',
        '#html:true',
        '# just a comment',
        '#',
        '#columns:Back,Front,"Deck, name",Tags,GUID,Type',
        '#deck column:3',
        '#tags column:4',
        '#guid column:5',
        '#notetype column:6',
        '#deck:CKA::Storage',
        '#notetype:Basic (and reversed card)',
        '#tags:cka storage::pv',
        '#match scope:notetype + deck',
        '#if matches:keep current',
        '#colour:blue',
        'b,f,D,t1 t2,g1,Basic',
      ].join('\n'),
    );
    expect(file.headers).toEqual({
      separator: ',',
      html: true,
      columns: ['Back', 'Front', 'Deck, name', 'Tags', 'GUID', 'Type'],
      deckColumn: 3,
      tagsColumn: 4,
      guidColumn: 5,
      notetypeColumn: 6,
      deck: 'CKA::Storage',
      notetype: 'Basic (and reversed card)',
      tags: ['cka', 'storage::pv'],
      matchScope: 'notetype + deck',
      ifMatches: 'keep current',
    });
    expect(file.rows).toEqual([{ line: 16, cells: ['b', 'f', 'D', 't1 t2', 'g1', 'Basic'] }]);
    expect(file.columnNames).toEqual(['Back', 'Front', 'Deck, name', 'Tags', 'GUID', 'Type']);
    expect(defaultMapping(file, basic)).toEqual({ fields: [1, 0], tags: 3, guid: 4, deck: 2, notetype: 5 });
    expect(notesOf(file).notes).toEqual([
      { line: 16, fields: ['f', 'b'], tags: ['t1', 't2'], guid: 'g1', deck: 'D', notetype: 'Basic' },
    ]);
  });

  it('keeps free text whole but cuts numbers and flags at a delimiter', () => {
    const file = parse('#separator:Pipe,,,,,,,\n#html:true|||||\n#tags:foo bar::世界,,,\n#guid column:8   \n#tags column:123abc \na|b\n');
    expect(file.headers).toEqual({ separator: '|', html: true, tags: ['foo', 'bar::世界,,,'], guidColumn: 8 });
  });

  it('reads the old first line "tags:", and only as the first line', () => {
    const file = parse('tags:foo bar\n#separator:tab\na\tb\n');
    expect(file.headers).toEqual({ tags: ['foo', 'bar'], separator: '\t' });
    expect(file.rows).toEqual([{ line: 3, cells: ['a', 'b'] }]);
    expect(parse('#\ntags:foo bar\n').headers.tags).toBeUndefined();
    expect(parse('#\ntags:foo bar\n').rows).toEqual([{ line: 2, cells: ['tags', 'foo bar'] }]);
  });

  it('stops the header at the first line not starting with #', () => {
    const file = parse('\n#tags:foo\na\tb\n');
    expect(file.headers).toEqual({});
    expect(file.rows).toEqual([{ line: 3, cells: ['a', 'b'] }]);
  });

  it('names columns "Column n" where #columns has no label', () => {
    const file = parse('#columns:Front\t\tExtra\na\tb\tc\n');
    expect(file.columnNames).toEqual(['Front', 'Column 2', 'Extra']);
  });
});

describe('rows', () => {
  it('reads quoted cells with separators, quotes and line breaks inside, and numbers lines from where a row starts', () => {
    const file = parse('#separator:comma\n"a,b","say ""hi""\nand\nbye"\n#a comment\n\nc,d\n"e\n",f');
    expect(file.rows).toEqual([
      { line: 2, cells: ['a,b', 'say "hi"\nand\nbye'] },
      { line: 7, cells: ['c', 'd'] },
      { line: 8, cells: ['e\n', 'f'] },
    ]);
  });

  it('skips # lines and empty lines between rows, as comments', () => {
    const file = parse('a\tb\n#skip\tme\n\n#"quoted\nc\td\n');
    expect(file.rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 5, cells: ['c', 'd'] },
    ]);
  });

  it('reads CRLF line endings, keeping CRLF inside quoted cells', () => {
    const file = parse('#separator:tab\r\n#columns:Front\tBack\r\na\t"b\r\nc"\r\nd\te\r\n');
    expect(file.headers.columns).toEqual(['Front', 'Back']);
    expect(file.rows).toEqual([
      { line: 3, cells: ['a', 'b\r\nc'] },
      { line: 5, cells: ['d', 'e'] },
    ]);
    expect(notesOf(file).notes[0]!.fields).toEqual(['a', 'b<br>c']);
  });

  it('reads old Mac line endings (CR alone)', () => {
    expect(parse('a\t"b\rc"\r#comment\rd\te\r').rows).toEqual([
      { line: 1, cells: ['a', 'b\rc'] },
      { line: 4, cells: ['d', 'e'] },
    ]);
  });

  it('skips a BOM, also before a header line', () => {
    expect(parseTextFile(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('#separator:tab\nfoo,bar\tbaz\n')])).rows).toEqual([
      { line: 2, cells: ['foo,bar', 'baz'] },
    ]);
    const file = parseTextFile(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('foo,bar\n')]));
    expect(file.rows).toEqual([{ line: 1, cells: ['foo', 'bar'] }]);
  });

  it('names the line of invalid UTF-8', () => {
    const bytes = new Uint8Array([...utf8('#separator:tab\nfront\tback\nbad\t'), 0xc3, 0x28, ...utf8('\nok\tok\n')]);
    expect(parseError(bytes)).toBe('Line 3: not valid UTF-8 text');
    expect(parseError(new Uint8Array([0xe9, 0xa3]))).toBe('Line 1: not valid UTF-8 text');
  });

  it('refuses an empty file and one with only header lines', () => {
    const message = 'The file has no notes: it is empty or has only header and comment lines';
    expect(parseError(new Uint8Array())).toBe(message);
    expect(parseError(utf8('\uFEFF'))).toBe(message);
    expect(parseError(utf8('#separator:tab\n#html:true\n#columns:Front\tBack\n'))).toBe(message);
    expect(parseError(utf8('#separator:tab\n\n\n#only a comment\n'))).toBe(message);
  });

  it('names the line of a quoted cell that is never closed, or has a stray quote', () => {
    expect(parseError(utf8('a\tb\nc\t"d\ne\tf\n'))).toBe('Line 2: a quoted cell is never closed');
    expect(parseError(utf8('a\tb\n\n"c"d\te\n'))).toBe('Line 3: a quote inside a quoted cell must be doubled ("")');
  });

  it('keeps a quote inside an unquoted cell as it is', () => {
    expect(parse('a"b\tc\n').rows).toEqual([{ line: 1, cells: ['a"b', 'c'] }]);
  });

  it('parses a few megabytes in linear time', () => {
    const rowCount = 100_000;
    const rows = Array.from({ length: rowCount }, (_, i) =>
      i % 10 === 0 ? `front ${i}\t"back, with\n""quotes"""\ttag${i}` : `front ${i}\tback ${i} ${'x'.repeat(20)}\ttag${i}`,
    );
    const bytes = utf8(`#separator:tab\n${rows.join('\n')}\n`);
    expect(bytes.length).toBeGreaterThan(4_000_000);
    const started = performance.now();
    const file = parseTextFile(bytes);
    const { notes } = notesOf(file);
    const elapsed = performance.now() - started;
    expect(file.rows).toHaveLength(rowCount);
    // every tenth row takes two lines
    expect(file.rows.at(-1)).toEqual({ line: 2 + rowCount + rowCount / 10 - 1, cells: [`front ${rowCount - 1}`, `back ${rowCount - 1} ${'x'.repeat(20)}`, `tag${rowCount - 1}`] });
    expect(notes[10]!.fields).toEqual(['front 10', 'back, with<br>&quot;quotes&quot;']);
    expect(elapsed).toBeLessThan(5000);
  });
});

describe('notes', () => {
  it('escapes plain text to HTML, and keeps HTML as it is', () => {
    const text = '"<b>Tom & Jerry</b>\n""it\'s"""\tback\n';
    expect(notesOf(parse(`#html:false\n${text}`)).notes[0]!.fields).toEqual([
      '&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;<br>&quot;it&#x27;s&quot;',
      'back',
    ]);
    expect(notesOf(parse(`#html:true\n${text}`)).notes[0]!.fields).toEqual(['<b>Tom & Jerry</b>\n"it\'s"', 'back']);
  });

  it('maps fields in order past the deck, note type, tags and guid columns', () => {
    const file = parse('#deck column:1\nfoo,bar,baz\n');
    expect(defaultMapping(file, basic)).toEqual({ fields: [1, 2], deck: 0 });
    const tagsFirst = parse('#tags column:1\n#guid column:3\nt1 t2\tf\tg\tb\textra\n');
    expect(defaultMapping(tagsFirst, basic)).toEqual({ fields: [1, 3], tags: 0, guid: 2 });
  });

  it('maps fields by #columns names; the first field falls back to the first free column', () => {
    // #columns is cut with tab when no #separator comes before it, whatever the data uses
    const commaData = parse('#columns:Back\tFront\nfoo,bar,baz\n');
    expect(commaData.separator).toBe(',');
    expect(defaultMapping(commaData, basic)).toEqual({ fields: [1, 0] });
    const file = parse('#columns:Back\tNotes\tMore\nb\tn\tm\n');
    expect(defaultMapping(file, basic)).toEqual({ fields: [0, 0], tags: 1 });
  });

  it('takes the first free column after the fields as tags, unless a note type column is given', () => {
    expect(defaultMapping(parse('#guid column:3\na\tb\tg\tt\n'), basic)).toEqual({ fields: [0, 1], tags: 3, guid: 2 });
    expect(defaultMapping(parse('#notetype column:1\nBasic\ta\tb\tt\n'), basic)).toEqual({ fields: [1, 2], notetype: 0 });
  });

  it('refuses a mapping with no column for the first field', () => {
    expect(() => defaultMapping(parse('#separator:tab\n#tags column:1\nt1 t2\n'), basic)).toThrow(TextFileError);
  });

  it('applies a custom mapping, unset where a row has no cell', () => {
    const file = parse('a\tb\tc\nd\n');
    expect(notesFromTextFile(file, { fields: [2, undefined, 0], tags: 1 }, 3)).toEqual({
      notes: [{ line: 1, fields: ['c', undefined, 'a'], tags: ['b'] }],
      skipped: [{ line: 2, reason: 'the first field is empty' }],
      warnings: [],
    });
  });

  it('reports extra cells that a mapping uses without calling them dropped', () => {
    const file = parse('a\tb\nc\td\te\n');
    expect(notesFromTextFile(file, { fields: [0, 1], tags: 2 }, 2).warnings).toEqual([
      { line: 2, reason: '3 columns where the file has 2' },
    ]);
  });
});

describe('export', () => {
  it("writes Anki's header lines, then one row per note", () => {
    const text = textFileFromNotes(
      [
        { fields: ['#1', 'a\tb'], tags: ['k8s', 'cka::storage'] },
        { fields: ['short'], tags: [] },
      ],
      basic,
    );
    expect(text).toBe(
      '#separator:tab\n#html:true\n#tags column:3\n#columns:Front\tBack\tTags\n"#1"\t"a\tb"\tk8s cka::storage\nshort\t\t\n',
    );
    expect(textFileFromNotes([], basic, ',')).toBe('#separator:comma\n#html:true\n#tags column:3\n#columns:Front,Back,Tags\n');
  });

  it('refuses a note with more fields than the export', () => {
    expect(() => textFileFromNotes([{ fields: ['a', 'b', 'c'], tags: [] }], basic)).toThrow(RangeError);
  });

  it.each([['\t'], [',']] as const)('reads back what it writes with separator %j', (separator) => {
    const fieldNames = ['Front', 'Back', 'Extra, "quoted"'];
    const notes = [
      { fields: ['"quoted" and, comma', 'tab\there', 'line\nbreak\r\nand CRLF'], tags: ['a', 'b::c'] },
      { fields: ['#not a comment', ' leading and trailing ', ''], tags: [] },
      { fields: ['日本語 🎉 ünïcödé', '<b>html</b> &amp;', '"'], tags: ['タグ'] },
      { fields: ['ends with a quote"', '""', 'a\r'], tags: ['x'] },
      { fields: ['\uFEFFbom inside', ',', '\t'], tags: [] },
    ];
    const file = parseTextFile(utf8(textFileFromNotes(notes, fieldNames, separator)));
    expect(file.headers).toEqual({ separator, html: true, tagsColumn: 4, columns: [...fieldNames, 'Tags'] });
    const { notes: read, skipped, warnings } = notesOf(file, fieldNames);
    expect(skipped).toEqual([]);
    expect(warnings).toEqual([]);
    expect(read.map(({ fields, tags }) => ({ fields, tags }))).toEqual(notes);
  });
});
