// The browser's search: free text and a subset of Anki's syntax, e.g.
// `deck:security tag:rbac is:due -is:suspended prop:ivl>10 "network policy"`.
// Terms are ANDed; a leading "-" negates one.
import { State } from 'ts-fsrs';
import { Queue, type CardRecord } from './types.ts';

export type SearchTerm =
  | { kind: 'text'; text: string }
  | { kind: 'deck'; pattern: Wildcard }
  | { kind: 'tag'; pattern: Wildcard }
  | { kind: 'is'; what: 'new' | 'learn' | 'review' | 'due' | 'suspended' | 'buried' }
  | { kind: 'flag'; flag: number }
  | { kind: 'prop'; property: 'ivl' | 'due' | 'reps' | 'lapses'; compare: '<' | '<=' | '>' | '>=' | '='; value: number };

export interface Search {
  terms: { term: SearchTerm; negated: boolean }[];
}

export type SearchResult = { search: Search } | { error: string };

/** The longest query accepted: more than any real search needs, and a bound on the work one keystroke asks for. */
export const maxQueryLength = 500;

/** Anki's `*` wildcard pattern, lower-cased and cut at each `*`: `kube**z` is ['kube', '', 'z']. */
type Wildcard = string[];

function wildcard(text: string): Wildcard {
  return text.toLowerCase().split('*');
}

/**
 * Whether the whole of `name` matches, ignoring case. No regex: a `.*` per `*` backtracks,
 * so that `deck:******z` froze Browse for seconds. The first part must be a prefix,
 * the last a suffix, and each one between is taken at its leftmost place after the one
 * before, which is exact when `*` is the only wildcard and takes linear-ish time.
 */
function matchesWildcard(parts: Wildcard, name: string): boolean {
  const text = name.toLowerCase();
  if (parts.length === 1) return text === parts[0];
  const prefix = parts[0];
  const suffix = parts[parts.length - 1];
  const suffixAt = text.length - suffix.length;
  if (suffixAt < prefix.length || !text.startsWith(prefix) || !text.endsWith(suffix)) return false;
  let from = prefix.length;
  for (const part of parts.slice(1, -1)) {
    const at = text.indexOf(part, from);
    if (at < 0 || at + part.length > suffixAt) return false;
    from = at + part.length;
  }
  return true;
}

function tokens(query: string): string[] {
  return [...query.matchAll(/-?(?:\w+:)?"[^"]*"|-?\S+/g)].map((match) => match[0]);
}

function parseTerm(token: string): SearchTerm | string {
  const unquoted = token.replace(/^"(.*)"$/, '$1');
  const field = /^(deck|tag|is|flag|prop):(.*)$/i.exec(unquoted);
  if (!field) return { kind: 'text', text: unquoted.toLowerCase() };
  const [, name, raw] = field;
  const value = raw.replace(/^"(.*)"$/, '$1');
  switch (name.toLowerCase()) {
    case 'deck':
      return value ? { kind: 'deck', pattern: wildcard(value) } : 'deck: needs a deck name, such as deck:security';
    case 'tag':
      return value ? { kind: 'tag', pattern: wildcard(value) } : 'tag: needs a tag, such as tag:leech';
    case 'is': {
      const what = value.toLowerCase();
      if (['new', 'learn', 'review', 'due', 'suspended', 'buried'].includes(what)) return { kind: 'is', what: what as 'new' };
      return `is:${value} is not known: use is:new, is:learn, is:review, is:due, is:suspended or is:buried`;
    }
    case 'flag': {
      const flag = Number(value);
      return /^[0-7]$/.test(value) ? { kind: 'flag', flag } : `flag:${value} is not known: use flag:0 to flag:7`;
    }
    default: {
      const prop = /^(ivl|due|reps|lapses)(<=|>=|<|>|=)(-?\d+(?:\.\d+)?)$/i.exec(value);
      if (!prop) return `prop:${value} is not understood: write it like prop:ivl>10 (ivl, due, reps or lapses; < <= > >= =)`;
      return { kind: 'prop', property: prop[1].toLowerCase() as 'ivl', compare: prop[2] as '<', value: Number(prop[3]) };
    }
  }
}

export function parseSearch(query: string): SearchResult {
  if (query.length > maxQueryLength) return { error: `The search is too long: ${query.length} characters, at most ${maxQueryLength}.` };
  const terms: Search['terms'] = [];
  for (const token of tokens(query)) {
    const negated = token.startsWith('-') && token.length > 1;
    const term = parseTerm(negated ? token.slice(1) : token);
    if (typeof term === 'string') return { error: term };
    terms.push({ term, negated });
  }
  return { search: { terms } };
}

/** What a card is matched against besides itself. */
export interface SearchContext {
  now: Date;
  /** End of the current study day: due before this counts as due. */
  endOfDay: Date;
  /** Deck titles and ids, for deck: terms. */
  deckNames: Map<string, string>;
}

function compare(actual: number, compare: string, value: number): boolean {
  if (compare === '<') return actual < value;
  if (compare === '<=') return actual <= value;
  if (compare === '>') return actual > value;
  if (compare === '>=') return actual >= value;
  return actual === value;
}

const dayMs = 86_400_000;

function matchesTerm(card: CardRecord, term: Exclude<SearchTerm, { kind: 'deck' }>, context: SearchContext): boolean {
  switch (term.kind) {
    case 'text':
      return `${card.front}\n${card.back}\n${card.note}`.toLowerCase().includes(term.text);
    case 'tag':
      return card.tags.some((tag) => matchesWildcard(term.pattern, tag));
    case 'flag':
      return (card.flag ?? 0) === term.flag;
    case 'is':
      switch (term.what) {
        case 'new':
          return card.state === State.New;
        case 'learn':
          return card.state === State.Learning || card.state === State.Relearning;
        case 'review':
          return card.state === State.Review || card.state === State.Relearning;
        case 'due':
          return (card.queue === Queue.Learning || card.queue === Queue.Review) && card.due < context.endOfDay;
        case 'suspended':
          return card.queue === Queue.Suspended;
        case 'buried':
          return card.queue === Queue.Buried;
      }
      return false;
    case 'prop': {
      const values = {
        ivl: card.state === State.New ? 0 : card.scheduled_days,
        // In study days: 0 = due today, 1 = tomorrow, -1 = yesterday.
        due: Math.floor((card.due.getTime() - context.endOfDay.getTime()) / dayMs) + 1,
        reps: card.reps,
        lapses: card.lapses,
      };
      return compare(values[term.property], term.compare, term.value);
    }
  }
}

/** A deck: term is matched once per deck (by id or title), not once per card: decks are few, cards many. */
function deckTest(pattern: Wildcard, deckNames: Map<string, string>): (card: CardRecord) => boolean {
  const byDeck = new Map<string, boolean>();
  return ({ deckId }) => {
    let found = byDeck.get(deckId);
    if (found === undefined) {
      found = matchesWildcard(pattern, deckId) || matchesWildcard(pattern, deckNames.get(deckId) ?? '');
      byDeck.set(deckId, found);
    }
    return found;
  };
}

/** The test a search makes of each card; make it once per search and apply it to every card. */
export function cardMatcher(search: Search, context: SearchContext): (card: CardRecord) => boolean {
  const tests = search.terms.map(({ term, negated }) => {
    const test = term.kind === 'deck' ? deckTest(term.pattern, context.deckNames) : (card: CardRecord) => matchesTerm(card, term, context);
    return (card: CardRecord) => test(card) !== negated;
  });
  return (card) => tests.every((test) => test(card));
}
