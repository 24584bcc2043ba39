import { readFileSync } from 'node:fs';
import { unzipSync, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { mediaType, safeMediaName } from '../../src/domain/anki/media.ts';
import { packageLimits, ratioCheckedFrom, readAnkiPackage, type PackageLayout, type PackageLimits } from '../../src/domain/anki/package.ts';
import {
  buildAnkiZip,
  buildZip,
  dummyCollection,
  fileInput,
  packageInput,
  packageMeta,
  protobufMediaList,
  truncated,
  zipBomb,
  zstd,
} from '../support/ankiZip.ts';

const fixture = (name: string) => new URL(`../../../shared/fixtures/anki/${name}`, import.meta.url);
const text = (value: string) => new TextEncoder().encode(value);
const sqliteHeader = 'SQLite format 3\0';
/** Enough of a collection for the reader, which checks only that it is SQLite. */
const collection = text(`${sqliteHeader}collection body`);

/** Bytes that do not compress (xorshift32), so sizes on the wire are predictable. */
function noise(length: number): Uint8Array {
  let state = 2463534242;
  return new Uint8Array(length).map(() => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state & 0xff;
  });
}

async function readError(bytes: Uint8Array, limits?: PackageLimits): Promise<Error> {
  const error = await readAnkiPackage(packageInput(bytes), { limits }).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof Error)) throw new Error('the package was read without an error');
  expect(error.name).toBe('PackageError');
  return error;
}

describe('Anki packages from Anki', () => {
  it.each([
    ['media.apkg', 'anki2'],
    ['update1.apkg', 'anki2'],
    ['empty-latest.apkg', 'anki21b'],
    ['empty-legacy-2.colpkg', 'anki21'],
  ] as const)('%s reads as the %s layout with an SQLite collection', async (name, layout) => {
    const read = await readAnkiPackage(fileInput(fixture(name)));
    expect(read.layout).toBe(layout);
    expect(new TextDecoder().decode(read.collection.subarray(0, 16))).toBe(sqliteHeader);
  });

  it('media.apkg gives foo.wav with the bytes of its zip entry', async () => {
    const entries = unzipSync(readFileSync(fixture('media.apkg')));
    const read = await readAnkiPackage(fileInput(fixture('media.apkg')));
    expect(read.media).toEqual([{ name: 'foo.wav', bytes: entries['0'] }]);
    expect(read.skipped).toEqual([]);
  });

  it('empty-latest.apkg gives the schema 18 anki21b collection, not the dummy collection.anki2', async () => {
    const read = await readAnkiPackage(fileInput(fixture('empty-latest.apkg')));
    const SQL = await initSqlJs();
    const database = new SQL.Database(read.collection);
    const tables = database.exec("select name from sqlite_master where type = 'table' and name = 'notetypes'");
    const [[version]] = database.exec('select ver from col')[0].values;
    database.close();
    expect(tables[0].values).toEqual([['notetypes']]);
    expect(version).toBe(18);
    expect(read.media).toEqual([]);
  });

  it('reports progress once per chunk, up to the whole file', async () => {
    const bytes = readFileSync(fixture('media.apkg'));
    const progress: number[] = [];
    await readAnkiPackage(packageInput(bytes, 10_000), { onProgress: (read, total) => progress.push(read / total) });
    expect(progress).toHaveLength(Math.ceil(bytes.length / 10_000));
    expect(progress.at(-1)).toBe(1);
  });
});

