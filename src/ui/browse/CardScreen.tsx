import '../common/card.css';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import type { CardRecord } from '../../domain/types.ts';
import { CardActions, runCardAction, type CardAction } from '../cards/CardActions.tsx';
import { CardInfo } from '../cards/CardInfo.tsx';
import { ImportedCardHtml } from '../common/CardHtml.tsx';
import { Markdown } from '../common/Markdown.tsx';
import { errorText, UndoButton } from '../common/UndoButton.tsx';
import { useExternalChanges } from '../common/useExternalChanges.ts';

/** One card from the browser: both sides, its actions and its info. */
export function CardScreen({ session, cardId }: { session: Session; cardId: string }) {
  const [card, setCard] = useState<CardRecord | null>();
  const [error, setError] = useState<string>();
  const busy = useRef(false);
  const load = useCallback(
    () =>
      session.storage.card(cardId).then(
        (found) => setCard(found ?? null),
        (cause: unknown) => setError(`The card could not be loaded: ${errorText(cause)}.`),
      ),
    [session, cardId],
  );
  useEffect(() => {
    load();
  }, [load]);
  useExternalChanges(session, (change) => {
    if (change.cardIds.includes(cardId)) load();
  });

  if (card === null) return <main class="screen">This card does not exist.</main>;
  const act = async (action: CardAction) => {
    // One action at a time: a double tap must not act twice on one copy of the card.
    if (busy.current) return;
    busy.current = true;
    try {
      await runCardAction(session, card!, action);
    } catch (cause) {
      setError(`Not saved: ${errorText(cause)}`);
    } finally {
      busy.current = false;
    }
    await load(); // the card as stored now, also after another tab changed it
  };

  return (
    <main class="screen card-screen">
      <header class="bar">
        <a class="back" href="#/browse" aria-label="Back to browse">
          ‹
        </a>
        <h1>Card</h1>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {card && (
        <>
          <article class="card" data-card-id={card.id}>
            {card.kind === 'basic' && <Markdown class="front" text={card.front} />}
            {card.kind === 'basic' && <hr />}
            {card.kind === 'html' ? <ImportedCardHtml storage={session.storage} card={card} html={card.back} /> : <Markdown class="back" text={card.back} />}
            {/* An imported card has a source only if the import gave it one. */}
            {(card.kind !== 'html' || card.source) && (
              <p class="source">
                <span class="source-label">Source:</span> {card.source}
              </p>
            )}
          </article>
          <CardActions card={card} onAction={act} onInfo={() => document.getElementById('card-info')?.scrollIntoView()} />
          <div id="card-info">
            <CardInfo session={session} card={card} />
          </div>
        </>
      )}
      <footer class="answer-bar">
        <UndoButton session={session} onUndone={load} onError={setError} />
      </footer>
    </main>
  );
}
