import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import type { DeckSummary } from '../../storage/index.ts';
import { deckHref } from '../App.tsx';
import { NextDue } from '../common/NextDue.tsx';
import { QueueCounts } from '../common/QueueCounts.tsx';
import { useRefreshWhenDue } from '../common/useRefreshWhenDue.ts';

function earliest(dates: (Date | undefined)[]): Date | undefined {
  return dates.reduce<Date | undefined>((min, date) => (date && (!min || date < min) ? date : min), undefined);
}

export function HomeScreen({ session }: { session: Session }) {
  const [summaries, setSummaries] = useState<DeckSummary[]>();
  const load = useCallback(() => {
    session.storage.deckSummaries(new Date(), session.settings).then(setSummaries);
  }, [session]);
  useEffect(load, [load]);

  const dueNow = summaries?.some(({ queue }) => queue.card);
  const nextDueAt = summaries && !dueNow ? earliest(summaries.map(({ queue }) => queue.nextDueAt)) : undefined;
  useRefreshWhenDue(nextDueAt, load);

  return (
    <main class="screen home">
      <header class="bar">
        <h1>Kubecards</h1>
      </header>
      {summaries && !dueNow && (
        <section class="done-today" aria-live="polite">
          <h2>Done for today</h2>
          <NextDue at={nextDueAt} />
        </section>
      )}
      <ul class="deck-list" aria-busy={!summaries}>
        {summaries?.map(({ deck, cardCount, queue }) => (
          <li key={deck.id}>
            <a class="deck" href={deckHref(deck.id)}>
              <span class="deck-title">{deck.title}</span>
              <span class="deck-description">{deck.description}</span>
              <span class="deck-meta">
                <QueueCounts counts={queue.counts} />
                <span class="deck-size">{cardCount} cards</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
    </main>
  );
}
