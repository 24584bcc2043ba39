import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { builtInDecksPlugin } from './src/build/builtInDecks.ts';

export default defineConfig({
  plugins: [builtInDecksPlugin(fileURLToPath(new URL('./decks', import.meta.url)))],
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    target: 'es2022',
  },
});
