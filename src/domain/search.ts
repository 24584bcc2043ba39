// The browser's search: free text and a subset of Anki's syntax, e.g.
// `deck:security tag:rbac is:due -is:suspended prop:ivl>10 "network policy"`.
// Terms are ANDed; a leading "-" negates one. A term of Anki's that is not supported is an
// error naming it, never a silent search that finds nothing.
import { CardState, isAnswer, Queue, type CardRecord, type NoteRecord, type NoteTypeRecord, type ReviewLogRow } from './types.ts';

/** What a search reads of a card: a CardRecord has all of it; Browse's index keeps only this. */
export type SearchableCard = Pick<
  CardRecord,
  'id' | 'kind' | 'front' | 'back' | 'note' | 'tags' | 'deckId' | 'flag' | 'state' | 'queue' | 'due' | 'scheduled_days' | 'reps' | 'lapses' | 'cloze' | 'importedNote'
> & {
  /** cardSearchText(card), if made once beforehand: then not made again for every search. */
  searchText?: string;
};

/** The text a plain-text term is looked for in: the card's sides and note, lower-cased. */
export function cardSearchText(card: Pick<CardRecord, 'front' | 'back' | 'note'>): string {
  return `${card.front}\n${card.back}\n${card.note}`.toLowerCase();
}

export type SearchTerm =
  | { kind: 'text'; text: string }
  | { kind: 'deck'; pattern: Wildcard }
  /** Anki's `deck:current`: the deck last studied. */
  | { kind: 'currentDeck' }
  /** A field of the card's note, matched whole (`front:dog` is a Front of exactly "dog"). */
  | { kind: 'field'; field: string; pattern: Wildcard }
  /** The note type's name: Basic, Cloze or an imported note type's. */
  | { kind: 'note'; pattern: Wildcard }
  /** Added in the last `days` study days, today being the first. */
  | { kind: 'added'; days: number }
  /** Answered in the last `days` study days, with that rating (1-4) if given. */
  | { kind: 'rated'; days: number; ease?: number }
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

/** The fields every search can name, lower-cased: Anki's Basic note type's and its Cloze type's; imported note types add theirs. */
export const builtInFieldNames: ReadonlySet<string> = new Set(['front', 'back', 'text', 'back extra']);

/** Anki's limit for rated: days; added: has none. */
const maxRatedDays = 365;

