// Imported Anki cards are untrusted HTML: shown with their note type's style and their media,
// offline, with nothing run and nothing fetched from outside the app.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { CardRecord, Deck, NoteTypeRecord } from '../../src/domain/types.ts';
import { makeCard } from '../support/cards.ts';
import { cspViolations, phoneForEachTest, waitForServiceWorkerControl } from './browser.ts';
import { openDeck } from './reviewActions.ts';

const phone = phoneForEachTest();

const deck: Deck = { id: 'anki-deck', title: 'Imported from Anki', description: '', position: 1000, origin: 'user' };

const noteType: NoteTypeRecord = {
  id: 'note-type-1',
  name: 'Basic (hostile)',
  kind: 'standard',
  fields: ['Front', 'Back'],
  templates: [{ name: 'Card 1', front: '{{Front}}', back: '{{FrontSide}}<hr id=answer>{{Back}}' }],
  css: [
    '@import url(http://evil.example/x.css);',
    '.card { font-family: serif; color: rgb(10, 20, 30); background: url(http://evil.example/b.png) rgb(250, 240, 230); }',
    '.marked { border-left: 3px solid rgb(200, 0, 0); background-image: url("dot.png"); }',
    ':host { position: fixed; inset: 0; }',
    '@font-face { font-family: Evil; src: url(http://evil.example/f.woff); }',
    '@media (min-width: 1px) { .in-media { background-image: url(http://evil.example/m.png); color: rgb(0, 90, 0); } }',
  ].join('\n'),
};

// Each payload would set window.pwned if anything in the card ran.
const hostile = [
  `<script>window.pwned = 'script'</script>`,
  `<img src=x onerror="window.pwned = 'onerror'">`,
  `<img src="http://evil.example/i.png">`,
  `<svg onload="window.pwned = 'svg'"><circle r="5" /></svg>`,
  `<iframe srcdoc="<script>parent.pwned = 'iframe'</script>"></iframe>`,
  `<a id="js-link" href="javascript:window.pwned = 'link'">a javascript link</a>`,
  `<style>@import url(http://evil.example/s.css); .card { display: none; }</style>`,
  `<div id="evil-style" style="background:url(http://evil.example/c.png); color: rgb(1, 2, 3)">styled</div>`,
  `<meta http-equiv="refresh" content="0;url=http://evil.example/">`,
  `<base href="http://evil.example/">`,
  `<link rel=stylesheet href=http://evil.example/l.css>`,
  `<img srcset="http://evil.example/s.png 2x">`,
  `<video poster=http://evil.example/p.png></video>`,
  `<form action=http://evil.example/f><button>Send</button></form>`,
  `<svg><image href="http://evil.example/svg.png" width="10" height="10" /></svg>`,
].join('\n');

const front = `<div class="question">What is shown here? [sound:tone.wav]</div>`;
const back = [
  front,
  '<hr id=answer>',
  `<div class="marked">A red dot <img id="local" src="dot.png"> and the same, percent-encoded: <img id="encoded" src="red%20dot.png"></div>`,
  `<p class="in-media">Listen: [sound:tone.wav] and [sound:missing.mp3]</p>`,
  `<div id="media-style" style="background-image: url(dot.png); min-height: 4px">background from the collection</div>`,
  `<a id="web-link" href="https://example.org/">a web link</a>`,
  hostile,
].join('\n');

