import { createEmptyCard, State } from 'ts-fsrs';
import { Queue, queueForState, type CardRecord } from '../../src/domain/types.ts';

/** A card record with plain content; FSRS fields from a new card unless overridden. */
export function makeCard(id: string, overrides: Partial<CardRecord> = {}, createdAt = new Date('2026-01-01T00:00:00Z')): CardRecord {
  const state = overrides.state ?? State.New;
  return {
    id,
    deckId: 'deck',
    position: 0,
    front: `front of ${id}`,
    back: `back of ${id}`,
    source: 'test',
    exam: ['KCNA Kubernetes Fundamentals'],
    tags: [],
    note: '',
    ...createEmptyCard(createdAt),
    queue: overrides.queue ?? (state === State.New ? Queue.New : queueForState(state)),
    ...overrides,
  };
}