function tokens(query: string): string[] {
  return [...query.matchAll(/-?(?:\w+:)?"[^"]*"|-?\S+/g)].map((match) => match[0]);
}

function parseTerm(token: string, fieldNames: ReadonlySet<string>): SearchTerm | string {
  const unquoted = token.replace(/^"(.*)"$/, '$1');
  // `"back extra:x"` names a field with a space, as Anki allows when it is quoted.
  const field = /^([a-z][\w ]*):(.*)$/is.exec(unquoted);
  if (!field) return { kind: 'text', text: unquoted.toLowerCase() };
  const [, name, raw] = field;
  const value = raw.replace(/^"(.*)"$/, '$1');
  const lowerName = name.toLowerCase();
  if (fieldNames.has(lowerName)) return { kind: 'field', field: lowerName, pattern: wildcard(value) };
  switch (lowerName) {
    case 'deck':
      if (value.toLowerCase() === 'current') return { kind: 'currentDeck' };
      return value ? { kind: 'deck', pattern: wildcard(value) } : 'deck: needs a deck name, such as deck:security';
    case 'tag':
      return value ? { kind: 'tag', pattern: wildcard(value) } : 'tag: needs a tag, such as tag:leech';
    case 'note':
      return value ? { kind: 'note', pattern: wildcard(value) } : 'note: needs a note type, such as note:Basic or note:Cloze';
    case 'is': {
      const what = value.toLowerCase();
      if (['new', 'learn', 'review', 'due', 'suspended', 'buried'].includes(what)) return { kind: 'is', what: what as 'new' };
      return `is:${value} is not known: use is:new, is:learn, is:review, is:due, is:suspended or is:buried`;
    }
    case 'flag': {
      const flag = Number(value);
      return /^[0-7]$/.test(value) ? { kind: 'flag', flag } : `flag:${value} is not known: use flag:0 to flag:7`;
    }
    case 'added': {
      const days = /^\d{1,6}$/.test(value) ? Number(value) : 0;
      return days >= 1 ? { kind: 'added', days } : `added:${value} is not understood: write it like added:7 (cards added in the last 7 days)`;
    }
    case 'rated': {
      const rated = /^(\d{1,6})(?::([1-4]))?$/.exec(value);
      const days = rated ? Number(rated[1]) : 0;
      if (days < 1 || days > maxRatedDays) return `rated:${value} is not understood: write it like rated:7 or rated:7:1 (answered in the last 1 to ${maxRatedDays} days, with Again 1, Hard 2, Good 3 or Easy 4)`;
      return { kind: 'rated', days, ...(rated![2] ? { ease: Number(rated![2]) } : {}) };
    }
    case 'prop': {
      const prop = /^(ivl|due|reps|lapses)(<=|>=|<|>|=)(-?\d+(?:\.\d+)?)$/i.exec(value);
      if (!prop) return `prop:${value} is not understood: write it like prop:ivl>10 (ivl, due, reps or lapses; < <= > >= =)`;
      return { kind: 'prop', property: prop[1].toLowerCase() as 'ivl', compare: prop[2] as '<', value: Number(prop[3]) };
    }
    default:
      return `Unknown search term "${unquoted}": use deck:, tag:, is:, flag:, prop:, added:, rated:, note:, front:, back: or plain text (write \\: for a colon in text)`;
  }
}

/** `fieldNames`: the field names a term may name, lower-cased (see noteFieldNames). */
export function parseSearch(query: string, fieldNames = builtInFieldNames): SearchResult {
  if (query.length > maxQueryLength) return { error: `The search is too long: ${query.length} characters, at most ${maxQueryLength}.` };
  const terms: Search['terms'] = [];
  for (const token of tokens(query)) {
    const negated = token.startsWith('-') && token.length > 1;
    const term = parseTerm(negated ? token.slice(1) : token, fieldNames);
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
  /** The deck last studied, for deck:current; none matches while no deck has been. */
  currentDeckId?: string;
  /** Imported note types' names by id, for note: terms. */
  noteTypeNames?: ReadonlyMap<string, string>;
  /** Each card's history, for added: and rated: (see needsReviewLog and logByCard). */
  reviewLog?: ReadonlyMap<string, CardHistory>;
  /** Imported notes' fields by note id, each by its lower-cased name (see importedNoteFields). */
  importedFields?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** The built-in field names and every imported note type's, for parseSearch. */
export function noteFieldNames(noteTypes: NoteTypeRecord[]): Set<string> {
  return new Set([...builtInFieldNames, ...noteTypes.flatMap((noteType) => noteType.fields.map((name) => name.toLowerCase()))]);
}

/** Each imported note's fields by name, for field terms on imported cards. */
export function importedNoteFields(notes: NoteRecord[], noteTypes: NoteTypeRecord[]): Map<string, Map<string, string>> {
  const types = new Map(noteTypes.map((noteType) => [noteType.id, noteType]));
  return new Map(notes.map((note) => [note.id, new Map((types.get(note.noteTypeId)?.fields ?? []).map((name, index) => [name.toLowerCase(), note.fields[index] ?? '']))]));
}

/** Whether a search names a field: only then are imported notes read. */
export function needsNoteFields(search: Search): boolean {
  return search.terms.some(({ term }) => term.kind === 'field');
}

/** Whether a search needs the review log in its context: most do not, and it is the largest table. */
export function needsReviewLog(search: Search): boolean {
  return search.terms.some(({ term }) => term.kind === 'added' || term.kind === 'rated');
}

/**
 * The earliest answer time the search's log terms look at: added: needs each card's whole
 * log (its first row), rated:N only the answers of the last N study days. Undefined: no log.
 */
export function logNeededSince(search: Search, endOfDay: Date): number | undefined {
  let since: number | undefined;
  for (const { term } of search.terms) {
    if (term.kind === 'added') return -Infinity;
    if (term.kind === 'rated') since = Math.min(since ?? Infinity, daysBack({ endOfDay }, term.days));
  }
  return since;
}

/** Whether a search asks for the deck last studied. */
export function needsCurrentDeck(search: Search): boolean {
  return search.terms.some(({ term }) => term.kind === 'currentDeck');
}

/**
 * Whether every card `next` finds is one `previous` finds too, as when typing on: the same
 * terms, a plain-text one perhaps longer (a card with "question" has "quest"), and maybe more
 * terms after them. Then `next` need only look at what `previous` found.
 */
export function narrows(previous: Search, next: Search): boolean {
  return previous.terms.every(({ term, negated }, index) => {
    const later = next.terms[index];
    if (!later || later.negated !== negated) return false;
    if (term.kind === 'text' && later.term.kind === 'text' && !negated) return later.term.text.includes(term.text);
    return JSON.stringify(later.term) === JSON.stringify(term);
  });
}

/**
 * What added: and rated: need of one card's log, a few numbers where the rows are many
 * objects: the time of the first row given (in the order written: the card's first, when its
 * whole log is given) and each answer's time and rating.
 */
export interface CardHistory {
  firstReviewedAt: number;
  answers: { at: number; rating: number }[];
}

/** Adds log rows, given in the order written, to each card's history. */
export function addLogRows(histories: Map<string, CardHistory>, rows: ReviewLogRow[]): void {
  for (const row of rows) {
    let history = histories.get(row.cardId);
    if (!history) histories.set(row.cardId, (history = { firstReviewedAt: row.reviewedAt.getTime(), answers: [] }));
    if (isAnswer(row)) history.answers.push({ at: row.reviewedAt.getTime(), rating: row.rating });
  }
}

/** Each card's history from its log rows, given in the order written. */
export function logByCard(rows: ReviewLogRow[]): Map<string, CardHistory> {
  const histories = new Map<string, CardHistory>();
  addLogRows(histories, rows);
  return histories;
}

/**
 * When a card was added. A card record keeps no such time, but a new card is due the moment
 * it is made (ts-fsrs's empty card, see newSchedule), so a card with no log row is still due
 * then (a built-in one: when its deck was installed, or the app update that brought it).
 * Once it has a log, its first row (or its due, if earlier) is the earliest time known.
 */
export function addedAt(card: Pick<CardRecord, 'due'>, history: CardHistory | undefined): Date {
  return history && history.firstReviewedAt < card.due.getTime() ? new Date(history.firstReviewedAt) : card.due;
}

/**
 * The text of a field of the card's note, by Anki's names: Basic's Front and Back, Cloze's
 * Text and Back Extra; an imported note's fields by its note type's names (their HTML, as Anki matches).
 */
function fieldText(card: SearchableCard, field: string, context: SearchContext): string | undefined {
  if (card.kind === 'basic') return field === 'front' ? card.front : field === 'back' ? card.back : undefined;
  if (card.kind === 'cloze') return field === 'text' ? (card.cloze?.text ?? card.front) : field === 'back extra' ? card.note : undefined;
  return context.importedFields?.get(card.importedNote?.id ?? '')?.get(field);
}

function noteTypeName(card: SearchableCard, context: SearchContext): string {
  if (card.kind === 'basic') return 'Basic';
  if (card.kind === 'cloze') return 'Cloze';
  return context.noteTypeNames?.get(card.importedNote?.noteTypeId ?? '') ?? '';
}

function compare(actual: number, compare: string, value: number): boolean {
  if (compare === '<') return actual < value;
  if (compare === '<=') return actual <= value;
  if (compare === '>') return actual > value;
  if (compare === '>=') return actual >= value;
  return actual === value;
}

const dayMs = 86_400_000;

/** Only the property asked for is worked out: this runs once per card and keystroke. */
function propertyValue(card: SearchableCard, property: Extract<SearchTerm, { kind: 'prop' }>['property'], context: SearchContext): number {
  if (property === 'ivl') return card.state === CardState.New ? 0 : card.scheduled_days;
  // In study days: 0 = due today, 1 = tomorrow, -1 = yesterday.
  if (property === 'due') return Math.floor((card.due.getTime() - context.endOfDay.getTime()) / dayMs) + 1;
  return property === 'reps' ? card.reps : card.lapses;
}

/** The start of the study day `days - 1` days before today: `added:1` is today, `added:2` today and yesterday. */
function daysBack(context: Pick<SearchContext, 'endOfDay'>, days: number): number {
  return context.endOfDay.getTime() - days * dayMs;
}

function matchesTerm(card: SearchableCard, term: Exclude<SearchTerm, { kind: 'deck' }>, context: SearchContext): boolean {
  switch (term.kind) {
    case 'text':
      return (card.searchText ?? cardSearchText(card)).includes(term.text);
    case 'tag':
      return card.tags.some((tag) => matchesWildcard(term.pattern, tag));
    case 'currentDeck':
      return card.deckId === context.currentDeckId;
    case 'field': {
      const text = fieldText(card, term.field, context);
      return text !== undefined && matchesWildcard(term.pattern, text);
    }
    case 'note':
      return matchesWildcard(term.pattern, noteTypeName(card, context));
    case 'added':
      return addedAt(card, context.reviewLog?.get(card.id)).getTime() >= daysBack(context, term.days);
    case 'rated': {
      const since = daysBack(context, term.days);
      return (context.reviewLog?.get(card.id)?.answers ?? []).some((answer) => answer.at >= since && (term.ease === undefined || answer.rating === term.ease));
    }
    case 'flag':
      return (card.flag ?? 0) === term.flag;
    case 'is':
      switch (term.what) {
        case 'new':
          return card.state === CardState.New;
        case 'learn':
          return card.state === CardState.Learning || card.state === CardState.Relearning;
        case 'review':
          return card.state === CardState.Review || card.state === CardState.Relearning;
        case 'due':
          return (card.queue === Queue.Learning || card.queue === Queue.Review) && card.due.getTime() < context.endOfDay.getTime();
        case 'suspended':
          return card.queue === Queue.Suspended;
        case 'buried':
          return card.queue === Queue.Buried;
      }
      return false;
    case 'prop':
      return compare(propertyValue(card, term.property, context), term.compare, term.value);
  }
}

/** A deck: term is matched once per deck (by id or title), not once per card: decks are few, cards many. */
function deckTest(pattern: Wildcard, deckNames: Map<string, string>): (card: SearchableCard) => boolean {
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
export function cardMatcher(search: Search, context: SearchContext): (card: SearchableCard) => boolean {
  const tests = search.terms.map(({ term, negated }) => {
    const test = term.kind === 'deck' ? deckTest(term.pattern, context.deckNames) : (card: SearchableCard) => matchesTerm(card, term, context);
    return (card: SearchableCard) => test(card) !== negated;
  });
  return (card) => tests.every((test) => test(card));
}