/** Puts the records straight into the app's database, as an import would. */
async function storeImportedCards(page: Page, cards: CardRecord[]) {
  await page.evaluate(
    async ({ deck, noteType, cards }) => {
      const canvas = new OffscreenCanvas(8, 8);
      const draw = canvas.getContext('2d')!;
      draw.fillStyle = 'red';
      draw.fillRect(0, 0, 8, 8);
      const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      // 0.25 s of a 440 Hz tone, 8 kHz 16-bit mono PCM.
      const samples = 2000;
      const wav = new DataView(new ArrayBuffer(44 + samples * 2));
      const ascii = (at: number, text: string) => [...text].forEach((char, index) => wav.setUint8(at + index, char.charCodeAt(0)));
      ascii(0, 'RIFF');
      wav.setUint32(4, 36 + samples * 2, true);
      ascii(8, 'WAVEfmt ');
      wav.setUint32(16, 16, true);
      wav.setUint16(20, 1, true);
      wav.setUint16(22, 1, true);
      wav.setUint32(24, 8000, true);
      wav.setUint32(28, 16000, true);
      wav.setUint16(32, 2, true);
      wav.setUint16(34, 16, true);
      ascii(36, 'data');
      wav.setUint32(40, samples * 2, true);
      for (let index = 0; index < samples; index++) wav.setInt16(44 + index * 2, Math.round(8000 * Math.sin((2 * Math.PI * 440 * index) / 8000)), true);
      const media = [
        { name: 'dot.png', type: 'image/png', bytes: png },
        { name: 'red dot.png', type: 'image/png', bytes: png },
        { name: 'tone.wav', type: 'audio/wav', bytes: new Uint8Array(wav.buffer) },
      ];
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('kubecards');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const transaction = db.transaction(['decks', 'noteTypes', 'media', 'cards'], 'readwrite');
      transaction.objectStore('decks').put(deck);
      transaction.objectStore('noteTypes').put(noteType);
      for (const file of media) transaction.objectStore('media').put(file);
      for (const card of cards) transaction.objectStore('cards').put(card);
      await new Promise((resolve, reject) => {
        transaction.oncomplete = resolve;
        transaction.onerror = () => reject(transaction.error);
      });
      db.close();
    },
    { deck, noteType, cards },
  );
}

/**
 * Any HTML parser of the page (DOMPurify's inert document, even Element.setHTML) reports the
 * inline styles, event handlers, style elements and base of the card as refused by the CSP
 * while it parses: reports of what the CSP blocked, not of anything applied or loaded. The
 * test takes exactly those out of the errors; any other violation (a load of an image, a
 * font, a frame…) still fails it.
 */
async function takeParserViolations(page: Page, errors: string[]): Promise<string[]> {
  const parserKinds = /^(style-src-attr inline|script-src-attr inline|style-src-elem inline|base-uri .*)$/;
  const violations = await cspViolations(page);
  const parserErrors = /violates the following Content Security Policy directive: "base-uri 'none'"|^(Applying inline style|Executing inline event handler) violates the following Content Security Policy directive '(style|script)-src 'self'/;
  errors.splice(0, errors.length, ...errors.filter((error) => !parserErrors.test(error)));
  return violations.filter((violation) => !parserKinds.test(violation));
}

function importedCard(id: string, sides: { front: string; back: string }): CardRecord {
  return makeCard(id, {
    deckId: deck.id,
    origin: 'user',
    kind: 'html',
    ...sides,
    source: '',
    exam: [],
    importedNote: { id: `note-${id}`, noteTypeId: noteType.id, ord: 0 },
  });
}

