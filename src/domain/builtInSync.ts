// How a new app version's built-in decks are merged into a user's collection: cards are
// matched by id, so edited wording keeps the user's progress, new ids arrive as new cards,
// and cards no longer shipped are retired, never deleted, so their review history stays.
// The user's own decks and cards, and text the user edited, are never touched.
import { clozeNumbers } from './cloze.ts';
import type { BuiltInDeck } from './deckFile.ts';
import { newSchedule } from './schedule.ts';
import { Queue, queueForState, type CardRecord, type Deck } from './types.ts';

export interface BuiltInSyncPlan {
  decks: Deck[];
  added: CardRecord[];
  updated: CardRecord[];
  retired: CardRecord[];
}

/** `existingDecks` and `existingCards`: the built-in ones already stored. */
export function planBuiltInSync(decks: BuiltInDeck[], existingDecks: Deck[], existingCards: CardRecord[], now: Date): BuiltInSyncPlan {
  const storedDecks = new Map(existingDecks.map((deck) => [deck.id, deck]));
  const byId = new Map(existingCards.map((card) => [card.id, card]));
  const shipped = new Set<string>();
  const plan: BuiltInSyncPlan = { decks: [], added: [], updated: [], retired: [] };

  decks.forEach((deck, deckPosition) => {
    const stored = storedDecks.get(deck.id);
    const text = stored?.editedAt ? { title: stored.title, description: stored.description } : deck;
    const next: Deck = { ...stored, id: deck.id, title: text.title, description: text.description, position: deckPosition, origin: 'built-in' };
    // The mark is the shipped deck's, never the user's: it goes when a later version drops it.
    if (deck.companion) next.companion = deck.companion;
    else delete next.companion;
    plan.decks.push(next);
    for (const { id, ...content } of deck.cards) {
      shipped.add(id);
      const card = byId.get(id);
      if (!card) {
        const schedule = newSchedule(now);
        plan.added.push({ id, deckId: deck.id, ...content, ...schedule, queue: queueForState(schedule.state), origin: 'built-in', rev: 0 });
        continue;
      }
      // A card the user's edit of its note took out (its number is gone from the note's text) stays out.
      const removedByEdit = card.editedAt !== undefined && card.cloze !== undefined && !clozeNumbers(card.cloze.text).includes(card.cloze.number);
      const queue = card.queue === Queue.Retired && !removedByEdit ? queueForState(card.state) : card.queue;
      // The app's own "leech" tag stays when the shipped tags replace the card's.
      const tags = card.tags.includes('leech') && !content.tags.includes('leech') ? [...content.tags, 'leech'] : content.tags;
      const next: CardRecord = { ...card, ...(card.editedAt ? {} : { ...content, tags }), position: content.position, deckId: deck.id, queue };
      if (JSON.stringify(next) !== JSON.stringify(card)) plan.updated.push(next);
    }
  });
  for (const card of existingCards) {
    if (!shipped.has(card.id) && card.queue !== Queue.Retired) plan.retired.push({ ...card, queue: Queue.Retired });
  }
  return plan;
}
