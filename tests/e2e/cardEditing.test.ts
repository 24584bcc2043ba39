// Cards as an Anki user edits and reads them on a 360 px phone: code blocks inside the card
// on both sides, cloze deletions in code, a built-in cloze note edited as one text with its
// cards previewed, a confirmation of Save, and exam domains that count toward readiness.
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readDeckFolder } from '../../src/build/builtInDecks.ts';
import type { CardRecord } from '../../src/domain/types.ts';
import { phoneForEachTest, readStore } from './browser.ts';
import { currentCardId, openDeck, waitForCard } from './reviewActions.ts';

const phone = phoneForEachTest({ serviceWorkers: 'block' });
const builtInStorageCards = readDeckFolder(fileURLToPath(new URL('../../decks', import.meta.url)))
  .flatMap((deck) => deck.cards)
  .filter((card) => card.exam.includes('CKA Storage')).length;

async function openAt360(page: Page, baseUrl: string) {
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto(baseUrl);
  await page.locator('a.deck').first().waitFor();
}

const longCommand = 'kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80 --dry-run=client -o yaml';
const front = `Which manifest does this print?\n\`\`\`sh\n${longCommand}\n\`\`\``;
const back = `A Deployment:\n\`\`\`yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {app: web, tier: frontend, owner: platform-team}}\n\`\`\``;

/** Where each code block of the card on screen is, against the card and the page. */
function codeBlocks(page: Page) {
  return page.evaluate(() => {
    const card = document.querySelector('article.card')!.getBoundingClientRect();
    return {
      pageWidth: document.documentElement.scrollWidth,
      blocks: [...document.querySelectorAll<HTMLElement>('article.card pre')].map((pre) => {
        const box = pre.getBoundingClientRect();
        pre.scrollLeft = 10_000;
        const scrolledBy = pre.scrollLeft;
        pre.scrollLeft = 0;
        return {
          side: pre.closest('.card-text')!.classList.contains('back') ? 'back' : 'front',
          leftInCard: box.left >= card.left - 0.5,
          rightInCard: box.right <= card.right + 0.5,
          scrollsInside: pre.scrollWidth > pre.clientWidth && scrolledBy > 0,
        };
      }),
    };
  });
}

const fits = (side: string) => ({ side, leftInCard: true, rightInCard: true, scrollsInside: true });

describe('code blocks at 360 px', () => {
  it('start at the card\'s left edge and scroll inside themselves on the question and the answer side, in review and in the card view', async () => {
    const { page, baseUrl } = phone();
    await openAt360(page, baseUrl);
    await openDeck(page, 'Steering Committee');
    const id = (await currentCardId(page))!;
    await page.keyboard.press('e');
    // The card as stored, before it is typed over.
    await page.waitForFunction(() => document.querySelector('textarea')?.value);
    await page.getByLabel('Front', { exact: true }).fill(front);
    await page.getByLabel('Back', { exact: true }).fill(back);
    await page.getByRole('button', { name: 'Save' }).tap();
    await waitForCard(page, id);
    await page.locator('article.card pre').waitFor();
    expect(await codeBlocks(page)).toEqual({ pageWidth: 360, blocks: [fits('front')] });

    await page.getByRole('button', { name: 'Show answer' }).tap();
    await page.locator('article.card .back pre').waitFor();
    expect(await codeBlocks(page)).toEqual({ pageWidth: 360, blocks: [fits('front'), fits('back')] });

    await page.goto(`${baseUrl}#/card/${id}`);
    await page.locator('article.card .back pre').waitFor();
    expect(await codeBlocks(page)).toEqual({ pageWidth: 360, blocks: [fits('front'), fits('back')] });
  });
});

