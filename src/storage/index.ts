// The one module that talks to IndexedDB. Screens call these typed functions and never
// see Dexie; every multi-row change happens in a single transaction.
import Dexie from 'dexie';
import { planBuiltInSync } from '../domain/builtInSync.ts';
import type { BuiltInDeck } from '../domain/deckFile.ts';
import type { DoneFacts } from '../domain/doneScreen.ts';
import type { ExamGoal } from '../domain/exams.ts';
import { earliestDate, learnAheadMs, nextInQueue, type QueueSnapshot, type QueueState, type TodayExtra } from '../domain/queue.ts';
import { areSiblings, burySettingsFor, noteOf, siblingsToBury } from '../domain/siblings.ts';
import { studyDay } from '../domain/studyDay.ts';
import { manualLogRow, resetCard, scheduleOf } from '../domain/schedule.ts';
import {
  CardState,
  defaultSettings,
  isAnswer,
  Queue,
  queueForState,
  type AnswerLogRow,
  type CardContent,
  type CardRecord,
  type Deck,
  type DeckSettings,
  type MediaRecord,
  type NoteTypeRecord,
  type ReviewLogRow,
  type StudySettings,
} from '../domain/types.ts';
import type { NoteChange } from '../domain/userCards.ts';
import { ChangeChannel, type Change } from './changes.ts';
import { openDatabase, type KubecardsDatabase } from './database.ts';
import { checkRevision, StaleRecordError } from './staleRecord.ts';
import type { RescheduleUndo } from './reschedule.ts';
import type { StoredLogRow, SyncRecorder } from './syncOutbox.ts';

export { StaleRecordError } from './staleRecord.ts';
export type { Change } from './changes.ts';

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
  /**
   * Each changed or added card's revision right after the action. Undo applies only while
   * every one is still that revision: once another tab changed one, undoing would overwrite it.
   */
  revsAfter: Record<string, number>;
  /** Decks the undo puts back: the `editedAt` time each must still have (renamed), or absent (deleted). */
  decksAfter: Record<string, number | 'absent'>;
  /** Settings the undo puts back, as they were: the global ones, and decks' own (undefined: none). */
  settings?: SettingsChange;
  /** A reschedule's cards, which can be the whole collection, kept apart and small (see reschedule.ts). */
  rescheduled?: RescheduleUndo;
}

/** A card as a screen last saw it: a change applies only while it is still that revision. */
export type CardRevision = Pick<CardRecord, 'id' | 'rev'>;

/** New global settings and decks' own settings (undefined: the deck uses the global ones). */
export interface SettingsChange {
  study?: StudySettings;
  decks?: [string, DeckSettings | undefined][];
}

/**
 * A card's new schedule and its log row; `alsoChanged`: other cards the change carries, as
 * they were and are (the siblings an answer buries), read in the same transaction.
 */
interface CardWithLog {
  after: CardRecord;
  log: ReviewLogRow;
  alsoChanged?: [CardRecord, CardRecord][];
}

/** Built-in cards written per task when the decks are seeded or updated. */
const seedBatch = 20;

export function undoStep(label: string, parts: Partial<UndoStep>): UndoStep {
  return { label, cards: [], decks: [], logRows: [], addedCardIds: [], addedDeckIds: [], addedLogIds: [], revsAfter: {}, decksAfter: {}, ...parts };
}

/** The fields an edit writes; an answer or other scheduling change never writes these. */
function contentOf(card: CardRecord): CardContent & Pick<CardRecord, 'editedAt' | 'cloze'> {
  const { kind, front, back, source, exam, tags, note, editedAt, cloze } = card;
  return { kind, front, back, source, exam, tags, note, editedAt, cloze };
}

export class Storage {
  private readonly db: KubecardsDatabase;
  private readonly writes = new Set<Promise<unknown>>();
  private readonly replacedListeners: (() => void)[] = [];
  private replaced = false;
  private readonly changes: ChangeChannel;
  private recorder?: Promise<SyncRecorder>;

  constructor(name = 'kubecards') {
    this.db = openDatabase(name);
    this.changes = new ChangeChannel(name);
    this.sync().catch(() => {});
    // A newer app version in another tab wants to change the schema: this tab stops using
    // the database at once (no writes with an old idea of the schema) and asks to reload.
    this.db.on('versionchange', () => {
      this.db.close({ disableAutoOpen: true });
      this.changes.close(); // the newer tab's notices would only lead to reads that fail
      this.replaced = true;
      for (const listener of this.replacedListeners) listener();
      return false;
    });
  }

  close(): void {
    this.db.close();
    this.changes.close();
  }

  /**
   * What notes each change for sync (see syncOutbox.ts), loaded apart from the first screen's
   * code and opened at start, so that no write waits for it. A failed load is tried again.
   */
  private sync(): Promise<SyncRecorder> {
    this.recorder ??= import('./syncOutbox.ts').then((module) => module.openSyncRecorder(this.db));
    this.recorder.catch(() => (this.recorder = undefined));
    return this.recorder;
  }

  /** Calls `listener` after another tab or window committed a change; returns the function that stops it. */
  onExternalChange(listener: (change: Change) => void): () => void {
    return this.changes.listen(listener);
  }

  /** Called when another tab upgrades the database; this tab can no longer read or write. */
  onReplaced(listener: () => void): void {
    // A screen that loads late still hears of a replacement that came first.
    if (this.replaced) listener();
    this.replacedListeners.push(listener);
  }

