// The review history of a set of decks, read by the optimiser's worker on a connection of
// its own (the page's stays free for answering).
import type { ReviewLogRow } from '../domain/types.ts';
import { openSideConnection, type KubecardsDatabase } from './database.ts';

export class ReviewHistoryStorage {
  private readonly db: KubecardsDatabase;

  constructor(name = 'kubecards') {
    this.db = openSideConnection(name);
  }

  /** Every log row of the cards now in `deckIds` (as Anki reads a preset's cards' revlog). */
  async logOfDecks(deckIds: string[]): Promise<ReviewLogRow[]> {
    const { db } = this;
    return db.transaction('r', [db.cards, db.reviewLog], async () => {
      const cardIds = await db.cards.where('deckId').anyOf(deckIds).primaryKeys();
      return db.reviewLog.where('cardId').anyOf(cardIds).toArray();
    });
  }
}
