// Browse's search worker: holds a compact row of every card (src/domain/browse.ts), read on a
// connection of its own; searches and sorts there, and sends the page only the rows it shows,
// so the page's main thread never reads, filters or sorts the cards. It hears every committed
// change (this tab's own and other tabs') on the change channel and reads again only the
// cards named. Lives as long as the page; while Browse is not shown it makes no views.
import { CardIndex, firstInOrder, indexedCard, sortsReadInOrder, type BrowseSort, type IndexedCard } from '../domain/browse.ts';
import {
  addLogRows,
  cardMatcher,
  importedNoteFields,
  logNeededSince,
  narrows,
  needsCurrentDeck,
  needsNoteFields,
  noteFieldNames,
  parseSearch,
  type CardHistory,
  type Search,
} from '../domain/search.ts';
import { studyDay } from '../domain/studyDay.ts';
import { Queue, type CardRecord, type NoteTypeRecord, type ReviewLogRow } from '../domain/types.ts';
import { BrowseIndexStorage } from '../storage/browseIndex.ts';
import { ChangeChannel } from '../storage/changes.ts';
import type { BrowseCommand, BrowseMessage, BrowseRequest, BrowseRow, BrowseView, Reading } from './browseSearchProtocol.ts';

const databaseName = 'kubecards';
/** Rows sent at most in one view: a few screens' worth. */
const maxWindow = 500;
/** Beyond so many changed cards, reading all of them again is quicker than one by one. */
const rereadAllAbove = 5_000;

const storage = new BrowseIndexStorage(databaseName);
const post = (message: BrowseMessage) => postMessage(message);
const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

interface Basics {
  deckNames: Map<string, string>;
  noteTypes: NoteTypeRecord[];
  fieldNames: Set<string>;
  noteTypeNames: Map<string, string>;
  currentDeckId?: string;
}

// What is read, each part when first needed; `…Reading`: a read under way.
let basics: Promise<Basics> | undefined;
let cards: CardIndex | undefined;
let cardsReading: Promise<unknown> | undefined;
let cardsRead = 0;
/** Each card's history from the log rows reviewed at `since` or later (-Infinity: the whole log). */
let histories: { since: number; byCard: Map<string, CardHistory> } | undefined;
let historiesReading: Promise<unknown> | undefined;
let logRowsRead = 0;
let noteFields: Map<string, Map<string, string>> | undefined;
let notesReading: Promise<unknown> | undefined;
/** The first cards in a sort's order, read off the database's index while all cards are read. */
let firstCards: { sort: BrowseSort; count: number; cards: IndexedCard[] } | undefined;
/** Cards changed since they were read; applied before the next search. */
const changedIds = new Set<string>();
/** Rises with every change applied: a result made before is stale. */
let version = 0;

let request: BrowseRequest | undefined;
/** The last command handled, which the next view reflects. */
let seq = 0;
let viewOutdated = false;
const selected = new Set<string>();
/** Commands waiting for the cards to be read, in the order given. */
const waiting: BrowseCommand[] = [];

/** Whether a card counts in Browse at all: retired built-in cards do not. */
const listed = (card: CardRecord | undefined): card is CardRecord => card !== undefined && card.queue !== Queue.Retired;

function readBasics(): Promise<Basics> {
  basics ??= Promise.all([storage.decks(), storage.noteTypes(), storage.lastStudiedDeckId()]).then(([decks, noteTypes, currentDeckId]) => {
    post({ type: 'decks', decks: decks.map(({ id, title }) => ({ id, title })) });
    return {
      deckNames: new Map(decks.map((deck) => [deck.id, deck.title])),
      noteTypes,
      fieldNames: noteFieldNames(noteTypes),
      noteTypeNames: new Map(noteTypes.map((noteType) => [noteType.id, noteType.name])),
      currentDeckId,
    };
  });
  basics.catch(() => (basics = undefined));
  return basics;
}

/**
 * Starts a read in the background: when it is done, the view is made again. A failure is
 * reported, and so are the questions waiting for it; the next command tries again.
 */
function inBackground(read: () => Promise<void>): Promise<unknown> {
  return read().then(
    () => {
      viewOutdated = true;
      void pump();
    },
    (error: unknown) => {
      const message = failure(error);
      post({ type: 'failed', message });
      for (const command of waiting.splice(0)) if ('id' in command) post({ type: 'failed', message, id: command.id });
    },
  );
}

function startReadingCards(): void {
  if (cards || cardsReading) return;
  // What changed before this read is read as it is now.
  changedIds.clear();
  cardsRead = 0;
  cardsReading = inBackground(async () => {
    const index = new CardIndex();
    await storage.eachCardChunk((chunk) => {
      index.put(chunk.map(indexedCard));
      cardsRead += chunk.length;
      post({ type: 'reading', reading: { what: 'cards', done: cardsRead } });
    });
    cards = index;
    firstCards = undefined;
    version++;
  }).finally(() => (cardsReading = undefined));
}

