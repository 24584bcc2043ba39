// Reads an Anki package (.apkg/.colpkg: a zip) in any of its three layouts, streaming, under
// limits that hold however the file lies. Layouts, from rslib/src/import_export/package/:
// - anki21b ("latest"): a `meta` protobuf (version 3), a zstd collection, a zstd protobuf media
//   list and zstd media files named 0, 1, …, plus a dummy collection.anki2 for old Ankis;
// - anki21 and anki2 (legacy): no `meta`, a plain collection, a JSON media list {"0": "a.jpg"}.
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { decompress } from 'fzstd';
import { checkMediaName } from './media.ts';
import type { AnkiMediaFile } from './model.ts';
import { protobufFields, protobufMessages, protobufNumber, protobufString } from './protobuf.ts';

export type PackageLayout = 'anki21b' | 'anki21' | 'anki2';

/** A package that cannot be read; the message is shown to the user as is. */
export class PackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageError';
  }
}

export interface PackageLimits {
  /** The package file itself. */
  packageBytes: number;
  /** Everything unpacked: every byte inflated from the zip plus every byte out of zstd. */
  totalBytes: number;
  /** Zip entries. */
  entries: number;
  /** Unpacked/packed size above which an entry past ratioCheckedFrom bytes counts as a bomb. */
  ratio: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

// Real SQLite files and media rarely pack better than 20:1; a zip or zstd bomb does 1000:1.
export const packageLimits: PackageLimits = { packageBytes: GiB, totalBytes: 4 * GiB, entries: 100_000, ratio: 100 };
/** Below this an entry may pack as well as it likes: small runs of zeros or repeated text are normal. */
export const ratioCheckedFrom = 10 * MiB;
/** One entry is held in one Uint8Array, and fzstd counts in 32-bit integers. */
const largestEntry = 2 * GiB - 1;
/** Input goes to the unzipper in pieces this big, so one piece inflates to at most ~64 MB (deflate peaks near 1032:1) before the limits are checked. */
const pieceBytes = 64 * KiB;

export interface AnkiPackage {
  layout: PackageLayout;
  /** The SQLite file, unpacked. */
  collection: Uint8Array;
  media: AnkiMediaFile[];
  /** Media left out, and why. */
  skipped: { item: string; reason: string }[];
}

export interface PackageInput {
  /** The file's size as the file system gives it: checked before anything is read. */
  size: number;
  chunks: AsyncIterable<Uint8Array>;
}

export interface ReadPackageOptions {
  limits?: PackageLimits;
  /** Called once per chunk read. */
  onProgress?(bytesRead: number, totalBytes: number): void;
}

/**
 * The collection and media of a package, read in one pass over `input.chunks`. Throws a
 * PackageError, whose message names what is wrong, when the package is not one, is damaged or
 * breaks a limit; unusable media files are left out and listed in `skipped` instead.
 */
export async function readAnkiPackage(input: PackageInput, options: ReadPackageOptions = {}): Promise<AnkiPackage> {
  const limits = options.limits ?? packageLimits;
  if (input.size > limits.packageBytes) throw tooBig(input.size, limits);
  const budget = new UnpackBudget(limits);
  const entries = await unzipEntries(input, budget, isPackageEntry, options.onProgress);
  const layout = packageLayout(entries);
  const zstd = layout === 'anki21b';
  const packedCollection = entries.get(`collection.${layout}`);
  if (!packedCollection) throw noCollection();
  const collection = zstd ? budget.unzstd(packedCollection, 'the collection') : packedCollection;
  if (!startsWith(collection, sqliteHeader)) {
    throw new PackageError('The collection in this package is damaged (it is not an SQLite database).');
  }
  const mediaList = entries.get('media');
  const listed = mediaList === undefined ? [] : zstd ? protobufMediaList(budget.unzstd(mediaList, 'the media list')) : jsonMediaList(mediaList);
  const media: AnkiMediaFile[] = [];
  const skipped: AnkiPackage['skipped'] = [];
  const taken = new Set<string>();
  for (const { zipName, name } of listed) {
    const skip = (reason: string) => skipped.push({ item: name || `media file ${zipName}`, reason });
    const check = checkMediaName(name);
    // Media files are the numbered entries: a list pointing elsewhere (at the collection, say) points at nothing.
    const packed = /^\d+$/.test(zipName) ? entries.get(zipName) : undefined;
    if (!check.ok) skip(check.reason);
    else if (taken.has(check.name)) skip('another media file has the same name');
    else if (packed === undefined) skip('the file is missing from the package');
    else {
      taken.add(check.name);
      media.push({ name: check.name, bytes: zstd ? budget.unzstd(packed, `the media file "${check.name}"`) : packed });
    }
  }
  return { layout, collection, media, skipped };
}

/** What unpacking has produced so far, checked against the limits as it grows. */
class UnpackBudget {
  unpacked = 0;
  constructor(readonly limits: PackageLimits) {}