describe('a built-in cloze note', () => {
  it('is edited as one text, previews each of its cards, confirms Save, and shows a deletion in code without asterisks', async () => {
    const { page, baseUrl } = phone();
    await openAt360(page, baseUrl);
    await openDeck(page, 'Kubernetes history');
    const id = (await currentCardId(page))!;
    expect(id).toBe('history-first-commit-c1');
    await page.keyboard.press('e');
    const text = page.getByLabel(/Text, with deletions/);
    await page.waitForFunction(() => document.querySelector('textarea')?.value);
    expect(await text.inputValue()).toBe('{{c1::Joe Beda}} made the first commit to the Kubernetes repository on {{c2::6 June 2014}}.');
    expect(await page.getByLabel('Front', { exact: true }).count()).toBe(0);
    // Card text is edited in a monospace font, as code is.
    expect(await text.evaluate((field) => getComputedStyle(field).fontFamily)).toMatch(/monospace/);

    await text.fill('Before maintenance run `kubectl {{c1::drain}} node-1`; then {{c2::uncordon::the verb}} it.');
    const preview = page.locator('.preview');
    await preview.getByRole('region', { name: 'Card 2' }).locator('.cloze', { hasText: '[the verb]' }).waitFor();
    expect(await preview.innerText()).not.toMatch(/\{\{c|\*\*/);
    expect(await preview.getByRole('region', { name: 'Card 1' }).locator('code .cloze').allTextContents()).toEqual(['[…]', 'drain']);
    expect(await preview.getByRole('region', { name: 'Card 2' }).locator('.cloze').allTextContents()).toEqual(['[the verb]', 'uncordon']);

    await page.getByRole('button', { name: 'Save' }).tap();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await waitForCard(page, id);
    const card = page.locator('article.card');
    await card.locator('code .cloze').waitFor();
    expect(await card.locator('code .cloze').textContent()).toBe('[…]');
    expect(await card.innerText()).not.toContain('**');
    await page.getByRole('button', { name: 'Show answer' }).tap();
    await card.locator('code .cloze', { hasText: 'drain' }).waitFor();
    expect(await card.innerText()).not.toContain('**');
    // The confirmation leaves by itself.
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor({ state: 'detached', timeout: 10_000 });

    // A number added to the note makes a card of the user's beside the built-in ones.
    await page.keyboard.press('e');
    await page.waitForFunction(() => document.querySelector('textarea')?.value.includes('drain'));
    await text.fill('Before maintenance run `kubectl {{c1::drain}} node-1`; then {{c2::uncordon}} it, and {{c3::delete}} pods left.');
    await page.getByRole('button', { name: 'Save' }).tap();
    await page.getByRole('status').filter({ hasText: 'Saved: added a card.' }).waitFor();
    const added = (await readStore<CardRecord>(page, 'cards')).find((stored) => stored.id === 'user:history-first-commit-c3');
    expect(added).toMatchObject({ origin: 'user', deckId: 'history', cloze: { noteId: 'history-first-commit', number: 3 } });
  });
});

/** The statistics screen's row for a CKA domain: studied of cards, or "no cards here". */
async function ckaDomainRow(page: Page, baseUrl: string, domain: string): Promise<string> {
  await page.goto(`${baseUrl}#/stats`);
  await page.getByRole('heading', { name: 'Exam readiness' }).waitFor();
  await page.locator('.readiness-controls select').selectOption('CKA');
  const row = page.locator(`table.readiness tbody tr[data-domain="${domain}"]`);
  await row.waitFor();
  return row.locator('td').first().innerText();
}

describe('exam domains of an own card', () => {
  it('are picked in the editor with 48 px checkboxes, shown in card info, and count toward readiness', async () => {
    const { page, baseUrl } = phone();
    await openAt360(page, baseUrl);
    expect(await ckaDomainRow(page, baseUrl, 'Storage')).toBe(`0 of ${builtInStorageCards}`);

    await page.goto(`${baseUrl}#/add/governance`);
    const domains = page.getByRole('group', { name: /Exam domains/ });
    await domains.waitFor();
    expect(await domains.getByRole('checkbox').count()).toBe(9);
    for (const label of await domains.locator('label').all()) expect((await label.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    await page.getByLabel('Front', { exact: true }).fill('Which access mode lets many nodes mount a volume read-write?');
    await page.getByLabel('Back', { exact: true }).fill('`ReadWriteMany` (RWX)');
    await domains.getByRole('checkbox', { name: 'CKA Storage' }).tap();
    await domains.getByRole('checkbox', { name: 'KCNA Container Orchestration' }).tap();
    await page.getByRole('button', { name: 'Add' }).tap();
    await page.getByRole('status').filter({ hasText: 'Added a card.' }).waitFor();
    // Kept for the next note, as its tags are.
    expect(await domains.getByRole('checkbox', { name: 'CKA Storage' }).isChecked()).toBe(true);

    const own = (await readStore<CardRecord>(page, 'cards')).find((card) => card.origin === 'user')!;
    expect(own.exam).toEqual(['KCNA Container Orchestration', 'CKA Storage']);
    await page.goto(`${baseUrl}#/card/${encodeURIComponent(own.id)}`);
    expect(await page.getByTestId('exam-domains').innerText()).toBe('KCNA Container Orchestration; CKA Storage');

    expect(await ckaDomainRow(page, baseUrl, 'Storage')).toBe(`0 of ${builtInStorageCards + 1}`);
  });
});
