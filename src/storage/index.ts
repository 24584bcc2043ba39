// The one module that talks to IndexedDB. Screens call these typed functions and never
// see Dexie; every multi-row change happens in a single transaction.
import Dexie from 'dexie';
import { State, type FSRS } from 'ts-fsrs';
import { planBuiltInSync } from '../domain/builtInSync.ts';
import type { BuiltInDeck } from '../domain/deckFile.ts';
import { earliestDate, learnAheadMs, nextInQueue, type QueueSnapshot, type QueueState } from '../domain/queue.ts';
import { studyDay } from '../domain/studyDay.ts';
import { rescheduleFromHistory, resetCard } from '../domain/scheduler.ts';
import { defaultSettings, Queue, queueForState, type CardRecord, type Deck, type DeckSettings, type ReviewLogRow, type StudySettings } from '../domain/types.ts';
import type { NoteChange } from '../domain/userCards.ts';
import { openDatabase, type KubecardsDatabase } from './database.ts';

export interface DeckSummary {
  deck: Deck;
  /** Cards in the deck, not counting retired ones. */
  cardCount: number;
  queue: QueueState;
}

/**
 * What is needed to take an action back: the rows it changed, as they were, and the rows it
 * created. Undo puts the first back and deletes the second, in one transaction.
 */
export interface UndoStep {
  /** What the action was, for the Undo button: "Answer", "Bury", "Delete deck"… */
  label: string;
  cards: CardRecord[];
  decks: Deck[];
  logRows: ReviewLogRow[];
  addedCardIds: string[];
  addedDeckIds: string[];
  addedLogIds: number[];
  /** The card to show again after undoing, such as the one answered or buried. */
  card?: CardRecord;
}

