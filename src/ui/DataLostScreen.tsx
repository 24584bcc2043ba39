import { useState } from 'preact/hooks';
import { writeErrorMessage } from '../storage/errors.ts';

/**
 * Shown instead of the app when this device held Kubecards data before but the browser's
 * database is now empty or new (see startSession): the loss is told, never covered up by
 * fresh built-in decks.
 */
export function DataLostScreen({ onStartAgain }: { onStartAgain(): Promise<void> }) {
  const [starting, setStarting] = useState(false);
  const [failure, setFailure] = useState<string>();
  const startAgain = () => {
    setStarting(true);
    onStartAgain().catch((cause: unknown) => {
      setFailure(writeErrorMessage(cause, 'the built-in decks were not set up'));
      setStarting(false);
    });
  };
  return (
    <main class="screen">
      <header class="bar">
        <h1>Your data on this device is gone</h1>
      </header>
      <p>
        Kubecards had saved your cards and answers in this browser, but the browser's database for Kubecards is now empty. What you studied before cannot be
        brought back from this device.
      </p>
      <p>
        The most likely cause: the device ran out of storage while Kubecards was saving, and the browser then found its database damaged and deleted it.
      </p>
      {/* Restoring from a backup file (a later version) is to be offered here, before starting again. */}
      <p class="muted">Restoring from a backup file will be offered here in a later version of Kubecards.</p>
      <p>Make sure the device has free storage, then start again.</p>
      {failure && (
        <p class="error" role="alert">
          {failure}
        </p>
      )}
      <button type="button" class="primary" disabled={starting} onClick={startAgain}>
        Start again with the built-in decks
      </button>
    </main>
  );
}
