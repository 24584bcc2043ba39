// Builds Anki packages the way Anki lays them out (rslib/src/import_export/package/colpkg/export.rs),
// plus hostile ones, for tests. Node only: zstd compression comes from @bokuweb/zstd-wasm.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { compress, init } from '@bokuweb/zstd-wasm';
import { Zip, ZipDeflate, zipSync, type ZipInputFile } from 'fflate';
import protobuf from 'protobufjs/minimal.js';
import type { PackageInput, PackageLayout } from '../../src/domain/anki/package.ts';

/** Zip entry times are stored in local time; a fixed one keeps the bytes the same on every run. */
const mtime = new Date(2024, 0, 1);
const MiB = 1024 * 1024;

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
  /** Deflate the entry (Anki deflates only a legacy collection); stored otherwise. */
  deflate?: boolean;
}

/**
 * A zip with sizes in its local headers, as Anki's zip writer makes. fflate orders entries with
 * numeric names (the media files) first; Anki writes them after the collection, and readers
 * must not care.
 */
export function buildZip(entries: ZipEntry[]): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 | 6; mtime: Date }]> = {};
  for (const { name, bytes, deflate } of entries) files[name] = [bytes, { level: deflate ? 6 : 0, mtime }];
  return zipSync(files);
}

let zstdReady: Promise<void> | undefined;

/** zstd-compressed bytes (one frame that states its size, where Anki's streaming encoder leaves it out). */
export async function zstd(bytes: Uint8Array): Promise<Uint8Array> {
  await (zstdReady ??= init());
  return compress(bytes, 3);
}

/** The `meta` entry: PackageMetadata { Version version = 1 }. */
export function packageMeta(version: number): Uint8Array {
  return protobuf.Writer.create().uint32(8).uint32(version).finish();
}

export interface MediaInput {
  name: string;
  bytes: Uint8Array;
}

/** MediaEntries { repeated MediaEntry entries = 1 }, MediaEntry { string name = 1; uint32 size = 2; bytes sha1 = 3 }. */
export function protobufMediaList(media: MediaInput[]): Uint8Array {
  const writer = protobuf.Writer.create();
  for (const { name, bytes } of media) {
    const sha1 = createHash('sha1').update(bytes).digest();
    writer.uint32(10).fork().uint32(10).string(name).uint32(16).uint32(bytes.length).uint32(26).bytes(sha1).ldelim();
  }
  return writer.finish();
}

/** Legacy media list: {"0": "name", …}. */
export function jsonMediaList(names: string[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(Object.fromEntries(names.map((name, index) => [String(index), name]))));
}

/** Stands in for the dummy collection.anki2 Anki writes beside collection.anki21b ("please update Anki"). */
export const dummyCollection = new TextEncoder().encode('SQLite format 3\0dummy collection for Anki before 2.1.50');

export interface AnkiZipOptions {
  layout: PackageLayout;
  collection: Uint8Array;
  media?: MediaInput[];
  /** Latest layout only: the dummy collection.anki2 (default dummyCollection), or false for none. */
  dummy?: Uint8Array | false;
  /** Latest layout only: the meta version (default 3). */
  metaVersion?: number;
}

export async function buildAnkiZip({ layout, collection, media = [], dummy = dummyCollection, metaVersion = 3 }: AnkiZipOptions): Promise<Uint8Array> {
  if (layout !== 'anki21b') {
    return buildZip([
      { name: `collection.${layout}`, bytes: collection, deflate: true },
      ...media.map(({ bytes }, index) => ({ name: String(index), bytes })),
      { name: 'media', bytes: jsonMediaList(media.map(({ name }) => name)) },
    ]);
  }
  const entries: ZipEntry[] = [
    { name: 'meta', bytes: packageMeta(metaVersion) },
    { name: 'collection.anki21b', bytes: await zstd(collection) },
  ];
  if (dummy) entries.push({ name: 'collection.anki2', bytes: dummy });
  for (const [index, { bytes }] of media.entries()) entries.push({ name: String(index), bytes: await zstd(bytes) });
  entries.push({ name: 'media', bytes: await zstd(protobufMediaList(media)) });
  return buildZip(entries);
}

/**
 * A zip whose one entry inflates to `zeros` zero bytes. It is deflated from zeros streamed a MB at
 * a time (never held whole), and streamed zip entries declare size 0 in their local header.
 */
export function zipBomb({ zeros, name = 'collection.anki21' }: { zeros: number; name?: string }): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, data) => {
    if (error) throw error;
    parts.push(data);
  });
  const entry: ZipInputFile & ZipDeflate = new ZipDeflate(name, { level: 9 });
  entry.mtime = mtime;
  zip.add(entry);
  const zeroChunk = new Uint8Array(MiB);
  for (let left = zeros; left > 0; left -= MiB) entry.push(zeroChunk.subarray(0, Math.min(left, MiB)), left <= MiB);
  zip.end();
  return Buffer.concat(parts);
}

/** The first `keep` bytes: a cut-off download. */
export function truncated(bytes: Uint8Array, keep: number): Uint8Array {
  return bytes.slice(0, keep);
}

/** Bytes as the reader takes them, in chunks of `chunkBytes` (as a File's stream delivers them). */
export function packageInput(bytes: Uint8Array, chunkBytes = 64 * 1024): PackageInput {
  return {
    size: bytes.length,
    chunks: (async function* () {
      for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
    })(),
  };
}

/** A file on disk as the reader takes it. */
export function fileInput(url: URL): PackageInput {
  return { size: statSync(url).size, chunks: createReadStream(url) };
}
