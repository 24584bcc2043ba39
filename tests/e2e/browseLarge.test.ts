// Browse at a large collection (largeCollectionSize cards) with about five log rows a card: the
// list shows without a main-thread task over 50 ms (a worker reads, searches and sorts; the first
// screen comes off the database's index before all cards are read), scrolling fills in the rows,
// and a search typed key by key finds what the search module finds. Times are printed, not
// asserted.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDeckFolder } from '../../src/build/builtInDecks.ts';
import { cardMatcher, logByCard, parseSearch, type SearchContext } from '../../src/domain/search.ts';
import { studyDay } from '../../src/domain/studyDay.ts';
import { defaultSettings, type CardRecord } from '../../src/domain/types.ts';
import { listedRow, percentile, scrollFrameGaps, searchField, timeWhenShown, timeWhenStatus, typeTimed } from '../support/browseTiming.ts';
import { benchDeckId } from '../support/collection.ts';
import { longTasksSince, pageNow, recordLongTasks } from '../support/longTasks.ts';
import { largeCollectionSize, seedCollection } from '../support/seedCollection.ts';
import { phoneForEachTest } from './browser.ts';

const phone = phoneForEachTest({ serviceWorkers: 'block' });
const size = largeCollectionSize;
const builtInCardCount = readDeckFolder(fileURLToPath(new URL('../../decks', import.meta.url))).flatMap((deck) => deck.cards).length;
const query = 'deck:bench prop:ivl>10 question 1';
const rowHeight = 92;

/** The generated cards the search module finds for `text`, as the page searches them. */
function searched(cards: CardRecord[], text: string, context: Partial<SearchContext> = {}): CardRecord[] {
  const parsed = parseSearch(text);
  if ('error' in parsed) throw new Error(parsed.error);
  const now = new Date();
  return cards.filter(cardMatcher(parsed.search, { now, endOfDay: studyDay(now, defaultSettings.dayStartHour).end, deckNames: new Map([[benchDeckId, 'Benchmark']]), ...context }));
}

describe(`Browse at ${size.toLocaleString('en')} cards`, () => {
  it('lists, scrolls and searches with the main thread free', { timeout: 900_000 }, async () => {
    const { page, baseUrl } = phone();
    await recordLongTasks(page);
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    const { cards, log } = await seedCollection(page, size, new Date());
    const total = (cards.length + builtInCardCount).toLocaleString('en');
    // A new page: nothing of the seeding left in its memory for a collection later.
    await page.reload();
    await page.locator('a.deck', { hasText: 'Benchmark' }).waitFor({ timeout: 120_000 });

    const since = await pageNow(page);
    await page.evaluate(() => (location.hash = '#/browse'));
    const listedAt = await timeWhenShown(page, listedRow);
    const tasksUntilListed = await longTasksSince(page, since);
    const allReadAt = await timeWhenStatus(page, `${total} of ${total} cards`);
    expect(tasksUntilListed).toEqual([]);
    expect(workers.filter((url) => url.includes('browseSearch'))).toHaveLength(1);
    // Only the rows in view are in the page.
    expect(await page.locator('.browse-list li').count()).toBeLessThan(40);

    // A screen's height each frame: the worker sends the rows a window at a time, and every
    // row in view is filled in.
    const scrollSince = await pageNow(page);
    const gaps = await scrollFrameGaps(page);
    const firstInView = await page.locator('.browse-list').evaluate((list, height) => Math.floor(list.scrollTop / height), rowHeight);
    await page.waitForFunction(
      ({ position, rowHeight }) => {
        const rows = [...document.querySelectorAll('.browse-list li')];
        const shown = rows.filter((row) => row.querySelector('a')).map((row) => new DOMMatrix(getComputedStyle(row).transform).m42 / rowHeight);
        return shown.includes(position) && rows.every((row) => row.querySelector('a'));
      },
      { position: firstInView, rowHeight },
    );
    const scrollTasks = await longTasksSince(page, scrollSince);

    const typingSince = await pageNow(page);
    const { keyToFrame: keys, lastKeyAt } = await typeTimed(page, searchField, query);
    const found = searched(cards, query);
    expect(found.length).toBeGreaterThan(0);
    const searchedAt = await timeWhenStatus(page, `${found.length.toLocaleString('en')} of ${total} cards`, 60_000);
    const typingTasks = await longTasksSince(page, typingSince);
    expect(keys).toHaveLength(query.length);
    const shown = await page.locator(listedRow).evaluateAll((links) => links.map((link) => link.getAttribute('data-card-id')));
    expect(shown.length).toBeGreaterThan(0);
    // In due order, as the search module finds them.
    const dueOrder = found.sort((a, b) => a.due.getTime() - b.due.getTime() || (a.id < b.id ? -1 : 1)).map((card) => card.id);
    expect(shown).toEqual(dueOrder.slice(0, shown.length));

    // Terms that need the review log: rated: reads the last days' rows off the log's index by
    // time, added: all the rows; the page stays free meanwhile.
    const historySince = await pageNow(page);
    const reviewLog = logByCard(log);
    const timedSearch = async (text: string) => {
      const started = await pageNow(page);
      await page.locator(searchField).fill(text);
      const count = searched(cards, text, { reviewLog }).length;
      expect(count).toBeGreaterThan(0);
      return { text, count, ms: (await timeWhenStatus(page, `${count.toLocaleString('en')} of ${total} cards`, 300_000)) - started };
    };
    const logSearches = [await timedSearch('deck:bench rated:7'), await timedSearch('deck:bench added:30')];
    const historyTasks = await longTasksSince(page, historySince);

    const ms = (value: number) => `${value.toFixed(1)} ms`;
    const durations = (tasks: { duration: number }[]) => tasks.map((task) => Math.round(task.duration)).join(', ');
    console.log(
      `browse ${total} cards, ${log.length.toLocaleString('en')} log rows: first rows ${ms(listedAt - since)} after navigation, all cards read after ${ms(allReadAt - since)}; ` +
        `scroll frame gap p50 ${ms(percentile(gaps, 0.5))}, p95 ${ms(percentile(gaps, 0.95))}; ` +
        `${keys.length} keys to next frame p50 ${ms(percentile(keys, 0.5))}, p95 ${ms(percentile(keys, 0.95))}, max ${ms(Math.max(...keys))}; ` +
        `${found.length.toLocaleString('en')} found, shown ${ms(searchedAt - lastKeyAt)} after the last key; ` +
        `${logSearches.map(({ text, count, ms: took }) => `${text}: ${count.toLocaleString('en')} found in ${ms(took)} (the log read)`).join(', ')}; ` +
        `main-thread tasks over 50 ms (their ms): until listed [${durations(tasksUntilListed)}], while scrolling [${durations(scrollTasks)}], while typing [${durations(typingTasks)}], while reading the log [${durations(historyTasks)}]`,
    );
  });
});
