import { State } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { browseSorts, CardIndex, cardSummary, firstInOrder, indexedCard, noteKey, sortsReadInOrder, type BrowseSort, type IndexedCard } from '../../src/domain/browse.ts';
import { addLogRows, cardMatcher, logByCard, logNeededSince, narrows, parseSearch, type Search, type SearchContext } from '../../src/domain/search.ts';
import { Queue, type CardRecord, type ReviewLogRow } from '../../src/domain/types.ts';
import { seededRandom } from '../support/collection.ts';
import { makeCard } from '../support/cards.ts';

const day = 86_400_000;
const start = new Date('2026-04-01T10:00:00Z').getTime();
const context: SearchContext = { now: new Date(start), endOfDay: new Date(start + 16 * 3_600_000), deckNames: new Map() };

/** Cards in three decks and every queue, with many equal due dates and positions: ties are where orders differ. */
function mixedCards(count: number): CardRecord[] {
  const roll = seededRandom(7);
  const queues = [Queue.New, Queue.Learning, Queue.Review, Queue.Suspended, Queue.Buried];
  return Array.from({ length: count }, (_, index) =>
    makeCard(`card-${String(Math.floor(roll() * 1000)).padStart(3, '0')}-${index}`, {
      deckId: ['alpha', 'beta', 'gamma'][index % 3],
      queue: queues[Math.floor(roll() * queues.length)],
      due: new Date(start + Math.floor(roll() * 5) * day),
      position: Math.floor(roll() * 10),
      scheduled_days: Math.floor(roll() * 4),
      difficulty: Math.floor(roll() * 3),
      lapses: Math.floor(roll() * 3),
    }),
  );
}

const ids = (cards: { id: string }[]) => cards.map((card) => card.id);
function parsed(query: string): Search {
  const result = parseSearch(query);
  if ('error' in result) throw new Error(result.error);
  return result.search;
}
const indexOf = (cards: CardRecord[]) => {
  const index = new CardIndex();
  index.put(cards.map(indexedCard));
  return index;
};
const everything = () => true;