  /** Resolves once no write is in flight, e.g. before reloading into a new version. */
  async idle(): Promise<void> {
    while (this.writes.size > 0) await Promise.allSettled([...this.writes]);
  }

  /** Called after each write of this tab is committed (sync sends it a little later). */
  afterWrite?: () => void;

  private track<T>(write: Promise<T>): Promise<T> {
    this.writes.add(write);
    const untrack = () => this.writes.delete(write);
    write.then(() => (untrack(), this.afterWrite?.()), untrack);
    return write;
  }

  /** Tracks a write and, once it is committed, tells the other tabs what it changed. */
  private async commit<T>(write: Promise<T>, changed: (result: T) => Partial<Change>): Promise<T> {
    const result = await this.track(write);
    const { cardIds = [], deckIds = [] } = changed(result);
    this.changes.announce({ cardIds, deckIds });
    return result;
  }

  async settings(): Promise<StudySettings> {
    const row = await this.db.settings.get('study');
    return { ...defaultSettings, ...(row?.value as StudySettings | undefined) };
  }

  saveSettings(value: StudySettings): Promise<UndoStep> {
    return this.changeSettings('Settings', { study: value });
  }

  async builtInVersion(): Promise<string | undefined> {
    return (await this.db.meta.get('builtInVersion'))?.value as string | undefined;
  }

