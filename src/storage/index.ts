// The one module that talks to IndexedDB. Screens call these typed functions and never
// see Dexie; every multi-row change happens in a single transaction.
import Dexie from 'dexie';
import { State } from 'ts-fsrs';
import { planBuiltInSync } from '../domain/builtInSync.ts';
import type { BuiltInDeck } from '../domain/deckFile.ts';
import { earliestDate, learnAheadMs, nextInQueue, type QueueSnapshot, type QueueState } from '../domain/queue.ts';
import { studyDay } from '../domain/studyDay.ts';
import { defaultSettings, Queue, type CardRecord, type Deck, type ReviewLogRow, type StudySettings } from '../domain/types.ts';
import { openDatabase, type KubecardsDatabase } from './database.ts';

export interface DeckSummary {
  deck: Deck;
  /** Cards in the deck, not counting retired ones. */
  cardCount: number;
  queue: QueueState;
}

/** What is needed to take an answer back: the card as it was, and the log row to remove. */
export interface AnswerReceipt {
  before: CardRecord;
  logId: number;
}

export class Storage {
  private readonly db: KubecardsDatabase;
  private readonly writes = new Set<Promise<unknown>>();
  private readonly replacedListeners: (() => void)[] = [];

  constructor(name = 'kubecards') {
    this.db = openDatabase(name);
    // A newer app version in another tab wants to change the schema: this tab stops using
    // the database at once (no writes with an old idea of the schema) and asks to reload.
    this.db.on('versionchange', () => {
      this.db.close({ disableAutoOpen: true });
      for (const listener of this.replacedListeners) listener();
      return false;
    });
  }

  close(): void {
    this.db.close();
  }

  /** Called when another tab upgrades the database; this tab can no longer read or write. */
  onReplaced(listener: () => void): void {
    this.replacedListeners.push(listener);
  }