describe("Browse's card index", () => {
  it('shows the first line of the front without Markdown marks, an imported card without its HTML', () => {
    expect(cardSummary({ kind: 'basic', front: '\n```yaml\nkind: Pod\n```\n**What** does `kubectl` _do_?' })).toBe('kind: Pod');
    expect(cardSummary({ kind: 'basic', front: '\n**What** does `kubectl` _do_?\nMore' })).toBe('What does kubectl do?');
    // A cloze card's front marks its deletion with private-use characters (see cloze.ts).
    expect(cardSummary({ kind: 'cloze', front: 'The \uE000[…]\uE001 runs on every node' })).toBe('The […] runs on every node');
    expect(cardSummary({ kind: 'html', front: '<div>A <b>Pod</b>&nbsp;is<style>b{}</style></div>' })).toBe('A Pod is');
  });

  it("keys a note's cards together: a cloze note's, an imported note's; a basic card is its own note", () => {
    expect(noteKey({ id: 'x-c1', cloze: { noteId: 'x', text: '', number: 1 } })).toBe('cloze:x');
    expect(noteKey({ id: 'y', importedNote: { id: 'n1', noteTypeId: 't', ord: 0 } })).toBe('note:n1');
    expect(noteKey({ id: 'z' })).toBe('card:z');
  });

  it('keeps what searches read, and the text they look in made once', () => {
    const card = makeCard('rbac', { front: 'Is a Role **namespaced**?', back: 'Yes', note: 'See RBAC', tags: ['rbac'], source: 'a long source', exam: ['KCNA Kubernetes Fundamentals'] });
    const indexed = indexedCard(card);
    expect(indexed).not.toHaveProperty('source');
    expect(indexed).not.toHaveProperty('exam');
    expect(indexed.searchText).toBe('is a role **namespaced**?\nyes\nsee rbac');
    for (const query of ['namespaced', 'tag:rbac', '"see rbac"', 'front:is*', '-is:suspended', 'is:new', 'prop:ivl=0']) {
      const parsed = parseSearch(query);
      if ('error' in parsed) throw new Error(parsed.error);
      const matches = cardMatcher(parsed.search, context);
      expect(matches(indexed)).toBe(matches(card));
      expect(matches(indexed)).toBe(true);
    }
    // The text made beforehand is the one searched.
    expect(cardMatcher((parseSearch('elsewhere') as { search: never }).search, context)({ ...indexed, searchText: 'found elsewhere' })).toBe(true);
  });

  it.each(Object.keys(browseSorts) as BrowseSort[])('searches in %s order, ties by id, the same as sorting the matches', (sort) => {
    const cards = mixedCards(400);
    const index = indexOf(cards);
    const parsed = parseSearch('-is:suspended');
    if ('error' in parsed) throw new Error(parsed.error);
    const matches = cardMatcher(parsed.search, context);
    const expected = cards.map(indexedCard).filter(matches).sort(browseSorts[sort]);
    expect(ids(index.cardsWhere(matches, sort))).toEqual(ids(expected));
    expect(Array.from(index.search(matches, sort), (position) => index.at(position)!.id)).toEqual(ids(expected));
  });

  it('stays in order as cards change, come and go', () => {
    const cards = mixedCards(200);
    const index = indexOf(cards);
    for (const sort of Object.keys(browseSorts) as BrowseSort[]) index.search(everything, sort);
    // A suspended card keeps its place in every order; one answered moves in due order.
    const suspended = { ...cards[10], queue: Queue.Suspended, rev: 1 };
    const answered = { ...cards[20], due: new Date(start + 30 * day), scheduled_days: 9, rev: 1 };
    const added = makeCard('card-000-new', { deckId: 'alpha', due: new Date(start - day) });
    index.put([suspended, answered, added].map(indexedCard));
    index.remove([cards[30].id, 'no such card']);
    const now = [...cards.filter((_, position) => position !== 30).map((card) => (card.id === suspended.id ? suspended : card.id === answered.id ? answered : card)), added];
    expect(index.size).toBe(now.length);
    expect(index.get(cards[30].id)).toBeUndefined();
    expect(index.get(suspended.id)!.queue).toBe(Queue.Suspended);
    for (const sort of Object.keys(browseSorts) as BrowseSort[]) {
      expect(ids(index.cardsWhere(everything, sort))).toEqual(ids(now.map(indexedCard).sort(browseSorts[sort])));
    }
  });

  it.each(sortsReadInOrder)('takes the first cards in %s order from the first of each deck and queue', (sort) => {
    const cards = mixedCards(300).map(indexedCard);
    const full = [...cards].sort(browseSorts[sort]);
    // As the database's index keeps them: each deck's queue in the sort's order, cut at `count`.
    const byDeckAndQueue = new Map<string, IndexedCard[]>();
    for (const card of full) byDeckAndQueue.set(`${card.deckId} ${card.queue}`, [...(byDeckAndQueue.get(`${card.deckId} ${card.queue}`) ?? []), card]);
    for (const count of [1, 17, 60, 1000]) {
      const lists = [...byDeckAndQueue.values()].map((list) => list.slice(0, count));
      expect(ids(firstInOrder(lists, sort, count))).toEqual(ids(full.slice(0, count)));
    }
  });

  it('narrows a search typed on to the cards found so far, and only then', () => {
    expect(narrows(parsed('ques'), parsed('question'))).toBe(true);
    expect(narrows(parsed('deck:bench'), parsed('deck:bench prop:ivl>10'))).toBe(true);
    expect(narrows(parsed(''), parsed('is:due'))).toBe(true);
    expect(narrows(parsed('-ques'), parsed('-question'))).toBe(false);
    expect(narrows(parsed('tag:kube'), parsed('tag:kuber'))).toBe(false);
    expect(narrows(parsed('prop:ivl>1'), parsed('prop:ivl>10'))).toBe(false);
    expect(narrows(parsed('a b'), parsed('a'))).toBe(false);
    expect(narrows(parsed('is:new'), parsed('-is:new'))).toBe(false);
    // Whenever it says so, searching within the cards found before finds what a full search finds.
    const cards = mixedCards(300).map((card, index) => ({ ...card, front: `card ${index} ${index % 7 ? 'question' : 'quest'}`, tags: index % 3 ? ['kube'] : ['kuber'] }));
    const index = indexOf(cards);
    const typed = ['', 'q', 'qu', 'quest', 'question', 'question 1', 'question 12', 'tag:kube', 'tag:kube -is:new', 'tag:kuber', '-quest', '-question'];
    let narrowed = 0;
    for (const before of typed) {
      for (const after of typed) {
        if (!narrows(parsed(before), parsed(after))) continue;
        narrowed++;
        const found = index.search(cardMatcher(parsed(before), context), 'lapses');
        const within = index.searchWithin(found, cardMatcher(parsed(after), context));
        expect(Array.from(within)).toEqual(Array.from(index.search(cardMatcher(parsed(after), context), 'lapses')));
      }
    }
    expect(narrowed).toBeGreaterThan(typed.length);
  });

  it("tells the selected cards' count, their tags and how many cards their notes hold; Delete takes those", () => {
    const cloze = (number: number) => makeCard(`note-c${number}`, { kind: 'cloze', cloze: { noteId: 'note', text: 'x', number }, tags: ['b', 'a'] });
    const cards = [cloze(1), cloze(2), cloze(3), makeCard('alone', { tags: ['c', 'a'] }), makeCard('other', { tags: ['z'] })];
    const index = indexOf(cards);
    expect(index.selectionFacts(new Set(['note-c1', 'alone', 'gone']))).toEqual({ count: 2, tags: ['a', 'b', 'c'], noteCardCount: 4 });
    expect(ids(index.noteCards(new Set(['note-c2']), 'due'))).toEqual(['note-c1', 'note-c2', 'note-c3']);
  });
});

