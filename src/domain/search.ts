// The browser's search: free text and a subset of Anki's syntax, e.g.
// `deck:security tag:rbac is:due -is:suspended prop:ivl>10 "network policy"`.
// Terms are ANDed; a leading "-" negates one.
import { State } from 'ts-fsrs';
import { Queue, type CardRecord } from './types.ts';

export type SearchTerm =
  | { kind: 'text'; text: string }
  | { kind: 'deck'; pattern: RegExp }
  | { kind: 'tag'; pattern: RegExp }
  | { kind: 'is'; what: 'new' | 'learn' | 'review' | 'due' | 'suspended' | 'buried' }
  | { kind: 'flag'; flag: number }
  | { kind: 'prop'; property: 'ivl' | 'due' | 'reps' | 'lapses'; compare: '<' | '<=' | '>' | '>=' | '='; value: number };

export interface Search {
  terms: { term: SearchTerm; negated: boolean }[];
}

export type SearchResult = { search: Search } | { error: string };

/** Anki's wildcards: * for any text; matching ignores case and must cover the whole name. */
function wildcard(text: string): RegExp {
  const escaped = text.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
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
      return /^[0-4]$/.test(value) ? { kind: 'flag', flag } : `flag:${value} is not known: use flag:0 to flag:4`;
    }
    default: {
      const prop = /^(ivl|due|reps|lapses)(<=|>=|<|>|=)(-?\d+(?:\.\d+)?)$/i.exec(value);
      if (!prop) return `prop:${value} is not understood: write it like prop:ivl>10 (ivl, due, reps or lapses; < <= > >= =)`;
      return { kind: 'prop', property: prop[1].toLowerCase() as 'ivl', compare: prop[2] as '<', value: Number(prop[3]) };
    }
  }
}

export function parseSearch(query: string): SearchResult {
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

function matchesTerm(card: CardRecord, term: SearchTerm, context: SearchContext): boolean {
  switch (term.kind) {
    case 'text':
      return `${card.front}\n${card.back}\n${card.note}`.toLowerCase().includes(term.text);
    case 'deck': {
      const title = context.deckNames.get(card.deckId) ?? '';
      return term.pattern.test(card.deckId) || term.pattern.test(title);
    }
    case 'tag':
      return card.tags.some((tag) => term.pattern.test(tag));
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

export function matches(card: CardRecord, search: Search, context: SearchContext): boolean {
  return search.terms.every(({ term, negated }) => matchesTerm(card, term, context) !== negated);
}
