import { State } from 'ts-fsrs';
import type { BuiltInDeck } from '../../src/domain/deckFile.ts';
import { newSchedule } from '../../src/domain/schedule.ts';
import { queueForState, type CardRecord } from '../../src/domain/types.ts';

/** A card record with plain content; FSRS fields from a new card unless overridden. */
export function makeCard(id: string, overrides: Partial<CardRecord> = {}, createdAt = new Date('2026-01-01T00:00:00Z')): CardRecord {
  const state = overrides.state ?? State.New;
  const base: CardRecord = {
    id,
    deckId: 'deck',
    origin: 'built-in',
    kind: 'basic',
    position: 0,
    front: `front of ${id}`,
    back: `back of ${id}`,
    source: 'test',
    exam: ['KCNA Kubernetes Fundamentals'],
    tags: [],
    note: '',
    ...newSchedule(createdAt),
    queue: queueForState(state),
    rev: 0,
  };
  return { ...base, ...overrides };
}

/** A built-in deck of `count` plain cards with ids `<id>-0`, `<id>-1`…, for storage tests. */
export function builtInDeck(id: string, count: number, title = id): BuiltInDeck {
  return {
    id,
    title,
    description: '',
    cards: Array.from({ length: count }, (_, position) => ({
      id: `${id}-${position}`,
      position,
      kind: 'basic' as const,
      front: `Q${position}`,
      back: `A${position}`,
      source: 'test',
      exam: [],
      tags: [],
      note: '',
    })),
  };
}
