import '../common/card.css';
import './review.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Rating, type Grade } from 'ts-fsrs';
import { schedulerFor } from '../../app/schedulers.ts';
import type { Session } from '../../app/session.ts';
import { domainSessionCards } from '../../domain/domainSession.ts';
import type { ExamDomain } from '../../domain/exams.ts';
import { intervalLabel } from '../../domain/intervalLabel.ts';
import { nextInQueue, snapshotAfterAnswer, type QueueCounts as Counts, type QueueSnapshot, type QueueState } from '../../domain/queue.ts';
import { applyAnswer, grades, outcomeInterval, previewOutcomes, type Outcomes } from '../../domain/scheduler.ts';
import { studyDay } from '../../domain/studyDay.ts';
import { Queue, type CardRecord, type Deck } from '../../domain/types.ts';
import { requestPersistence } from '../../pwa/requestPersistence.ts';
import { writeErrorMessage } from '../../storage/errors.ts';
import { StaleRecordError, type UndoStep } from '../../storage/index.ts';
import { deckHref } from '../App.tsx';
import type { CardAction, FlagNumber } from '../cards/CardActions.tsx';
import { flagNames } from '../common/flags.ts';
import { lazy, useLazyComponent } from '../common/lazy.tsx';
import { Markdown } from '../common/Markdown.tsx';
import { QueueCounts } from '../common/QueueCounts.tsx';
import { UndoButton } from '../common/UndoButton.tsx';
import { useExternalChanges } from '../common/useExternalChanges.ts';
import { useRefreshWhenDue } from '../common/useRefreshWhenDue.ts';

// Menus and card info load when first opened, keeping the review screen's first load small.
const CardInfoSheet = lazy(() => import('./ReviewSheets.tsx').then((module) => module.CardInfoSheet));
const CardActionsSheet = lazy(() => import('./ReviewSheets.tsx').then((module) => module.CardActionsSheet));
const DeckMenu = lazy(() => import('./DeckMenu.tsx').then((module) => module.DeckMenu));
const DoneScreen = lazy(() => import('./DoneScreen.tsx').then((module) => module.DoneScreen));
// Imported cards' HTML view, fetched once the screen is up: most decks never need it.
const loadImportedCardHtml = () => import('../common/CardHtml.tsx').then((module) => module.ImportedCardHtml);

type View =
  | { phase: 'loading' }
  | { phase: 'question'; card: CardRecord; counts: Counts; shownAt: number }
  | { phase: 'answer'; card: CardRecord; counts: Counts; shownAt: number; outcomes: Outcomes; outcomesAt: Date; gradesReady: boolean }
  | { phase: 'done'; counts: Counts; nextDueAt?: Date };

const gradeNames: Record<Grade, string> = {
  [Rating.Again]: 'Again',
  [Rating.Hard]: 'Hard',
  [Rating.Good]: 'Good',
  [Rating.Easy]: 'Easy',
};

const countOfQueue: Partial<Record<Queue, keyof Counts>> = {
  [Queue.New]: 'newCards',
  [Queue.Learning]: 'learning',
  [Queue.Review]: 'reviews',
};

/**
 * How long the grade buttons ignore taps after they appear: they take the place of "Show
 * answer", so the second tap of a double tap would otherwise grade a card whose answer was
 * never read (AnkiDroid guards its answer buttons the same way). 500 ms is the usual
 * double-click time of desktop systems, longer than Android's 300 ms double tap. Keys are not
 * held back.
 */
const gradeTapDelayMs = 500;

const doneMessages: Partial<Record<string, string>> = {
  Bury: 'Card buried until tomorrow.',
  Suspend: 'Card suspended.',
  Reset: 'Card reset to new.',
};

/**
 * The review of a deck, or with `domain` a session of one exam domain's cards from every
 * deck (statistics' "Study next"): those due today, then a few new ones, each scheduled with
 * its own deck's settings.
 */
