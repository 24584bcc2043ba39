// Build-time: compiles decks/*.deck into virtual modules. The version (a content hash) and
// the decks' ids with a loader for each are tiny and go in the first screen's bundle; each
// deck's cards are a file of their own that loads lazily, only when the stored built-in
// version differs, so that a first visit to one deck's address waits for that deck alone.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';
import { compileDecks, DeckFormatError, type BuiltInDeck } from '../domain/deckFile.ts';

const contentId = 'virtual:built-in-decks';
const versionId = 'virtual:built-in-decks-version';
/** A deck's cards: this prefix and the deck's id. */
export const deckModulePrefix = 'virtual:built-in-deck:';

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
      return id === contentId || id === versionId || id.startsWith(deckModulePrefix) ? `\0${id}` : undefined;
    },
    load(id) {
      if (id === `\0${contentId}`) {
        const loaders = decks.map((deck) => `[${JSON.stringify(deck.id)}, () => import(${JSON.stringify(deckModulePrefix + deck.id)})]`);
        return [
          `export const builtInDeckIds = ${JSON.stringify(decks.map((deck) => deck.id))};`,
          `const loaders = new Map([${loaders.join(', ')}]);`,
          'export const loadBuiltInDeck = (id) => loaders.get(id)().then((module) => module.default);',
          'export const loadBuiltInDecks = () => Promise.all(builtInDeckIds.map(loadBuiltInDeck));',
        ].join('\n');
      }
      if (id.startsWith(`\0${deckModulePrefix}`)) return `export default ${JSON.stringify(decks.find((deck) => `\0${deckModulePrefix}${deck.id}` === id))};`;
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
