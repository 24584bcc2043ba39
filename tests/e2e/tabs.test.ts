// Two tabs of one profile acting on the same cards: every answer counts once, edits and
// deletions made in one tab survive what the other does, and a double tap never grades.
// Each case runs twice: with the tabs telling each other about changes (BroadcastChannel),
// and with that channel missing in tab A, so that only the storage's revision check stands
// between a stale screen and the database.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CardRecord, ReviewLogRow } from '../../src/domain/types.ts';
import { phoneForEachTest, readStore } from './browser.ts';
import { answerQuestion, currentCardId, openDeck, reviewLog, waitForCardOtherThan } from './reviewActions.ts';

const phone = phoneForEachTest({ serviceWorkers: 'block' });
const deckTitle = 'Kubernetes history';

async function twoTabs(channel: 'with' | 'without'): Promise<{ a: Page; b: Page }> {
  const { context, page: a, baseUrl } = phone();
  if (channel === 'without') await a.addInitScript(() => Reflect.deleteProperty(window, 'BroadcastChannel'));
  await a.goto(baseUrl);
  await openDeck(a, deckTitle);
  const b = await context.newPage();
  await b.goto(baseUrl);
  await openDeck(b, deckTitle);
  return { a, b };
}

/**
 * Show answer, then Good, in the tab in front (as a person would: a tab in the background
 * gets no animation frames); returns once the card shown changed or the screen said why not.
 * `settled`: wait first until the tab no longer shows one of these cards, which another tab
 * answered and told it about.
 */
async function answerGood(page: Page, settled: string[] = []): Promise<string> {
  await page.bringToFront();
  await page.waitForFunction((answered) => !answered.includes(document.querySelector('article.card')?.getAttribute('data-card-id') ?? ''), settled);
  const id = (await currentCardId(page))!;
  await page.getByRole('button', { name: 'Show answer' }).tap();
  await page.getByRole('button', { name: /^Good/ }).tap();
  await page.waitForFunction(
    (previous) =>
      document.querySelector('article.card')?.getAttribute('data-card-id') !== previous || document.querySelector('[role="alert"]') !== null,
    id,
  );
  return id;
}

/** Every card's `reps` equals its answers in the log (no resets here), and no card was answered twice as new. */
async function expectEveryAnswerCountedOnce(page: Page) {
  const cards = await readStore<CardRecord>(page, 'cards');
  const log = await readStore<ReviewLogRow & { stateBefore?: number }>(page, 'reviewLog');
  for (const card of cards) {
    const rows = log.filter((row) => row.cardId === card.id);
    expect({ id: card.id, reps: card.reps }).toEqual({ id: card.id, reps: rows.length });
    expect(rows.filter((row) => row.stateBefore === 0).length).toBeLessThanOrEqual(1);
  }
  return { cards, log };
}

/** The history deck's first cards are cloze notes: edited as one text, as Anki edits a cloze note. */
async function editInTab(page: Page, baseUrl: string, id: string, text: string, tag: string) {
  await page.goto(`${baseUrl}#/edit/${encodeURIComponent(id)}`);
  const field = page.getByLabel(/^Text, with deletions/);
  await field.waitFor();
  await page.waitForFunction(() => (document.querySelector('textarea') as HTMLTextAreaElement | null)?.value !== '');
  await field.fill(text);
  await page.getByLabel(/^Tags/).fill(tag);
  await page.getByRole('button', { name: 'Save' }).tap();
  await expect.poll(async () => (await readStore<CardRecord>(page, 'cards')).find((card) => card.id === id)?.cloze?.text).toBe(text);
}

