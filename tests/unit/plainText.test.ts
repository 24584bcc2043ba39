import { describe, expect, it } from 'vitest';
import { readDeckFolder } from '../../src/build/builtInDecks.ts';
import { parseMarkdown } from '../../src/domain/markdown.ts';
import { plainTextBlocks } from '../../src/domain/plainText.ts';
import { seededRandom } from '../support/collection.ts';

// Characters Markdown reads, characters it does not, and the spaces and breaks between them.
const alphabet = ['a', '\uE000', '\uE001', 'Z', ' ', ' ', '\n', '\n\n', '\t', '\u00a0', '-', '+', '1', '23', '.', ')', '(', '[', ']', '[…]', '!', '#', '>', '<', '&amp;', '=', '|', '…', 'é', '*', '_', '`', '~', '\\'];

function randomText(random: () => number): string {
  let text = '';
  for (let length = Math.floor(random() * 24); length > 0; length--) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

describe('plain card text without markdown-it', () => {
  it('gives what markdown-it gives for every text it takes', () => {
    const random = seededRandom(7);
    let taken = 0;
    for (let run = 0; run < 20_000; run++) {
      const text = randomText(random);
      const blocks = plainTextBlocks(text);
      if (!blocks) continue;
      taken++;
      expect(blocks, JSON.stringify(text)).toEqual(parseMarkdown(text));
    }
    // Enough plain texts among them for the comparison to mean something.
    expect(taken).toBeGreaterThan(1_000);
  });

  it('takes most built-in card sides, each as markdown-it reads it', () => {
    const sides = readDeckFolder('decks').flatMap((deck) => deck.cards.flatMap((card) => [card.front, card.back, card.note]));
    const plain = sides.filter((text) => {
      const blocks = plainTextBlocks(text);
      if (blocks) expect(blocks, JSON.stringify(text)).toEqual(parseMarkdown(text));
      return blocks !== undefined;
    });
    expect(plain.length / sides.length).toBeGreaterThan(0.6);
    // The first card a first visit shows.
    expect(plainTextBlocks(readDeckFolder('decks')[0].cards[0].front)).toBeDefined();
  });

  it('leaves to markdown-it what it could read otherwise', () => {
    for (const text of ['**bold**', 'a_b', '`code`', 'a\\*b', '[docs](https://kubernetes.io)', '- item', '1. item', '2) item', 'line  \nbreak', ' indented', '~~~\ncode\n~~~', 'a\r\nb', 'a\u00a0\nb']) {
      expect(plainTextBlocks(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});
