// Byte counts of a production build, as the benchmark reports them and the budget test
// checks them. Bytes are deterministic for a given build, unlike times.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FileSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

function sizeOf(distDir: string, file: string): FileSize {
  const content = readFileSync(join(distDir, file));
  return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
}

export function total(files: FileSize[]): { bytes: number; gzipBytes: number } {
  return files.reduce((sum, file) => ({ bytes: sum.bytes + file.bytes, gzipBytes: sum.gzipBytes + file.gzipBytes }), { bytes: 0, gzipBytes: 0 });
}

/** The JS and CSS that index.html loads before anything else: entry, preloads, styles, and the first-visit script. */
export function firstScreenFiles(distDir: string): FileSize[] {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const base = /<script type="module" crossorigin src="([^"]*\/)assets\//.exec(html)?.[1] ?? '/';
  const urls = [...html.matchAll(/<(?:script (?:type="module"|async)[^>]*src|link rel="(?:modulepreload|stylesheet)"[^>]*href)="([^"]+)"/g)].map(
    (match) => match[1],
  );
  return urls.map((url) => sizeOf(distDir, url.slice(base.length)));
}

/** Every file the service worker precaches, from the manifest inside sw.js. */
export function precacheFiles(distDir: string): FileSize[] {
  const worker = readFileSync(join(distDir, 'sw.js'), 'utf8');
  return [...worker.matchAll(/\{url:"([^"]+)",revision:/g)].map((match) => sizeOf(distDir, match[1]));
}

export function largestFiles(distDir: string, count: number): FileSize[] {
  const walk = (folder: string): string[] =>
    readdirSync(folder).flatMap((name) => {
      const path = join(folder, name);
      return statSync(path).isDirectory() ? walk(path) : [relative(distDir, path)];
    });
  return walk(distDir)
    .map((file) => sizeOf(distDir, file))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}
