import { useState } from 'preact/hooks';
import { canUseBackupFolder } from '../app/backups.ts';
import { startTransfer } from '../app/transfer.ts';
import { backupFilePattern } from '../domain/transfer/backupName.ts';
import { writeErrorMessage } from '../storage/errors.ts';

/**
 * Shown instead of the app when this device held Kubecards data before but the browser's
 * database is now empty or new (see startSession): the loss is told, never covered up by
 * fresh built-in decks.
 */
export function DataLostScreen({ onStartAgain }: { onStartAgain(): Promise<void> }) {
  const [starting, setStarting] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [restoring, setRestoring] = useState<string>();
  /** Restores the backup, then starts with it (and the built-in decks it does not hold). */
  const restore = async (file: File) => {
    setFailure(undefined);
    setRestoring(`Restoring ${file.name}…`);
    const outcome = await startTransfer({ type: 'restore', file }, (phase, done, total) => setRestoring(`${phase}: ${Math.floor((done / Math.max(1, total)) * 100)} %`)).outcome;
    setRestoring(undefined);
    if (outcome.type === 'imported') await onStartAgain();
    else setFailure(outcome.type === 'failed' ? `The backup was not restored: ${outcome.message}` : 'The restore was cancelled; nothing was changed.');
  };
  /** The newest backup in the folder daily backups went to (the database that knew the folder is gone). */
  const restoreFromFolder = async () => {
    try {
      const folder = await (window as unknown as { showDirectoryPicker(options: object): Promise<FileSystemDirectoryHandle> }).showDirectoryPicker({ id: 'kubecards-backups' });
      const names: string[] = [];
      for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) if (backupFilePattern.test(name)) names.push(name);
      const newest = names.sort().at(-1);
      if (!newest) setFailure(`There is no Kubecards backup in the folder “${folder.name}”.`);
      else await restore(await (await folder.getFileHandle(newest)).getFile());
    } catch (cause) {
      if (!(cause instanceof DOMException && cause.name === 'AbortError')) setFailure(`The folder could not be read: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
  };
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
      <h2>Restore a backup</h2>
      <p>If you made a backup (Back up now, or daily backups into a folder), restore it: your cards and reviews come back as they were then.</p>
      <div class="button-row">
        {canUseBackupFolder() && (
          <button type="button" class="primary" disabled={starting || !!restoring} onClick={restoreFromFolder}>
            Restore the newest backup from your backup folder
          </button>
        )}
        <label class="file-button">
          Restore from a backup file…
          <input
            type="file"
            accept=".zip"
            disabled={starting || !!restoring}
            onChange={(event) => {
              const input = event.currentTarget;
              const file = input.files?.[0];
              input.value = '';
              if (file) restore(file);
            }}
          />
        </label>
      </div>
      {restoring && <p role="status">{restoring}</p>}
      <h2>Or start again</h2>
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
