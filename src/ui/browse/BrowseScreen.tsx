import './browse.css';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import { withoutClozeMarks } from '../../domain/cloze.ts';
import { dueInLabel } from '../../domain/intervalLabel.ts';
import { cardMatcher, parseSearch } from '../../domain/search.ts';
import { studyDay } from '../../domain/studyDay.ts';
import { Queue, type CardRecord } from '../../domain/types.ts';
import { flagNames } from '../common/flags.ts';
import { htmlToSortText } from '../../domain/anki/schema11.ts';
import { errorText } from '../common/UndoButton.tsx';
import { useExternalChanges } from '../common/useExternalChanges.ts';

const rowHeight = 72;
const overscan = 6;

const sorts = {
  due: { label: 'Due date', compare: (a: CardRecord, b: CardRecord) => a.due.getTime() - b.due.getTime() },
  added: { label: 'Deck order', compare: (a: CardRecord, b: CardRecord) => a.deckId.localeCompare(b.deckId) || a.position - b.position },
  interval: { label: 'Interval', compare: (a: CardRecord, b: CardRecord) => b.scheduled_days - a.scheduled_days },
  difficulty: { label: 'Difficulty', compare: (a: CardRecord, b: CardRecord) => b.difficulty - a.difficulty },
  lapses: { label: 'Lapses', compare: (a: CardRecord, b: CardRecord) => b.lapses - a.lapses },
} as const;
type SortKey = keyof typeof sorts;

/** The first line of the front, without Markdown marks (an imported card's: its text without HTML), for a one-line row. */
function summary(card: CardRecord): string {
  if (card.kind === 'html') return htmlToSortText(card.front).slice(0, 300);
  return withoutClozeMarks(card.front.split('\n').find((line) => line.trim() && !line.startsWith('```'))?.replace(/[*_`]/g, '') ?? '');
}

function status(card: CardRecord, now: Date): string {
  if (card.queue === Queue.Suspended) return 'suspended';
  if (card.queue === Queue.Buried) return 'buried';
  if (card.queue === Queue.New) return 'new';
  return `due ${dueInLabel(card.due, now)}`;
}

/**
 * All cards, searched with a subset of Anki's syntax and sorted. Only the rows in view are
 * rendered, so the list stays smooth with tens of thousands of cards.
 */
export function BrowseScreen({ session, initialQuery }: { session: Session; initialQuery: string }) {
  const [cards, setCards] = useState<CardRecord[]>();
  const [deckNames, setDeckNames] = useState(new Map<string, string>());
  const [query, setQuery] = useState(initialQuery);
  const [sort, setSort] = useState<SortKey>('due');
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(800);
  const [loadError, setLoadError] = useState<string>();
  const list = useRef<HTMLDivElement>(null);

  const load = () =>
    Promise.all([session.storage.allCards(), session.storage.decks()]).then(
      ([all, decks]) => {
        setDeckNames(new Map(decks.map((deck) => [deck.id, deck.title])));
        setCards(all);
      },
      (cause: unknown) => setLoadError(`The cards could not be loaded: ${errorText(cause)}.`),
    );
  useEffect(() => {
    load();
  }, [session]);
  // Another tab changed cards or decks: list them as stored now.
  useExternalChanges(session, load);
  useEffect(() => {
    const measure = () => setViewHeight(list.current?.clientHeight ?? 800);
    measure();
    addEventListener('resize', measure);
    return () => removeEventListener('resize', measure);
  }, [cards !== undefined]);

  const parsed = useMemo(() => parseSearch(query), [query]);
  const found = useMemo(() => {
    if (!cards || 'error' in parsed) return [];
    const now = new Date();
    const context = { now, endOfDay: studyDay(now, session.settings.dayStartHour).end, deckNames };
    return cards.filter(cardMatcher(parsed.search, context)).sort(sorts[sort].compare);
  }, [cards, parsed, sort, deckNames]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(found.length, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan);
  const now = new Date();

  return (
    <main class="screen browse">
      <header class="bar">
        <a class="back" href="#/" aria-label="Back to decks">
          ‹
        </a>
        <h1>Browse</h1>
      </header>
      {loadError && (
        <p class="error" role="alert">
          {loadError}
        </p>
      )}
      <div class="browse-controls">
        <label class="search">
          <span class="visually-hidden">Search cards</span>
          <input
            type="search"
            value={query}
            placeholder="deck:security tag:rbac is:due"
            autocapitalize="off"
            spellcheck={false}
            onInput={(event) => {
              setQuery((event.target as HTMLInputElement).value);
              list.current?.scrollTo(0, 0);
              setScrollTop(0);
            }}
          />
        </label>
        <label>
          <span class="visually-hidden">Sort by</span>
          <select value={sort} onChange={(event) => setSort((event.target as HTMLSelectElement).value as SortKey)}>
            {Object.entries(sorts).map(([key, { label }]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class={`browse-status ${'error' in parsed ? 'error' : 'muted'}`} role="status" data-testid="browse-status">
        {'error' in parsed ? parsed.error : cards ? `${found.length.toLocaleString()} of ${cards.length.toLocaleString()} cards` : 'Loading cards…'}
      </p>
      <div class="browse-list" ref={list} onScroll={(event) => setScrollTop((event.target as HTMLDivElement).scrollTop)}>
        <ul style={{ height: `${found.length * rowHeight}px` }} aria-label="Cards">
          {found.slice(first, last).map((card, index) => (
            <li key={card.id} style={{ transform: `translateY(${(first + index) * rowHeight}px)` }}>
              <a href={`#/card/${encodeURIComponent(card.id)}`} data-card-id={card.id}>
                <span class="row-front">
                  {(card.flag ?? 0) > 0 && <span class={`flag-dot flag-${card.flag}`} aria-label={`${flagNames[card.flag!]} flag`} />}
                  {summary(card)}
                </span>
                <span class="row-meta">
                  <span>{deckNames.get(card.deckId) ?? card.deckId}</span>
                  <span class="row-status">
                    · {status(card, now)}
                    {card.tags.length > 0 && ` · ${card.tags.join(' ')}`}
                  </span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      </div>
    </main>
  );
}
