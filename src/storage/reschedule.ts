// Rescheduling after desired retention or the FSRS parameters changed: every studied card of
// some decks gets the schedule its history gives under the new settings, with a "reschedule"
// log row, so that its log still replays to it. It runs in a worker on a connection of its
// own (see src/worker/reschedule.ts): the cards are read and computed in batches, with
// progress, and the changes are written in one transaction, so a failure writes nothing.
// Undo runs on the page (Storage.undo), on a connection of this module's too, in batches
// within one transaction.
import { effectiveSettings } from '../domain/deckSettings.ts';
import { manualLogRow } from '../domain/schedule.ts';
import { defaultSettings, type CardRecord, type DeckSettings, type Queue, type ReviewLogRow, type Schedule, type StudySettings } from '../domain/types.ts';
import { ChangeChannel } from './changes.ts';
import { openSideConnection, type KubecardsDatabase } from './database.ts';
import { checkRevision } from './staleRecord.ts';
import { openSyncRecorder, type StoredLogRow } from './syncOutbox.ts';

/**
 * What undoing a reschedule needs, packed, because it can be every card of the collection and
 * the page holds it (sent from the worker in parts): each changed card's revision before (the
 * reschedule made it one more), its schedule and queue as they were, in the same order (a
 * reschedule changes nothing else of a card), and the log rows it added.
 */
export interface RescheduleUndo {
  revsBefore: Map<string, number>;
  /** `packedLength` numbers a card, in the order of `revsBefore` (see packSchedule); there may be room for more. */
  schedules: Float64Array;
  logIds: number[];
}

/** Part of a RescheduleUndo, as the worker sends it: a message deserialised in one short task on the page. */
export interface RescheduleUndoPart {
  cardIds: string[];
  revsBefore: number[];
  schedules: Float64Array;
  logIds: number[];
}

/** The numbers packSchedule writes for a card. */
const packedLength = 11;

/** A card's schedule and queue as numbers at `row` of `into`: dates as times, no last review as NaN. */
function packSchedule(card: CardRecord, into: Float64Array, row: number): void {
  const { stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, due, last_review, queue } = card;
  into.set([stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, due.getTime(), last_review?.getTime() ?? Number.NaN, queue], row * packedLength);
}

function unpackSchedule(from: Float64Array, row: number): Schedule & { queue: Queue } {
  const [stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, due, lastReview, queue] = from.subarray(row * packedLength, (row + 1) * packedLength);
  const schedule = { due: new Date(due), stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state: state as Schedule['state'], queue: queue as Queue };
  return Number.isNaN(lastReview) ? schedule : { ...schedule, last_review: new Date(lastReview) };
}

/** An empty RescheduleUndo with room for `cards` cards. */
export function emptyUndo(cards: number): RescheduleUndo {
  return { revsBefore: new Map(), schedules: new Float64Array(cards * packedLength), logIds: [] };
}

/** `undo` in parts of `size` cards, to send. */
export function undoParts(undo: RescheduleUndo, size: number): RescheduleUndoPart[] {
  const entries = [...undo.revsBefore];
  const parts: RescheduleUndoPart[] = [];
  for (let start = 0; start < entries.length; start += size) {
    const end = Math.min(entries.length, start + size);
    parts.push({
      cardIds: entries.slice(start, end).map(([id]) => id),
      revsBefore: entries.slice(start, end).map(([, rev]) => rev),
      // A copy: a view would take the whole buffer with it.
      schedules: undo.schedules.slice(start * packedLength, end * packedLength),
      logIds: undo.logIds.slice(start, end),
    });
  }
  return parts;
}

/** Adds a part to `undo` (made with room for it): a little work for each part as it comes. */
export function addUndoPart(undo: RescheduleUndo, part: RescheduleUndoPart): void {
  undo.schedules.set(part.schedules, undo.revsBefore.size * packedLength);
  part.cardIds.forEach((id, index) => undo.revsBefore.set(id, part.revsBefore[index]));
  undo.logIds.push(...part.logIds);
}