export function ReviewScreen({ session, deckId, domain }: { session: Session; deckId: string; domain?: ExamDomain }) {
  const { storage, undo } = session;
  // One object for the screen's life: the callbacks below depend on it.
  const settings = useMemo(() => session.settingsFor(deckId), [session, deckId]);
  const [deck, setDeck] = useState<Deck | null>();
  const [view, setView] = useState<View>({ phase: 'loading' });
  const [message, setMessage] = useState<{ text: string; error?: boolean }>();
  const [panel, setPanel] = useState<'actions' | 'info' | 'deck'>();
  const ImportedCardHtml = useLazyComponent(loadImportedCardHtml);
  // One write at a time: a double tap or a held key must not act twice.
  const busy = useRef(false);
  // The rest of the queue, read while a card is on screen, so that answering waits for
  // nothing but the answer's own write.
  const rest = useRef<{ cardId: string; day: number; snapshot: () => Promise<QueueSnapshot> } | undefined>(undefined);
  // Custom study's cards still to show ("Review ahead", "Study forgotten cards"): shown in
  // turn, each once, before the deck's own queue again.
  const customCards = useRef<CardRecord[]>([]);
  const [domainNewCards, setDomainNewCards] = useState(0);

  const show = useCallback(
    (queue: QueueState, card = queue.card) => {
      if (!card) {
        rest.current = undefined;
        setView({ phase: 'done', counts: queue.counts, nextDueAt: queue.nextDueAt });
        return;
      }
      const now = new Date();
      let read: Promise<QueueSnapshot> | undefined;
      const snapshot = () => (read ??= storage.queueSnapshot(deckId, now, settings, card));
      rest.current = { cardId: card.id, day: studyDay(now, settings.dayStartHour).number, snapshot };
      setView({ phase: 'question', card, counts: queue.counts, shownAt: performance.now() });
      // Read once the card is painted, so the read never delays showing it; an answer
      // given sooner starts the read itself.
      requestAnimationFrame(() => setTimeout(() => snapshot().catch(() => {})));
    },
    [storage, settings, deckId],
  );

  /** Shows `card`, else the next custom study card, else the queue's next card; `lastShown`: the card just shown, whose siblings wait if they can. */
  const load = useCallback(
    async (card?: CardRecord, lastShown?: CardRecord) => {
      const custom = customCards.current;
      if (!card && custom.length > 0) show({ counts: { newCards: 0, learning: 0, reviews: custom.length } }, custom[0]);
      else if (domain) show({ card, counts: { newCards: 0, learning: 0, reviews: 0 } });
      else show(await storage.queue(deckId, new Date(), settings, lastShown), card);
    },
    [storage, settings, deckId, domain, show],
  );

  useEffect(() => {
    if (domain) {
      const endOfDay = studyDay(new Date(), session.settings.dayStartHour).end;
      storage.allCards().then((all) => {
        const chosen = domainSessionCards(all, domain, endOfDay, session.settings.newCardsPerDay);
        customCards.current = chosen.cards;
        setDomainNewCards(chosen.newCards);
        load();
      });
      return;
    }
    storage.deck(deckId).then((found) => setDeck(found ?? null));
    load();
  }, [storage, deckId, domain, load]);
  useRefreshWhenDue(view.phase === 'done' ? view.nextDueAt : undefined, load, view.phase === 'done');

  /** Runs one write at a time; `refused` says what did not happen if it fails. */
  const run = async (action: () => Promise<void>, refused: string) => {
    if (busy.current) return;
    busy.current = true;
    try {
      await action();
    } catch (cause) {
      if (cause instanceof StaleRecordError) {
        // Another tab changed or deleted the card: show what is stored now, and say why.
        setPanel(undefined);
        await reload().catch(() => {});
        setMessage({ text: cause.message, error: true });
      } else {
        setMessage({ text: writeErrorMessage(cause, refused), error: true });
      }
    } finally {
      busy.current = false;
      // Another tab changed something while this one wrote: read the queue as stored now.
      if (changedMeanwhile.current) {
        changedMeanwhile.current = false;
        load().catch(() => {});
      }
    }
  };

  /** The deck and its queue as stored now, e.g. after another tab changed them. */
  const reload = async () => {
    if (domain) return load();
    const found = await storage.deck(deckId);
    setDeck(found ?? null);
    if (found) await load();
  };

  // Another tab committed a change. The queue read ahead is dropped; a renamed or deleted
  // deck is read again; a change to the card on screen reloads it with a word why; otherwise
  // only the counts are refreshed, so an answer being read stays on screen. During a write
  // of this tab's own, the queue is read again once it is done (see run).
  const changedMeanwhile = useRef(false);
  useExternalChanges(session, (change) => {
    rest.current = undefined;
    if (!domain && change.deckIds.includes(deckId)) storage.deck(deckId).then((found) => setDeck(found ?? null), () => {});
    if (busy.current) {
      changedMeanwhile.current = true;
      return;
    }
    const current = view.phase === 'question' || view.phase === 'answer' ? view.card : undefined;
    if (current && change.cardIds.includes(current.id)) {
      run(async () => {
        const stored = await storage.card(current.id);
        await reload();
        if (stored?.rev !== current.rev) setMessage({ text: 'This card was changed in another tab or window; it is shown as it is now.' });
      }, 'the screen could not show the change');
    } else if (current && !domain) {
      storage.queue(deckId, new Date(), settings).then(
        (queue) => setView((shown) => ('counts' in shown ? { ...shown, counts: queue.counts } : shown)),
        () => {},
      );
    } else if (!current) {
      load().catch(() => {});
    }
  });

  const showAnswer = () => {
    if (view.phase !== 'question') return;
    const outcomesAt = new Date();
    setView({ ...view, phase: 'answer', outcomes: previewOutcomes(schedulerFor(session, view.card.deckId), view.card, outcomesAt), outcomesAt, gradesReady: false });
  };
  const answerShown = view.phase === 'answer' && !view.gradesReady;
  useEffect(() => {
    if (!answerShown) return;
    const timer = setTimeout(() => setView((shown) => (shown.phase === 'answer' ? { ...shown, gradesReady: true } : shown)), gradeTapDelayMs);
    return () => clearTimeout(timer);
  }, [answerShown]);

  const answer = (rating: Grade) =>
    run(async () => {
      if (view.phase !== 'answer') return;
      const before = view.card;
      const answeredAt = new Date();
      const day = studyDay(answeredAt, settings.dayStartHour);
      const { card: after, log, leech } = applyAnswer(schedulerFor(session, before.deckId), before, rating, answeredAt, performance.now() - view.shownAt);
      // The rest of the queue as read before this answer's write (a read started now is still
      // ordered before the write); without it, the queue is read again once the write is done.
      const custom = customCards.current[0]?.id === before.id;
      const usable = !custom && rest.current?.cardId === before.id && rest.current.day === day.number;
      const restOfQueue = usable ? rest.current!.snapshot().catch(() => undefined) : undefined;
      const step = await storage.answer(before, after, log, session.settingsFor(before.deckId));
      undo.push(step);
      if (custom) customCards.current = customCards.current.slice(1);
      // A change from another tab during the write makes the read-ahead queue stale.
      const snapshot = changedMeanwhile.current ? undefined : await restOfQueue;
      // The step's other cards are the siblings the answer buried, as they were.
      const buried = step.cards.slice(1);
      if (snapshot) show(nextInQueue(snapshotAfterAnswer(snapshot, before, after, answeredAt, day.end, buried), answeredAt, settings, day.end));
      else await load(undefined, before);
      setMessage(leech ? { text: 'That card is a leech: it has lapsed 8 times, so it was tagged "leech" and suspended. Consider rewriting it.' } : undefined);
      requestPersistence(); // after real answers exist, not at first paint
    }, 'this answer was not saved');

  const afterUndo = (step: UndoStep) => {
    setMessage(undefined);
    setPanel(undefined);
    if (step.card && step.card.deckId !== deckId && !domain) location.hash = deckHref(step.card.deckId);
    else load(step.card && step.card.queue !== Queue.Retired ? step.card : undefined);
  };

  const undoLast = () =>
    run(async () => {
      const step = await session.undoLast();
      if (step) afterUndo(step);
    }, 'nothing was undone');

  const act = (action: CardAction) =>
    run(async () => {
      if (view.phase !== 'question' && view.phase !== 'answer') return;
      const { runCardAction } = await import('../cards/CardActions.tsx');
      const step = await runCardAction(session, view.card, action);
      if (!step) return;
      setPanel(undefined);
      setMessage(doneMessages[step.label] ? { text: doneMessages[step.label]! } : undefined);
      // A flag keeps the card on screen; the other actions move on to the next card.
      if (action.startsWith('flag')) setView({ ...view, card: { ...view.card, flag: Number(action.slice(4)), rev: view.card.rev + 1 } });
      else {
        if (customCards.current[0]?.id === view.card.id) customCards.current = customCards.current.slice(1);
        await load(undefined, view.card);
      }
    }, 'the card was not changed');

  // Anki's keys: Space/Enter show the answer, then Space/Enter = Good, 1-4 grade, U or
  // Ctrl+Z undo, - bury, @ suspend, Ctrl+1-7 flag, e edit, i card info.
  const keyHandler = useRef<(event: KeyboardEvent) => void>(() => {});
  keyHandler.current = (event) => {
    if (event.altKey || event.metaKey || event.repeat) return;
    const target = event.target as HTMLElement | null;
    // Keys typed into a field, or while a sheet (card info, actions) is open, are not for the card behind.
    if (target?.closest('input, textarea, select, dialog') || panel === 'info' || panel === 'actions') return;
    const confirmKey = event.key === ' ' || event.key === 'Enter';
    // A focused button handles its own Space/Enter; acting here as well would act twice.
    if (confirmKey && target?.closest('button, a')) return;
    const current = view.phase === 'question' || view.phase === 'answer' ? view.card : undefined;
    const digit = ['1', '2', '3', '4'].includes(event.key) ? (Number(event.key) as 1 | 2 | 3 | 4) : undefined;
    const flagKey = /^[1-7]$/.test(event.key) ? (Number(event.key) as FlagNumber) : undefined;
    let handled = true;
    if ((event.key === 'z' && event.ctrlKey) || (event.key.toLowerCase() === 'u' && !event.ctrlKey)) undoLast();
    // Ctrl+digit sets that flag, or clears it when the card already has it (as in Anki).
    else if (event.ctrlKey && current && flagKey) act(`flag${flagKey === current.flag ? 0 : flagKey}`);
    else if (event.ctrlKey) handled = false;
    else if (view.phase === 'question' && confirmKey) showAnswer();
    else if (view.phase === 'answer' && confirmKey) answer(Rating.Good);
    else if (view.phase === 'answer' && digit) answer(digit);
    else if (current && event.key === '-') act('bury');
    else if (current && event.key === '@') act(current.queue === Queue.Suspended ? 'unsuspend' : 'suspend');
    else if (current && event.key === 'e') location.hash = `#/edit/${encodeURIComponent(current.id)}`;
    else if (current && event.key === 'i') setPanel('info');
    else handled = false;
    if (handled) event.preventDefault();
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => keyHandler.current(event);
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  if (deck === null) {
    return (
      <main class="screen">
        {message && (
          <p class="error" role="alert">
            {message.text}
          </p>
        )}
        <p>This deck does not exist.</p>
        <a href="#/">Back to decks</a>
      </main>
    );
  }

  const card = view.phase === 'question' || view.phase === 'answer' ? view.card : undefined;
  return (
    <main class="screen review">
      <header class="bar">
        <a class="back" href="#/" aria-label="Back to decks">
          ‹
        </a>
        <h1>{domain ? `Study: ${domain}` : (deck?.title ?? '')}</h1>
        {view.phase !== 'loading' && <QueueCounts counts={view.counts} current={card ? countOfQueue[card.queue] : undefined} />}
        {!domain && (
          <button type="button" class="icon-button" aria-label="Deck menu" aria-expanded={panel === 'deck'} onClick={() => setPanel(panel === 'deck' ? undefined : 'deck')}>
            ⋮
          </button>
        )}
      </header>
      {deck?.companion && <p class="deck-companion">{deck.companion}</p>}
      {message && (
        <p class={message.error ? 'error' : 'notice'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {panel === 'deck' && deck && (
        <DeckMenu
          session={session}
          deck={deck}
          onRenamed={(renamed) => {
            setDeck(renamed);
            setPanel(undefined);
          }}
        />
      )}

      {card && (
        <article class="card" aria-live="polite" data-card-id={card.id}>
          {(card.flag ?? 0) > 0 && <p class={`flag-mark flag-${card.flag}`}>{flagNames[card.flag!]} flag</p>}
          {card.kind === 'html' && ImportedCardHtml && <ImportedCardHtml key={card.id} storage={storage} card={card} html={view.phase === 'question' ? card.front : card.back} />}
          {card.kind !== 'html' && (view.phase === 'question' || card.kind === 'basic') && <Markdown class="front" text={card.front} />}
          {view.phase === 'answer' && (
            <>
              {card.kind === 'basic' && <hr />}
              {card.kind !== 'html' && <Markdown class="back" text={card.back} />}
              {card.note && <Markdown class="note" text={card.note} />}
              {/* An imported card has a source only if the import gave it one. */}
              {(card.kind !== 'html' || card.source) && (
                <p class="source">
                  <span class="source-label">Source:</span> {card.source}
                </p>
              )}
            </>
          )}
        </article>
      )}

      {view.phase === 'done' && domain && (
        <section class="done">
          <h2>Done with {domain} for now</h2>
          <p>You studied its cards due today and {domainNewCards} new ones. More come with the decks' own queues.</p>
          <a class="button" href="#/stats">
            Back to statistics
          </a>
        </section>
      )}
      {view.phase === 'done' && !domain && (
        <DoneScreen
          session={session}
          deckId={deckId}
          settings={settings}
          nextDueAt={view.nextDueAt}
          onStudy={(cards) => {
            customCards.current = cards;
            setMessage(undefined);
            load().catch(() => {});
          }}
          onChanged={() => {
            setMessage(undefined);
            load().catch(() => {});
          }}
        />
      )}

      {card && panel === 'info' && <CardInfoSheet session={session} card={card} onClose={() => setPanel(undefined)} />}
      {card && panel === 'actions' && <CardActionsSheet card={card} onAction={act} onInfo={() => setPanel('info')} onClose={() => setPanel(undefined)} />}

      <footer class="answer-bar">
        {/* While grading, the four grade buttons get the whole width; U still undoes. */}
        {view.phase !== 'answer' && <UndoButton session={session} onUndone={afterUndo} onError={(text) => setMessage({ text, error: true })} />}
        {view.phase === 'question' && (
          <>
            <button type="button" class="more" aria-label="More card actions" onClick={() => setPanel('actions')}>
              ⋯
            </button>
            <button type="button" class="show-answer" onClick={showAnswer} aria-keyshortcuts="Space Enter">
              Show answer
            </button>
          </>
        )}
        {view.phase === 'answer' && (
          <div class="grades" role="group" aria-label="Grade your answer">
            {grades.map((rating) => (
              <button
                key={rating}
                type="button"
                class={`grade grade-${gradeNames[rating].toLowerCase()}`}
                disabled={!view.gradesReady}
                onClick={() => answer(rating)}
                aria-keyshortcuts={rating === Rating.Good ? `${rating} Space Enter` : String(rating)}
              >
                <span class="grade-name">{gradeNames[rating]}</span>
                <span class="grade-interval">{intervalLabel(outcomeInterval(view.outcomes[rating], view.outcomesAt))}</span>
              </button>
            ))}
          </div>
        )}
      </footer>
    </main>
  );
}
