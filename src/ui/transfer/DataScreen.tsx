import '../common/forms.css';
import './transfer.css';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import { startTransfer, type TransferOutcome, type TransferTask } from '../../app/transfer.ts';
import type { Deck } from '../../domain/types.ts';
import { whenFileLaunched } from '../../pwa/launchQueue.ts';
import { takeLaunchedFile } from '../../pwa/sharedFile.ts';
import type { ImportSummary, TextFilePreview, TransferJob } from '../../worker/protocol.ts';
import { BackupPanel } from './BackupPanel.tsx';
import { TextMapping } from './TextMapping.tsx';

interface Running {
  title: string;
  phase: string;
  done: number;
  total: number;
  task: TransferTask;
}

const textFile = /\.(txt|csv|tsv)$/i;

/** Import, export and backups: every job runs in the transfer worker with a progress bar. */
export function DataScreen({ session }: { session: Session }) {
  const [decks, setDecks] = useState<Deck[]>([]);
  const [running, setRunning] = useState<Running>();
  const [summary, setSummary] = useState<ImportSummary>();
  const [message, setMessage] = useState<{ text: string; error?: boolean }>();
  const [textImport, setTextImport] = useState<{ file: File; preview: TextFilePreview }>();
  const [exportDeck, setExportDeck] = useState('all');
  const [withScheduling, setWithScheduling] = useState(true);

  useEffect(() => {
    session.storage.decks().then(setDecks, () => {});
    const take = () => void takeLaunchedFile().then((file) => file && importFile(file), () => {});
    take();
    return whenFileLaunched(take);
  }, [session]);

  /** Runs a job in the worker, showing its progress; resolves with its outcome. */
  const run = (title: string, job: TransferJob): Promise<TransferOutcome> => {
    setSummary(undefined);
    setMessage(undefined);
    const task = startTransfer(job, (phase, done, total) => setRunning((shown) => shown && { ...shown, phase, done, total }));
    setRunning({ title, phase: 'Starting', done: 0, total: 1, task });
    return task.outcome.then(async (outcome) => {
      if (outcome.type === 'imported') {
        // A restore brings the backup's settings: every screen studies with them from now on
        // (kept as they were if they cannot be read).
        [session.settings, session.deckSettings] = await Promise.all([session.storage.settings(), session.storage.deckSettings()]).catch(
          () => [session.settings, session.deckSettings] as const,
        );
        setSummary(outcome.summary);
        session.storage.decks().then(setDecks, () => {});
      }
      setRunning(undefined);
      if (outcome.type === 'failed') setMessage({ text: `${title} failed: ${outcome.message}`, error: true });
      if (outcome.type === 'cancelled') setMessage({ text: `${title} was cancelled; nothing was changed.` });
      if (outcome.type === 'file') {
        download(outcome.blob, outcome.name);
        setMessage({ text: outcome.summary ?? `Saved ${outcome.name}.` });
      }
      return outcome;
    });
  };

  const importFile = async (file: File) => {
    if (/\.zip$/i.test(file.name)) {
      await run(`Restoring ${file.name}`, { type: 'restore', file });
      return;
    }
    if (!textFile.test(file.name)) {
      await run(`Importing ${file.name}`, { type: 'import', file });
      return;
    }
    const outcome = await run(`Reading ${file.name}`, { type: 'inspect-text', file });
    if (outcome.type === 'text-preview') setTextImport({ file, preview: outcome.preview });
  };

  const exportIds = exportDeck === 'all' ? undefined : [exportDeck];

  if (textImport) {
    return (
      <TextMapping
        file={textImport.file}
        preview={textImport.preview}
        decks={decks}
        onCancel={() => setTextImport(undefined)}
        onImport={(mapping) => {
          setTextImport(undefined);
          run(`Importing ${textImport.file.name}`, { type: 'import-text', file: textImport.file, mapping });
        }}
      />
    );
  }

  return (
    <main class="screen data">
      <header class="bar">
        <a class="back" href="#/" aria-label="Back to decks">
          ‹
        </a>
        <h1>Import, export, backups</h1>
      </header>
      {running && (
        <section class="transfer-progress" aria-live="polite">
          <h2>{running.title}</h2>
          <progress max={running.total} value={running.done} aria-label={running.phase} />
          <p>
            {running.phase}
            {running.total > 1 && `: ${running.done.toLocaleString('en')} of ${running.total.toLocaleString('en')} (${Math.floor((running.done / running.total) * 100)} %)`}
          </p>
          <button type="button" onClick={() => running.task.cancel()}>
            Cancel
          </button>
        </section>
      )}
      {message && (
        <p class={message.error ? 'error' : 'notice'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      {summary && <ImportSummaryView summary={summary} />}
      <section aria-labelledby="import-title">
        <h2 id="import-title">Import</h2>
        <p class="muted">
          Anki packages (.apkg, .colpkg) with their notes, media and review history, or a text file (.txt, .csv, .tsv) of notes. Importing the same file again
          updates its notes and adds nothing twice.
        </p>
        <label class="file-button">
          Import a file…
          <input
            type="file"
            accept=".apkg,.colpkg,.txt,.csv,.tsv,.zip"
            disabled={!!running}
            onChange={(event) => {
              const input = event.currentTarget;
              const file = input.files?.[0];
              input.value = '';
              if (file) importFile(file);
            }}
          />
        </label>
      </section>
      <section aria-labelledby="export-title">
        <h2 id="export-title">Export</h2>
        <label>
          Deck
          <select value={exportDeck} onChange={(event) => setExportDeck(event.currentTarget.value)}>
            <option value="all">All decks</option>
            {decks.map((deck) => (
              <option key={deck.id} value={deck.id}>
                {deck.title}
              </option>
            ))}
          </select>
        </label>
        <label class="checkbox">
          <input type="checkbox" checked={withScheduling} onChange={(event) => setWithScheduling(event.currentTarget.checked)} />
          Include scheduling and review history
        </label>
        <div class="button-row">
          <button type="button" disabled={!!running} onClick={() => run('Exporting', { type: 'export-apkg', deckIds: exportIds, withScheduling })}>
            Export Anki package (.apkg)
          </button>
          <button type="button" disabled={!!running} onClick={() => run('Exporting', { type: 'export-csv', deckIds: exportIds })}>
            Export notes as text (.csv)
          </button>
        </div>
      </section>
      <BackupPanel busy={!!running} run={run} />
    </main>
  );
}

function ImportSummaryView({ summary }: { summary: ImportSummary }) {
  const { counts, skipped } = summary;
  return (
    <section class="import-summary" role="status" aria-labelledby="summary-title">
      <h2 id="summary-title">What came in</h2>
      <dl class="facts">
        <dt>Notes</dt>
        <dd data-testid="summary-notes">
          {counts.notesAdded.toLocaleString('en')} new, {counts.notesUpdated.toLocaleString('en')} updated
        </dd>
        <dt>Cards</dt>
        <dd data-testid="summary-cards">
          {counts.cardsAdded.toLocaleString('en')} new, {counts.cardsUpdated.toLocaleString('en')} updated
        </dd>
        <dt>Review history</dt>
        <dd data-testid="summary-reviews">
          {counts.reviewRows.toLocaleString('en')} rows{counts.reviewRowsKnown > 0 && `, ${counts.reviewRowsKnown.toLocaleString('en')} already here`}
        </dd>
        <dt>Media files</dt>
        <dd data-testid="summary-media">{counts.media.toLocaleString('en')}</dd>
        <dt>New decks</dt>
        <dd data-testid="summary-decks">{counts.decks.toLocaleString('en')}</dd>
      </dl>
      {skipped.length > 0 && (
        <details>
          <summary data-testid="summary-skipped">{skipped.length.toLocaleString('en')} items skipped or changed</summary>
          <ul>
            {skipped.slice(0, 200).map((item, index) => (
              <li key={index}>
                {item.item}: {item.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** Saves a file the worker made, through the browser's download. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
