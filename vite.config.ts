import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChunkingContext } from 'rolldown';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { builtInDecksPlugin } from './src/build/builtInDecks.ts';
import { contentSecurityPolicyPlugin } from './src/build/contentSecurityPolicy.ts';
import { firstVisitPreloadPlugin } from './src/build/firstVisitPreload.ts';

// Where the app is served from: "/" by default, e.g. "/kubecards/" for GitHub Pages.
const base = process.env.KUBECARDS_BASE ?? '/';
// A sync server on another origin than the app's, e.g. "https://couch.example.com": the
// Content-Security-Policy lets the app connect to it too. Empty counts as unset.
const syncOrigin = process.env.KUBECARDS_SYNC_ORIGIN || undefined;

const firstScreenEntry = fileURLToPath(new URL('./src/main.tsx', import.meta.url));
const firstScreenModules = new WeakMap<ChunkingContext, Set<string>>();

/**
 * The modules the first screen imports statically, in one file beside the entry's, not in
 * eight small shared ones: over HTTP/1.1 a browser opens six connections to a host, and each
 * request past those waits a round trip more on a phone's network before the first render.
 */
function firstScreenChunk(moduleId: string, context: ChunkingContext): string | null {
  let modules = firstScreenModules.get(context);
  if (!modules) {
    const found = new Set<string>();
    const visit = (id: string) => {
      if (found.has(id)) return;
      found.add(id);
      for (const imported of context.getModuleInfo(id)?.importedIds ?? []) visit(imported);
    };
    visit(firstScreenEntry);
    found.delete(firstScreenEntry);
    modules = found;
    firstScreenModules.set(context, modules);
  }
  return modules.has(moduleId) ? 'shell' : null;
}

export default defineConfig({
  base,
  define: {
    // Shown in settings; lets a user (and the update test) tell two builds apart.
    __APP_BUILD__: JSON.stringify(process.env.KUBECARDS_BUILD ?? JSON.parse(readFileSync('package.json', 'utf8')).version),
  },
  plugins: [
    builtInDecksPlugin(fileURLToPath(new URL('./decks', import.meta.url))),
    contentSecurityPolicyPlugin(syncOrigin),
    firstVisitPreloadPlugin(),
    VitePWA({
      // Prompt, never autoUpdate: a new worker activating mid-review would delete the old
      // hashed chunks under a running page (vite-plugin-pwa#450). The page asks the user.
      registerType: 'prompt',
      injectRegister: false,
      // The glob below already precaches every icon; listing them again would duplicate entries.
      includeManifestIcons: false,
      manifest: {
        id: './',
        name: 'Kubecards: cloud native flashcards',
        short_name: 'Kubecards',
        description: 'Spaced-repetition flashcards for Kubernetes and cloud native learners, KCNA and CKA. Works offline.',
        start_url: './',
        scope: './',
        display: 'standalone',
        orientation: 'portrait',
        lang: 'en',
        theme_color: '#fafafa',
        background_color: '#fafafa',
        categories: ['education'],
        // Opening an Anki package or a backup with the installed app imports it (src/pwa/launchQueue.ts).
        file_handlers: [
          {
            action: './#/data',
            accept: { 'application/octet-stream': ['.apkg', '.colpkg'], 'application/zip': ['.zip'], 'text/plain': ['.txt', '.csv', '.tsv'] },
          },
        ],
        launch_handler: { client_mode: 'focus-existing' },
        // Android: "Share" a package or backup to the installed app (public/sw/share-target.js).
        share_target: {
          action: './share-target',
          method: 'POST',
          enctype: 'multipart/form-data',
          params: { files: [{ name: 'file', accept: ['.apkg', '.colpkg', '.zip', '.txt', '.csv', '.tsv', 'application/zip', 'application/octet-stream', 'text/plain', 'text/csv'] }] },
        },
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // SQLite's WASM too, so that importing works offline (the plugin adds manifest.webmanifest itself).
        globPatterns: ['**/*.{js,css,html,svg,png,wasm}'],
        importScripts: ['sw/share-target.js'],
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // Safe with prompt mode: it only takes control of pages no worker controls yet (the
        // first visit), so the app works offline without a reload after installing.
        clientsClaim: true,
      },
    }),
  ],
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    target: 'es2022',
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: firstScreenChunk }] } } },
  },
  // The transfer worker loads its parts (SQLite, zstd, the importers) as modules of its own.
  worker: {
    format: 'es',
  },
});