describe('card histories for added: and rated:', () => {
  const row = (cardId: string, at: number, rating: 1 | 2 | 3 | 4, kind?: 'reschedule'): ReviewLogRow => ({
    ...(kind ? { kind } : {}),
    cardId,
    deckId: 'd',
    rating,
    reviewedAt: new Date(at),
    stateBefore: State.Review,
    due: new Date(at + day),
    stability: 1,
    difficulty: 5,
    scheduledDays: 1,
    durationMs: 1000,
  }) as ReviewLogRow;

  it('keeps the first row\'s time and the answers, however the rows come in chunks', () => {
    const rows = [row('a', start - 5 * day, 3), row('b', start - 2 * day, 1), row('a', start - day, 4, 'reschedule'), row('a', start - 3 * day, 2)];
    const whole = logByCard(rows);
    expect(whole.get('a')).toEqual({ firstReviewedAt: start - 5 * day, answers: [{ at: start - 5 * day, rating: 3 }, { at: start - 3 * day, rating: 2 }] });
    const chunked = new Map();
    addLogRows(chunked, rows.slice(0, 1));
    addLogRows(chunked, rows.slice(1));
    expect(chunked).toEqual(whole);
  });

  it('reads the whole log for added:, for rated: only the days it looks back over, for neither none', () => {
    const since = (query: string) => {
      const parsed = parseSearch(query);
      if ('error' in parsed) throw new Error(parsed.error);
      return logNeededSince(parsed.search, context.endOfDay);
    };
    const endOfDay = context.endOfDay.getTime();
    expect(since('deck:x is:due')).toBeUndefined();
    expect(since('rated:1')).toBe(endOfDay - day);
    expect(since('rated:2:1 -rated:7')).toBe(endOfDay - 7 * day);
    expect(since('rated:1 added:3')).toBe(-Infinity);
    // The rows since then are all rated: reads: it finds the same cards as with the whole log.
    const rows = [row('a', endOfDay - 10 * day, 3), row('a', endOfDay - 2 * day, 1), row('b', endOfDay - 3 * day, 4)];
    const cards = [makeCard('a'), makeCard('b')];
    const parsed = parseSearch('rated:2:1');
    if ('error' in parsed) throw new Error(parsed.error);
    const recent = logByCard(rows.filter((found) => found.reviewedAt.getTime() >= since('rated:2:1')!));
    expect(cards.filter(cardMatcher(parsed.search, { ...context, reviewLog: recent })).map((card) => card.id)).toEqual(['a']);
    expect(cards.filter(cardMatcher(parsed.search, { ...context, reviewLog: logByCard(rows) })).map((card) => card.id)).toEqual(['a']);
  });
});