/** Reads the log from `since` on: the whole of it for added:, the last days' for rated:. */
function startReadingHistories(since: number): void {
  if (historiesReading) return;
  logRowsRead = 0;
  historiesReading = inBackground(async () => {
    const byCard = new Map<string, CardHistory>();
    const add = (chunk: ReviewLogRow[]) => {
      addLogRows(byCard, chunk);
      logRowsRead += chunk.length;
      post({ type: 'reading', reading: { what: 'history', done: logRowsRead } });
    };
    await (since === -Infinity ? storage.eachLogChunk(add) : storage.eachLogChunkSince(since, add));
    histories = { since, byCard };
    version++;
  }).finally(() => (historiesReading = undefined));
}

function startReadingNotes(noteTypes: NoteTypeRecord[]): void {
  if (noteFields || notesReading) return;
  notesReading = inBackground(async () => {
    noteFields = importedNoteFields(await storage.notes(), noteTypes);
    version++;
  }).finally(() => (notesReading = undefined));
}

/** Applies the changes heard since the cards were read: those cards (and their log rows) as stored now. */
async function applyChanges(): Promise<void> {
  if (!cards || changedIds.size === 0) return;
  const ids = [...changedIds];
  changedIds.clear();
  if (ids.length > Math.max(rereadAllAbove, cards.size / 5)) {
    cards = histories = noteFields = undefined;
    return;
  }
  const stored = await storage.cards(ids);
  const gone = ids.filter((_, index) => !listed(stored[index]));
  cards.remove(gone);
  for (const id of gone) selected.delete(id);
  const present = stored.filter(listed);
  cards.put(present.map(indexedCard));
  // An imported card changed: its note may have too.
  if (present.some((card) => card.importedNote)) noteFields = undefined;
  const held = histories;
  if (held) {
    const rows = (await storage.logRows(ids)).filter((row) => row.reviewedAt.getTime() >= held.since);
    for (const id of ids) held.byCard.delete(id);
    addLogRows(held.byCard, rows);
  }
  version++;
}

new ChangeChannel(databaseName).listen((change) => {
  // Decks, note types and the deck last studied are few rows: read again whatever changed.
  basics = undefined;
  firstCards = undefined;
  version++;
  for (const id of change.cardIds) changedIds.add(id);
  viewOutdated = true;
  void pump();
});

/**
 * The last search's matching positions, made again only when the search, the day or the
 * cards changed; `over`: what else it holds for (the cards' version, the sort, the day).
 */
let result: { over: string; query: string; search: Search; found: Int32Array; allSelected?: boolean } | undefined;

function search(parsed: Search, index: CardIndex, basics: Basics, request: BrowseRequest, now: Date, endOfDay: Date): Int32Array {
  const over = `${version}|${request.sort}|${endOfDay.getTime()}`;
  if (result?.over !== over || result.query !== request.query) {
    const matches = cardMatcher(parsed, {
      now,
      endOfDay,
      deckNames: basics.deckNames,
      currentDeckId: basics.currentDeckId,
      noteTypeNames: basics.noteTypeNames,
      reviewLog: histories?.byCard,
      importedFields: noteFields,
    });
    // Typing on narrows the search: only the cards found so far can match.
    const found = result?.over === over && narrows(result.search, parsed) ? index.searchWithin(result.found, matches) : index.search(matches, request.sort);
    result = { over, query: request.query, search: parsed, found };
  }
  return result.found;
}

function row(card: IndexedCard, deckNames: Map<string, string>): BrowseRow {
  return {
    id: card.id,
    summary: card.summary,
    deckTitle: deckNames.get(card.deckId) ?? card.deckId,
    tags: card.tags,
    queue: card.queue,
    due: card.due.getTime(),
    flag: card.flag ?? 0,
    selected: selected.has(card.id),
  };
}

function emptyView(parts: Partial<BrowseView>): BrowseView {
  return { seq, from: request?.from ?? 0, rows: [], selectedCount: selected.size, allFoundSelected: false, noCurrentDeck: false, ...parts };
}

const readingCards = (): Reading => ({ what: 'cards', done: cardsRead });
const readsUnderWay = () => cardsReading !== undefined || historiesReading !== undefined || notesReading !== undefined;

/** The first `count` cards in `sort` order, off the database's index (see firstOfEachDeckAndQueue). */
async function readFirstCards(sort: (typeof sortsReadInOrder)[number], count: number): Promise<IndexedCard[]> {
  if (!firstCards || firstCards.sort !== sort || firstCards.count < count) {
    const lists = await storage.firstOfEachDeckAndQueue(sort, count);
    firstCards = { sort, count, cards: firstInOrder(lists.map((list) => list.filter(listed).map(indexedCard)), sort, count) };
  }
  return firstCards.cards;
}

