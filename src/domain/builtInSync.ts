// How a new app version's built-in decks are merged into a user's collection: cards are
// matched by id, so edited wording keeps the user's progress, new ids arrive as new cards,
// and cards no longer shipped are retired, never deleted, so their review history stays.
import type { BuiltInDeck } from './deckFile.ts';
import { newSchedule } from './scheduler.ts';
import { Queue, queueForState, type CardRecord, type Deck } from './types.ts';

export interface BuiltInSyncPlan {
  decks: Deck[];
  added: CardRecord[];
  updated: CardRecord[];
  retired: CardRecord[];
}

export function planBuiltInSync(decks: BuiltInDeck[], existing: CardRecord[], now: Date): BuiltInSyncPlan {
  const byId = new Map(existing.map((card) => [card.id, card]));
  const shipped = new Set<string>();
  const plan: BuiltInSyncPlan = { decks: [], added: [], updated: [], retired: [] };

  decks.forEach((deck, deckPosition) => {
    plan.decks.push({ id: deck.id, title: deck.title, description: deck.description, position: deckPosition });
    for (const { id, ...content } of deck.cards) {
      shipped.add(id);
      const card = byId.get(id);
      if (!card) {
        const schedule = newSchedule(now);
        plan.added.push({ id, deckId: deck.id, ...content, ...schedule, queue: queueForState(schedule.state) });
        continue;
      }
      const queue = card.queue === Queue.Retired ? queueForState(card.state) : card.queue;
      const next: CardRecord = { ...card, ...content, deckId: deck.id, queue };
      if (JSON.stringify(next) !== JSON.stringify(card)) plan.updated.push(next);
    }
  });
  for (const card of existing) {
    if (!shipped.has(card.id) && card.queue !== Queue.Retired) plan.retired.push({ ...card, queue: Queue.Retired });
  }
  return plan;
}
