import '../common/forms.css';
import './browse.css';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import { withoutClozeMarks } from '../../domain/cloze.ts';
import { dueInLabel } from '../../domain/intervalLabel.ts';
import { cardMatcher, importedNoteFields, logByCard, needsCurrentDeck, needsNoteFields, needsReviewLog, noteFieldNames, parseSearch } from '../../domain/search.ts';
import { studyDay } from '../../domain/studyDay.ts';
import { Queue, type CardRecord, type Deck, type NoteRecord, type NoteTypeRecord, type ReviewLogRow } from '../../domain/types.ts';
import type { UndoStep } from '../../storage/index.ts';
import { flagNames } from '../common/flags.ts';
import { htmlToSortText } from '../../domain/anki/schema11.ts';
import { errorText, UndoButton } from '../common/UndoButton.tsx';
import { useExternalChanges } from '../common/useExternalChanges.ts';
import { BulkActions, type BulkAction } from './BulkActions.tsx';

/** Three lines: the front, the card's state (never cut), its deck and tags. */
const rowHeight = 92;
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
  if (card.queue === Queue.Suspended) return 'Suspended';
  if (card.queue === Queue.Buried) return 'Buried';
  if (card.queue === Queue.New) return 'New';
  return `Due ${dueInLabel(card.due, now)}`;
}

/** Cards of one note go together when deleted, as Anki deletes notes: a user's cloze note's, an imported note's. */
function noteKey(card: CardRecord): string {
  if (card.cloze) return `cloze:${card.cloze.noteId}`;
  if (card.importedNote) return `note:${card.importedNote.id}`;
  return `card:${card.id}`;
}

function cardCount(count: number): string {
  return count === 1 ? '1 card' : `${count.toLocaleString()} cards`;
}

/**
 * All cards, searched with a subset of Anki's syntax and sorted. Only the rows in view are
 * rendered, so the list stays smooth with tens of thousands of cards. Selected cards can be
 * suspended, tagged, moved, flagged or deleted together, each action one undoable step.
 */
