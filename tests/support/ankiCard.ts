// An Anki card row for tests: a new card (position 1) in deck 1 unless `columns` say otherwise.
import type { AnkiCard } from '../../src/domain/anki/model.ts';

export function ankiCard(columns: Partial<AnkiCard>): AnkiCard {
  return {
    id: 1,
    noteId: 1,
    deckId: 1,
    ord: 0,
    mod: 0,
    type: 0,
    queue: 0,
    due: 1,
    interval: 0,
    factor: 0,
    reps: 0,
    lapses: 0,
    left: 0,
    originalDue: 0,
    originalDeckId: 0,
    flags: 0,
    data: '',
    ...columns,
  };
}