  /** Resolves once no write is in flight, e.g. before reloading into a new version. */
  async idle(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  private track<T>(write: Promise<T>): Promise<T> {
    this.writes.add(write);
    const untrack = () => this.writes.delete(write);
    write.then(untrack, untrack);
    return write;
  }

  async settings(): Promise<StudySettings> {
    const row = await this.db.settings.get('study');
    return { ...defaultSettings, ...row?.value };
  }

  async saveSettings(value: StudySettings): Promise<void> {
    await this.db.settings.put({ key: 'study', value });
  }

  async builtInVersion(): Promise<string | undefined> {
    return (await this.db.meta.get('builtInVersion'))?.value;
  }

  /** Brings the built-in decks to `version`; see planBuiltInSync for what is kept. */
  async syncBuiltInDecks(decks: BuiltInDeck[], version: string, now: Date): Promise<void> {
    const { db } = this;
    await db.transaction('rw', [db.decks, db.cards, db.meta], async () => {
      const existingDecks = await db.decks.where('origin').equals('built-in').toArray();
      const existingCards = await db.cards.where('origin').equals('built-in').toArray();
      const plan = planBuiltInSync(decks, existingDecks, existingCards, now);
      await db.decks.bulkPut(plan.decks);
      await db.cards.bulkAdd(plan.added);
      await db.cards.bulkPut([...plan.updated, ...plan.retired]);
      await db.meta.put({ key: 'builtInVersion', value: version });
    });
  }

  async decks(): Promise<Deck[]> {
    return this.db.decks.orderBy('position').toArray();
  }

  async deck(id: string): Promise<Deck | undefined> {
    return this.db.decks.get(id);
  }

  async card(id: string): Promise<CardRecord | undefined> {
    return this.db.cards.get(id);
  }

  async reviewLog(cardId: string): Promise<ReviewLogRow[]> {
    return this.db.reviewLog.where('cardId').equals(cardId).sortBy('id');
  }

  async deckSummaries(now: Date, settings: StudySettings): Promise<DeckSummary[]> {
    const decks = await this.decks();
    return Promise.all(
      decks.map(async (deck) => ({ deck, cardCount: await this.cardCount(deck.id), queue: await this.queue(deck.id, now, settings) })),
    );
  }

  async cardCount(deckId: string): Promise<number> {
    const { db } = this;
    const [all, retired] = await Promise.all([
      db.cards.where('deckId').equals(deckId).count(),
      db.cards.where('[deckId+queue+due]').between([deckId, Queue.Retired, Dexie.minKey], [deckId, Queue.Retired, Dexie.maxKey]).count(),
    ]);
    return all - retired;
  }

  /** The next card of a deck and the remaining counts, as of `now`. */
  async queue(deckId: string, now: Date, settings: StudySettings): Promise<QueueState> {
    return nextInQueue(await this.queueSnapshot(deckId, now, settings), now, settings, studyDay(now, settings.dayStartHour).end);
  }

  /**
   * What the queue of a deck is made of, read through indexes: the head of each queue and
   * counts up to the daily limits. With `without`, read as if that card were not there; the
   * review screen reads this while a card is shown, to show the next one right after the
   * answer is written (see snapshotAfterAnswer).
   */
  async queueSnapshot(deckId: string, now: Date, settings: StudySettings, without?: CardRecord): Promise<QueueSnapshot> {
    const { db } = this;
    const day = studyDay(now, settings.dayStartHour);
    const aheadUntil = new Date(now.getTime() + learnAheadMs);
    // Functions, not shared values: Dexie collections are mutable, limit() would stick.
    const inQueue = (queue: Queue, from: Date | typeof Dexie.minKey, to: Date | typeof Dexie.maxKey) =>
      db.cards.where('[deckId+queue+due]').between([deckId, queue, from], [deckId, queue, to], true, false);
    const newCards = () =>
      db.cards.where('[deckId+queue+position]').between([deckId, Queue.New, Dexie.minKey], [deckId, Queue.New, Dexie.maxKey]);
    const answeredToday = (stateBefore: State) =>
      db.reviewLog.where('[deckId+stateBefore+reviewedAt]').between([deckId, stateBefore, day.start], [deckId, stateBefore, day.end]).count();
    type Cards = ReturnType<typeof newCards>;
    const head = async (collection: Cards) =>
      (await collection.limit(2).toArray()).find((card) => card.id !== without?.id);
    // Counting only just past the daily limit keeps the cost flat however many cards wait.
    const countUpTo = async (collection: Cards, limit: number) =>
      (await collection.limit(limit + 1).primaryKeys()).filter((id) => id !== without?.id).length;
    const excluded = (queue: Queue, before: Date) => (without && without.queue === queue && without.due < before ? 1 : 0);

    return db.transaction('r', [db.cards, db.reviewLog], async () => {
      const [learningHead, learningDueSoon, reviewHead, reviewsDue, newHead, newAvailable, newDone, reviewsDone, laterLearning, laterReview] =
        await Promise.all([
          head(inQueue(Queue.Learning, Dexie.minKey, day.end)),
          inQueue(Queue.Learning, Dexie.minKey, aheadUntil).count(),
          head(inQueue(Queue.Review, Dexie.minKey, day.end)),
          countUpTo(inQueue(Queue.Review, Dexie.minKey, day.end), settings.reviewsPerDay),
          head(newCards()),
          countUpTo(newCards(), settings.newCardsPerDay),
          answeredToday(State.New),
          answeredToday(State.Review),
          head(inQueue(Queue.Learning, day.end, Dexie.maxKey)),
          head(inQueue(Queue.Review, day.end, Dexie.maxKey)),
        ]);
      return {
        learningHead,
        learningSoon: learningDueSoon - excluded(Queue.Learning, aheadUntil),
        reviewHead,
        reviewsDue,
        newHead,
        newAvailable,
        doneToday: { newCards: newDone, reviews: reviewsDone },
        laterDue: earliestDate([laterLearning?.due, laterReview?.due]),
      };
    });
  }

  /** Stores an answer: the updated card and its log row, both or neither. */
  async answer(before: CardRecord, after: CardRecord, log: ReviewLogRow): Promise<AnswerReceipt> {
    const { db } = this;
    const logId = await this.track(
      db.transaction('rw', [db.cards, db.reviewLog], async () => {
        await db.cards.put(after);
        return db.reviewLog.add(log);
      }),
    );
    return { before, logId: logId as number };
  }

  /** Takes an answer back: the card exactly as it was, and its log row gone. */
  async undoAnswer(receipt: AnswerReceipt): Promise<void> {
    const { db } = this;
    await this.track(
      db.transaction('rw', [db.cards, db.reviewLog], async () => {
        await db.cards.put(receipt.before);
        await db.reviewLog.delete(receipt.logId);
      }),
    );
  }
}
