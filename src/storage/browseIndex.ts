// What Browse's search worker reads, on a connection of its own and never writing: the cards
// a chunk at a time (and the first in a sort's order before all of them), the decks, imported
// note types and notes, the deck last studied, and the review log for added: and rated:.
import Dexie from 'dexie';
import type { sortsReadInOrder } from '../domain/browse.ts';
import { isAnswer, Queue, type CardRecord, type Deck, type NoteRecord, type NoteTypeRecord, type ReviewLogRow } from '../domain/types.ts';
import { openSideConnection, type KubecardsDatabase } from './database.ts';

/** Rows per read: memory holds a chunk or two at a time, and progress is reported after each. */
const chunkSize = 10_000;

/**
 * Reads a store a chunk at a time in key order, each chunk to `onChunk`; the next chunk is
 * asked for before this one is handled, so that the database reads while the worker works.
 */
async function eachChunk<T, K>(read: (after: K | undefined) => Promise<T[]>, keyOf: (row: T) => K, onChunk: (rows: T[]) => void): Promise<void> {
  let next = read(undefined);
  for (;;) {
    const chunk = await next;
    const full = chunk.length === chunkSize;
    if (full) next = read(keyOf(chunk[chunk.length - 1]));
    onChunk(chunk);
    if (!full) return;
  }
}

/** The database's card index that keeps each deck's queue in a sort's order. */
const indexOfSort: Record<(typeof sortsReadInOrder)[number], string> = { due: '[deckId+queue+due]', added: '[deckId+queue+position]' };

/** The log read by time, for rated:, a window of this long at a time. */
const logWindowMs = 30 * 86_400_000;

const studiedQueues = Object.values(Queue).filter((queue) => queue !== Queue.Retired);

export class BrowseIndexStorage {
  private readonly db: KubecardsDatabase;

  constructor(name = 'kubecards') {
    this.db = openSideConnection(name);
  }

  /** Every card that is not retired, in id order, a chunk at a time. */
  eachCardChunk(onChunk: (cards: CardRecord[]) => void): Promise<void> {
    const { db } = this;
    return eachChunk(
      (after: string | undefined) => (after === undefined ? db.cards.orderBy(':id') : db.cards.where(':id').above(after)).limit(chunkSize).toArray(),
      (card) => card.id,
      (chunk) => onChunk(chunk.filter((card) => card.queue !== Queue.Retired)),
    );
  }

  /**
   * The first `count` cards (or all) of each deck and queue in `sort` order, read off the
   * index that keeps them so: together they hold the first `count` of all cards in that
   * order, for the first screen while the rest are read. (A card of a deck that is gone is
   * missed here; the full read has it.)
   */
  firstOfEachDeckAndQueue(sort: (typeof sortsReadInOrder)[number], count: number): Promise<CardRecord[][]> {
    const { db } = this;
    return db.transaction('r', [db.decks, db.cards], async () => {
      const deckIds = (await db.decks.toCollection().primaryKeys()) as string[];
      return Promise.all(
        deckIds.flatMap((deckId) =>
          studiedQueues.map((queue) => db.cards.where(indexOfSort[sort]).between([deckId, queue, Dexie.minKey], [deckId, queue, Dexie.maxKey]).limit(count).toArray()),
        ),
      );
    });
  }

  /** The cards with these ids as stored now; undefined for one that is gone. */
  cards(ids: string[]): Promise<(CardRecord | undefined)[]> {
    return this.db.cards.bulkGet(ids);
  }

  decks(): Promise<Deck[]> {
    return this.db.decks.orderBy('position').toArray();
  }

  noteTypes(): Promise<NoteTypeRecord[]> {
    return this.db.noteTypes.toArray();
  }

  notes(): Promise<NoteRecord[]> {
    return this.db.notes.toArray();
  }

  /** The deck of the latest answer: Anki's "current deck", for deck:current. */
  async lastStudiedDeckId(): Promise<string | undefined> {
    return (await this.db.reviewLog.orderBy('reviewedAt').reverse().filter(isAnswer).first())?.deckId;
  }

  /** The whole review log in the order written, a chunk at a time. */
  eachLogChunk(onChunk: (rows: ReviewLogRow[]) => void): Promise<void> {
    return eachChunk((after: number | undefined) => this.db.reviewLog.where(':id').above(after ?? 0).limit(chunkSize).toArray(), (row) => row.id!, onChunk);
  }

  /** The rows reviewed at `since` or later, in time order, a month of them at a time (off the log's index by time). */
  async eachLogChunkSince(since: number, onChunk: (rows: ReviewLogRow[]) => void): Promise<void> {
    const byTime = () => this.db.reviewLog.where('reviewedAt');
    for (let from = since; ; from += logWindowMs) {
      // The last window is open-ended: a row from a clock ahead of this one is still read.
      const last = from + logWindowMs > Date.now();
      onChunk(await (last ? byTime().aboveOrEqual(new Date(from)) : byTime().between(new Date(from), new Date(from + logWindowMs), true, false)).toArray());
      if (last) return;
    }
  }

  /** These cards' log rows, each card's in the order written. */
  logRows(cardIds: string[]): Promise<ReviewLogRow[]> {
    return this.db.reviewLog.where('cardId').anyOf(cardIds).toArray();
  }
}
