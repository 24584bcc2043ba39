import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import { deckNameProblem } from '../../domain/deckName.ts';
import { earliestDate } from '../../domain/queue.ts';
import type { DeckSummary } from '../../storage/index.ts';
import { deckHref } from '../App.tsx';
import { NextDue } from '../common/NextDue.tsx';
import { QueueCounts } from '../common/QueueCounts.tsx';
import { useLazyComponent } from '../common/lazy.tsx';
import { errorText, UndoButton } from '../common/UndoButton.tsx';
import { useExternalChanges } from '../common/useExternalChanges.ts';
import { useRefreshWhenDue } from '../common/useRefreshWhenDue.ts';
import { readToday, TodayPanel, type Today } from './TodayPanel.tsx';

const loadBackupReminder = () => import('./BackupReminder.tsx').then((module) => module.BackupReminder);
const loadInstallHint = () => import('./InstallHint.tsx').then((module) => module.InstallHint);

export function HomeScreen({ session }: { session: Session }) {
  const [shown, setShown] = useState<{ summaries: DeckSummary[]; today?: Today }>();
  const summaries = shown?.summaries;
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    const now = new Date();
    // On a first visit to a deck's address the other built-in decks are stored meanwhile.
    Promise.all([session.unburyPastDays(), session.builtInDecksStored])
      .then(() => Promise.all([session.storage.deckSummaries(now, (deckId) => session.settingsFor(deckId)), readToday(session, now)]))
      .then(
        ([summaries, today]) => setShown({ summaries, today }),
        (cause: unknown) => setError(`Your decks could not be shown: ${errorText(cause)}.`),
      );
  }, [session]);
  const createDeck = async () => {
    // The question sheet loads when asked for, not with the first screen.
    const { askForText } = await import('../common/ask.tsx');
    const title = await askForText({ title: 'New deck', confirmLabel: 'Create', field: { label: 'Name of the new deck', initial: '', problem: deckNameProblem } });
    if (!title) return;
    const id = `user-${crypto.randomUUID()}`;
    try {
      session.undo.push(await session.storage.createDeck(id, title, ''));
      location.hash = `#/add/${encodeURIComponent(id)}`;
    } catch (cause) {
      setError(`The deck was not created: ${errorText(cause)}`);
    }
  };
  useEffect(load, [load]);
  useExternalChanges(session, load);
  const BackupReminder = useLazyComponent(loadBackupReminder);
  const InstallHint = useLazyComponent(loadInstallHint);

  const dueNow = summaries?.some(({ queue }) => queue.card);
  const nextDueAt = summaries && !dueNow ? earliestDate(summaries.map(({ queue }) => queue.nextDueAt)) : undefined;
  useRefreshWhenDue(nextDueAt, load);

  return (
    <main class="screen home">
      <header class="bar">
        <h1>Kubecards</h1>
        <a class="icon-button" href="#/browse" aria-label="Browse cards">
          <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
            <path fill="currentColor" d="M10 4a6 6 0 0 1 4.8 9.6l5 5-1.4 1.4-5-5A6 6 0 1 1 10 4zm0 2a4 4 0 1 0 0 8 4 4 0 0 0 0-8z" />
          </svg>
        </a>
        <a class="icon-button" href="#/data" aria-label="Import, export and backups">
          <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
            <path fill="currentColor" d="M11 4h2v8.2l3.3-3.3 1.4 1.4L12 16l-5.7-5.7 1.4-1.4 3.3 3.3zM5 18h14v2H5z" />
          </svg>
        </a>
        <a class="icon-button" href="#/settings" aria-label="Settings">
          <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
            <path
              fill="currentColor"
              d="M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.4-2.5 1a7.3 7.3 0 0 0-1.7-1L15 3.3h-4l-.4 2.7a7.3 7.3 0 0 0-1.7 1l-2.5-1-2 3.4L6.6 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.4 2.5-1a7.3 7.3 0 0 0 1.7 1l.4 2.7h4l.4-2.7a7.3 7.3 0 0 0 1.7-1l2.5 1 2-3.4zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z"
              transform="translate(-1 0)"
            />
          </svg>
        </a>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {summaries && shown.today && (
        <TodayPanel
          today={shown.today}
          remaining={summaries.reduce((sum, { queue }) => sum + queue.counts.newCards + queue.counts.learning + queue.counts.reviews, 0)}
        />
      )}
      {BackupReminder && <BackupReminder />}
      {summaries && !dueNow && (
        <section class="done-today" aria-live="polite">
          <h2>Done for today</h2>
          <NextDue at={nextDueAt} />
        </section>
      )}
      {/* Anki's colours say which count is which only to those who know Anki: a key says it in words (screen readers hear each count's word). With the list, which the panel above it comes with. */}
      {summaries && (
        <p class="counts-key" aria-hidden="true">
          <span class="count count-newCards">New</span>
          <span class="count count-learning">Learning</span>
          <span class="count count-reviews">To review</span>
        </p>
      )}
      <ul class="deck-list" aria-busy={!summaries}>
        {summaries?.map(({ deck, cardCount, queue }) => (
          <li key={deck.id}>
            <a class="deck" href={deckHref(deck.id)}>
              <span class="deck-title">{deck.title}</span>
              {deck.companion && <span class="deck-companion">{deck.companion}</span>}
              <span class="deck-description">{deck.description}</span>
              <span class="deck-meta">
                <QueueCounts counts={queue.counts} />
                <span class="deck-size">{cardCount} cards</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
      {/* Below the list and after it: shown once its file is in, it would push the list down from above, or be pushed down by it. */}
      {summaries && InstallHint && <InstallHint />}
      <footer class="answer-bar">
        <UndoButton session={session} onUndone={load} onError={setError} />
        <button type="button" class="new-deck" onClick={createDeck}>
          New deck
        </button>
      </footer>
    </main>
  );
}
