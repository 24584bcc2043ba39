// What the statistics worker reads, on a connection of its own and never writing: the
// settings, the cards due per day (counted on an index, without reading a card), and every
// card and answer a part at a time. Each part is a transaction of its own: one over the whole
// collection would keep another tab's answers waiting until the statistics are done.
import Dexie from 'dexie';
import { defaultSettings, isAnswer, Queue, type AnswerLogRow, type CardRecord, type DeckSettings, type ReviewLogRow, type StudySettings } from '../domain/types.ts';
import { openSideConnection, type KubecardsDatabase } from './database.ts';

/** Records after the key `after` (from the first when undefined), at most one part's worth. */
type ReadPart<T, K> = (after: K | undefined) => Promise<T[]>;

/** The parts `read` gives, one after another; each is read while the caller works on the one before. */
async function* inParts<T, K>(read: ReadPart<T, K>, keyOf: (record: T) => K): AsyncGenerator<T[]> {
  let next = read(undefined);
  for (;;) {
    const part = await next;
    if (part.length === 0) return;
    next = read(keyOf(part[part.length - 1]));
    yield part;
  }
}

export class StatsInputStorage {
  private readonly db: KubecardsDatabase;

  constructor(name = 'kubecards') {
    this.db = openSideConnection(name);
  }

  /** The global settings and each deck's own. */
  settings(): Promise<{ global: StudySettings; decks: Map<string, DeckSettings> }> {
    const { db } = this;
    return db.transaction('r', db.settings, async () => {
      const [study, deckRows] = await Promise.all([db.settings.get('study'), db.settings.where('key').startsWith('deck:').toArray()]);
      return {
        global: { ...defaultSettings, ...(study?.value as StudySettings | undefined) },
        decks: new Map(deckRows.map((row) => [row.key.slice('deck:'.length), row.value as DeckSettings])),
      };
    });
  }

  /**
   * Cards in learning or review due per study day, as futureDue counts them, from the ends
   * of the days (futureDueEnds): counted on the due-date index, deck by deck, day by day
   * only in the decks with any card due by the last day.
   */
  dueForecast(ends: Date[]): Promise<number[]> {
    const { db } = this;
    const due = (deckId: string, queue: Queue, from: Date | number, to: Date) => db.cards.where('[deckId+queue+due]').between([deckId, queue, from], [deckId, queue, to]);
    return db.transaction('r', db.cards, async () => {
      const decks = await db.cards.orderBy('deckId').uniqueKeys();
      const ranges = decks.flatMap((deckId) => [Queue.Learning, Queue.Review].map((queue) => ({ deckId: String(deckId), queue })));
      // One key tells whether a deck has any: counting would step through all of them twice.
      const anyDue = await Promise.all(ranges.map(({ deckId, queue }) => due(deckId, queue, Dexie.minKey, ends[ends.length - 1]).limit(1).primaryKeys()));
      const perRange = await Promise.all(
        ranges
          .filter((_, index) => anyDue[index].length > 0)
          .map(({ deckId, queue }) => Promise.all(ends.map((end, index) => due(deckId, queue, index === 0 ? Dexie.minKey : ends[index - 1], end).count()))),
      );
      return ends.map((_, index) => perRange.reduce((sum, counts) => sum + counts[index], 0));
    });
  }

  /** How much there is to read, for progress: the cards, and the log's highest id (ids are given in order: about its rows). */
  async sizes(): Promise<{ cards: number; logRows: number }> {
    const [cards, lastId] = await Promise.all([this.db.cards.count(), this.db.reviewLog.toCollection().lastKey()]);
    return { cards, logRows: Number(lastId ?? 0) };
  }

  /** Every card but the retired ones, in parts of `size` cards or fewer. */
  async *cards(size = 5000): AsyncGenerator<CardRecord[]> {
    const read: ReadPart<CardRecord, string> = (after) =>
      this.db.cards
        .where(':id')
        .above(after ?? Dexie.minKey)
        .limit(size)
        .toArray();
    for await (const part of inParts(read, (card) => card.id)) yield part.filter((card) => card.queue !== Queue.Retired);
  }

  /** Every answer (manual changes left out), in id order, in parts of `size` rows or fewer, with the id each part ends at. */
  async *answers(size = 10_000): AsyncGenerator<{ answers: AnswerLogRow[]; lastId: number }> {
    const read: ReadPart<ReviewLogRow, number> = (after) =>
      this.db.reviewLog
        .where(':id')
        .above(after ?? Dexie.minKey)
        .limit(size)
        .toArray();
    for await (const part of inParts(read, (row) => row.id!)) {
      yield { answers: part.filter(isAnswer), lastId: part[part.length - 1].id! };
    }
  }

  close(): void {
    this.db.close();
  }
}