describe.each(['with', 'without'] as const)('two tabs, %s the change channel in tab A', (channel) => {
  it('counts each answer once when both tabs answer the same deck in turn', async () => {
    const { a, b } = await twoTabs(channel);
    // With the channel, each tab waits to be told what the other answered; without it, tab
    // A acts on what it last read and tab B is never told, so stale answers are tried.
    const answered: string[] = [];
    for (let turn = 0; turn < 10; turn++) {
      answered.push(await answerGood(a, channel === 'with' ? answered : []));
      answered.push(await answerGood(b, channel === 'with' ? answered : []));
    }
    const { log } = await expectEveryAnswerCountedOnce(a);
    // Refused answers (a stale tab) write nothing; every written one is a different new card.
    expect(log.length).toBeGreaterThanOrEqual(10);
    expect(new Set(log.map((row) => row.cardId)).size).toBe(log.length);
  });

  it('keeps an edit made in tab B when tab A answers the same card', async () => {
    const { page: a, baseUrl } = phone();
    const { b } = await twoTabs(channel);
    const id = (await currentCardId(a))!;
    await editInTab(b, baseUrl, id, 'Edited in tab B: {{c1::Joe Beda}} wrote the first commit.', 'from-tab-b');
    await answerGood(a);
    const card = (await readStore<CardRecord>(a, 'cards')).find((stored) => stored.id === id)!;
    expect(card.cloze?.text).toBe('Edited in tab B: {{c1::Joe Beda}} wrote the first commit.');
    expect(card.tags).toContain('from-tab-b');
    await expectEveryAnswerCountedOnce(a);
    if (channel === 'without') await a.getByText('This card was changed in another tab or window').waitFor();
  });

  it('keeps a deck deleted in tab B deleted when tab A answers one of its cards', async () => {
    const { a, b } = await twoTabs(channel);
    const deckId = 'history';
    await b.getByRole('button', { name: 'Deck menu' }).tap();
    await b.getByRole('button', { name: 'Delete deck' }).tap();
    await answerQuestion(b);
    await b.waitForURL(/#\/$/);
    // Tab A either was told already (the deck is gone from its screen) or answers and is refused.
    if (channel === 'without') {
      await answerGood(a);
      await a.getByText('This card was deleted in another tab or window').waitFor();
    }
    await a.getByText('This deck does not exist.').waitFor();
    const cards = await readStore<CardRecord>(a, 'cards');
    expect(cards.filter((card) => card.deckId === deckId)).toEqual([]);
    const orphans = (await reviewLog(a)).filter((row) => !cards.some((card) => card.id === row.cardId));
    expect(orphans).toEqual([]);
  });

  it('refuses an undo in tab A once tab B changed the card it would restore', async () => {
    const { page: a, baseUrl } = phone();
    const { b } = await twoTabs(channel);
    const id = (await currentCardId(a))!;
    await answerGood(a);
    await editInTab(b, baseUrl, id, 'Changed in tab B after the answer: {{c1::Joe Beda}}', 'after-answer');
    await a.getByRole('button', { name: 'Undo' }).tap();
    await a.getByText('can no longer be undone').waitFor();
    const card = (await readStore<CardRecord>(a, 'cards')).find((stored) => stored.id === id)!;
    expect(card.cloze?.text).toBe('Changed in tab B after the answer: {{c1::Joe Beda}}');
    expect(card.reps).toBe(1);
    await expectEveryAnswerCountedOnce(a);
  });
});

describe('no accidental grade', () => {
  it('writes nothing on a double click or a double tap on "Show answer"', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await openDeck(page, deckTitle);
    // Where "Good" appears once the answer shows: inside the "Show answer" button it replaces.
    const showAnswer = (await page.getByRole('button', { name: 'Show answer' }).boundingBox())!;
    await page.getByRole('button', { name: 'Show answer' }).tap();
    const good = (await page.getByRole('button', { name: /^Good/ }).boundingBox())!;
    const [x, y] = [good.x + good.width / 2, good.y + good.height / 2];
    expect(x).toBeGreaterThan(showAnswer.x);
    expect(x).toBeLessThan(showAnswer.x + showAnswer.width);
    expect(y).toBeGreaterThan(showAnswer.y);
    expect(y).toBeLessThan(showAnswer.y + showAnswer.height);

    // A double click, a slower double click (300 ms apart) and a double tap (450 ms apart;
    // Chromium turns taps closer than 300 ms into a double-tap gesture, not two clicks).
    const doubles: (() => Promise<void>)[] = [
      () => page.mouse.dblclick(x, y),
      async () => {
        await page.mouse.click(x, y);
        await page.waitForTimeout(300);
        await page.mouse.click(x, y);
      },
      async () => {
        await page.touchscreen.tap(x, y);
        await page.waitForTimeout(450);
        await page.touchscreen.tap(x, y);
      },
    ];
    for (const double of doubles) {
      await page.reload();
      await page.locator('article.card').waitFor();
      await double();
      await page.locator('.grades').waitFor();
      await page.waitForTimeout(300);
      expect(await reviewLog(page)).toEqual([]);
    }

    // A grade tapped on its own still counts.
    const id = await currentCardId(page);
    await page.getByRole('button', { name: /^Good/ }).tap();
    await waitForCardOtherThan(page, id);
    expect(await reviewLog(page)).toHaveLength(1);
  });
});
