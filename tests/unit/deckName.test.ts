import { describe, expect, it } from 'vitest';
import { deckNameProblem, maxDeckNameLength } from '../../src/domain/deckName.ts';

describe('deck names', () => {
  it('accepts names up to the longest allowed', () => {
    expect(deckNameProblem('Kubernetes history, scaling and SIGs')).toBeUndefined();
    expect(deckNameProblem('x'.repeat(maxDeckNameLength))).toBeUndefined();
  });

  it('refuses a longer name and says how long it may be', () => {
    expect(deckNameProblem('x'.repeat(maxDeckNameLength + 1))).toBe('a deck name can have at most 200 characters, and this one has 201');
    expect(deckNameProblem('x'.repeat(10_000))).toMatch(/at most 200 characters, and this one has 10000$/);
  });

  it('counts an emoji as one character', () => {
    // Two UTF-16 code units each, one character to the reader.
    expect('🚀'.length).toBe(2);
    expect(deckNameProblem('🚀'.repeat(maxDeckNameLength))).toBeUndefined();
  });
});
