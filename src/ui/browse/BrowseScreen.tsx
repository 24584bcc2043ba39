import '../common/forms.css';
import './browse.css';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { browseSearch } from '../../app/browseSearch.ts';
import type { Session } from '../../app/session.ts';
import type { BrowseSort, SelectionFacts } from '../../domain/browse.ts';
import { dueInLabel } from '../../domain/intervalLabel.ts';
import { Queue } from '../../domain/types.ts';
import type { UndoStep } from '../../storage/index.ts';
import type { BrowseRow, BrowseView, Reading } from '../../worker/browseSearchProtocol.ts';
import { flagNames } from '../common/flags.ts';
import { errorText, UndoButton } from '../common/UndoButton.tsx';
import { BulkActions, type BulkAction } from './BulkActions.tsx';

/** Three lines: the front, the card's state (never cut), its deck and tags. */
const rowHeight = 92;
const overscan = 6;
/**
 * The worker sends the rows of a window around those in view, in steps of this many rows:
 * scrolling asks for more only near the window's edges, and finds the rows here already.
 */
const windowStep = 60;

const sortLabels: Record<BrowseSort, string> = { due: 'Due date', added: 'Deck order', interval: 'Interval', difficulty: 'Difficulty', lapses: 'Lapses' };

function status(row: BrowseRow, now: Date): string {
  if (row.queue === Queue.Suspended) return 'Suspended';
  if (row.queue === Queue.Buried) return 'Buried';
  if (row.queue === Queue.New) return 'New';
  return `Due ${dueInLabel(new Date(row.due), now)}`;
}

function cardCount(count: number): string {
  return count === 1 ? '1 card' : `${count.toLocaleString()} cards`;
}

function readingText(reading: Reading): string {
  if (reading.what === 'cards') return `Reading cards: ${reading.done.toLocaleString()} so far…`;
  if (reading.what === 'history') return `Reading the review history: ${reading.done.toLocaleString()} rows so far…`;
  return 'Reading the imported notes…';
}

/** A tick not yet in a view: shown at once, until the worker's view has it. */
interface Toggle {
  seq: number;
  id: string;
  selected: boolean;
}

/**
 * All cards, searched with a subset of Anki's syntax and sorted. A worker holds the cards,
 * searches and sorts them, and sends only the rows in view, so the page stays responsive
 * with 100,000 cards. Selected cards can be suspended, tagged, moved, flagged or deleted
 * together, each action one undoable step.
 */