export function BrowseScreen({ session, initialQuery }: { session: Session; initialQuery: string }) {
  const [cards, setCards] = useState<CardRecord[]>();
  const [decks, setDecks] = useState<Deck[]>([]);
  const [noteTypes, setNoteTypes] = useState<NoteTypeRecord[]>([]);
  const [notes, setNotes] = useState<NoteRecord[]>();
  const [currentDeckId, setCurrentDeckId] = useState<string>();
  const [reviewLog, setReviewLog] = useState<ReviewLogRow[]>();
  const [query, setQuery] = useState(initialQuery);
  const [sort, setSort] = useState<SortKey>('due');
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(800);
  const [loadError, setLoadError] = useState<string>();
  const [selected, setSelected] = useState(new Set<string>());
  const [actionsOpen, setActionsOpen] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const list = useRef<HTMLDivElement>(null);
  const busy = useRef(false);

  const fieldNames = useMemo(() => noteFieldNames(noteTypes), [noteTypes]);
  const parsed = useMemo(() => parseSearch(query, fieldNames), [query, fieldNames]);
  const search = 'error' in parsed ? undefined : parsed.search;
  const wantsLog = search ? needsReviewLog(search) : false;
  // Imported notes' fields matter only to field terms, and only if there are imported notes.
  const wantsNotes = search ? needsNoteFields(search) && noteTypes.length > 0 : false;

  const load = () =>
    Promise.all([session.storage.allCards(), session.storage.decks(), session.storage.noteTypes(), session.storage.lastStudiedDeckId()]).then(
      ([all, allDecks, allNoteTypes, lastDeck]) => {
        setDecks(allDecks);
        setNoteTypes(allNoteTypes);
        setCurrentDeckId(lastDeck);
        setCards(all);
        // The log and the notes are read again when a search needs them (see below), never held stale.
        setReviewLog(undefined);
        setNotes(undefined);
      },
      (cause: unknown) => setLoadError(`The cards could not be loaded: ${errorText(cause)}.`),
    );
  useEffect(() => {
    load();
  }, [session]);
  // Another tab changed cards or decks: list them as stored now.
  useExternalChanges(session, load);
  // The review log is the largest table: read only for added: and rated: searches.
  useEffect(() => {
    if (!wantsLog || reviewLog || !cards) return;
    session.storage.allLogRows().then(setReviewLog, (cause: unknown) => setLoadError(`The review history could not be loaded: ${errorText(cause)}.`));
  }, [wantsLog, reviewLog, cards]);
  useEffect(() => {
    if (!wantsNotes || notes || !cards) return;
    session.storage.notes().then(setNotes, (cause: unknown) => setLoadError(`The imported notes could not be loaded: ${errorText(cause)}.`));
  }, [wantsNotes, notes, cards]);
  useEffect(() => {
    const measure = () => setViewHeight(list.current?.clientHeight ?? 800);
    measure();
    addEventListener('resize', measure);
    return () => removeEventListener('resize', measure);
  }, [cards !== undefined]);

  const deckNames = useMemo(() => new Map(decks.map((deck) => [deck.id, deck.title])), [decks]);
  const noteTypeNames = useMemo(() => new Map(noteTypes.map((noteType) => [noteType.id, noteType.name])), [noteTypes]);
  const logMap = useMemo(() => reviewLog && logByCard(reviewLog), [reviewLog]);
  const importedFields = useMemo(() => notes && importedNoteFields(notes, noteTypes), [notes, noteTypes]);
  const waiting = !cards || (wantsLog && !logMap) || (wantsNotes && !importedFields);
  const found = useMemo(() => {
    if (waiting || !search) return [];
    const now = new Date();
    const context = { now, endOfDay: studyDay(now, session.settings.dayStartHour).end, deckNames, currentDeckId, noteTypeNames, reviewLog: logMap, importedFields };
    return cards!.filter(cardMatcher(search, context)).sort(sorts[sort].compare);
  }, [cards, search, sort, deckNames, currentDeckId, noteTypeNames, logMap, importedFields, waiting]);

  const selectedCards = useMemo(() => (cards ?? []).filter((card) => selected.has(card.id)), [cards, selected]);
  const allFoundSelected = found.length > 0 && found.every((card) => selected.has(card.id));

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(found.length, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan);
  const now = new Date();

  const toggle = (id: string) =>
    setSelected((before) => {
      const next = new Set(before);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const act = async (action: BulkAction) => {
    // One action at a time: a double tap must not act twice on one copy of the cards.
    if (busy.current || selectedCards.length === 0) return;
    busy.current = true;
    setActionsOpen(false);
    setActionError(undefined);
    try {
      const { storage } = session;
      const targets = action.kind === 'delete' ? (cards ?? []).filter((card) => action.noteKeys.has(noteKey(card))) : selectedCards;
      let step: UndoStep;
      if (action.kind === 'suspend') step = await storage.suspendCards(targets);
      else if (action.kind === 'unsuspend') step = await storage.unsuspendCards(targets);
      else if (action.kind === 'flag') step = await storage.flagCards(targets, action.flag);
      else if (action.kind === 'addTag') step = await storage.addTag(targets, action.tag, new Date());
      else if (action.kind === 'removeTag') step = await storage.removeTag(targets, action.tag, new Date());
      else if (action.kind === 'move') step = await storage.moveCards(targets, action.deckId);
      else step = await storage.deleteCards(targets);
      session.undo.push(step);
      if (action.kind === 'delete') setSelected(new Set());
      setNotice(`${action.done} ${cardCount(targets.length)}.`);
    } catch (cause) {
      setActionError(`Not saved: ${errorText(cause)}`);
    } finally {
      busy.current = false;
    }
    await load();
  };

  const statusText = (() => {
    if ('error' in parsed) return undefined;
    if (waiting) return 'Loading cards…';
    return `${found.length.toLocaleString()} of ${cards!.length.toLocaleString()} cards`;
  })();

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
            aria-invalid={'error' in parsed ? true : undefined}
            aria-describedby="browse-status"
            onInput={(event) => {
              setQuery((event.target as HTMLInputElement).value);
              // A new search, a new selection (as in Anki): actions never reach cards out of view.
              setSelected(new Set());
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
      {'error' in parsed ? (
        <p id="browse-status" class="browse-status error" role="alert" data-testid="browse-status">
          {parsed.error}
        </p>
      ) : (
        <p id="browse-status" class="browse-status muted" role="status" data-testid="browse-status">
          {statusText}
        </p>
      )}
      {search && needsCurrentDeck(search) && cards && !currentDeckId && <p class="muted">No deck has been studied yet, so deck:current finds no card.</p>}
      {actionError && (
        <p class="error" role="alert">
          {actionError}
        </p>
      )}
      {found.length > 0 && (
        <div class="browse-selection">
          <label class="select-all">
            <input
              type="checkbox"
              checked={allFoundSelected}
              ref={(input) => {
                if (input) input.indeterminate = !allFoundSelected && selectedCards.length > 0;
              }}
              onChange={() => setSelected(allFoundSelected ? new Set() : new Set(found.map((card) => card.id)))}
            />
            {selectedCards.length > 0 ? `${cardCount(selectedCards.length)} selected` : `Select all ${cardCount(found.length)}`}
          </label>
          <button type="button" disabled={selectedCards.length === 0} onClick={() => setActionsOpen(true)}>
            Actions…
          </button>
        </div>
      )}
      <div class="browse-list" ref={list} onScroll={(event) => setScrollTop((event.target as HTMLDivElement).scrollTop)}>
        <ul style={{ height: `${found.length * rowHeight}px` }} aria-label="Cards">
          {found.slice(first, last).map((card, index) => {
            const front = summary(card);
            const flag = card.flag ?? 0;
            return (
              <li key={card.id} style={{ transform: `translateY(${(first + index) * rowHeight}px)` }}>
                <label class="row-select">
                  <input type="checkbox" checked={selected.has(card.id)} onChange={() => toggle(card.id)} aria-label={`Select: ${front}`} />
                </label>
                <a href={`#/card/${encodeURIComponent(card.id)}`} data-card-id={card.id}>
                  <span class="row-front">{front}</span>
                  <span class="row-state">
                    {status(card, now)}
                    {flag > 0 && (
                      <span class="row-flag">
                        <span class={`flag-dot flag-${flag}`} aria-hidden="true" /> {flagNames[flag]} flag
                      </span>
                    )}
                  </span>
                  <span class="row-meta">
                    {deckNames.get(card.deckId) ?? card.deckId}
                    {card.tags.length > 0 && ` · ${card.tags.join(' ')}`}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      </div>
      <footer class="answer-bar browse-footer">
        {notice && (
          <p class="muted" role="status">
            {notice}
          </p>
        )}
        <UndoButton
          session={session}
          onUndone={(step) => {
            setNotice(`Undone: ${step.label.toLowerCase()}.`);
            load();
          }}
          onError={setActionError}
        />
      </footer>
      {actionsOpen && <BulkActions cards={selectedCards} allCards={cards ?? []} decks={decks} noteKey={noteKey} onAction={act} onClose={() => setActionsOpen(false)} />}
    </main>
  );
}
