import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDeckFolder } from '../../src/build/builtInDecks.ts';
import { plainTextBlocks } from '../../src/domain/plainText.ts';
import { phoneForEachTest } from './browser.ts';
import { waitForCardOtherThan } from './reviewActions.ts';

const decks = readDeckFolder(fileURLToPath(new URL('../../decks', import.meta.url)));

const phone = phoneForEachTest();

describe('built-in decks in the app', () => {
  it('lists every deck with its description, exam companion mark, card count and due counts', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    expect(await page.locator('.starting').count()).toBe(0);
    const shown = await page.locator('a.deck').evaluateAll((links) =>
      links.map((link) => ({
        title: link.querySelector('.deck-title')!.textContent,
        description: link.querySelector('.deck-description')!.textContent,
        companion: link.querySelector('.deck-companion')?.textContent ?? null,
        size: link.querySelector('.deck-size')!.textContent,
        newCount: link.querySelector('[data-count="newCards"]')!.textContent!.replace(/\s+/g, ' '),
      })),
    );
    expect(shown).toEqual(
      decks.map((deck) => ({
        title: deck.title,
        description: deck.description,
        companion: deck.companion ?? null,
        size: `${deck.cards.length} cards`,
        newCount: `${Math.min(20, deck.cards.length)} new`,
      })),
    );
  });

  it('shows the home screen of a first visit without moving anything on it', async () => {
    const { page, baseUrl } = phone();
    await page.addInitScript(() => {
      const shifts: string[] = [];
      (window as unknown as { shifts: string[] }).shifts = shifts;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & { value: number; sources: { node?: Node }[] })[]) {
          shifts.push(`${entry.value.toFixed(4)} ${entry.sources.map((source) => (source.node as Element | undefined)?.className ?? source.node?.nodeName).join(', ')}`);
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    // The panel, the hints and the notices come in meanwhile.
    await page.locator('.install-hint, .today').first().waitFor();
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as unknown as { shifts: string[] }).shifts)).toEqual([]);
  });

  it("opens a deck's address on a first visit with that deck's file first and no Markdown parser, then stores and lists every deck", async () => {
    const { page, baseUrl } = phone();
    // A deck other than the first, whose first card has no Markdown in it.
    const deck = decks.slice(1).find((candidate) => plainTextBlocks(candidate.cards[0].front))!;
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    // The page's clock when the first card is in the DOM.
    await page.addInitScript(() => {
      const observer = new MutationObserver(() => {
        if (!document.querySelector('article.card')) return;
        (window as unknown as { cardShownAt: number }).cardShownAt = performance.now();
        observer.disconnect();
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    // The first screen's module is held back until both files are asked for (or 10 s).
    const askedWhileHeld: string[] = [];
    const wanted = [`_virtual_built-in-deck_${deck.id}-`, '/ReviewScreen-'];
    let bothAsked!: () => void;
    const asked = new Promise<void>((resolve) => (bothAsked = resolve));
    let holding = true;
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (holding && wanted.some((part) => path.includes(part) && path.endsWith('.js'))) askedWhileHeld.push(path);
      if (askedWhileHeld.length === wanted.length) bothAsked();
    });
    await page.route(/\/assets\/index-[^/]*\.js$/, async (route) => {
      await Promise.race([asked, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      holding = false;
      await route.continue();
    });
    await page.goto(`${baseUrl}#/deck/${deck.id}`);
    await page.locator(`article.card[data-card-id="${deck.cards[0].id}"]`).waitFor();
    const deckFiles = requested.filter((path) => path.includes('_virtual_built-in-deck_'));
    expect(deckFiles).toHaveLength(decks.length);
    expect(deckFiles[0]).toContain(`_virtual_built-in-deck_${deck.id}-`);
    // Plain text needs no Markdown parser: it is fetched once the card is up.
    const [shownAt, parserFetchedAt] = await page.evaluate(() => [
      (window as unknown as { cardShownAt: number }).cardShownAt,
      performance.getEntriesByType('resource').find((entry) => /\/markdown-[^/]*\.js$/.test(entry.name))?.startTime ?? Infinity,
    ]);
    expect(parserFetchedAt).toBeGreaterThan(shownAt);
    // The first-visit script asked for the deck's file and the review screen while the first
    // screen's module was still held back.
    expect(askedWhileHeld).toEqual([expect.stringContaining(`_virtual_built-in-deck_${deck.id}-`), expect.stringMatching(/\/ReviewScreen-[^/]*\.js$/)]);

    await page.keyboard.press('Space');
    await page.keyboard.press('3');
    await waitForCardOtherThan(page, deck.cards[0].id);
    await page.evaluate(() => (location.hash = '#/'));
    await page.locator('a.deck').nth(decks.length - 1).waitFor();
    expect(await page.locator('a.deck .deck-size').allInnerTexts()).toEqual(decks.map((shipped) => `${shipped.cards.length} cards`));

    // Stored for good: a reload downloads no deck again.
    requested.length = 0;
    await page.reload();
    await page.locator('a.deck').first().waitFor();
    expect(requested.filter((path) => path.includes('_virtual_built-in-deck_'))).toEqual([]);
  });

  it('marks an exam companion deck on its own screen, and a talk deck not', async () => {
    const { page, baseUrl } = phone();
    for (const deck of [decks.find((candidate) => candidate.companion)!, decks.find((candidate) => !candidate.companion)!]) {
      await page.goto(`${baseUrl}#/deck/${deck.id}`);
      await page.locator('article.card').waitFor();
      await page.getByRole('heading', { name: deck.title, exact: true }).waitFor();
      expect(await page.locator('.deck-companion').allInnerTexts()).toEqual(deck.companion ? [deck.companion] : []);
    }
  });

  it('shows a cloze with its deletion hidden, then filled in with the source, rendered as Markdown', async () => {
    const { page, baseUrl } = phone();
    const deck = decks.find((candidate) => candidate.cards[0].kind === 'cloze')!;
    await page.goto(`${baseUrl}#/deck/${deck.id}`);
    const card = page.locator('article.card');
    await card.waitFor();
    expect(await card.getAttribute('data-card-id')).toBe(deck.cards[0].id);
    expect(await card.locator('strong').first().textContent()).toMatch(/^\[.*\]$/);
    expect(await card.innerText()).not.toContain('**');
    expect(await card.innerText()).not.toContain('{{c');
    await page.getByRole('button', { name: 'Show answer' }).tap();
    await page.locator('.source').waitFor();
    expect(await card.locator('.card-text').count()).toBeGreaterThanOrEqual(1);
    expect(await card.locator('.front').count()).toBe(0);
    expect(await card.locator('.source').innerText()).toBe(`Source: ${deck.cards[0].source}`);
  });

  it('renders code blocks inside the card without widening a 360 px screen', async () => {
    const { page, baseUrl } = phone();
    await page.setViewportSize({ width: 360, height: 740 });
    const deck = decks.find((candidate) => candidate.cards.some((card) => card.front.includes('```')))!;
    const index = deck.cards.findIndex((card) => card.front.includes('```'));
    await page.goto(`${baseUrl}#/deck/${deck.id}`);
    await page.locator('article.card').waitFor();
    // Answer Easy until the card with the code block comes up.
    for (let i = 0; i < index; i++) {
      await page.keyboard.press('Space');
      await page.keyboard.press('4');
      await waitForCardOtherThan(page, deck.cards[i].id);
    }
    const card = page.locator('article.card');
    expect(await card.getAttribute('data-card-id')).toBe(deck.cards[index].id);
    expect(await card.locator('pre code').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});