  /**
   * Brings the built-in decks to `version`; see planBuiltInSync for what is kept. Without a
   * version, `decks` are some of them, stored ahead of the rest: nothing is retired and the
   * stored version stays as it was.
   */
  async syncBuiltInDecks(decks: BuiltInDeck[], version: string | undefined, now: Date): Promise<void> {
    const { db } = this;
    await db.transaction('rw', [db.decks, db.cards, db.meta], async () => {
      const existingDecks = await db.decks.where('origin').equals('built-in').toArray();
      const existingCards = await db.cards.where('origin').equals('built-in').toArray();
      const plan = planBuiltInSync(decks, existingDecks, existingCards, now);
      await db.decks.bulkPut(plan.decks);
      // A part at a time: the page copies each card into IndexedDB in the task that writes it,
      // and a first start writes hundreds, which in one go would block the page for long.
      const changed = [...plan.updated, ...(version ? plan.retired : [])].map((card) => ({ ...card, rev: card.rev + 1 }));
      for (let start = 0; start < plan.added.length; start += seedBatch) await db.cards.bulkAdd(plan.added.slice(start, start + seedBatch));
      for (let start = 0; start < changed.length; start += seedBatch) await db.cards.bulkPut(changed.slice(start, start + seedBatch));
      if (version) await db.meta.put({ key: 'builtInVersion', value: version });
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

  /** A media file an imported card refers to by name. */
  async mediaFile(name: string): Promise<MediaRecord | undefined> {
    return this.db.media.get(name);
  }

  /** The note type an imported card was made with (its style sheet, for showing the card). */
  async noteType(id: string): Promise<NoteTypeRecord | undefined> {
    return this.db.noteTypes.get(id);
  }

  /** A card's whole log, answers and manual changes, in the order they were written. */
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

  /** The next card of a deck and the remaining counts, as of `now`; `lastShown`: the card just shown, whose siblings are passed over while other cards wait. */
  async queue(deckId: string, now: Date, settings: StudySettings, lastShown?: CardRecord): Promise<QueueState> {
    return nextInQueue(await this.queueSnapshot(deckId, now, settings, undefined, lastShown), now, settings, studyDay(now, settings.dayStartHour).end);
  }

  /**
   * What the queue of a deck is made of, read through indexes: the head of each queue and
   * counts up to the daily limits. With `without`, read as if that card were not there; the
   * review screen reads this while a card is shown, to show the next one right after the
   * answer is written (see snapshotAfterAnswer). The heads leaving out the siblings of
   * `lastShown` (by default `without`) are read too, if it has any.
   */
  async queueSnapshot(deckId: string, now: Date, settings: StudySettings, without?: CardRecord, lastShown = without): Promise<QueueSnapshot> {
    const { db } = this;
    const day = studyDay(now, settings.dayStartHour);
    const aheadUntil = new Date(now.getTime() + learnAheadMs);
    // Functions, not shared values: Dexie collections are mutable, limit() would stick.
    const inQueue = (queue: Queue, from: Date | typeof Dexie.minKey, to: Date | typeof Dexie.maxKey) =>
      db.cards.where('[deckId+queue+due]').between([deckId, queue, from], [deckId, queue, to], true, false);
    const newCards = () =>
      db.cards.where('[deckId+queue+position]').between([deckId, Queue.New, Dexie.minKey], [deckId, Queue.New, Dexie.maxKey]);
    const answeredToday = (stateBefore: number) =>
      db.reviewLog.where('[deckId+stateBefore+reviewedAt]').between([deckId, stateBefore, day.start], [deckId, stateBefore, day.end]).count();
    type Cards = ReturnType<typeof newCards>;
    const head = async (collection: Cards) =>
      (await collection.limit(2).toArray()).find((card) => card.id !== without?.id);
    // Counting only just past the daily limit keeps the cost flat however many cards wait.
    const countUpTo = async (collection: Cards, limit: number) =>
      (await collection.limit(limit + 1).primaryKeys()).filter((id) => id !== without?.id).length;
    const excluded = (queue: Queue, before: Date) => (without && without.queue === queue && without.due < before ? 1 : 0);
    const note = lastShown && noteOf(lastShown);
    // Stops at the first card of another note: a note has a handful of cards at most.
    const headOfOtherNote = (collection: Cards) =>
      collection.filter((card) => card.id !== without?.id && (card.id === lastShown?.id || noteOf(card)?.noteId !== note?.noteId)).first();
    const readSiblingFree = async (): Promise<QueueSnapshot['siblingFree']> => {
      if (!note) return undefined;
      const [learning, review, fresh] = await Promise.all([
        headOfOtherNote(inQueue(Queue.Learning, Dexie.minKey, day.end)),
        headOfOtherNote(inQueue(Queue.Review, Dexie.minKey, day.end)),
        headOfOtherNote(newCards()),
      ]);
      return { noteId: note.noteId, learningHead: learning, reviewHead: review, newHead: fresh };
    };

    return db.transaction('r', [db.cards, db.reviewLog, db.settings], async () => {
      const extraToday = await this.extraToday(deckId, day.number);
      const [learningHead, learningDueSoon, reviewHead, reviewsDue, newHead, newAvailable, newDone, reviewsDone, laterLearning, laterReview, siblingFree] =
        await Promise.all([
          head(inQueue(Queue.Learning, Dexie.minKey, day.end)),
          inQueue(Queue.Learning, Dexie.minKey, aheadUntil).count(),
          head(inQueue(Queue.Review, Dexie.minKey, day.end)),
          countUpTo(inQueue(Queue.Review, Dexie.minKey, day.end), settings.reviewsPerDay + (extraToday?.reviews ?? 0)),
          head(newCards()),
          countUpTo(newCards(), settings.newCardsPerDay + (extraToday?.newCards ?? 0)),
          answeredToday(CardState.New),
          answeredToday(CardState.Review),
          head(inQueue(Queue.Learning, day.end, Dexie.maxKey)),
          head(inQueue(Queue.Review, day.end, Dexie.maxKey)),
          readSiblingFree(),
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
        ...(siblingFree ? { siblingFree } : {}),
        ...(extraToday ? { extraToday } : {}),
      };
    });
  }

  /** What Custom study added to the deck's limits for study day `dayNumber`, if anything. */
  private async extraToday(deckId: string, dayNumber: number): Promise<TodayExtra | undefined> {
    const row = await this.db.settings.get(`today:${deckId}`);
    const value = row?.value as (TodayExtra & { day: number }) | undefined;
    return value && value.day === dayNumber ? { newCards: value.newCards, reviews: value.reviews } : undefined;
  }

  /** What the done screen says why the deck stopped from (see doneReasons): counted on indexes, read only when the deck is done. */
  async doneFacts(deckId: string, now: Date, settings: StudySettings): Promise<DoneFacts> {
    const { db } = this;
    const day = studyDay(now, settings.dayStartHour);
    const inQueue = (queue: Queue, to: Date | typeof Dexie.maxKey) =>
      db.cards.where('[deckId+queue+due]').between([deckId, queue, Dexie.minKey], [deckId, queue, to], true, false);
    const answeredToday = (stateBefore: number) =>
      db.reviewLog.where('[deckId+stateBefore+reviewedAt]').between([deckId, stateBefore, day.start], [deckId, stateBefore, day.end]).count();
    return db.transaction('r', [db.cards, db.reviewLog, db.settings], async () => {
      const [extra, newWaiting, reviewsWaiting, buried, newDone, reviewsDone] = await Promise.all([
        this.extraToday(deckId, day.number),
        db.cards.where('[deckId+queue+position]').between([deckId, Queue.New, Dexie.minKey], [deckId, Queue.New, Dexie.maxKey]).count(),
        inQueue(Queue.Review, day.end).count(),
        inQueue(Queue.Buried, Dexie.maxKey).count(),
        answeredToday(CardState.New),
        answeredToday(CardState.Review),
      ]);
      return {
        limits: { newCardsPerDay: settings.newCardsPerDay + (extra?.newCards ?? 0), reviewsPerDay: settings.reviewsPerDay + (extra?.reviews ?? 0) },
        doneToday: { newCards: newDone, reviews: reviewsDone },
        newWaiting,
        reviewsWaiting,
        buried,
      };
    });
  }

  /** Custom study's "Review ahead": review cards of the deck due in the `days` study days after today, earliest first. */
  async reviewAhead(deckId: string, now: Date, settings: StudySettings, days: number, limit = 100): Promise<CardRecord[]> {
    const { end } = studyDay(now, settings.dayStartHour);
    const until = new Date(end);
    until.setDate(until.getDate() + days);
    return this.db.cards.where('[deckId+queue+due]').between([deckId, Queue.Review, end], [deckId, Queue.Review, until], true, false).limit(limit).toArray();
  }

  /** Custom study's "Study forgotten cards": cards of the deck answered Again today, in the order they were first forgotten. */
  async forgottenToday(deckId: string, now: Date, settings: StudySettings): Promise<CardRecord[]> {
    const { start, end } = studyDay(now, settings.dayStartHour);
    const rows = await this.db.reviewLog.where('reviewedAt').between(start, end).toArray();
    const ids = [...new Set(rows.filter((row) => isAnswer(row) && row.deckId === deckId && row.rating === 1).map((row) => row.cardId))];
    const cards = await this.db.cards.bulkGet(ids);
    return cards.filter((card): card is CardRecord => !!card && (card.queue === Queue.Learning || card.queue === Queue.Review));
  }

  /** Custom study's "Unbury": the deck's buried cards (buried by hand or as siblings) come back today, as one undoable step. */
  async unburyDeck(deckId: string): Promise<UndoStep | undefined> {
    const buried = await this.db.cards.where('[deckId+queue+due]').between([deckId, Queue.Buried, Dexie.minKey], [deckId, Queue.Buried, Dexie.maxKey]).toArray();
    if (buried.length === 0) return undefined;
    return this.changeCards('Unbury', buried, (stored) => ({ queue: queueForState(stored.state), buriedOnDay: undefined }), 'nothing was unburied');
  }

  /**
   * Adds to the deck's limits for the study day `dayNumber` only (Anki's "Increase today's
   * new card limit"); the next study day starts from the deck's own again. This device only.
   */
  async extendLimitsToday(deckId: string, dayNumber: number, more: Partial<TodayExtra>): Promise<void> {
    const { db } = this;
    await this.commit(
      db.transaction('rw', db.settings, async () => {
        const current = (await this.extraToday(deckId, dayNumber)) ?? { newCards: 0, reviews: 0 };
        const value = { day: dayNumber, newCards: current.newCards + (more.newCards ?? 0), reviews: current.reviews + (more.reviews ?? 0) };
        await db.settings.put({ key: `today:${deckId}`, value });
      }),
      () => ({ deckIds: [deckId] }),
    );
  }

  /**
   * Stores an answer: the card's scheduling fields and its log row, both or neither, and
   * only if the card is still the revision `before` the answer was computed from.
   */
  answer(before: CardRecord, after: CardRecord, log: AnswerLogRow, settings?: StudySettings): Promise<UndoStep> {
    return this.changeCardWithLog('Answer', before, 'this answer was not saved', async (stored) => {
      // The leech tag joins the tags as stored, never a copy the screen read earlier.
      const tags = after.tags.includes('leech') && !stored.tags.includes('leech') ? [...stored.tags, 'leech'] : stored.tags;
      const answered: CardRecord = { ...stored, ...scheduleOf(after), queue: after.queue, tags };
      if (!after.last_review) delete answered.last_review;
      return { after: answered, log, alsoChanged: settings ? await this.siblingsBuriedBy(stored, settings, log.reviewedAt) : [] };
    });
  }

  /** The siblings answering `card` buries (Anki's bury options of its deck), buried; read inside the answer's transaction. */
  private async siblingsBuriedBy(card: CardRecord, settings: StudySettings, at: Date): Promise<[CardRecord, CardRecord][]> {
    const note = noteOf(card);
    if (!note) return [];
    const { db } = this;
    const [deck, candidates] = await Promise.all([db.decks.get(card.deckId), db.cards.where('id').startsWith(note.idPrefix).toArray()]);
    const day = studyDay(at, settings.dayStartHour);
    const bury = burySettingsFor(settings, deck?.origin ?? card.origin);
    const siblings = candidates.filter((other) => areSiblings(card, other));
    return siblingsToBury(siblings, bury, day).map((sibling) => [sibling, { ...sibling, queue: Queue.Buried, buriedOnDay: day.number, rev: sibling.rev + 1 }]);
  }

  /**
   * Changes one card's schedule and logs it, both or neither: `change` gives the card and its
   * log row from the card as stored, which must still be the revision the screen acted on.
   */
  private async changeCardWithLog(
    label: string,
    card: CardRecord,
    refused: string,
    change: (stored: CardRecord) => CardWithLog | Promise<CardWithLog>,
  ): Promise<UndoStep> {
    const { db } = this;
    const sync = await this.sync();
    const changedIds: string[] = [card.id];
    return this.commit(
      db.transaction('rw', [db.cards, db.decks, db.reviewLog, db.syncOutbox], async () => {
        const stored = checkRevision(await db.cards.get(card.id), card.rev, refused);
        const { after, log, alsoChanged = [] } = await change(stored);
        const rev = stored.rev + 1;
        const row = sync.withUid(log);
        // Requested together, not one after another: the transaction runs them in this order
        // anyway, and each round trip to IndexedDB would delay the next card on screen.
        const [, logId] = await Promise.all([
          db.cards.bulkPut([{ ...after, rev }, ...alsoChanged.map(([, other]) => other)]),
          db.reviewLog.add(row) as Promise<number>,
          sync.record(row.reviewedAt, { cards: [[stored, after], ...alsoChanged], logRows: [row] }),
        ]);
        changedIds.push(...alsoChanged.map(([other]) => other.id));
        return undoStep(label, {
          cards: [stored, ...alsoChanged.map(([other]) => other)],
          addedLogIds: [logId],
          card: stored,
          revsAfter: Object.fromEntries([[card.id, rev], ...alsoChanged.map(([, other]) => [other.id, other.rev])]),
        });
      }),
      () => ({ cardIds: changedIds }),
    );
  }

  /**
   * Takes an action back: every row it changed as it was, every row it made gone, all or
   * nothing. Refused (StaleRecordError) once another tab has changed what the action wrote.
   * Revisions only go up: a restored card gets a new one, so that a copy another tab read
   * after the action can never pass for the restored card. Returns the step with its card
   * as restored.
   */
  async undo(step: UndoStep): Promise<UndoStep & { revsRestored: Record<string, number> }> {
    const { db } = this;
    const refused = `"${step.label}" can no longer be undone`;
    const { rescheduled } = step;
    if (rescheduled) {
      const { RescheduleStorage } = await import('./reschedule.ts');
      const reschedules = new RescheduleStorage(db.name);
      try {
        const revsRestored = await this.commit(reschedules.undo(rescheduled, refused), () => ({ cardIds: [...rescheduled.revsBefore.keys()] }));
        return { ...step, revsRestored };
      } finally {
        reschedules.close();
      }
    }
    const sync = await this.sync();
    return this.commit(
      db.transaction('rw', [db.decks, db.cards, db.reviewLog, db.syncOutbox, db.logTombstones, db.settings], async () => {
        if (step.settings) await this.writeSettings(step.settings, sync);
        for (const [id, after] of Object.entries(step.decksAfter)) {
          const stored = await db.decks.get(id);
          const current = stored ? (stored.editedAt?.getTime() ?? 0) : 'absent';
          if (current !== after) throw new StaleRecordError(`This deck was changed in another tab or window, so ${refused}.`);
        }
        // Every card the step touches, read once.
        const ids = [...new Set([...Object.keys(step.revsAfter), ...step.cards.map((card) => card.id)])];
        const current = new Map((await db.cards.bulkGet(ids)).flatMap((card) => (card ? [[card.id, card]] : [])));
        for (const [id, rev] of Object.entries(step.revsAfter)) checkRevision(current.get(id), rev, refused);
        for (const card of step.cards) {
          // Cards the action deleted must still be gone (another tab may have made them again).
          if (!(card.id in step.revsAfter) && current.has(card.id)) {
            throw new StaleRecordError(`This card was made again in another tab or window, so ${refused}.`);
          }
        }
        for (const deckId of step.addedDeckIds) {
          if ((await db.cards.where('deckId').equals(deckId).count()) > step.addedCardIds.length) {
            throw new StaleRecordError(`Cards were added to this deck in another tab or window, so ${refused}.`);
          }
        }
        const restored = step.cards.map((card) => ({ ...card, rev: Math.max(card.rev, current.get(card.id)?.rev ?? card.rev) + 1 }));
        const undoneRows = (await db.reviewLog.bulkGet(step.addedLogIds)).filter((row): row is StoredLogRow => !!row?.uid);
        const decksBefore = new Map((await db.decks.bulkGet([...step.decks.map((deck) => deck.id), ...step.addedDeckIds])).flatMap((deck) => (deck ? [[deck.id, deck]] : [])));
        await db.reviewLog.bulkDelete(step.addedLogIds);
        await db.cards.bulkDelete(step.addedCardIds);
        await db.decks.bulkDelete(step.addedDeckIds);
        await db.decks.bulkPut(step.decks);
        await db.cards.bulkPut(restored);
        await db.reviewLog.bulkPut(step.logRows);
        await sync.record(new Date(), {
          cards: [...step.addedCardIds.map((id) => [current.get(id), undefined]), ...restored.map((card) => [current.get(card.id), card])] as [CardRecord | undefined, CardRecord | undefined][],
          decks: [...step.addedDeckIds.map((id) => [decksBefore.get(id), undefined]), ...step.decks.map((deck) => [decksBefore.get(deck.id), deck])] as [Deck | undefined, Deck | undefined][],
          logRows: step.logRows.filter((row): row is StoredLogRow => !!row.uid),
          undone: undoneRows,
        });
        return {
          ...step,
          card: step.card && restored.find((card) => card.id === step.card!.id),
          revsRestored: Object.fromEntries(restored.map((card) => [card.id, card.rev])),
        };
      }),
      () => ({
        cardIds: [...step.cards.map((card) => card.id), ...step.addedCardIds],
        deckIds: [...step.decks.map((deck) => deck.id), ...step.addedDeckIds],
      }),
    );
  }

  /**
   * Changes cards as one undoable step: `change` gives each card's new fields from the card
   * as stored, which must still be the revision the screen acted on.
   */
  private async changeCards(
    label: string,
    cards: CardRevision[],
    change: (stored: CardRecord) => Partial<CardRecord>,
    refused: string,
    card?: CardRecord,
  ): Promise<UndoStep> {
    const { db } = this;
    const sync = await this.sync();
    return this.commit(
      db.transaction('rw', [db.cards, db.syncOutbox], async () => {
        const stored = await Promise.all(cards.map(async (screen) => checkRevision(await db.cards.get(screen.id), screen.rev, refused)));
        const changed = stored.map((before) => ({ ...before, ...change(before), rev: before.rev + 1 }));
        await db.cards.bulkPut(changed);
        await sync.record(new Date(), { cards: changed.map((after, index) => [stored[index], after]) });
        return undoStep(label, { cards: stored, card, revsAfter: Object.fromEntries(changed.map((after) => [after.id, after.rev])) });
      }),
      () => ({ cardIds: cards.map((screen) => screen.id) }),
    );
  }

  /** Hides a card until the next study day (Anki's bury). */
  bury(card: CardRecord, studyDayNumber: number): Promise<UndoStep> {
    return this.changeCards('Bury', [card], () => ({ queue: Queue.Buried, buriedOnDay: studyDayNumber }), 'it was not buried', card);
  }

  suspend(card: CardRecord): Promise<UndoStep> {
    return this.changeCards('Suspend', [card], () => ({ queue: Queue.Suspended }), 'it was not suspended', card);
  }

  unsuspend(card: CardRecord): Promise<UndoStep> {
    return this.changeCards('Unsuspend', [card], (stored) => ({ queue: queueForState(stored.state) }), 'it was not unsuspended', card);
  }

  setFlag(card: CardRecord, flag: number): Promise<UndoStep> {
    return this.changeCards(flag ? 'Flag' : 'Remove flag', [card], () => ({ flag }), 'the flag was not changed', card);
  }

  // --- Browse's bulk actions: each changes the selected cards as one undoable step.

  suspendCards(cards: CardRevision[]): Promise<UndoStep> {
    return this.changeCards('Suspend', cards, (stored) => (stored.queue === Queue.Suspended ? {} : { queue: Queue.Suspended }), 'they were not suspended');
  }

  unsuspendCards(cards: CardRevision[]): Promise<UndoStep> {
    return this.changeCards('Unsuspend', cards, (stored) => (stored.queue === Queue.Suspended ? { queue: queueForState(stored.state) } : {}), 'they were not unsuspended');
  }

  flagCards(cards: CardRevision[], flag: number): Promise<UndoStep> {
    return this.changeCards(flag ? 'Flag' : 'Remove flag', cards, () => ({ flag }), 'the flags were not changed');
  }

  /**
   * Adds a tag (ignoring case, as Anki's tags do). The tags are then the user's edit, as the
   * editor's are: app updates keep an edited built-in card's tags (see planBuiltInSync).
   */
  addTag(cards: CardRevision[], tag: string, now: Date): Promise<UndoStep> {
    const has = (tags: string[]) => tags.some((other) => other.toLowerCase() === tag.toLowerCase());
    return this.changeCards('Add tag', cards, (stored) => (has(stored.tags) ? {} : { tags: [...stored.tags, tag], editedAt: now }), 'the tag was not added');
  }

  removeTag(cards: CardRevision[], tag: string, now: Date): Promise<UndoStep> {
    const other = (name: string) => name.toLowerCase() !== tag.toLowerCase();
    return this.changeCards('Remove tag', cards, (stored) => (stored.tags.every(other) ? {} : { tags: stored.tags.filter(other), editedAt: now }), 'the tag was not removed');
  }

  /** Moves cards to a deck (refused if it is gone); they are introduced after its own new cards, in the order given. */
  async moveCards(cards: CardRevision[], deckId: string): Promise<UndoStep> {
    const { db } = this;
    const refused = 'they were not moved';
    const sync = await this.sync();
    return this.commit(
      db.transaction('rw', [db.decks, db.cards, db.syncOutbox], async () => {
        if (!(await db.decks.get(deckId))) throw new StaleRecordError(`This deck was deleted in another tab or window, so ${refused}.`);
        const stored = await Promise.all(cards.map(async (screen) => checkRevision(await db.cards.get(screen.id), screen.rev, refused)));
        let position = await this.nextPosition(deckId);
        const moved = stored.map((before) => ({ ...before, ...(before.deckId === deckId ? {} : { deckId, position: position++ }), rev: before.rev + 1 }));
        await db.cards.bulkPut(moved);
        await sync.record(new Date(), { cards: moved.map((after, index) => [stored[index], after]) });
        return undoStep('Move', { cards: stored, revsAfter: Object.fromEntries(moved.map((after) => [after.id, after.rev])) });
      }),
      () => ({ cardIds: cards.map((card) => card.id), deckIds: [deckId] }),
    );
  }

  /** Deletes cards with their review history, all or nothing (as deleteDeck does); undo brings both back. */
  async deleteCards(cards: CardRevision[]): Promise<UndoStep> {
    const { db } = this;
    const ids = cards.map((card) => card.id);
    const sync = await this.sync();
    return this.commit(
      db.transaction('rw', [db.cards, db.reviewLog, db.syncOutbox], async () => {
        const stored = await Promise.all(cards.map(async (screen) => checkRevision(await db.cards.get(screen.id), screen.rev, 'they were not deleted')));
        const logRows = await db.reviewLog.where('cardId').anyOf(ids).toArray();
        await db.reviewLog.bulkDelete(logRows.map((row) => row.id!));
        await db.cards.bulkDelete(ids);
        await sync.record(new Date(), { cards: stored.map((card) => [card, undefined]) });
        return undoStep(cards.length === 1 ? 'Delete card' : 'Delete cards', { cards: stored, logRows });
      }),
      () => ({ cardIds: ids }),
    );
  }

  /** Anki's "Reset card": back to new, with a log row of its own so the log still replays to the card. */
  reset(card: CardRecord, now: Date): Promise<UndoStep> {
    return this.changeCardWithLog('Reset', card, 'it was not reset', (stored) => {
      const after = resetCard(stored, now);
      return { after, log: manualLogRow('reset', after, now) };
    });
  }

  /** Brings back cards buried on an earlier study day. */
  async unburyBefore(studyDayNumber: number): Promise<void> {
    const { db } = this;
    const sync = await this.sync();
    await this.commit(
      db.transaction('rw', [db.cards, db.syncOutbox], async () => {
        const buried = await db.cards.where('queue').equals(Queue.Buried).toArray();
        const due = buried.filter((card) => (card.buriedOnDay ?? 0) < studyDayNumber);
        const unburied = due.map(({ buriedOnDay: _day, ...card }) => ({ ...card, queue: queueForState(card.state), rev: card.rev + 1 }));
        await db.cards.bulkPut(unburied);
        await sync.record(new Date(), { cards: unburied.map((after, index) => [due[index], after]) });
        return due.map((card) => card.id);
      }),
      (cardIds) => ({ cardIds }),
    );
  }

  /** Where the deck's next new card goes in introduction order. */
  async nextPosition(deckId: string): Promise<number> {
    const last = await this.db.cards.where('[deckId+queue+position]').between([deckId, Queue.New, Dexie.minKey], [deckId, Queue.New, Dexie.maxKey]).last();
    const count = await this.db.cards.where('deckId').equals(deckId).count();
    return Math.max(count, (last?.position ?? -1) + 1);
  }

  /** Every card made from the same note as `card` (just the card, unless it is a cloze card). */
  async noteCards(card: CardRecord): Promise<CardRecord[]> {
    if (!card.cloze) return [card];
    const deckCards = await this.db.cards.where('deckId').equals(card.deckId).toArray();
    return deckCards.filter((other) => other.cloze?.noteId === card.cloze!.noteId);
  }

  /** Adds new cards (a user's note) as one undoable step; refused if their deck is gone. */
  async addCards(cards: CardRecord[]): Promise<UndoStep> {
    const { db } = this;
    const deckIds = [...new Set(cards.map((card) => card.deckId))];
    const sync = await this.sync();
    await this.commit(
      db.transaction('rw', [db.decks, db.cards, db.syncOutbox], async () => {
        if ((await db.decks.bulkGet(deckIds)).includes(undefined)) {
          throw new StaleRecordError('This deck was deleted in another tab or window, so the card was not added.');
        }
        await db.cards.bulkAdd(cards);
        await sync.record(new Date(), { cards: cards.map((card) => [undefined, card]) });
      }),
      () => ({ cardIds: cards.map((card) => card.id), deckIds }),
    );
    return undoStep('Add', { addedCardIds: cards.map((card) => card.id), revsAfter: Object.fromEntries(cards.map((card) => [card.id, card.rev])) });
  }

  /**
   * Saves an edited note: only the content of its cards (never their schedule), and only if
   * `edited`, the card the editor opened, and the note's cards read for the edit (`before`)
   * are all still the revisions stored.
   */
  async saveNote(before: CardRecord[], change: NoteChange, edited: CardRecord): Promise<UndoStep> {
    const { db } = this;
    const refused = 'your edit was not saved';
    const sync = await this.sync();
    return this.commit(
      db.transaction('rw', [db.decks, db.cards, db.syncOutbox], async () => {
        checkRevision(await db.cards.get(edited.id), edited.rev, refused);
        const stored = new Map<string, CardRecord>();
        for (const card of before) stored.set(card.id, checkRevision(await db.cards.get(card.id), card.rev, refused));
        if (change.added.length > 0 && !(await db.decks.get(edited.deckId))) {
          throw new StaleRecordError(`This deck was deleted in another tab or window, so ${refused}.`);
        }
        const written = [...change.updated, ...change.retired].map((card) => {
          const current = stored.get(card.id)!;
          return { ...current, ...contentOf(card), queue: card.queue, rev: current.rev + 1 };
        });
        await db.cards.bulkAdd(change.added);
        await db.cards.bulkPut(written);
        await sync.record(new Date(), { cards: [...change.added.map((card) => [undefined, card]), ...written.map((card) => [stored.get(card.id), card])] as [CardRecord | undefined, CardRecord][] });
        return undoStep('Edit', {
          cards: written.map((card) => stored.get(card.id)!),
          addedCardIds: change.added.map((added) => added.id),
          card: edited,
          revsAfter: Object.fromEntries([...written, ...change.added].map((card) => [card.id, card.rev])),
        });
      }),
      () => ({ cardIds: [...before.map((card) => card.id), ...change.added.map((card) => card.id)] }),
    );
  }

  async createDeck(id: string, title: string, description: string): Promise<UndoStep> {
    const { db } = this;
    const sync = await this.sync();
    await this.commit(
      db.transaction('rw', [db.decks, db.syncOutbox], async () => {
        const position = ((await db.decks.orderBy('position').last())?.position ?? -1) + 1;
        const deck: Deck = { id, title, description, position, origin: 'user' };
        await db.decks.add(deck);
        await sync.record(new Date(), { decks: [[undefined, deck]] });
      }),
      () => ({ deckIds: [id] }),
    );
    return undoStep('Create deck', { addedDeckIds: [id] });
  }

  /** Renames the deck as stored (refused if another tab deleted it). */
  async renameDeck(deck: Deck, title: string, description: string, now: Date): Promise<UndoStep> {
    const { db } = this;
    const sync = await this.sync();
    return this.commit(
      db.transaction('rw', [db.decks, db.syncOutbox], async () => {
        const stored = await db.decks.get(deck.id);
        if (!stored) throw new StaleRecordError('This deck was deleted in another tab or window, so it was not renamed.');
        const renamed = { ...stored, title, description, editedAt: now };
        await db.decks.put(renamed);
        await sync.record(now, { decks: [[stored, renamed]] });
        return undoStep('Rename deck', { decks: [stored], decksAfter: { [deck.id]: now.getTime() } });
      }),
      () => ({ deckIds: [deck.id] }),
    );
  }

  /** Deletes a deck with all its cards and their review history, all or nothing. */
  async deleteDeck(deckId: string): Promise<UndoStep> {
    const { db } = this;
    const sync = await this.sync();
    return this.commit(
      db.transaction('rw', [db.decks, db.cards, db.reviewLog, db.syncOutbox], async () => {
        const deck = await db.decks.get(deckId);
        const cards = await db.cards.where('deckId').equals(deckId).toArray();
        const logRows = await db.reviewLog.where('cardId').anyOf(cards.map((card) => card.id)).toArray();
        await db.reviewLog.bulkDelete(logRows.map((row) => row.id!));
        await db.cards.bulkDelete(cards.map((card) => card.id));
        // The deck's own settings stay (one small row), so undoing the deletion keeps them.
        await db.decks.delete(deckId);
        await sync.record(new Date(), { decks: deck ? [[deck, undefined]] : [], cards: cards.map((card) => [card, undefined]) });
        return undoStep('Delete deck', { decks: deck ? [deck] : [], cards, logRows, decksAfter: { [deckId]: 'absent' } });
      }),
      ({ cards }) => ({ cardIds: cards.map((card) => card.id), deckIds: [deckId] }),
    );
  }

  async deckSettings(): Promise<Map<string, DeckSettings>> {
    const rows = await this.db.settings.where('key').startsWith('deck:').toArray();
    return new Map(rows.map((row) => [row.key.slice('deck:'.length), row.value as DeckSettings]));
  }

  saveDeckSettings(deckId: string, value: DeckSettings | undefined): Promise<UndoStep> {
    return this.changeSettings('Deck options', { decks: [[deckId, value]] });
  }

  /** Changes settings as one undoable step (Optimize's parameters, an exam plan's limits). */
  async changeSettings(label: string, change: SettingsChange): Promise<UndoStep> {
    const { db } = this;
    const sync = await this.sync();
    return this.track(db.transaction('rw', [db.settings, db.syncOutbox], async () => undoStep(label, { settings: await this.writeSettings(change, sync) })));
  }

  /** Writes `change` in the caller's transaction; returns the settings as they were. */
  private async writeSettings(change: SettingsChange, sync: SyncRecorder): Promise<SettingsChange> {
    const { db } = this;
    const now = new Date();
    const before: SettingsChange = {};
    if (change.study) {
      before.study = { ...defaultSettings, ...((await db.settings.get('study'))?.value as StudySettings | undefined) };
      await db.settings.put({ key: 'study', value: change.study });
      await sync.record(now, { studySettings: [before.study, change.study] });
    }
    before.decks = [];
    for (const [deckId, value] of change.decks ?? []) {
      const key = `deck:${deckId}` as const;
      const stored = (await db.settings.get(key))?.value as DeckSettings | undefined;
      before.decks.push([deckId, stored]);
      if (value) await db.settings.put({ key, value });
      else await db.settings.delete(key);
      await sync.record(now, { deckSettings: [[deckId, stored, value]] });
    }
    return before;
  }

  async examGoal(): Promise<ExamGoal | undefined> {
    return (await this.db.settings.get('examGoal'))?.value as ExamGoal | undefined;
  }

  async saveExamGoal(goal: ExamGoal): Promise<void> {
    await this.track(this.db.settings.put({ key: 'examGoal', value: goal }));
  }

  /** Every answer, all decks (manual changes left out). */
  async allAnswers(): Promise<AnswerLogRow[]> {
    return (await this.db.reviewLog.toArray()).filter(isAnswer);
  }

  /** Answers given in [from, to), all decks. */
  async answersBetween(from: Date, to: Date): Promise<AnswerLogRow[]> {
    return (await this.db.reviewLog.where('reviewedAt').between(from, to).toArray()).filter(isAnswer);
  }

  async answeredBetween(from: Date, to: Date): Promise<boolean> {
    return (await this.db.reviewLog.where('reviewedAt').between(from, to).filter(isAnswer).limit(1).count()) > 0;
  }

  /** The whole review log in the order written, for the browser's added: and rated: searches. */
  async allLogRows(): Promise<ReviewLogRow[]> {
    return this.db.reviewLog.toArray();
  }

  /** Every card that is not retired, for the browser. */
  async allCards(): Promise<CardRecord[]> {
    return this.db.cards.where('queue').notEqual(Queue.Retired).toArray();
  }

  // --- Which database this is: start-up keeps the same id outside IndexedDB, to tell a
  // database the browser lost and made anew from a first start (see startSession).

  async databaseId(): Promise<string | undefined> {
    return (await this.db.meta.get('databaseId'))?.value as string | undefined;
  }

  /** Gives the database the id `id` unless it has one already; returns the id it has. */
  async claimDatabaseId(id: string): Promise<string> {
    const { db } = this;
    return this.track(
      db.transaction('rw', db.meta, async () => {
        const stored = (await db.meta.get('databaseId'))?.value as string | undefined;
        if (!stored) await db.meta.put({ key: 'databaseId', value: id });
        return stored ?? id;
      }),
    );
  }
}
