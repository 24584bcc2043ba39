// How records that come in (an Anki package, a text file, a backup) join what is stored. The
// review log is the truth: rows are united (a row already stored, found by card, time and
// kind, is never added twice). A card whose united log is one side's log takes that side's
// schedule; one whose two sides each bring rows gets the schedule the united log replays to.
// Nothing is ever deleted, so merging the same records twice changes nothing.
import type { FSRS } from 'ts-fsrs';
import { inLogOrder, replaySchedule } from '../scheduler.ts';
import { scheduleOf } from '../schedule.ts';
import {
  Queue,
  queueForState,
  type CardRecord,
  type Deck,
  type DeckSettings,
  type MediaRecord,
  type NoteRecord,
  type NoteTypeRecord,
  type ReviewLogRow,
  type Schedule,
  type StudySettings,
} from '../types.ts';

/** Records in the app's own shapes, as a package, a text file or a backup brings them. */
export interface TransferRecords {
  decks: Deck[];
  noteTypes: NoteTypeRecord[];
  notes: NoteRecord[];
  cards: CardRecord[];
  /** Without ids: they are given when stored. */
  log: ReviewLogRow[];
  media: MediaRecord[];
  /** Only in backups: the global settings (absent while they are the defaults) and each deck's own. */
  settings?: { study?: StudySettings; decks: [string, DeckSettings][] };
}

/** What is stored of the records that come in, read in the same transaction as the write. */
export interface StoredState {
  decks: Deck[];
  cards: Map<string, CardRecord>;
  notes: Map<string, NoteRecord>;
  noteTypes: Map<string, NoteTypeRecord>;
  /** The log of every card that comes in. */
  logs: Map<string, ReviewLogRow[]>;
  media: Map<string, MediaRecord>;
  /** Where each stored deck's next new card goes in its introduction order. */
  nextPositions: Map<string, number>;
}

/**
 * 'import': a package or text file. Existing cards keep their deck, flags and suspension
 * unless the package's schedule for them is newer; content comes from the package.
 * 'restore': a backup. Cards are as the backup holds them (content, deck, flag, suspension),
 * with the schedule of the united log, so a restore into a fresh browser gives the original.
 */
export type MergeMode = 'import' | 'restore';

export interface MergeCounts {
  decks: number;
  notesAdded: number;
  notesUpdated: number;
  cardsAdded: number;
  cardsUpdated: number;
  reviewRows: number;
  reviewRowsKnown: number;
  media: number;
}

/** The rows to write: those that come in and differ from what is stored, and what happened. */
export interface MergePlan extends TransferRecords {
  counts: MergeCounts;
  skipped: { item: string; reason: string }[];
}