function undoStep(label: string, parts: Partial<UndoStep>): UndoStep {
  return { label, cards: [], decks: [], logRows: [], addedCardIds: [], addedDeckIds: [], addedLogIds: [], ...parts };
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
    return { ...defaultSettings, ...(row?.value as StudySettings | undefined) };
  }

  async saveSettings(value: StudySettings): Promise<void> {
    await this.track(this.db.settings.put({ key: 'study', value }));
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

  async deckSummaries(now: Date, settingsFor: (deckId: string) => StudySettings): Promise<DeckSummary[]> {
    const decks = await this.decks();
    return Promise.all(
      decks.map(async (deck) => ({
        deck,
        cardCount: await this.cardCount(deck.id),
        queue: await this.queue(deck.id, now, settingsFor(deck.id)),
      })),
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
  async answer(before: CardRecord, after: CardRecord, log: ReviewLogRow): Promise<UndoStep> {
    const { db } = this;
    const logId = await this.track(
      db.transaction('rw', [db.cards, db.reviewLog], async () => {
        await db.cards.put(after);
        return db.reviewLog.add(log);
      }),
    );
    return undoStep('Answer', { cards: [before], addedLogIds: [logId as number], card: before });
  }

  /** Takes an action back: every row it changed as it was, every row it made gone. */
  async undo(step: UndoStep): Promise<void> {
    const { db } = this;
    await this.track(
      db.transaction('rw', [db.decks, db.cards, db.reviewLog], async () => {
        await db.reviewLog.bulkDelete(step.addedLogIds);
        await db.cards.bulkDelete(step.addedCardIds);
        await db.decks.bulkDelete(step.addedDeckIds);
        await db.decks.bulkPut(step.decks);
        await db.cards.bulkPut(step.cards);
        await db.reviewLog.bulkPut(step.logRows);
      }),
    );
  }

  /** Writes changed cards (each given with its state before) as one undoable step. */
  private async changeCards(label: string, changes: { before: CardRecord; after: CardRecord }[], card?: CardRecord): Promise<UndoStep> {
    const { db } = this;
    await this.track(db.cards.bulkPut(changes.map((change) => change.after)));
    return undoStep(label, { cards: changes.map((change) => change.before), card });
  }

  /** Hides a card until the next study day (Anki's bury). */
  bury(card: CardRecord, studyDayNumber: number): Promise<UndoStep> {
    return this.changeCards('Bury', [{ before: card, after: { ...card, queue: Queue.Buried, buriedOnDay: studyDayNumber } }], card);
  }

  suspend(card: CardRecord): Promise<UndoStep> {
    return this.changeCards('Suspend', [{ before: card, after: { ...card, queue: Queue.Suspended } }], card);
  }

  unsuspend(card: CardRecord): Promise<UndoStep> {
    return this.changeCards('Unsuspend', [{ before: card, after: { ...card, queue: queueForState(card.state) } }], card);
  }

  setFlag(card: CardRecord, flag: number): Promise<UndoStep> {
    return this.changeCards(flag ? 'Flag' : 'Remove flag', [{ before: card, after: { ...card, flag } }], card);
  }

  reset(card: CardRecord, now: Date): Promise<UndoStep> {
    return this.changeCards('Reset', [{ before: card, after: resetCard(card, now) }], card);
  }

  /** Brings back cards buried on an earlier study day. */
  async unburyBefore(studyDayNumber: number): Promise<void> {
    const { db } = this;
    await this.track(
      db.transaction('rw', [db.cards], async () => {
        const buried = await db.cards.where('queue').equals(Queue.Buried).toArray();
        const due = buried.filter((card) => (card.buriedOnDay ?? 0) < studyDayNumber);
        await db.cards.bulkPut(due.map(({ buriedOnDay: _day, ...card }) => ({ ...card, queue: queueForState(card.state) })));
      }),
    );
  }

  /** Where the deck's next new card goes in introduction order. */
  async nextPosition(deckId: string): Promise<number> {
    const last = await this.db.cards.where('[deckId+queue+position]').between([deckId, Queue.New, Dexie.minKey], [deckId, Queue.New, Dexie.maxKey]).last();
    const count = await this.db.cards.where('deckId').equals(deckId).count();
    return Math.max(count, (last?.position ?? -1) + 1);
  }

  /** Every card made from the same note as `card` (just the card, unless it is a user's cloze). */
  async noteCards(card: CardRecord): Promise<CardRecord[]> {
    if (!card.cloze) return [card];
    const deckCards = await this.db.cards.where('deckId').equals(card.deckId).toArray();
    return deckCards.filter((other) => other.cloze?.noteId === card.cloze!.noteId);
  }

  /** Adds new cards (a user's note) as one undoable step. */
  async addCards(cards: CardRecord[]): Promise<UndoStep> {
    await this.track(this.db.cards.bulkAdd(cards));
    return undoStep('Add', { addedCardIds: cards.map((card) => card.id) });
  }

  /** Saves an edited note: its cards as they were (`before`) and as they are now. */
  async saveNote(before: CardRecord[], change: NoteChange, card: CardRecord): Promise<UndoStep> {
    const { db } = this;
    await this.track(
      db.transaction('rw', [db.cards], async () => {
        await db.cards.bulkAdd(change.added);
        await db.cards.bulkPut([...change.updated, ...change.retired]);
      }),
    );
    return undoStep('Edit', { cards: before, addedCardIds: change.added.map((added) => added.id), card });
  }

  /** Cards with a new schedule replayed from their history: all decks in one transaction and one undoable step. */
  async reschedule(deckIds: string[], schedulerFor: (deckId: string) => FSRS, now: Date): Promise<{ step: UndoStep; changed: number }> {
    const { db } = this;
    return this.track(
      db.transaction('rw', [db.cards, db.reviewLog], async () => {
        const cards = await db.cards.where('deckId').anyOf(deckIds).toArray();
        const logs = await db.reviewLog.where('cardId').anyOf(cards.map((card) => card.id)).sortBy('reviewedAt');
        const history = new Map<string, ReviewLogRow[]>();
        for (const row of logs) history.set(row.cardId, [...(history.get(row.cardId) ?? []), row]);
        const changes = cards.flatMap((before) => {
          const after = rescheduleFromHistory(schedulerFor(before.deckId), before, history.get(before.id) ?? [], now);
          return after ? [{ before, after }] : [];
        });
        await db.cards.bulkPut(changes.map((change) => change.after));
        return { step: undoStep('Reschedule', { cards: changes.map((change) => change.before) }), changed: changes.length };
      }),
    );
  }

  async createDeck(id: string, title: string, description: string): Promise<UndoStep> {
    const { db } = this;
    await this.track(
      db.transaction('rw', [db.decks], async () => {
        const position = ((await db.decks.orderBy('position').last())?.position ?? -1) + 1;
        await db.decks.add({ id, title, description, position, origin: 'user' });
      }),
    );
    return undoStep('Create deck', { addedDeckIds: [id] });
  }

  async renameDeck(deck: Deck, title: string, description: string, now: Date): Promise<UndoStep> {
    await this.track(this.db.decks.put({ ...deck, title, description, editedAt: now }));
    return undoStep('Rename deck', { decks: [deck] });
  }

  /** Deletes a deck with all its cards and their review history, all or nothing. */
  async deleteDeck(deckId: string): Promise<UndoStep> {
    const { db } = this;
    return this.track(
      db.transaction('rw', [db.decks, db.cards, db.reviewLog], async () => {
        const deck = await db.decks.get(deckId);
        const cards = await db.cards.where('deckId').equals(deckId).toArray();
        const logRows = await db.reviewLog.where('cardId').anyOf(cards.map((card) => card.id)).toArray();
        await db.reviewLog.bulkDelete(logRows.map((row) => row.id!));
        await db.cards.bulkDelete(cards.map((card) => card.id));
        // The deck's own settings stay (one small row), so undoing the deletion keeps them.
        await db.decks.delete(deckId);
        return undoStep('Delete deck', { decks: deck ? [deck] : [], cards, logRows });
      }),
    );
  }

  async deckSettings(): Promise<Map<string, DeckSettings>> {
    const rows = await this.db.settings.where('key').startsWith('deck:').toArray();
    return new Map(rows.map((row) => [row.key.slice('deck:'.length), row.value as DeckSettings]));
  }

  async saveDeckSettings(deckId: string, value: DeckSettings | undefined): Promise<void> {
    const key = `deck:${deckId}` as const;
    await this.track<unknown>(value ? this.db.settings.put({ key, value }) : this.db.settings.delete(key));
  }

  async allReviewLog(): Promise<ReviewLogRow[]> {
    return this.db.reviewLog.toArray();
  }

  /** Answers given in [from, to), all decks. */
  async reviewLogBetween(from: Date, to: Date): Promise<ReviewLogRow[]> {
    return this.db.reviewLog.where('reviewedAt').between(from, to).toArray();
  }

  async answeredBetween(from: Date, to: Date): Promise<boolean> {
    return (await this.db.reviewLog.where('reviewedAt').between(from, to).limit(1).count()) > 0;
  }

  /** Every card that is not retired, for the browser. */
  async allCards(): Promise<CardRecord[]> {
    return this.db.cards.where('queue').notEqual(Queue.Retired).toArray();
  }
}