describe('imported HTML cards', () => {
  it('shows the card offline with its style, image and sound, running and fetching nothing', async () => {
    const { context, page, baseUrl } = phone();
    // What the sound button plays, seen from the Web Audio API.
    await context.addInitScript(() => {
      const played: { duration: number; state: string }[] = [];
      (window as unknown as { played: typeof played }).played = played;
      const start = AudioBufferSourceNode.prototype.start;
      AudioBufferSourceNode.prototype.start = function (this: AudioBufferSourceNode, ...args: Parameters<typeof start>) {
        played.push({ duration: this.buffer!.duration, state: this.context.state });
        return start.apply(this, args);
      };
    });
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor(); // the schema exists once the app has started
    await waitForServiceWorkerControl(page);
    await storeImportedCards(page, [importedCard('html-1', { front, back })]);
    await context.setOffline(true);
    await page.reload();
    await openDeck(page, deck.title);

    // The question side: its text and sound button, from inside the shadow root.
    await page.getByText('What is shown here?').waitFor();
    expect(await page.getByText('A red dot').count()).toBe(0);
    await page.getByRole('button', { name: 'Show answer' }).tap();
    await page.getByText('A red dot').waitFor();
    expect(await page.getByText('What is shown here?').count()).toBe(1); // the back holds the front once

    // Nothing ran.
    expect(await page.evaluate(() => (window as unknown as { pwned?: string }).pwned)).toBeUndefined();
    await page.locator('#js-link').tap();
    expect(await page.evaluate(() => (window as unknown as { pwned?: string }).pwned)).toBeUndefined();
    expect(context.pages()).toHaveLength(1);

    // Nothing hostile is left in the markup: no such element, no attribute naming the outside.
    const leftovers = await page.evaluate(() => {
      const root = document.querySelector('.card-html')!.shadowRoot!;
      const elements = [...root.querySelectorAll('*')];
      return {
        tags: elements.map((element) => element.localName).filter((tag) => /^(script|iframe|meta|base|link|style|form|input|video)$/.test(tag)),
        attributes: elements.flatMap((element) =>
          [...element.attributes]
            .map((attribute) => `${element.localName} ${attribute.name}=${attribute.value}`)
            .filter((text) => /evil\.example|javascript:| on[a-z]+=| srcset=| poster=/i.test(text)),
        ),
        buttons: [...root.querySelectorAll('button')].map((button) => button.className),
        links: [...root.querySelectorAll('a[href]')].map((link) => `${link.getAttribute('href')} ${link.getAttribute('target')} ${link.getAttribute('rel')}`),
        images: [...root.querySelectorAll('img')].map((image) => image.getAttribute('src')?.slice(0, 5) ?? null),
      };
    });
    expect(leftovers.tags).toEqual([]);
    expect(leftovers.attributes).toEqual([]);
    expect(leftovers.buttons.every((name) => name === 'replay-button')).toBe(true);
    expect(leftovers.links).toEqual(['https://example.org/ _blank noopener noreferrer']);
    // The two collection images as blob: URLs; the other three lost their src.
    expect(leftovers.images).toEqual(['blob:', 'blob:', null, null, null]);

    // The local images load with the network off.
    await page.waitForFunction(() => {
      const root = document.querySelector('.card-html')!.shadowRoot!;
      return ['#local', '#encoded'].every((id) => {
        const image = root.querySelector<HTMLImageElement>(id)!;
        return image.complete && image.naturalWidth === 8;
      });
    });

    // The note type's style applies; what it would have fetched is gone.
    const styles = await page.evaluate(() => {
      const root = document.querySelector('.card-html')!.shadowRoot!;
      const style = (selector: string) => getComputedStyle(root.querySelector(selector)!);
      return {
        cardColor: style('.card').color,
        cardBackground: `${style('.card').backgroundImage} ${style('.card').backgroundColor}`,
        cardFont: style('.card').fontFamily,
        marked: `${style('.marked').borderLeftColor} ${style('.marked').backgroundImage.slice(0, 10)}`,
        inMedia: `${style('.in-media').color} ${style('.in-media').backgroundImage}`,
        host: getComputedStyle(document.querySelector('.card-html')!).position,
        evilStyle: `${style('#evil-style').color} ${style('#evil-style').backgroundImage}`,
        mediaStyle: style('#media-style').backgroundImage.slice(0, 10),
        fonts: [...document.fonts].map((font) => font.family),
      };
    });
    expect(styles).toEqual({
      cardColor: 'rgb(10, 20, 30)',
      cardBackground: 'none rgb(250, 240, 230)',
      cardFont: 'serif',
      marked: 'rgb(200, 0, 0) url("blob:',
      inMedia: 'rgb(0, 90, 0) none',
      host: 'relative',
      evilStyle: 'rgb(1, 2, 3) none',
      mediaStyle: 'url("blob:',
      fonts: expect.not.arrayContaining(['Evil']),
    });

    // The sound plays through Web Audio; a missing file says so.
    const play = page.getByRole('button', { name: 'Play tone.wav' }).last();
    const box = (await play.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(48);
    await play.tap();
    await page.waitForFunction(() => (window as unknown as { played: unknown[] }).played.length === 1);
    const played = await page.evaluate(() => (window as unknown as { played: { duration: number; state: string }[] }).played);
    expect(played[0].duration).toBeCloseTo(0.25, 2);
    expect(played[0].state).toBe('running');
    const missing = page.getByRole('button', { name: 'Missing sound: missing.mp3' });
    expect(await missing.isDisabled()).toBe(true);
    // Enter on the focused button plays it again; it does not grade the card.
    await play.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as { played: unknown[] }).played.length === 2);
    await expect(page.locator('.grades button').count()).resolves.toBe(4);

    // Night mode follows the page's colour scheme.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.querySelector('.card-html')!.shadowRoot!.querySelector('.card')!.matches('.nightMode.night_mode'));
    const darkColor = await page.evaluate(() => getComputedStyle(document.querySelector('.card-html')!.shadowRoot!.querySelector('.card')!).color);
    expect(darkColor).toBe('rgb(232, 233, 236)'); // the app's --fg in dark mode
    await page.emulateMedia({ colorScheme: 'light' });

    // No sideways scroll on a small phone.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: '/tmp/h7-card-360.png', fullPage: true });

    expect(await takeParserViolations(page, phone().errors)).toEqual([]);
    await context.setOffline(false);
  });

  it('shows the card on the card screen too', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    await storeImportedCards(page, [importedCard('html-2', { front, back })]);
    await page.goto(`${baseUrl}#/card/html-2`);
    await page.getByText('A red dot').waitFor();
    await page.getByRole('button', { name: 'Play tone.wav' }).first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { pwned?: string }).pwned)).toBeUndefined();
    expect(await takeParserViolations(page, phone().errors)).toEqual([]);
  });

  it('sanitises in time linear in the size of the card', async () => {
    const { page, baseUrl } = phone();
    await page.goto(baseUrl);
    await page.locator('a.deck').first().waitFor();
    const paragraph = '<p>Kubernetes <b>schedules</b> <i>pods</i> onto <a href="https://kubernetes.io/">nodes</a> <img src="dot.png"> [sound:tone.wav]</p>\n';
    const paragraphs = (bytes: number) => Math.ceil(bytes / paragraph.length);
    const ofSize = (bytes: number) => paragraph.repeat(paragraphs(bytes));
    // 16 KB on the front, 64 KB on the back.
    await storeImportedCards(page, [importedCard('html-large', { front: ofSize(16 * 1024), back: ofSize(64 * 1024) })]);
    await page.reload();
    await openDeck(page, deck.title);
    await page.getByRole('button', { name: 'Show answer' }).tap();
    // At least two: a re-render of the question (the background start-up comes 3 s after load) sanitises it again.
    await page.waitForFunction(() => performance.getEntriesByName('card-html-sanitise', 'measure').length >= 2, undefined, { timeout: 60_000 });
    await page.waitForFunction(
      (count) => document.querySelector('.card-html')!.shadowRoot!.querySelectorAll('img[src^="blob:"]').length === count,
      paragraphs(64 * 1024),
    );
    const sanitised = await page.evaluate(() => performance.getEntriesByName('card-html-sanitise', 'measure').map((entry) => entry.duration));
    const [front, back] = [sanitised[0], sanitised[sanitised.length - 1]];
    console.log(`sanitised 16 KB in ${front.toFixed(1)} ms, 64 KB in ${back.toFixed(1)} ms`);
    // Four times the markup, at most six times the time (the front's also warms the sanitiser up).
    // A ratio, not a time: on a 2-core machine under load the 64 KB side took 159 ms, three
    // times DOMPurify's usual 50 ms.
    expect(back / front).toBeLessThan(6);
  });
});
