import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Rating, type Grade } from 'ts-fsrs';
import type { Session } from '../../app/session.ts';
import { intervalLabel } from '../../domain/intervalLabel.ts';
import { nextInQueue, snapshotAfterAnswer, type QueueCounts as Counts, type QueueSnapshot, type QueueState } from '../../domain/queue.ts';
import { studyDay } from '../../domain/studyDay.ts';
import { applyAnswer, grades, outcomeInterval, previewOutcomes, type Outcomes } from '../../domain/scheduler.ts';
import { Queue, type CardRecord, type Deck } from '../../domain/types.ts';
import { requestPersistence } from '../../pwa/persistence.ts';
import { deckHref } from '../App.tsx';
import { Markdown } from '../common/Markdown.tsx';
import { NextDue } from '../common/NextDue.tsx';
import { QueueCounts } from '../common/QueueCounts.tsx';
import { useRefreshWhenDue } from '../common/useRefreshWhenDue.ts';

type View =
  | { phase: 'loading' }
  | { phase: 'question'; card: CardRecord; counts: Counts; shownAt: number }
  | { phase: 'answer'; card: CardRecord; counts: Counts; shownAt: number; outcomes: Outcomes; outcomesAt: Date }
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

export function ReviewScreen({ session, deckId }: { session: Session; deckId: string }) {
  const { storage, settings, scheduler, undo } = session;
  const [deck, setDeck] = useState<Deck | null>();
  const [view, setView] = useState<View>({ phase: 'loading' });
  const [error, setError] = useState<string>();
  // One write at a time: a double tap or a held key must not answer twice.
  const busy = useRef(false);
  // The rest of the queue, read while a card is on screen, so that answering waits for
  // nothing but the answer's own write.
  const rest = useRef<{ cardId: string; day: number; snapshot: () => Promise<QueueSnapshot> } | undefined>(undefined);

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

  const load = useCallback(
    async (card?: CardRecord) => show(await storage.queue(deckId, new Date(), settings), card),
    [storage, settings, deckId, show],
  );

  useEffect(() => {
    storage.deck(deckId).then((found) => setDeck(found ?? null));
    load();
  }, [storage, deckId, load]);
  useRefreshWhenDue(view.phase === 'done' ? view.nextDueAt : undefined, load);

  const run = async (action: () => Promise<void>) => {
    if (busy.current) return;
    busy.current = true;
    try {
      await action();
      setError(undefined);
    } catch (cause) {
      setError(`Could not save: ${cause instanceof Error ? cause.message : String(cause)}. Nothing was changed.`);
    } finally {
      busy.current = false;
    }
  };

  const showAnswer = () => {
    if (view.phase !== 'question') return;
    const outcomesAt = new Date();
    setView({ ...view, phase: 'answer', outcomes: previewOutcomes(scheduler, view.card, outcomesAt), outcomesAt });
  };

  const answer = (rating: Grade) =>
    run(async () => {
      if (view.phase !== 'answer') return;
      const before = view.card;
      const answeredAt = new Date();
      const day = studyDay(answeredAt, settings.dayStartHour);
      const { card: after, log } = applyAnswer(before, view.outcomes[rating], answeredAt, performance.now() - view.shownAt);
      const read = () => storage.queueSnapshot(deckId, answeredAt, settings, before);
      const prefetched = rest.current?.cardId === before.id && rest.current.day === day.number ? rest.current.snapshot : undefined;
      const [receipt, snapshot] = await Promise.all([storage.answer(before, after, log), prefetched ? prefetched().catch(read) : read()]);
      undo.push(receipt);
      show(nextInQueue(snapshotAfterAnswer(snapshot, before, after, answeredAt, day.end), answeredAt, settings, day.end));
      requestPersistence(); // after real answers exist, not at first paint
    });

  const undoLast = () =>
    run(async () => {
      const receipt = undo.pop();
      if (!receipt) return;
      await storage.undoAnswer(receipt);
      if (receipt.before.deckId === deckId) await load(receipt.before);
      else location.hash = deckHref(receipt.before.deckId);
    });

  // Anki's keys: Space/Enter show the answer, then Space/Enter = Good, 1-4 grade, U or Ctrl+Z undo.
  const keyHandler = useRef<(event: KeyboardEvent) => void>(() => {});
  keyHandler.current = (event) => {
    if (event.altKey || event.metaKey || event.repeat) return;
    const target = event.target as HTMLElement | null;
    const confirmKey = event.key === ' ' || event.key === 'Enter';
    // A focused button handles its own Space/Enter; acting here as well would act twice.
    if (confirmKey && target?.closest('button, a, input, textarea, select')) return;
    let handled = true;
    if ((event.key === 'z' && event.ctrlKey) || (event.key.toLowerCase() === 'u' && !event.ctrlKey)) undoLast();
    else if (event.ctrlKey) handled = false;
    else if (view.phase === 'question' && confirmKey) showAnswer();
    else if (view.phase === 'answer' && confirmKey) answer(Rating.Good);
    else if (view.phase === 'answer' && ['1', '2', '3', '4'].includes(event.key)) answer(Number(event.key) as Grade);
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
        <p>This deck does not exist.</p>
        <a href="#/">Back to decks</a>
      </main>
    );
  }

  return (
    <main class="screen review">
      <header class="bar">
        <a class="back" href="#/" aria-label="Back to decks">
          ‹
        </a>
        <h1>{deck?.title ?? ''}</h1>
        {view.phase !== 'loading' && (
          <QueueCounts counts={view.counts} current={'card' in view ? countOfQueue[view.card.queue] : undefined} />
        )}
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}

      {(view.phase === 'question' || view.phase === 'answer') && (
        <article class="card" aria-live="polite" data-card-id={view.card.id}>
          {view.phase === 'question' || view.card.kind === 'basic' ? <Markdown class="front" text={view.card.front} /> : null}
          {view.phase === 'answer' && (
            <>
              {view.card.kind === 'basic' && <hr />}
              <Markdown class="back" text={view.card.back} />
              {view.card.note && <Markdown class="note" text={view.card.note} />}
              <p class="source">
                <span class="source-label">Source:</span> {view.card.source}
              </p>
            </>
          )}
        </article>
      )}

      {view.phase === 'done' && (
        <section class="done" aria-live="polite">
          <h2>Done for now</h2>
          <p>You have finished this deck for now.</p>
          <NextDue at={view.nextDueAt} />
          <a class="button" href="#/">
            Back to decks
          </a>
        </section>
      )}

      <footer class="answer-bar">
        {/* While grading, the four grade buttons get the whole width; U still undoes. */}
        {undo.size > 0 && view.phase !== 'answer' && (
          <button type="button" class="undo" onClick={undoLast} aria-keyshortcuts="U Control+Z">
            Undo
          </button>
        )}
        {view.phase === 'question' && (
          <button type="button" class="show-answer" onClick={showAnswer} aria-keyshortcuts="Space Enter">
            Show answer
          </button>
        )}
        {view.phase === 'answer' && (
          <div class="grades" role="group" aria-label="Grade your answer">
            {grades.map((rating) => (
              <button
                key={rating}
                type="button"
                class={`grade grade-${gradeNames[rating].toLowerCase()}`}
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