export type ReschedulePhase = 'computing' | 'saving';

export interface RescheduleOptions {
  onProgress?(phase: ReschedulePhase, done: number, total: number): void;
  /** Runs once the new schedules are computed, before anything is written; may throw to stop. */
  beforeWrite?(changed: number): Promise<void>;
}

export interface RescheduleOutcome {
  changed: number;
  /** Cards another tab or window changed after they were read: left as they are now. */
  refused: number;
  undo: RescheduleUndo;
}

/** A card's new schedule from its history under its deck's settings, or undefined when nothing changes. */
export type Replan = (card: CardRecord, history: ReviewLogRow[], settings: StudySettings) => CardRecord | undefined;

/** Cards read (with their logs) and computed at a time: each batch is one short read. */
const readBatch = 2000;
/** Cards written at a time within the worker's write transaction, between two progress reports. */
const writeBatch = 5000;
/** Cards restored at a time by an undo, on the page: each batch's work is one short task. */
const undoBatch = 250;

export class RescheduleStorage {
  private readonly db: KubecardsDatabase;
  private readonly changes: ChangeChannel;

  constructor(name = 'kubecards') {
    this.db = openSideConnection(name);
    // Dexie's observability (for liveQuery, which the app does not use) would note every key a
    // write touches and post them all to each tab at the commit: work and a message the size of
    // the collection for the page. ChangeChannel tells the tabs instead.
    this.db.unuse({ stack: 'dbcore', name: 'Observability' });
    this.changes = new ChangeChannel(name);
  }

  close(): void {
    this.db.close();
    this.changes.close();
  }

  /**
   * Gives every card of `deckIds` the schedule `replan` makes of it, with a "reschedule" log
   * row each, all decks in one transaction, then tells the other tabs. A card changed since
   * it was read (another tab answered it meanwhile) is left as it is: a stale copy is never
   * written.
   */
  async reschedule(deckIds: string[], replan: Replan, now: Date, options: RescheduleOptions = {}): Promise<RescheduleOutcome> {
    const { db } = this;
    const settingsFor = await this.deckSettings();
    const ids = (await db.cards.where('deckId').anyOf(deckIds).primaryKeys()).sort();
    const changes: { before: CardRecord; after: CardRecord }[] = [];
    for (let start = 0; start < ids.length; start += readBatch) {
      const [cards, rows] = await this.readBatch(ids.slice(start, start + readBatch));
      const history = new Map<string, ReviewLogRow[]>();
      for (const row of rows) {
        const rowsOfCard = history.get(row.cardId);
        if (rowsOfCard) rowsOfCard.push(row);
        else history.set(row.cardId, [row]);
      }
      for (const before of cards) {
        const after = replan(before, history.get(before.id) ?? [], settingsFor(before.deckId));
        if (after) changes.push({ before, after });
      }
      options.onProgress?.('computing', Math.min(ids.length, start + readBatch), ids.length);
    }
    await options.beforeWrite?.(changes.length);

    const sync = await openSyncRecorder(db);
    const outcome = await db.transaction('rw', [db.cards, db.reviewLog, db.syncOutbox], async () => {
      const undo = emptyUndo(changes.length);
      for (let start = 0; start < changes.length; start += writeBatch) {
        const batch = changes.slice(start, start + writeBatch);
        const stored = await db.cards.bulkGet(batch.map(({ before }) => before.id));
        const fresh = batch.filter(({ before }, index) => stored[index]?.rev === before.rev);
        const written = fresh.map(({ before, after }) => ({ ...after, rev: before.rev + 1 }));
        await db.cards.bulkPut(written);
        const rows = written.map((card) => sync.withUid(manualLogRow('reschedule', card, now)));
        undo.logIds.push(...((await db.reviewLog.bulkAdd(rows, { allKeys: true })) as number[]));
        // Sync carries a schedule as the log that gives it: the rows are the change.
        await sync.record(now, { logRows: rows });
        for (const { before } of fresh) {
          packSchedule(before, undo.schedules, undo.revsBefore.size);
          undo.revsBefore.set(before.id, before.rev);
        }
        options.onProgress?.('saving', start + batch.length, changes.length);
      }
      return { changed: undo.revsBefore.size, refused: changes.length - undo.revsBefore.size, undo };
    });
    this.changes.announce({ cardIds: [...outcome.undo.revsBefore.keys()], deckIds: [] });
    return outcome;
  }