/** A log row's identity across devices and files: the card, the time to the millisecond and the kind. */
export function logRowKey(row: ReviewLogRow): string {
  return `${row.cardId}|${row.reviewedAt.getTime()}|${row.kind ?? 'answer'}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Deep equality of plain records (dates by time), whatever order their keys were written in. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, sortedKeys) === JSON.stringify(b, sortedKeys);
}

function sortedKeys(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const held: readonly Queue[] = [Queue.Suspended, Queue.Buried, Queue.Retired];

/**
 * The rows to write. `schedulerFor` gives the scheduler of a deck by its id (as stored or as
 * created here), so replayed schedules follow the deck's settings.
 */
export function planMerge(incoming: TransferRecords, stored: StoredState, schedulerFor: (deckId: string) => FSRS, mode: MergeMode): MergePlan {
  const skipped: MergePlan['skipped'] = [];
  const counts: MergeCounts = { decks: 0, notesAdded: 0, notesUpdated: 0, cardsAdded: 0, cardsUpdated: 0, reviewRows: 0, reviewRowsKnown: 0, media: 0 };

  // Decks: the same id, else the same name (as Anki matches decks), else a new deck.
  const deckById = new Map(stored.decks.map((deck) => [deck.id, deck]));
  const deckByTitle = new Map(stored.decks.map((deck) => [deck.title.toLowerCase(), deck]));
  const deckIdOf = new Map<string, string>();
  const decks: Deck[] = [];
  let nextPosition = Math.max(-1, ...stored.decks.map((deck) => deck.position)) + 1;
  for (const deck of incoming.decks) {
    const match = deckById.get(deck.id) ?? deckByTitle.get(deck.title.toLowerCase());
    if (match) {
      deckIdOf.set(deck.id, match.id);
      if (mode === 'restore' && !same({ ...match, position: 0 }, { ...deck, id: match.id, position: 0 })) decks.push({ ...deck, id: match.id, position: match.position });
      continue;
    }
    const created = { ...deck, position: nextPosition++ };
    deckIdOf.set(deck.id, deck.id);
    deckById.set(deck.id, created);
    deckByTitle.set(deck.title.toLowerCase(), created);
    decks.push(created);
    counts.decks++;
  }

  const noteTypes = incoming.noteTypes.filter((noteType) => !same(stored.noteTypes.get(noteType.id), noteType));
  const notes: NoteRecord[] = [];
  for (const note of incoming.notes) {
    const before = stored.notes.get(note.id);
    if (!before) counts.notesAdded++;
    else if (!same(before, note)) counts.notesUpdated++;
    else continue;
    notes.push(note);
  }

  const media: MediaRecord[] = [];
  for (const file of incoming.media) {
    const before = stored.media.get(file.name);
    if (!before) {
      media.push(file);
      counts.media++;
    } else if (!sameBytes(before.bytes, file.bytes)) {
      skipped.push({ item: `media file ${file.name}`, reason: 'a different file of the same name is already stored; the stored one was kept' });
    }
  }

  // The log: rows already stored (or given twice) are left out.
  const logs = new Map<string, ReviewLogRow[]>();
  const known = new Set<string>();
  for (const [cardId, rows] of stored.logs) {
    logs.set(cardId, [...rows]);
    for (const row of rows) known.add(logRowKey(row));
  }
  const log: ReviewLogRow[] = [];
  const newRowsOf = new Map<string, ReviewLogRow[]>();
  const incomingCardIds = new Set(incoming.cards.map((card) => card.id));
  const incomingKeys = new Set(incoming.log.map(logRowKey));
  for (const row of inLogOrder(incoming.log)) {
    const key = logRowKey(row);
    // An import row only records where a schedule came from: the summary counts the history.
    const counted = row.kind !== 'import';
    if (known.has(key)) {
      if (counted) counts.reviewRowsKnown++;
      continue;
    }
    if (!incomingCardIds.has(row.cardId) && !stored.cards.has(row.cardId)) {
      skipped.push({ item: `review of card ${row.cardId}`, reason: 'its card is neither in the file nor stored' });
      continue;
    }
    known.add(key);
    log.push(row);
    pushTo(logs, row.cardId, row);
    pushTo(newRowsOf, row.cardId, row);
    if (counted) counts.reviewRows++;
  }

  const cards: CardRecord[] = [];
  const positions = new Map(stored.nextPositions);
  // New cards join the end of their deck's introduction order, in the order they had.
  const inIntroductionOrder = [...incoming.cards].sort((a, b) => a.position - b.position);
  for (const card of inIntroductionOrder) {
    const before = stored.cards.get(card.id);
    const deckId = before && mode === 'import' ? before.deckId : (deckIdOf.get(card.deckId) ?? card.deckId);
    if (!deckById.has(deckId)) {
      skipped.push({ item: `card ${card.id}`, reason: 'its deck is neither in the file nor stored' });
      continue;
    }
    const fileAddsRows = (newRowsOf.get(card.id)?.length ?? 0) > 0;
    let base: CardRecord;
    if (mode === 'restore' || !before) {
      base = { ...card, deckId, rev: before?.rev ?? 0 };
      if (!before && mode === 'import') {
        base.position = positions.get(deckId) ?? 0;
        positions.set(deckId, base.position + 1);
      }
    } else {
      // The package's schedule for the card is newer than the stored one when its log
      // brought rows not stored yet: then its flag and suspension come with it.
      base = {
        ...before,
        ...contentOf(card),
        tags: before.tags.includes('leech') && !card.tags.includes('leech') ? [...card.tags, 'leech'] : card.tags,
        ...(fileAddsRows ? { queue: card.queue, flag: card.flag, buriedOnDay: card.buriedOnDay } : {}),
      };
    }
    const storeAddsRows = (stored.logs.get(card.id) ?? []).some((row) => !incomingKeys.has(logRowKey(row)));
    // A side whose log is already the united log holds the card's schedule as it was made,
    // under the settings of the time; replaying it under today's settings (a retention changed
    // since, with no reschedule) would move the card. Only two histories joined need the replay.
    let schedule: Schedule;
    if (storeAddsRows && (fileAddsRows || !before)) schedule = replaySchedule(schedulerFor(deckId), card.id, logs.get(card.id)!)!;
    else if (fileAddsRows) schedule = scheduleOf(card);
    else if (storeAddsRows) schedule = scheduleOf(before!);
    else schedule = scheduleOf(mode === 'restore' || !before ? card : before);
    delete base.last_review;
    const next: CardRecord = { ...base, ...schedule, queue: held.includes(base.queue) ? base.queue : queueForState(schedule.state) };
    if (before && same({ ...next, rev: 0 }, { ...before, rev: 0 })) continue;
    cards.push(before ? { ...next, rev: before.rev + 1 } : next);
    if (before) counts.cardsUpdated++;
    else counts.cardsAdded++;
  }
  return { decks, noteTypes, notes, cards, log, media, settings: incoming.settings, counts, skipped };
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}

/** The fields of a card that say what it is, as opposed to how it is scheduled. */
function contentOf(card: CardRecord): Partial<CardRecord> {
  const { kind, front, back, source, exam, note, editedAt, cloze, importedNote } = card;
  const content: Partial<CardRecord> = { kind, front, back, source, exam, note };
  if (editedAt) content.editedAt = editedAt;
  if (cloze) content.cloze = cloze;
  if (importedNote) content.importedNote = importedNote;
  return content;
}
