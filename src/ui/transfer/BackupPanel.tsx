import { useEffect, useState } from 'preact/hooks';
import { backUpIntoFolder, canUseBackupFolder, chooseBackupFolder, folderWritable } from '../../app/backups.ts';
import { backupStateStorage } from '../../app/backupStateStorage.ts';
import type { TransferOutcome } from '../../app/transfer.ts';
import type { TransferJob } from '../../worker/protocol.ts';
import { errorText } from '../common/UndoButton.tsx';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Back up now, restore, and daily backups into a folder where the browser allows one. */
export function BackupPanel({ busy, run }: { busy: boolean; run(title: string, job: TransferJob): Promise<TransferOutcome> }) {
  const storage = backupStateStorage();
  const [state, setState] = useState<Awaited<ReturnType<typeof storage.backupState>>>();
  const [message, setMessage] = useState<{ text: string; error?: boolean }>();
  const refresh = () => storage.backupState().then(setState, () => {});
  useEffect(() => void refresh(), []);

  const backUpNow = async () => {
    const outcome = await run('Backing up', { type: 'backup' });
    if (outcome.type === 'file') {
      await storage.markBackedUp(new Date());
      refresh();
    }
  };
  const useFolder = async () => {
    try {
      const folder = state?.folder ?? (await chooseBackupFolder(storage, state?.kept ?? 12));
      if (!(await folderWritable(folder, true))) throw new Error('the browser did not allow writing into the folder');
      setMessage({ text: `Backed up into the folder as ${await backUpIntoFolder(storage, folder, state?.kept ?? 12)}.` });
    } catch (cause) {
      if (!(cause instanceof DOMException && cause.name === 'AbortError')) setMessage({ text: `The backup was not made: ${errorText(cause)}`, error: true });
    }
    refresh();
  };

  return (
    <section aria-labelledby="backup-title">
      <h2 id="backup-title">Backups</h2>
      <p class="muted">
        A backup holds every deck, card, note, review, setting and media file. Restoring one merges it with what is here: no review is lost, and restoring the
        same backup twice changes nothing.
      </p>
      <p data-testid="last-backup">{state?.lastBackupAt ? `Last backup: ${dateTime.format(state.lastBackupAt)}.` : 'No backup yet.'}</p>
      <div class="button-row">
        <button type="button" class="primary" disabled={busy} onClick={backUpNow}>
          Back up now
        </button>
        <label class="file-button">
          Restore from a backup…
          <input
            type="file"
            accept=".zip"
            disabled={busy}
            onChange={(event) => {
              const input = event.currentTarget;
              const file = input.files?.[0];
              input.value = '';
              if (file) run(`Restoring ${file.name}`, { type: 'restore', file });
            }}
          />
        </label>
      </div>
      {canUseBackupFolder() && (
        <>
          <h3>Daily backups into a folder</h3>
          <p class="muted">
            {state?.folder
              ? `Each day you study, a backup goes into the folder “${state.folder.name}”; the newest ${state.kept} are kept.`
              : 'Choose a folder (one your computer or phone backs up itself is best), and a backup goes there each day you study.'}
          </p>
          <div class="button-row">
            <button type="button" disabled={busy} onClick={useFolder}>
              {state?.folder ? 'Back up into the folder now' : 'Choose a folder for daily backups'}
            </button>
            {state?.folder && (
              <button type="button" onClick={() => storage.saveBackupFolder(undefined, state.kept).then(refresh)}>
                Stop daily backups
              </button>
            )}
          </div>
        </>
      )}
      {message && (
        <p class={message.error ? 'error' : 'notice'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