  /** Counts `added` more bytes out of `what`, which has now produced `produced` bytes from `packed`. */
  count(what: string, added: number, produced: number, packed: number): void {
    this.unpacked += added;
    this.check(what, this.unpacked, produced, packed);
  }

  /** Unpacks zstd data, refusing before decoding when its headers say it would break the limits. */
  unzstd(packed: Uint8Array, what: string): Uint8Array {
    const bound = zstdOutputBound(packed);
    if (bound === undefined) throw badZstd(what);
    this.check(what, this.unpacked + bound, bound, packed.length);
    let unpacked: Uint8Array;
    try {
      unpacked = decompress(packed);
    } catch {
      throw badZstd(what);
    }
    this.unpacked += unpacked.length;
    return unpacked;
  }

  private check(what: string, total: number, produced: number, packed: number): void {
    const { limits } = this;
    if (total > limits.totalBytes) {
      throw new PackageError(`This package unpacks to more than ${describeBytes(limits.totalBytes)}, more than this app can import.`);
    }
    if (produced > largestEntry) {
      throw new PackageError(`This package holds ${what}, which unpacks to more than 2 GB: more than this app can hold in memory.`);
    }
    if (produced > ratioCheckedFrom && produced > packed * limits.ratio) {
      throw new PackageError(`This package looks like a zip bomb: ${what} unpacks to more than ${limits.ratio} times its packed size.`);
    }
  }
}

/** Entry names the reader uses: the rest are unpacked (to count them) and dropped. */
function isPackageEntry(name: string): boolean {
  return name === 'meta' || name === 'media' || name.startsWith('collection.') || /^\d+$/.test(name);
}

/**
 * The entries of any zip (a backup, say) that `wanted` names, under the same limits and with
 * the same named errors as a package.
 */
export async function readZipEntries(input: PackageInput, wanted: (name: string) => boolean, options: ReadPackageOptions = {}): Promise<Map<string, Uint8Array>> {
  const limits = options.limits ?? packageLimits;
  if (input.size > limits.packageBytes) throw tooBig(input.size, limits);
  return unzipEntries(input, new UnpackBudget(limits), wanted, options.onProgress);
}

/** Every entry `wanted` names, unpacked from the zip layer, keyed by name (the first of duplicates). */
async function unzipEntries(
  input: PackageInput,
  budget: UnpackBudget,
  wanted: (name: string) => boolean,
  onProgress: ReadPackageOptions['onProgress'],
): Promise<Map<string, Uint8Array>> {
  const { limits } = budget;
  const entries = new Map<string, Uint8Array>();
  let entryCount = 0;
  let fed = 0;
  let fedBeforePiece = 0;
  const unzip = new Unzip((file: UnzipFile) => {
    forgetFinishedEntries(unzip);
    entryCount += 1;
    if (entryCount > limits.entries) {
      throw new PackageError(`This package has more than ${limits.entries.toLocaleString('en')} entries, more than this app can import.`);
    }
    if (file.compression !== 0 && file.compression !== 8) {
      throw new PackageError(`The entry "${file.name}" in this package is compressed in a way this app cannot read (zip method ${file.compression}).`);
    }
    const keep = wanted(file.name) && !entries.has(file.name);
    const what = `the entry "${file.name}"`;
    // The entry began somewhere in the current piece; counting from the piece's start can only
    // overstate its packed size, so the ratio check errs towards letting real files through.
    const startedAt = fedBeforePiece;
    const chunks: Uint8Array[] = [];
    let produced = 0;
    file.ondata = (error, data, final) => {
      if (error) {
        throw error instanceof PackageError ? error : new PackageError(`The entry "${file.name}" in this package is damaged (${error.message}).`);
      }
      produced += data.length;
      budget.count(what, data.length, produced, fed - startedAt);
      if (!keep) return;
      chunks.push(data);
      if (final) entries.set(file.name, joined(chunks, produced));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const push = (piece: Uint8Array, final: boolean) => {
    try {
      unzip.push(piece, final);
    } catch (error) {
      if (error instanceof PackageError) throw error;
      throw new PackageError(`This package is damaged: its zip data cannot be read (${error instanceof Error ? error.message : String(error)}).`);
    }
  };

  const head = new StreamHead(4);
  const tail = new StreamTail(endRecordSearchBytes);
  let bytesRead = 0;
  for await (const chunk of input.chunks) {
    bytesRead += chunk.length;
    if (bytesRead > limits.packageBytes) throw tooBig(bytesRead, limits);
    if (!head.full) {
      head.push(chunk);
      if (head.full && !isZipStart(head.bytes)) throw notZip();
    }
    tail.push(chunk);
    for (let at = 0; at < chunk.length; at += pieceBytes) {
      const piece = chunk.subarray(at, at + pieceBytes);
      fedBeforePiece = fed;
      fed += piece.length;
      push(piece, false);
    }
    onProgress?.(bytesRead, input.size);
  }
  if (!head.full) throw notZip();
  if (!endsWithEndRecord(tail.bytes)) {
    throw new PackageError('This package is incomplete: the file ends too early. Copy or download it again.');
  }
  push(new Uint8Array(0), true);
  return entries;
}

/**
 * fflate 0.8.3's Unzip keeps a list of every entry's pending chunks and puts each new entry at its
 * front (Array.unshift), which makes reading n entries take n² time: 100,000 tiny entries took
 * about 10 s. It only ever uses the first two (the entry being read and the one before), so the
 * rest are dropped. Guarded, so a different fflate only loses the speed-up.
 */
function forgetFinishedEntries(unzip: Unzip): void {
  const pending = (unzip as unknown as { k?: unknown }).k;
  if (Array.isArray(pending) && pending.length > 2) pending.length = 2;
}

function packageLayout(entries: Map<string, Uint8Array>): PackageLayout {
  const meta = entries.get('meta');
  if (meta === undefined) {
    const layout = (['anki21b', 'anki21', 'anki2'] as const).find((candidate) => entries.has(`collection.${candidate}`));
    if (!layout) throw noCollection();
    return layout;
  }
  let version: number;
  try {
    version = protobufNumber(protobufFields(meta), 1);
  } catch {
    throw new PackageError('The package description (meta) in this package is damaged.');
  }
  // PackageMetadata.Version: 1 legacy (anki2), 2 legacy (anki21), 3 latest; 0 or anything else is a newer Anki's.
  const layout = ({ 1: 'anki2', 2: 'anki21', 3: 'anki21b' } as const)[version];
  if (!layout) {
    throw new PackageError(
      'This package was made by a newer version of Anki than this app can read. In Anki, export it again with "Support older Anki versions" ticked.',
    );
  }
  return layout;
}

interface ListedMedia {
  /** The zip entry holding the file. */
  zipName: string;
  name: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function jsonMediaList(bytes: Uint8Array): ListedMedia[] {
  let list: unknown;
  try {
    list = JSON.parse(utf8.decode(bytes));
  } catch {
    throw damagedMediaList('it is not valid JSON');
  }
  if (typeof list !== 'object' || list === null || Array.isArray(list)) throw damagedMediaList('it is not a JSON object');
  return Object.entries(list).map(([zipName, name]) => {
    if (typeof name !== 'string') throw damagedMediaList(`the name of file ${zipName} is not a string`);
    return { zipName, name };
  });
}

// MediaEntries { repeated MediaEntry entries = 1 }, MediaEntry { string name = 1; …; optional uint32 legacy_zip_filename = 255 }:
// a file's zip entry is its index in the list unless it says otherwise.
function protobufMediaList(bytes: Uint8Array): ListedMedia[] {
  try {
    return protobufMessages(protobufFields(bytes), 1).map((entry, index) => {
      const fields = protobufFields(entry);
      return { zipName: String(fields.has(255) ? protobufNumber(fields, 255) : index), name: protobufString(fields, 1) };
    });
  } catch {
    throw damagedMediaList('bad protobuf data');
  }
}

const zstdMagic = 0xfd2fb528;
/** Above this a frame's window is refused unless the frame states its size: 8 MB is what RFC 8878 asks every decoder to support, Anki's own frames use 2 MB, and fzstd copies the whole window once per 128 KB block. */
const zstdWindowLimit = 8 * MiB;
const zstdBlockLimit = 128 * KiB;

/**
 * The most the zstd frames in `data` can unpack to, read from their frame and block headers
 * alone (RFC 8878 §3.1), or undefined when they do not add up. fzstd allocates whatever a frame
 * header declares and cannot stop inside a frame, so a zstd bomb must be refused before decoding.
 */
function zstdOutputBound(data: Uint8Array): number | undefined {
  let at = 0;
  let bound = 0;
  while (at < data.length) {
    if (at + 8 > data.length) return undefined;
    const magic = littleEndian(data, at, 4);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      at += 8 + littleEndian(data, at + 4, 4); // a skippable frame
      continue;
    }
    if (magic !== zstdMagic) return undefined;
    const descriptor = data[at + 4];
    if (descriptor & 0x08) return undefined; // the reserved bit
    const singleSegment = (descriptor & 0x20) !== 0;
    const dictionaryIdBytes = [0, 1, 2, 4][descriptor & 3];
    const contentSizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6];
    at += 5;
    let window = 0;
    if (!singleSegment) {
      const exponent = 2 ** (10 + (data[at] >> 3));
      window = exponent + (exponent / 8) * (data[at] & 7);
      at += 1;
    }
    at += dictionaryIdBytes;
    const contentSize = contentSizeBytes ? littleEndian(data, at, contentSizeBytes) + (contentSizeBytes === 2 ? 256 : 0) : undefined;
    at += contentSizeBytes;
    if (singleSegment) window = contentSize ?? 0;
    if (contentSize === undefined && window > zstdWindowLimit) return undefined;
    const blockLimit = Math.min(window, zstdBlockLimit);
    let frameBound = 0;
    for (let last = false; !last; ) {
      if (at + 3 > data.length) return undefined;
      const header = littleEndian(data, at, 3);
      last = (header & 1) === 1;
      const type = (header >> 1) & 3;
      const size = header >>> 3;
      if (type === 3) return undefined; // reserved
      at += 3 + (type === 1 ? 1 : size); // an RLE block holds one byte, repeated `size` times
      frameBound += type === 2 ? blockLimit : size;
      if (at > data.length) return undefined;
    }
    if (descriptor & 0x04) at += 4; // the checksum
    if (contentSize !== undefined && contentSize > frameBound) return undefined;
    bound += contentSize ?? frameBound;
  }
  return at === data.length ? bound : undefined;
}

/** The end-of-central-directory record: 22 bytes and a comment of up to 65,535. */
const endRecordSearchBytes = 22 + 0xffff;

/** True when the data ends with a zip's end record, which a cut-off copy has lost even when every entry before the cut reads fine. */
function endsWithEndRecord(tail: Uint8Array): boolean {
  for (let at = tail.length - 22; at >= 0; at -= 1) {
    if (littleEndian(tail, at, 4) === 0x06054b50 && at + 22 + littleEndian(tail, at + 20, 2) === tail.length) return true;
  }
  return false;
}

/** A zip starts with a local file header, or with the end record when it is empty. */
function isZipStart(head: Uint8Array): boolean {
  const signature = littleEndian(head, 0, 4);
  return signature === 0x04034b50 || signature === 0x06054b50;
}

/** The first bytes of a stream. */
class StreamHead {
  bytes: Uint8Array = new Uint8Array(0);
  constructor(readonly length: number) {}
  get full(): boolean {
    return this.bytes.length >= this.length;
  }
  push(chunk: Uint8Array): void {
    this.bytes = joined([this.bytes, chunk.subarray(0, this.length - this.bytes.length)], Math.min(this.length, this.bytes.length + chunk.length));
  }
}

/** The last `length` bytes of a stream, kept in a buffer twice that size so each byte is moved at most about once. */
class StreamTail {
  private readonly buffer: Uint8Array;
  private filled = 0;
  constructor(readonly length: number) {
    this.buffer = new Uint8Array(2 * length);
  }
  push(chunk: Uint8Array): void {
    if (chunk.length >= this.length) {
      this.buffer.set(chunk.subarray(chunk.length - this.length));
      this.filled = this.length;
      return;
    }
    if (this.filled + chunk.length > this.buffer.length) {
      const kept = this.length - chunk.length;
      this.buffer.copyWithin(0, this.filled - kept, this.filled);
      this.filled = kept;
    }
    this.buffer.set(chunk, this.filled);
    this.filled += chunk.length;
  }
  get bytes(): Uint8Array {
    return this.buffer.subarray(Math.max(0, this.filled - this.length), this.filled);
  }
}

const sqliteHeader = new TextEncoder().encode('SQLite format 3\0');

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function littleEndian(bytes: Uint8Array, at: number, length: number): number {
  let value = 0;
  for (let index = length - 1; index >= 0; index -= 1) value = value * 256 + (bytes[at + index] ?? 0);
  return value;
}

/** A fresh copy of the chunks end to end (fresh, so no caller's buffer is kept alive or shared). */
function joined(chunks: Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

function describeBytes(bytes: number): string {
  for (const [unit, size] of [['GB', GiB], ['MB', MiB], ['KB', KiB]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

function tooBig(size: number, limits: PackageLimits): PackageError {
  return new PackageError(`This package is ${describeBytes(size)}; the largest package this app can import is ${describeBytes(limits.packageBytes)}.`);
}

function notZip(): PackageError {
  return new PackageError('This file is not an Anki package: it is not a zip archive.');
}

function noCollection(): PackageError {
  return new PackageError('This file is not an Anki package: it has no collection inside.');
}

function damagedMediaList(why: string): PackageError {
  return new PackageError(`The media list in this package is damaged (${why}).`);
}

function badZstd(what: string): PackageError {
  const sentence = what.charAt(0).toUpperCase() + what.slice(1);
  return new PackageError(`${sentence} in this package is damaged (bad zstd data).`);
}
