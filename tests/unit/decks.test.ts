import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDeckFolder } from '../../src/build/builtInDecks.ts';

describe('the built-in decks', () => {
  it('all compile, each with at least 12 cards', () => {
    const decks = readDeckFolder(fileURLToPath(new URL('../../decks', import.meta.url)));
    expect(decks.length).toBeGreaterThan(0);
    for (const deck of decks) expect(deck.cards.length, deck.id).toBeGreaterThanOrEqual(12);
  });
});
