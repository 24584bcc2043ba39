// Byte budgets of the production build in dist/ (built by `npm test`). Bytes, not times:
// they are the same on every run, so they can fail a build.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstScreenFiles, precacheFiles, total } from '../../src/build/bundleSize.ts';

// The folder the other end-to-end tests serve (see serveBuild.ts).
const dist = process.env.KUBECARDS_E2E_DIST ?? 'dist';

/** gzip (level 9) bytes of the JS and CSS the first screen loads: 57,111 measured on 2026-11-27. */
const firstScreenBudget = 56 * 1024;

describe('the production build', () => {
  it(`keeps the first screen's JS and CSS within ${firstScreenBudget / 1024} KB gzipped`, () => {
    const files = firstScreenFiles(dist);
    expect(files.map((file) => file.file).some((file) => file.endsWith('.js'))).toBe(true);
    expect(files.map((file) => file.file).some((file) => file.endsWith('.css'))).toBe(true);
    expect(total(files).gzipBytes).toBeLessThanOrEqual(firstScreenBudget);
  });

  it('keeps statistics, the exam plan, Optimize, browsing, editing, import, export, SQLite, zstd and DOMPurify out of the first screen', () => {
    const firstScreen = firstScreenFiles(dist).map((file) => readFileSync(`${dist}/${file.file}`, 'utf8')).join('\n');
    const lazyTexts = ['Exam readiness', 'True retention', 'Search cards', 'Text, with deletions', 'Import a file', 'zip bomb', 'sql-wasm', 'DOMPurify', 'Back up now', 'Use these limits', 'Optimize FSRS parameters', 'fsrs_browser_bg'];
    for (const text of lazyTexts) expect(firstScreen).not.toContain(text);
    // Each text is somewhere in the build, so its absence above says something.
    const everything = readdirSync(`${dist}/assets`).map((file) => readFileSync(`${dist}/assets/${file}`, 'latin1')).join('\n');
    for (const text of lazyTexts) expect(everything).toContain(text);
  });

  it('keeps the decks out of the first screen and in the precache, each file once', () => {
    const firstScreen = firstScreenFiles(dist).map((file) => file.file);
    expect(firstScreen.some((file) => file.includes('built-in-deck_'))).toBe(false);
    const precached = precacheFiles(dist).map((file) => file.file);
    expect(new Set(precached).size).toBe(precached.length);
    for (const asset of readdirSync(`${dist}/assets`)) expect(precached).toContain(`assets/${asset}`);
    expect(precached).toEqual(expect.arrayContaining(['index.html', 'manifest.webmanifest', 'icons/icon-192.png', 'icons/icon-512.png']));
  });
});
