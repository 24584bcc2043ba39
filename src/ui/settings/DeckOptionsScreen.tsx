import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import { deckPart, schedulingKey } from '../../domain/deckSettings.ts';
import { burySettingsFor } from '../../domain/siblings.ts';
import type { Deck, StudySettings } from '../../domain/types.ts';
import { errorText } from '../common/UndoButton.tsx';
import { OptimizePanel } from './OptimizePanel.tsx';
import { offerReschedule } from './reschedule.ts';
import { StudySettingsForm } from './StudySettingsForm.tsx';

/** A deck's own settings (Anki's deck options), over the global ones. */
export function DeckOptionsScreen({ session, deckId }: { session: Session; deckId: string }) {
  const [deck, setDeck] = useState<Deck | null>();
  const [message, setMessage] = useState<string>();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    session.storage.deck(deckId).then(
      (found) => setDeck(found ?? null),
      (cause: unknown) => setMessage(`The deck could not be loaded: ${errorText(cause)}.`),
    );
  }, [session, deckId]);
  if (deck === null) return <main class="screen">This deck does not exist.</main>;

  const save = async (settings: StudySettings) => {
    const before = schedulingKey(session.settingsFor(deckId));
    await session.saveDeckSettings(deckId, deckPart(settings));
    setMessage(schedulingKey(session.settingsFor(deckId)) !== before ? await offerReschedule(session, [deckId]) : undefined);
  };
  const useGlobal = async () => {
    await session.saveDeckSettings(deckId, undefined);
    setVersion(version + 1);
    setMessage('This deck now uses the global settings.');
  };

  return (
    <main class="screen settings">
      <header class="bar">
        <a class="back" href={`#/deck/${encodeURIComponent(deckId)}`} aria-label="Back to the deck">
          ‹
        </a>
        <h1>Options: {deck?.title ?? ''}</h1>
      </header>
      {/* The bury options' defaults depend on the kind of deck: the form waits for the deck. */}
      {deck && (
        <StudySettingsForm
          key={version}
          initial={{ ...session.settingsFor(deckId), ...burySettingsFor(session.settingsFor(deckId), deck.origin) }}
          deckOnly
          onSave={save}
        />
      )}
      {session.deckSettings.has(deckId) && (
        <button type="button" onClick={useGlobal}>
          Use the global settings
        </button>
      )}
      {message && (
        <p class="notice" role="status">
          {message}
        </p>
      )}
      {deck && <OptimizePanel session={session} preset={{ kind: 'deck', deckId }} onChanged={() => setVersion((current) => current + 1)} />}
    </main>
  );
}