  /**
   * The cards of `batch` (sorted ids; those deleted since are left out) and their logs, from one
   * transaction, so that they agree. As one key range when the batch's ids are most of the
   * range's, as a deck's cards mostly are (half the time of key by key), else key by key (a
   * deck's cards among many others', such as imported ones).
   */
  private readBatch(batch: string[]): Promise<[CardRecord[], ReviewLogRow[]]> {
    const { db } = this;
    const [first, last] = [batch[0], batch[batch.length - 1]];
    const cardsInRange = () => db.cards.where(':id').between(first, last, true, true);
    return db.transaction('r', [db.cards, db.reviewLog], async () => {
      if ((await cardsInRange().count()) > 2 * batch.length) {
        const [cards, rows] = await Promise.all([db.cards.bulkGet(batch), db.reviewLog.where('cardId').anyOf(batch).toArray()]);
        return [cards.filter((card): card is CardRecord => !!card), rows];
      }
      const wanted = new Set(batch);
      const [cards, rows] = await Promise.all([cardsInRange().toArray(), db.reviewLog.where('cardId').between(first, last, true, true).toArray()]);
      return [cards.filter((card) => wanted.has(card.id)), rows.filter((row) => wanted.has(row.cardId))];
    });
  }

  /**
   * Takes a reschedule back, on the page (whose commit tells the other tabs): each card gets
   * its schedule as it was, if it is still what the reschedule made it, and the log rows it
   * added go (sync sends their tombstones). Batches within one transaction keep each of the
   * page's tasks short; a refusal aborts the transaction, so it is still all or nothing.
   * Returns each restored card's new revision.
   */
  async undo(undo: RescheduleUndo, refused: string): Promise<Record<string, number>> {
    const { db } = this;
    const sync = await openSyncRecorder(db);
    return db.transaction('rw', [db.cards, db.reviewLog, db.syncOutbox, db.logTombstones], async () => {
      const revsRestored: Record<string, number> = {};
      const entries = [...undo.revsBefore];
      for (let start = 0; start < entries.length; start += undoBatch) {
        const batch = entries.slice(start, start + undoBatch);
        const current = await db.cards.bulkGet(batch.map(([id]) => id));
        const restored = batch.map(([id, rev], index) => {
          const card = checkRevision(current[index], rev + 1, refused);
          const before = unpackSchedule(undo.schedules, start + index);
          const back: CardRecord = { ...card, ...before, rev: card.rev + 1 };
          if (!before.last_review) delete back.last_review;
          revsRestored[id] = back.rev;
          return back;
        });
        await db.cards.bulkPut(restored);
      }
      const now = new Date();
      for (let start = 0; start < undo.logIds.length; start += undoBatch) {
        const batch = undo.logIds.slice(start, start + undoBatch);
        const rows = (await db.reviewLog.bulkGet(batch)).filter((row): row is StoredLogRow => !!row?.uid);
        await db.reviewLog.bulkDelete(batch);
        await sync.record(now, { undone: rows });
      }
      return revsRestored;
    });
  }

  /** The settings each deck studies with, as the page's session has them. */
  private async deckSettings(): Promise<(deckId: string) => StudySettings> {
    const { db } = this;
    const [study, deckRows] = await Promise.all([db.settings.get('study'), db.settings.where('key').startsWith('deck:').toArray()]);
    const global = { ...defaultSettings, ...(study?.value as StudySettings | undefined) };
    const own = new Map(deckRows.map((row) => [row.key.slice('deck:'.length), row.value as DeckSettings]));
    return (deckId) => effectiveSettings(global, own.get(deckId));
  }
}
