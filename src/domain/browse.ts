// Browse's card index: one compact row per card with what the list shows and what searches
// and sorts read, kept in each sort's order once made, so that a search is one pass over the
// cards in that order and no keystroke sorts them again.
import { htmlToSortText } from './anki/schema11.ts';
import { withoutClozeMarks } from './cloze.ts';
import { cardSearchText, type SearchableCard } from './search.ts';
import type { CardRecord } from './types.ts';

export interface IndexedCard extends SearchableCard {
  searchText: string;
  rev: number;
  position: number;
  difficulty: number;
  /** The first line of the front, as the list shows it. */
  summary: string;
  /** Cards of one note share it: they are deleted together. */
  noteKey: string;
}

/** The first line of the front without Markdown marks (an imported card's: its text without HTML), for a one-line row. */
export function cardSummary(card: Pick<CardRecord, 'kind' | 'front'>): string {
  if (card.kind === 'html') return htmlToSortText(card.front).slice(0, 300);
  return withoutClozeMarks(card.front.split('\n').find((line) => line.trim() && !line.startsWith('```'))?.replace(/[*_`]/g, '') ?? '');
}

/** Cards of one note go together when deleted, as Anki deletes notes: a user's cloze note's, an imported note's. */
export function noteKey(card: Pick<CardRecord, 'id' | 'cloze' | 'importedNote'>): string {
  if (card.cloze) return `cloze:${card.cloze.noteId}`;
  if (card.importedNote) return `note:${card.importedNote.id}`;
  return `card:${card.id}`;
}

export function indexedCard(card: CardRecord): IndexedCard {
  const { id, rev, kind, front, back, note, tags, deckId, position, flag, state, queue, due, scheduled_days, difficulty, reps, lapses, cloze, importedNote } = card;
  return {
    id,
    rev,
    kind,
    front,
    back,
    note,
    tags,
    deckId,
    position,
    flag,
    state,
    queue,
    due,
    scheduled_days,
    difficulty,
    reps,
    lapses,
    cloze,
    importedNote,
    searchText: cardSearchText(card),
    summary: cardSummary(card),
    noteKey: noteKey(card),
  };
}

type Compare = (a: IndexedCard, b: IndexedCard) => number;

/** Code-unit order: the same everywhere, and far quicker than localeCompare over 100,000 cards. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ties go by card id, so that an order is the same however the cards were read. */
function withTies(compare: Compare): Compare {
  return (a, b) => compare(a, b) || compareIds(a.id, b.id);
}

export const browseSorts = {
  due: withTies((a, b) => a.due.getTime() - b.due.getTime()),
  added: withTies((a, b) => compareIds(a.deckId, b.deckId) || a.position - b.position),
  interval: withTies((a, b) => b.scheduled_days - a.scheduled_days),
  difficulty: withTies((a, b) => b.difficulty - a.difficulty),
  lapses: withTies((a, b) => b.lapses - a.lapses),
} satisfies Record<string, Compare>;
export type BrowseSort = keyof typeof browseSorts;

/**
 * The sorts whose order within one deck and queue a card index of the database also keeps
 * (due date, then introduction order), so that the first cards in that order can be read
 * from the start of each deck and queue before all cards are.
 */
export const sortsReadInOrder = ['due', 'added'] as const satisfies readonly BrowseSort[];

/** The first `count` cards in `sort` order, from lists that each hold the first `count` (or all) of their own part of the cards. */
export function firstInOrder(lists: IndexedCard[][], sort: BrowseSort, count: number): IndexedCard[] {
  return lists.flat().sort(browseSorts[sort]).slice(0, count);
}

/** What the bulk actions sheet says about the selected cards. */
export interface SelectionFacts {
  count: number;
  /** Every tag on them, sorted, for "Tag to remove". */
  tags: string[];
  /** The cards of their notes, themselves included: what Delete takes. */
  noteCardCount: number;
}

export class CardIndex {
  /** Cards by position; a deleted card leaves a hole, so positions held elsewhere stay right. */
  private readonly rows: (IndexedCard | undefined)[] = [];
  private readonly positions = new Map<string, number>();
  /** Each sort's order of the positions, made when first asked for and kept while no card moves in it. */
  private readonly orders = new Map<BrowseSort, Int32Array>();

  get size(): number {
    return this.positions.size;
  }

  get(id: string): IndexedCard | undefined {
    const position = this.positions.get(id);
    return position === undefined ? undefined : this.rows[position];
  }

  /** The card at a position a search gave (and no change has removed since). */
  at(position: number): IndexedCard | undefined {
    return this.rows[position];
  }

  /** Adds cards, or replaces the ones it has. */
  put(cards: IndexedCard[]): void {
    for (const card of cards) {
      const position = this.positions.get(card.id);
      if (position === undefined) {
        this.positions.set(card.id, this.rows.length);
        this.rows.push(card);
        // A new card has no place in any order made so far.
        this.orders.clear();
        continue;
      }
      const before = this.rows[position]!;
      this.rows[position] = card;
      for (const sort of this.orders.keys()) if (browseSorts[sort](before, card) !== 0) this.orders.delete(sort);
    }
  }

  remove(ids: Iterable<string>): void {
    for (const id of ids) {
      const position = this.positions.get(id);
      if (position === undefined) continue;
      this.rows[position] = undefined;
      this.positions.delete(id);
    }
  }

  private order(sort: BrowseSort): Int32Array {
    let order = this.orders.get(sort);
    if (!order) {
      const compare = browseSorts[sort];
      const rows = this.rows;
      order = Int32Array.from(this.positions.values()).sort((a, b) => compare(rows[a]!, rows[b]!));
      this.orders.set(sort, order);
    }
    return order;
  }

  /** The positions of the cards that match, in `sort` order. */
  search(matches: (card: IndexedCard) => boolean, sort: BrowseSort): Int32Array {
    const order = this.order(sort);
    const found = new Int32Array(order.length);
    let count = 0;
    for (let at = 0; at < order.length; at++) {
      const position = order[at];
      const card = this.rows[position];
      if (card && matches(card)) found[count++] = position;
    }
    return found.subarray(0, count);
  }

  /** The positions among `positions` (a search's, in its order) of the cards that still match, in the same order. */
  searchWithin(positions: Int32Array, matches: (card: IndexedCard) => boolean): Int32Array {
    return positions.filter((position) => {
      const card = this.rows[position];
      return card !== undefined && matches(card);
    });
  }

  /** The cards that match, in `sort` order. */
  cardsWhere(matches: (card: IndexedCard) => boolean, sort: BrowseSort): IndexedCard[] {
    return Array.from(this.search(matches, sort), (position) => this.rows[position]!);
  }

  selectionFacts(selected: ReadonlySet<string>): SelectionFacts {
    const cards = [...selected].flatMap((id) => this.get(id) ?? []);
    const noteKeys = new Set(cards.map((card) => card.noteKey));
    let noteCardCount = 0;
    for (const card of this.rows) if (card && noteKeys.has(card.noteKey)) noteCardCount++;
    return { count: cards.length, tags: [...new Set(cards.flatMap((card) => card.tags))].sort(), noteCardCount };
  }

  /** The selected cards and every other card of their notes, in `sort` order: what Delete takes. */
  noteCards(selected: ReadonlySet<string>, sort: BrowseSort): IndexedCard[] {
    const noteKeys = new Set([...selected].flatMap((id) => this.get(id)?.noteKey ?? []));
    return this.cardsWhere((card) => noteKeys.has(card.noteKey), sort);
  }
}