export function BrowseScreen({ session, initialQuery }: { session: Session; initialQuery: string }) {
  const search = browseSearch();
  const [query, setQuery] = useState(initialQuery);
  const [sort, setSort] = useState<BrowseSort>('due');
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(800);
  const [view, setView] = useState<BrowseView>();
  const [reading, setReading] = useState<Reading>();
  const [decks, setDecks] = useState(search.decks);
  const [toggles, setToggles] = useState<Toggle[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const [selection, setSelection] = useState<SelectionFacts>();
  const [notice, setNotice] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const list = useRef<HTMLDivElement>(null);
  const busy = useRef(false);
  /** The number of the last show that changed the search or sort: views before it are of another search. */
  const searchSeq = useRef(0);
  const shown = useRef<{ query: string; sort: BrowseSort }>(undefined);

  // Before the first show below, so that no answer comes before the screen listens.
  useLayoutEffect(
    () =>
      search.listen((news) => {
        if (news.type === 'view') {
          if (news.view.seq < searchSeq.current) return;
          setView(news.view);
          setReading(news.view.reading);
          setToggles((before) => before.filter((toggle) => toggle.seq > news.view.seq));
          if (news.view.found !== undefined) setLoadError(undefined);
        } else if (news.type === 'reading') setReading(news.reading);
        else if (news.type === 'decks') setDecks(news.decks);
        else setLoadError(`The cards could not be loaded: ${news.message}.`);
      }),
    [search],
  );
  useEffect(() => {
    const measure = () => setViewHeight(list.current?.clientHeight ?? 800);
    measure();
    addEventListener('resize', measure);
    return () => removeEventListener('resize', measure);
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan;
  const from = Math.max(0, (Math.floor(first / windowStep) - 1) * windowStep);
  const to = (Math.floor(last / windowStep) + 2) * windowStep;
  // Before paint: the worker starts on a keystroke's search while the page draws it. A new
  // search (or a new screen) starts with nothing selected, as in Anki: actions never reach
  // cards out of view.
  useLayoutEffect(() => {
    const before = shown.current;
    const seq = search.show({ query, sort, dayStartHour: session.settings.dayStartHour, from, to }, before?.query !== query);
    if (before?.query !== query || before.sort !== sort) searchSeq.current = seq;
    shown.current = { query, sort };
  }, [query, sort, from, to]);

  // Until all cards are read, the list is as long as the first rows known.
  const found = view?.found ?? (view && view.rows.length > 0 ? view.from + view.rows.length : 0);
  const rowAt = (position: number) => (view && position >= view.from ? view.rows[position - view.from] : undefined);
  const isSelected = (row: BrowseRow) => toggles.filter((toggle) => toggle.id === row.id).pop()?.selected ?? row.selected;
  const selectedCount = view?.selectedCount ?? 0;
  const allFoundSelected = view?.allFoundSelected ?? false;
  const now = new Date();

  const toggle = (row: BrowseRow) => {
    const selected = !isSelected(row);
    const seq = search.select([row.id], selected);
    setToggles((before) => [...before, { seq, id: row.id, selected }]);
  };

  const openActions = () =>
    search.selectionFacts().then(setSelection, (cause: unknown) => setActionError(`The selected cards could not be read: ${errorText(cause)}`));

  const act = async (action: BulkAction) => {
    // One action at a time: a double tap must not act twice on one copy of the cards.
    if (busy.current) return;
    busy.current = true;
    setSelection(undefined);
    setActionError(undefined);
    try {
      const { storage } = session;
      const targets = await search.targets(action.kind === 'delete');
      if (targets.length === 0) return;
      let step: UndoStep;
      if (action.kind === 'suspend') step = await storage.suspendCards(targets);
      else if (action.kind === 'unsuspend') step = await storage.unsuspendCards(targets);
      else if (action.kind === 'flag') step = await storage.flagCards(targets, action.flag);
      else if (action.kind === 'addTag') step = await storage.addTag(targets, action.tag, new Date());
      else if (action.kind === 'removeTag') step = await storage.removeTag(targets, action.tag, new Date());
      else if (action.kind === 'move') step = await storage.moveCards(targets, action.deckId);
      else step = await storage.deleteCards(targets);
      // The worker hears of the change on the change channel and sends the list as stored now.
      session.undo.push(step);
      setNotice(`${action.done} ${cardCount(targets.length)}.`);
    } catch (cause) {
      setActionError(`Not saved: ${errorText(cause)}`);
    } finally {
      busy.current = false;
    }
  };

  const statusText = (() => {
    if (view?.found !== undefined) return `${view.found.toLocaleString()} of ${view.total!.toLocaleString()} cards`;
    return reading ? readingText(reading) : 'Loading cards…';
  })();

  const rows = [];
  for (let position = first; position < Math.min(last, found); position++) {
    const row = rowAt(position);
    const top = `translateY(${position * rowHeight}px)`;
    if (!row) {
      // Not here yet (a fast scroll): an empty row of the same height until the worker sends it.
      rows.push(<li key={`at-${position}`} class="row-pending" style={{ transform: top }} aria-hidden="true" />);
      continue;
    }
    const flag = row.flag;
    rows.push(
      <li key={row.id} style={{ transform: top }}>
        <label class="row-select">
          <input type="checkbox" checked={isSelected(row)} onChange={() => toggle(row)} aria-label={`Select: ${row.summary}`} />
        </label>
        <a href={`#/card/${encodeURIComponent(row.id)}`} data-card-id={row.id}>
          <span class="row-front">{row.summary}</span>
          <span class="row-state">
            {status(row, now)}
            {flag > 0 && (
              <span class="row-flag">
                <span class={`flag-dot flag-${flag}`} aria-hidden="true" /> {flagNames[flag]} flag
              </span>
            )}
          </span>
          <span class="row-meta">
            {row.deckTitle}
            {row.tags.length > 0 && ` · ${row.tags.join(' ')}`}
          </span>
        </a>
      </li>,
    );
  }

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
            placeholder="is:due tag:rbac"
            autocapitalize="off"
            spellcheck={false}
            aria-invalid={view?.error ? true : undefined}
            aria-describedby="browse-status"
            onInput={(event) => {
              setQuery((event.target as HTMLInputElement).value);
              list.current?.scrollTo(0, 0);
              setScrollTop(0);
            }}
          />
        </label>
        <label>
          <span class="visually-hidden">Sort by</span>
          <select value={sort} onChange={(event) => setSort((event.target as HTMLSelectElement).value as BrowseSort)}>
            {Object.entries(sortLabels).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {view?.error ? (
        <p id="browse-status" class="browse-status error" role="alert" data-testid="browse-status">
          {view.error}
        </p>
      ) : (
        <p id="browse-status" class="browse-status muted" role="status" data-testid="browse-status">
          {statusText}
        </p>
      )}
      {view?.noCurrentDeck && <p class="muted">No deck has been studied yet, so deck:current finds no card.</p>}
      {actionError && (
        <p class="error" role="alert">
          {actionError}
        </p>
      )}
      {view?.found !== undefined && view.found > 0 && (
        <div class="browse-selection">
          <label class="select-all">
            <input
              type="checkbox"
              checked={allFoundSelected}
              ref={(input) => {
                if (input) input.indeterminate = !allFoundSelected && selectedCount > 0;
              }}
              onChange={() => (allFoundSelected ? search.selectNone() : search.selectAll())}
            />
            {selectedCount > 0 ? `${cardCount(selectedCount)} selected` : `Select all ${cardCount(view.found)}`}
          </label>
          <button type="button" disabled={selectedCount === 0} onClick={openActions}>
            Actions…
          </button>
        </div>
      )}
      <div class="browse-list" ref={list} onScroll={(event) => setScrollTop((event.target as HTMLDivElement).scrollTop)}>
        <ul style={{ height: `${found * rowHeight}px` }} aria-label="Cards">
          {rows}
        </ul>
      </div>
      <footer class="answer-bar browse-footer">
        {notice && (
          <p class="muted" role="status">
            {notice}
          </p>
        )}
        <UndoButton session={session} onUndone={(step) => setNotice(`Undone: ${step.label.toLowerCase()}.`)} onError={setActionError} />
      </footer>
      {selection && <BulkActions selection={selection} decks={decks} onAction={act} onClose={() => setSelection(undefined)} />}
    </main>
  );
}
