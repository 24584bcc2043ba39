// The shipped decks themselves: they compile, and every card is identified, sourced and
// mapped to an exam domain.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDeckFolder } from '../../src/build/builtInDecks.ts';
import { clozeNumbers } from '../../src/domain/cloze.ts';
import { isExamDomain } from '../../src/domain/exams.ts';

const folder = fileURLToPath(new URL('../../decks', import.meta.url));
const decks = readDeckFolder(folder);
const cards = decks.flatMap((deck) => deck.cards);

describe('the built-in decks', () => {
  it('cover the talk in at least six decks of at least 15 cards, 120 in all', () => {
    expect(decks.length).toBeGreaterThanOrEqual(6);
    for (const deck of decks) expect(deck.cards.length, deck.id).toBeGreaterThanOrEqual(15);
    expect(cards.length).toBeGreaterThanOrEqual(120);
  });

  it('use card ids that are unique across all decks', () => {
    expect(new Set(cards.map((card) => card.id)).size).toBe(cards.length);
  });

  it('give every card a source and at least one known exam domain', () => {
    for (const card of cards) {
      expect(card.source.length, card.id).toBeGreaterThan(3);
      expect(card.exam.length, card.id).toBeGreaterThan(0);
      for (const domain of card.exam) expect(isExamDomain(domain), `${card.id}: ${domain}`).toBe(true);
    }
  });

  it('quote the talk word for word where a source cites it', () => {
    const talk = readFileSync(fileURLToPath(new URL('../../../shared/seed/000_5e4d63b33ff4c046.txt', import.meta.url)), 'utf8')
      .replace(/[“”]/g, '"')
      .replace(/\s+/g, ' ');
    for (const card of cards) {
      for (const [, quote] of card.source.matchAll(/talk: "([^"]+)"/g)) {
        expect(talk.includes(quote.replace(/\s+/g, ' ')), `${card.id}: ${quote}`).toBe(true);
      }
    }
  });

  it('expand each cloze note into one card per cloze number', () => {
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.deck'))) {
      const text = readFileSync(`${folder}/${file}`, 'utf8');
      for (const [, id, body] of text.matchAll(/^## (\S+)\nC: ([\s\S]*?)\n(?=source:|exam:|tags:|note:)/gm)) {
        const expected = clozeNumbers(body).map((number) => `${id}-c${number}`);
        expect(expected.length, id).toBeGreaterThan(0);
        expect(cards.filter((card) => new RegExp(`^${id}-c\\d+$`).test(card.id)).map((card) => card.id)).toEqual(expected);
      }
    }
  });
});