describe('generated packages', () => {
  const media = [
    { name: 'cat.jpg', bytes: text('jpeg bytes') },
    { name: 'Cafe\u0301.mp3', bytes: new Uint8Array(3000).map((_, index) => index % 251) }, // NFD: é as e + accent
    { name: 'empty.png', bytes: new Uint8Array(0) },
  ];

  it.each(['anki21b', 'anki21', 'anki2'] as const)('the %s layout round-trips collection and media (names in NFC)', async (layout: PackageLayout) => {
    const read = await readAnkiPackage(packageInput(await buildAnkiZip({ layout, collection, media }), 1000));
    expect(read.layout).toBe(layout);
    expect(read.collection).toEqual(collection);
    expect(read.media).toEqual([
      { name: 'cat.jpg', bytes: media[0].bytes },
      { name: 'Café.mp3', bytes: media[1].bytes },
      { name: 'empty.png', bytes: media[2].bytes },
    ]);
    expect(read.skipped).toEqual([]);
  });

  it('prefers anki21b over the dummy, and anki21 over anki2 when there is no meta', async () => {
    const latest = await readAnkiPackage(packageInput(await buildAnkiZip({ layout: 'anki21b', collection })));
    expect(latest.collection).toEqual(collection);
    expect(latest.collection).not.toEqual(dummyCollection);
    const legacy = buildZip([
      { name: 'collection.anki2', bytes: dummyCollection },
      { name: 'collection.anki21', bytes: collection },
    ]);
    const read = await readAnkiPackage(packageInput(legacy));
    expect(read.layout).toBe('anki21');
    expect(read.collection).toEqual(collection);
  });

  it('reads a zip written by a streaming zipper (sizes in data descriptors, not in the headers)', async () => {
    const parts: Uint8Array[] = [];
    const zip = new Zip((error, data) => {
      if (error) throw error;
      parts.push(data);
    });
    const entries = [
      { entry: new ZipDeflate('collection.anki21', { level: 6 }), bytes: collection },
      { entry: new ZipPassThrough('0'), bytes: noise(5000) },
      { entry: new ZipDeflate('media', { level: 6 }), bytes: text('{"0": "noise.bin"}') },
    ];
    for (const { entry, bytes } of entries) {
      zip.add(entry);
      entry.push(bytes, true);
    }
    zip.end();
    const read = await readAnkiPackage(packageInput(Buffer.concat(parts), 777));
    expect(read.collection).toEqual(collection);
    expect(read.media).toEqual([{ name: 'noise.bin', bytes: noise(5000) }]);
  });

  it('reads a package with no media list as having no media, as Anki does', async () => {
    const read = await readAnkiPackage(packageInput(buildZip([{ name: 'collection.anki21', bytes: collection }])));
    expect(read.media).toEqual([]);
  });

  it('skips unsafe, duplicate and missing media with the reason, and keeps the rest', async () => {
    const names = ['ok.gif', 'a/b.png', 'a\\b.png', '..', '.', '', 'bell\u0007.wav', 'CON', 'aux.txt', 'Lpt9.mp3', 'ok.gif', 'console.png'];
    const files = names.map((name, index) => ({ name, bytes: text(`file ${index}`) }));
    const read = await readAnkiPackage(packageInput(await buildAnkiZip({ layout: 'anki21b', collection, media: files })));
    expect(read.media).toEqual([
      { name: 'ok.gif', bytes: text('file 0') },
      { name: 'console.png', bytes: text('file 11') },
    ]);
    const windows = 'the name is reserved by Windows (CON, PRN, AUX, NUL, COM1–9, LPT1–9)';
    expect(read.skipped).toEqual([
      { item: 'a/b.png', reason: 'the name contains a path separator (/ or \\)' },
      { item: 'a\\b.png', reason: 'the name contains a path separator (/ or \\)' },
      { item: '..', reason: 'the name is a folder reference (. or ..)' },
      { item: '.', reason: 'the name is a folder reference (. or ..)' },
      { item: 'media file 5', reason: 'the name is empty' },
      { item: 'bell\u0007.wav', reason: 'the name contains control characters or broken Unicode' },
      { item: 'CON', reason: windows },
      { item: 'aux.txt', reason: windows },
      { item: 'Lpt9.mp3', reason: windows },
      { item: 'ok.gif', reason: 'another media file has the same name' },
    ]);
  });

  it('skips listed media whose file is not in the zip, or that point at a non-media entry', async () => {
    const zip = buildZip([
      { name: 'collection.anki21', bytes: collection },
      { name: '0', bytes: text('here') },
      { name: 'media', bytes: text(JSON.stringify({ 0: 'here.jpg', 1: 'gone.jpg', 'collection.anki21': 'sneaky.jpg' })) },
    ]);
    const read = await readAnkiPackage(packageInput(zip));
    expect(read.media).toEqual([{ name: 'here.jpg', bytes: text('here') }]);
    expect(read.skipped).toEqual([
      { item: 'gone.jpg', reason: 'the file is missing from the package' },
      { item: 'sneaky.jpg', reason: 'the file is missing from the package' },
    ]);
  });

  it('reads 20,000 media entries in linear time', async () => {
    const files = Array.from({ length: 20_000 }, (_, index) => ({ name: `image${index}.png`, bytes: text(`png ${index}`) }));
    const zip = await buildAnkiZip({ layout: 'anki21b', collection, media: files });
    const started = performance.now();
    const read = await readAnkiPackage(packageInput(zip));
    const elapsed = performance.now() - started;
    expect(read.media).toHaveLength(20_000);
    expect(read.media[19_999]).toEqual({ name: 'image19999.png', bytes: text('png 19999') });
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('hostile packages', () => {
  const tight = (limits: Partial<PackageLimits>): PackageLimits => ({ ...packageLimits, ...limits });

  it('refuses a zip bomb by its ratio once past 10 MB, naming the entry', async () => {
    const bomb = zipBomb({ zeros: ratioCheckedFrom + 5 * 1024 * 1024 });
    expect(bomb.length).toBeLessThan(100_000);
    expect((await readError(bomb)).message).toBe('This package looks like a zip bomb: the entry "collection.anki21" unpacks to more than 100 times its packed size.');
  });

  it('refuses a package that unpacks to more than the total limit', async () => {
    const error = await readError(zipBomb({ zeros: 3 * 1024 * 1024 }), tight({ totalBytes: 2 * 1024 * 1024 }));
    expect(error.message).toBe('This package unpacks to more than 2 MB, more than this app can import.');
  });

  it('refuses a zstd bomb in the collection before decoding it', async () => {
    const bomb = await buildAnkiZip({ layout: 'anki21b', collection: new Uint8Array(ratioCheckedFrom + 1) });
    expect((await readError(bomb)).message).toBe('This package looks like a zip bomb: the collection unpacks to more than 100 times its packed size.');
    const big = await buildAnkiZip({ layout: 'anki21b', collection: new Uint8Array(3 * 1024 * 1024) });
    expect((await readError(big, tight({ totalBytes: 2 * 1024 * 1024 }))).message).toBe('This package unpacks to more than 2 MB, more than this app can import.');
  });

  it('refuses too many entries', async () => {
    const files = Array.from({ length: 10 }, (_, index) => ({ name: `${index}.jpg`, bytes: text('x') }));
    const zip = await buildAnkiZip({ layout: 'anki21', collection, media: files });
    expect((await readError(zip, tight({ entries: 5 }))).message).toBe('This package has more than 5 entries, more than this app can import.');
  });

  it('refuses a package too big by its size alone, reading nothing', async () => {
    let pulled = 0;
    const input = {
      size: 1.5 * 1024 ** 3,
      chunks: (async function* () {
        pulled += 1;
        yield new Uint8Array(0);
      })(),
    };
    const error = await readAnkiPackage(input).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('This package is 1.5 GB; the largest package this app can import is 1 GB.');
    expect(pulled).toBe(0);
  });

  it('refuses a stream longer than its stated size once past the limit', async () => {
    const zip = await buildAnkiZip({ layout: 'anki21', collection: noise(50_000) });
    const input = { ...packageInput(zip, 1000), size: 10 };
    const error = await readAnkiPackage(input, { limits: tight({ packageBytes: 20 * 1024 }) }).catch((failure: unknown) => failure);
    expect((error as Error).message).toBe('This package is 20.5 KB; the largest package this app can import is 20 KB.');
  });

  it('refuses a truncated zip, wherever it is cut', async () => {
    const zip = await buildAnkiZip({ layout: 'anki21', collection: noise(20_000), media: [{ name: 'a.jpg', bytes: text('aaaa') }] });
    for (const keep of [100, zip.length / 2, zip.length - 30, zip.length - 1]) {
      const error = await readError(truncated(zip, Math.floor(keep)));
      expect(error.message).toBe('This package is incomplete: the file ends too early. Copy or download it again.');
    }
  });

  it('refuses a file that is not a zip, and a zip with no collection', async () => {
    expect((await readError(text('SQLite format 3\0 a bare database'))).message).toBe('This file is not an Anki package: it is not a zip archive.');
    expect((await readError(text('PK'))).message).toBe('This file is not an Anki package: it is not a zip archive.');
    const noCollection = buildZip([{ name: 'media', bytes: text('{}') }]);
    expect((await readError(noCollection)).message).toBe('This file is not an Anki package: it has no collection inside.');
    expect((await readError(buildZip([]))).message).toBe('This file is not an Anki package: it has no collection inside.');
  });

  it('refuses bad zstd data in the collection and in a media file, naming it', async () => {
    const badCollection = buildZip([
      { name: 'meta', bytes: packageMeta(3) },
      { name: 'collection.anki21b', bytes: text('not zstd at all') },
    ]);
    expect((await readError(badCollection)).message).toBe('The collection in this package is damaged (bad zstd data).');
    const frame = await zstd(new Uint8Array(5000).map((_, index) => index % 13));
    const cut = buildZip([
      { name: 'meta', bytes: packageMeta(3) },
      { name: 'collection.anki21b', bytes: frame.subarray(0, frame.length - 3) },
    ]);
    expect((await readError(cut)).message).toBe('The collection in this package is damaged (bad zstd data).');
    const badMedia = buildZip([
      { name: 'meta', bytes: packageMeta(3) },
      { name: 'collection.anki21b', bytes: await zstd(collection) },
      { name: '0', bytes: text('garbage') },
      { name: 'media', bytes: await zstd(protobufMediaList([{ name: 'pic.png', bytes: text('png') }])) },
    ]);
    expect((await readError(badMedia)).message).toBe('The media file "pic.png" in this package is damaged (bad zstd data).');
  });

  it('refuses a collection that is not SQLite, and a damaged media list', async () => {
    const notSqlite = await buildAnkiZip({ layout: 'anki21', collection: text('plain text') });
    expect((await readError(notSqlite)).message).toBe('The collection in this package is damaged (it is not an SQLite database).');
    const badJson = buildZip([
      { name: 'collection.anki21', bytes: collection },
      { name: 'media', bytes: text('{"0": "a.jpg"') },
    ]);
    expect((await readError(badJson)).message).toBe('The media list in this package is damaged (it is not valid JSON).');
    const notNames = buildZip([
      { name: 'collection.anki21', bytes: collection },
      { name: 'media', bytes: text('{"0": 5}') },
    ]);
    expect((await readError(notNames)).message).toBe('The media list in this package is damaged (the name of file 0 is not a string).');
  });

  it('refuses a package from a newer Anki (meta version unknown)', async () => {
    for (const metaVersion of [0, 4]) {
      const zip = await buildAnkiZip({ layout: 'anki21b', collection, metaVersion });
      expect((await readError(zip)).message).toBe(
        'This package was made by a newer version of Anki than this app can read. In Anki, export it again with "Support older Anki versions" ticked.',
      );
    }
  });

  it('refuses a damaged deflate stream, naming the entry', async () => {
    const zip = await buildAnkiZip({ layout: 'anki21', collection: noise(20_000) });
    const damaged = zip.slice();
    const dataStart = 30 + 'collection.anki21'.length;
    damaged.fill(0xff, dataStart, dataStart + 40);
    expect((await readError(damaged)).message).toMatch(/^The entry "collection\.anki21" in this package is damaged \(.+\)\.$/);
  });
});

describe('media helpers', () => {
  it('normalises safe names to NFC and refuses unsafe ones', () => {
    expect(safeMediaName('Cafe\u0301.jpg')).toBe('Café.jpg');
    expect(safeMediaName('notes [1].png')).toBe('notes [1].png');
    for (const unsafe of ['', '.', '..', 'a/b', 'a\\b', 'tab\t.jpg', 'del\u007f', 'nul', 'COM1.txt', 'lone\ud800.png']) {
      expect(safeMediaName(unsafe)).toBeUndefined();
    }
    expect(safeMediaName('COM10.txt')).toBe('COM10.txt');
  });

  it('gives MIME types for common media and octet-stream for the rest', () => {
    expect(mediaType('photo.JPG')).toBe('image/jpeg');
    expect(mediaType('drawing.svg')).toBe('image/svg+xml');
    expect(mediaType('voice.opus')).toBe('audio/ogg');
    expect(mediaType('song.m4a')).toBe('audio/mp4');
    expect(mediaType('clip.3gp')).toBe('video/3gpp');
    expect(mediaType('archive.tar.gz')).toBe('application/octet-stream');
    expect(mediaType('README')).toBe('application/octet-stream');
    expect(mediaType('constructor')).toBe('application/octet-stream');
  });
});
