import { State } from 'ts-fsrs';
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
