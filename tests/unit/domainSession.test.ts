import { State } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { domainSessionCards } from '../../src/domain/domainSession.ts';
import { Queue } from '../../src/domain/types.ts';
import { makeCard } from '../support/cards.ts';

const endOfDay = new Date('2026-03-03T04:00:00Z');
const domain = 'CKA Troubleshooting' as const;

describe('a session of one exam domain', () => {
  it('takes its due cards from every deck, earliest first, then new ones in introduction order up to the limit', () => {
    const at = (iso: string) => new Date(iso);
    const cards = [
      makeCard('new-b2', { deckId: 'b', position: 2, exam: [domain] }),
      makeCard('review-late', { deckId: 'a', exam: [domain], state: State.Review, queue: Queue.Review, due: at('2026-03-03T01:00:00Z') }),
      makeCard('other-domain', { deckId: 'a', exam: ['KCNA Kubernetes Fundamentals'], state: State.Review, queue: Queue.Review, due: at('2026-03-01T00:00:00Z') }),
      makeCard('learning-early', { deckId: 'b', exam: [domain], state: State.Learning, queue: Queue.Learning, due: at('2026-03-02T09:00:00Z') }),
      makeCard('review-tomorrow', { deckId: 'a', exam: [domain], state: State.Review, queue: Queue.Review, due: at('2026-03-03T05:00:00Z') }),
      makeCard('suspended', { deckId: 'a', exam: [domain], state: State.Review, queue: Queue.Suspended, due: at('2026-03-01T00:00:00Z') }),
      makeCard('new-a5', { deckId: 'a', position: 5, exam: ['KCNA Container Orchestration', domain] }),
      makeCard('new-b1', { deckId: 'b', position: 1, exam: [domain] }),
    ];
    const session = domainSessionCards(cards, domain, endOfDay, 2);
    expect(session.cards.map((card) => card.id)).toEqual(['learning-early', 'review-late', 'new-a5', 'new-b1']);
    expect(session.newCards).toBe(2);
    expect(domainSessionCards(cards, domain, endOfDay, 0).cards.map((card) => card.id)).toEqual(['learning-early', 'review-late']);
  });
});
