// Zips a schema-11 collection and its media as a "Legacy 2" package (.apkg or .colpkg): the
// layout Anki itself writes with "Support older Anki versions", which every current Anki reads.
// No `meta` entry: its absence is what tells Anki the package is legacy (package/meta.rs).
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { AnkiMediaFile } from './model.ts';
import { AnkiWriteError } from './schema11.ts';

/**
 * The package bytes: collection.anki21 (deflated), then `media`, the JSON map
 * {"0": name, "1": name, …}, then each media file stored under its number (media is
 * mostly compressed already). The collection comes first so a streaming reader meets it first.
 * Throws AnkiWriteError for a media name Anki's importer would refuse (a path, "." or "..")
 * or one given twice.
 */
export function writeLegacyPackage(collection: Uint8Array, media: AnkiMediaFile[]): Uint8Array {
  const mediaMap: Record<string, string> = {};
  const names = new Set<string>();
  media.forEach((file, index) => {
    if (!isSafeMediaName(file.name)) throw new AnkiWriteError(`Media file ${index} has a name Anki refuses: "${file.name}"`);
    if (names.has(file.name)) throw new AnkiWriteError(`Media file "${file.name}" is given twice`);
    names.add(file.name);
    mediaMap[String(index)] = file.name;
  });

  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  const add = (entry: ZipDeflate | ZipPassThrough, bytes: Uint8Array) => {
    zip.add(entry);
    entry.push(bytes, true);
  };
  add(new ZipDeflate('collection.anki21', { level: 6 }), collection);
  add(new ZipDeflate('media', { level: 6 }), new TextEncoder().encode(JSON.stringify(mediaMap)));
  media.forEach((file, index) => add(new ZipPassThrough(String(index)), file.bytes));
  zip.end();

  const zipped = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    zipped.set(chunk, offset);
    offset += chunk.length;
  }
  return zipped;
}

/** A plain file name, as Anki's filename_is_safe wants: one path component, not "." or "..". */
function isSafeMediaName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name) && !/^[A-Za-z]:/.test(name);
}