/** The view of the current request, or what is read before it can be made. */
async function makeView(request: BrowseRequest): Promise<BrowseView> {
  const from = request.from;
  const to = Math.min(request.to, from + maxWindow);
  // Before all cards are read, the first screen of the whole list (a query of no terms) in an
  // order the database's index keeps comes off that index: read beside the basics, not after.
  const inOrder = (sortsReadInOrder as readonly BrowseSort[]).includes(request.sort) ? (request.sort as (typeof sortsReadInOrder)[number]) : undefined;
  const first = !cards && inOrder && request.query.trim() === '' ? readFirstCards(inOrder, to) : undefined;
  first?.catch(() => {}); // a failure is reported where it is awaited, below
  const known = await readBasics();
  const parsed = parseSearch(request.query, known.fieldNames);
  if ('error' in parsed) return emptyView({ error: parsed.error });
  const noCurrentDeck = needsCurrentDeck(parsed.search) && !known.currentDeckId;
  if (!cards) {
    const rows = first ? (await first).slice(from, to).map((card) => row(card, known.deckNames)) : [];
    startReadingCards();
    return emptyView({ rows, reading: readingCards(), noCurrentDeck });
  }
  const now = new Date();
  const endOfDay = studyDay(now, request.dayStartHour).end;
  const logSince = logNeededSince(parsed.search, endOfDay);
  if (logSince !== undefined && !(histories && histories.since <= logSince)) {
    startReadingHistories(logSince);
    return emptyView({ reading: { what: 'history', done: logRowsRead }, noCurrentDeck });
  }
  if (needsNoteFields(parsed.search) && known.noteTypes.length > 0 && !noteFields) {
    startReadingNotes(known.noteTypes);
    return emptyView({ reading: { what: 'notes', done: 0 }, noCurrentDeck });
  }

  const found = search(parsed.search, cards, known, request, now, endOfDay);
  result!.allSelected ??= found.length > 0 && selected.size >= found.length && found.every((position) => selected.has(cards!.at(position)!.id));
  const rows: BrowseRow[] = [];
  for (let position = from; position < Math.min(to, found.length); position++) rows.push(row(cards.at(found[position])!, known.deckNames));
  return {
    seq,
    found: found.length,
    total: cards.size,
    from,
    rows,
    selectedCount: [...selected].filter((id) => cards!.get(id)).length,
    allFoundSelected: result!.allSelected,
    noCurrentDeck,
  };
}

/** Whether a command can be handled now: some need all cards read. */
function ready(command: BrowseCommand): boolean {
  return cards !== undefined || !(command.type === 'selectAll' || command.type === 'selectionFacts' || command.type === 'targets');
}

/** Handles a command (see ready). */
function handle(command: BrowseCommand): void {
  switch (command.type) {
    case 'show':
      request = command.request;
      if (command.newSelection) selected.clear();
      break;
    case 'hide':
      request = undefined;
      return;
    case 'select':
      for (const id of command.ids) {
        if (command.selected) selected.add(id);
        else selected.delete(id);
      }
      break;
    case 'selectNone':
      selected.clear();
      break;
    case 'selectAll':
      // The cards of the last search made: the ones the page offered to select.
      for (const position of result?.found ?? []) {
        const card = cards!.at(position);
        if (card) selected.add(card.id);
      }
      break;
    case 'selectionFacts':
      post({ type: 'selectionFacts', id: command.id, facts: cards!.selectionFacts(selected) });
      return;
    case 'targets': {
      const sort = request?.sort ?? 'due';
      const targets = command.wholeNotes ? cards!.noteCards(selected, sort) : cards!.cardsWhere((card) => selected.has(card.id), sort);
      post({ type: 'targets', id: command.id, targets: targets.map(({ id, rev }) => ({ id, rev })) });
      return;
    }
  }
  seq = command.seq;
  if (result) result.allSelected = undefined;
  viewOutdated = true;
}

let pumping = false;

/**
 * Works through what is asked, one thing at a time: commands in order, changes heard, then
 * the view. It first lets the messages already sent arrive, so that of several keystrokes
 * only the last is searched.
 */
async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      // Changes wait while a read is under way: it may have read a changed card as it was.
      if (!readsUnderWay()) await applyChanges();
      while (waiting.length > 0 && ready(waiting[0])) handle(waiting.shift()!);
      if (waiting.length > 0) startReadingCards();
      if (!request || !viewOutdated) break;
      viewOutdated = false;
      const view = await makeView(request);
      // Commands that came meanwhile make it stale: the next round makes it again.
      if (waiting.length > 0 && ready(waiting[0])) viewOutdated = true;
      else if (request) post({ type: 'view', view });
    }
  } catch (error) {
    post({ type: 'failed', message: failure(error) });
  } finally {
    pumping = false;
  }
}

addEventListener('message', (event: MessageEvent<BrowseCommand>) => {
  waiting.push(event.data);
  void pump();
});
