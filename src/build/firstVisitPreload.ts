// Build-time: a tiny script that index.html runs as soon as it arrives, before the first
// screen's modules have all downloaded. On a first visit (no database yet) it preloads what
// the start will ask for next: the deck files (all, or the opened deck's alone with the review
// screen's files), so their download overlaps the first screen's instead of following it.
import { createHash } from 'node:crypto';
import type { OutputBundle, OutputChunk } from 'rolldown';
import type { Plugin } from 'vite';
import { databaseMarker } from '../app/databaseMarker.ts';
import { deckModulePrefix } from './builtInDecks.ts';

const reviewScreenModule = '/src/ui/review/ReviewScreen.tsx';

/** A chunk's file with the files it imports, and their CSS, as a dynamic import loads them. */
function filesOf(chunk: OutputChunk, bundle: OutputBundle, into = new Set<string>()): Set<string> {
  if (into.has(chunk.fileName)) return into;
  into.add(chunk.fileName);
  for (const css of chunk.viteMetadata?.importedCss ?? []) into.add(css);
  for (const file of chunk.imports) {
    const imported = bundle[file];
    if (imported?.type === 'chunk') filesOf(imported, bundle, into);
  }
  return into;
}

/** The script: `decks` maps a deck's id, as its address has it, to its file; `review`, the review screen's files. */
function preloadScript(marker: string, base: string, decks: Record<string, string>, review: string[]): string {
  return `(() => {
  if (localStorage.getItem(${JSON.stringify(marker)})) return;
  const decks = ${JSON.stringify(decks)};
  const route = /^#\\/deck\\/([^/?]+)/.exec(location.hash);
  const deck = route && Object.hasOwn(decks, route[1]) ? decks[route[1]] : undefined;
  for (const file of deck ? [deck, ...${JSON.stringify(review)}] : Object.values(decks)) {
    const link = document.createElement('link');
    if (file.endsWith('.css')) Object.assign(link, { rel: 'preload', as: 'style' });
    else Object.assign(link, { rel: 'modulepreload', crossOrigin: '' });
    link.href = ${JSON.stringify(base)} + file;
    document.head.append(link);
  }
})();
`;
}

export function firstVisitPreloadPlugin(): Plugin {
  let base = '/';
  return {
    name: 'kubecards-first-visit-preload',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      base = config.base;
    },
    generateBundle(_, bundle) {
      const chunks = Object.values(bundle).filter((output): output is OutputChunk => output.type === 'chunk');
      const decks = Object.fromEntries(
        chunks.flatMap((chunk) =>
          chunk.facadeModuleId?.startsWith(`\0${deckModulePrefix}`) ? [[encodeURIComponent(chunk.facadeModuleId.slice(deckModulePrefix.length + 1)), chunk.fileName]] : [],
        ),
      );
      const reviewScreen = chunks.find((chunk) => chunk.facadeModuleId?.endsWith(reviewScreenModule));
      const html = bundle['index.html'];
      if (!reviewScreen || Object.keys(decks).length === 0 || html?.type !== 'asset') this.error('first-visit preload: the review screen, deck files or index.html are missing from the build');
      const page = String(html.source);
      // What index.html loads itself need not be asked for again.
      const review = [...filesOf(reviewScreen, bundle)].filter((file) => !page.includes(`${base}${file}"`));
      const source = preloadScript(databaseMarker, base, decks, review);
      const fileName = `assets/first-visit-${createHash('sha256').update(source).digest('hex').slice(0, 8)}.js`;
      this.emitFile({ type: 'asset', fileName, source });
      // Before the first screen's module, async: it runs as soon as it arrives, never holding up the page.
      const moduleScript = '<script type="module"';
      if (!page.includes(moduleScript)) this.error('first-visit preload: index.html has no module script');
      html.source = page.replace(moduleScript, `<script async src="${base}${fileName}"></script>\n    ${moduleScript}`);
    },
  };
}
