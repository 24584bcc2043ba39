// Messages between Browse and its search worker. The page asks for a search and a window of
// its rows; the worker answers with a view: the rows of that window and the counts. Every
// command that changes the view carries a number that rises, and the view says the last one
// it reflects, so the page knows which of its own changes (a tick, a search) it shows yet.
import type { BrowseSort, SelectionFacts } from '../domain/browse.ts';
import type { Queue } from '../domain/types.ts';
import type { CardRevision } from '../storage/index.ts';

export interface BrowseRequest {
  query: string;
  sort: BrowseSort;
  /** For is:due, prop:due, added: and rated:, which count study days. */
  dayStartHour: number;
  /** The positions in the list the page shows, [from, to). */
  from: number;
  to: number;
}

export type BrowseCommand =
  /** `newSelection`: a new search or a new screen, which starts with nothing selected (as in Anki). */
  | { type: 'show'; seq: number; request: BrowseRequest; newSelection: boolean }
  | { type: 'select'; seq: number; ids: string[]; selected: boolean }
  | { type: 'selectAll' | 'selectNone'; seq: number }
  /** The screen is gone: no view is made again until the next show. */
  | { type: 'hide' }
  | { type: 'selectionFacts'; id: number }
  /** The selected cards (`wholeNotes`: and the other cards of their notes), as the list last showed them. */
  | { type: 'targets'; id: number; wholeNotes: boolean };

/** One row of the list: what it shows of a card. */
export interface BrowseRow {
  id: string;
  summary: string;
  deckTitle: string;
  tags: string[];
  queue: Queue;
  due: number;
  flag: number;
  selected: boolean;
}

/** What the worker is reading before it can answer, for the status line. */
export interface Reading {
  what: 'cards' | 'history' | 'notes';
  /** Cards or log rows read so far. */
  done: number;
}

export interface BrowseView {
  /** The last command this view reflects. */
  seq: number;
  /** Why the search is not understood (see parseSearch). */
  error?: string;
  /** Cards found and cards in all; absent while only the first cards are known. */
  found?: number;
  total?: number;
  /** The rows at positions from, from + 1, …, as far as the list has them. */
  from: number;
  rows: BrowseRow[];
  selectedCount: number;
  allFoundSelected: boolean;
  /** The search names deck:current, and no deck has been studied yet. */
  noCurrentDeck: boolean;
  reading?: Reading;
}

export type BrowseMessage =
  | { type: 'view'; view: BrowseView }
  /** Progress while reading, between views. */
  | { type: 'reading'; reading: Reading }
  | { type: 'decks'; decks: { id: string; title: string }[] }
  | { type: 'selectionFacts'; id: number; facts: SelectionFacts }
  | { type: 'targets'; id: number; targets: CardRevision[] }
  /** A read failed: the message says why. `id`: the request it answers, if one. */
  | { type: 'failed'; message: string; id?: number };
