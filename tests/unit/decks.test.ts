// The shipped decks themselves: they compile, every card is identified, sourced and mapped
// to an exam domain its tags allow, and together they cover every domain of both exams.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDeckFolder } from '../../src/build/builtInDecks.ts';
import { clozeNumbers } from '../../src/domain/cloze.ts';
import type { BuiltInCard } from '../../src/domain/deckFile.ts';
import { allExamDomains, isExamDomain, type ExamDomain } from '../../src/domain/exams.ts';

const folder = fileURLToPath(new URL('../../decks', import.meta.url));
const decks = readDeckFolder(folder);
const cards = decks.flatMap((deck) => deck.cards);
const talkDecks = decks.filter((deck) => !deck.companion);
const companionDecks = decks.filter((deck) => deck.companion);
const citesTalk = (card: BuiltInCard) => card.source.includes('talk: "');
const cardsIn = (domain: ExamDomain, among: BuiltInCard[]) => among.filter((card) => card.exam.includes(domain)).length;

describe('the built-in decks', () => {
  it('cover the talk in at least six decks of at least 15 cards, 120 in all', () => {
    expect(talkDecks.length).toBeGreaterThanOrEqual(6);
    for (const deck of talkDecks) expect(deck.cards.length, deck.id).toBeGreaterThanOrEqual(15);
    expect(talkDecks.flatMap((deck) => deck.cards).length).toBeGreaterThanOrEqual(120);
  });

  it('mark as exam companions exactly the decks that never cite the talk, each with at least 30 cards of one exam domain', () => {
    expect(companionDecks.length).toBeGreaterThan(0);
    for (const deck of companionDecks) {
      expect(Math.max(...allExamDomains.map((domain) => cardsIn(domain, deck.cards))), deck.id).toBeGreaterThanOrEqual(30);
      for (const card of deck.cards) expect(citesTalk(card), `${card.id} is in a companion deck but cites the talk`).toBe(false);
    }
    for (const deck of talkDecks) expect(deck.cards.some(citesTalk), `${deck.id} cites no talk: mark it "companion:"`).toBe(true);
  });

  it('have cards in every domain of both exams', () => {
    for (const domain of allExamDomains) expect(cardsIn(domain, cards), domain).toBeGreaterThan(0);
  });

  it("map no card to an exam its tags rule out: opinions and claims only the talk makes are the talk's, and KCNA's only", () => {
    for (const card of cards.filter((candidate) => candidate.tags.includes('opinion') || candidate.tags.includes('unconfirmed'))) {
      expect(citesTalk(card), `${card.id} cites no talk`).toBe(true);
      expect(card.exam.filter((domain) => !domain.startsWith('KCNA ')), `${card.id} maps to a CKA domain`).toEqual([]);
    }
    // A card tagged "precise" corrects the talk, so it names a document besides it.
    for (const card of cards.filter((candidate) => candidate.tags.includes('precise'))) {
      expect(card.source.split(';').some((part) => !part.trim().startsWith('talk:')), `${card.id} cites only the talk`).toBe(true);
    }
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
