// Build-time: compiles decks/*.deck into two virtual modules. The version (a content hash)
// is tiny and goes in the first screen's bundle; the cards load lazily, only when the
// stored built-in version differs.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';
import { compileDecks, DeckFormatError, type BuiltInDeck } from '../domain/deckFile.ts';

const contentId = 'virtual:built-in-decks';
const versionId = 'virtual:built-in-decks-version';

export function readDeckFolder(folder: string): BuiltInDeck[] {
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.deck'))
    .sort();
  return compileDecks(
    files.map((name) => {
      const path = join(folder, name);
      return { file: relative(process.cwd(), path), text: readFileSync(path, 'utf8') };
    }),
  );
}

export function builtInDecksPlugin(folder: string): Plugin {
  let decks: BuiltInDeck[] = [];
  let json = '[]';
  return {
    name: 'kubecards-built-in-decks',
    buildStart() {
      this.addWatchFile(folder);
      try {
        decks = readDeckFolder(folder);
      } catch (error) {
        if (error instanceof DeckFormatError) this.error(error.message);
        throw error;
      }
      json = JSON.stringify(decks);
    },
    resolveId(id) {
      return id === contentId || id === versionId ? `\0${id}` : undefined;
    },
    load(id) {
      if (id === `\0${contentId}`) return `export default ${json};`;
      if (id === `\0${versionId}`) {
        const version = createHash('sha256').update(json).digest('hex').slice(0, 16);
        return `export default ${JSON.stringify(version)};`;
      }
      return undefined;
    },
    handleHotUpdate({ file, server }) {
      if (file.endsWith('.deck')) server.restart();
    },
  };
}
