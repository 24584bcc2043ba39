import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import { schedulingKey } from '../../domain/deckSettings.ts';
import type { StudySettings } from '../../domain/types.ts';
import { isIosBrowserTab, storageStatus, type StorageStatus } from '../../pwa/persistence.ts';
import { requestPersistence } from '../../pwa/requestPersistence.ts';
import { OptimizePanel } from './OptimizePanel.tsx';
import { offerReschedule } from './reschedule.ts';
import { DisplaySettings } from './DisplaySettings.tsx';
import { StudySettingsForm } from './StudySettingsForm.tsx';

function megabytes(bytes: number | undefined): string {
  if (bytes === undefined) return 'unknown';
  return bytes < 1_000_000 ? `${Math.max(1, Math.round(bytes / 1000))} kB` : `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function SettingsScreen({ session }: { session: Session }) {
  const [status, setStatus] = useState<StorageStatus>();
  const [message, setMessage] = useState<string>();
  const [version, setVersion] = useState(0);
  const save = async (settings: StudySettings) => {
    const decks = await session.storage.decks();
    const before = new Map(decks.map((deck) => [deck.id, schedulingKey(session.settingsFor(deck.id))]));
    await session.saveSettings(settings);
    setMessage(await offerReschedule(session, decks.filter((deck) => schedulingKey(session.settingsFor(deck.id)) !== before.get(deck.id)).map((deck) => deck.id)));
  };
  const refresh = () => storageStatus().then(setStatus);
  useEffect(() => {
    refresh();
  }, []);

  const keepData = async () => {
    await requestPersistence();
    await refresh();
  };

  return (
    <main class="screen settings">
      <header class="bar">
        <a class="back" href="#/" aria-label="Back to decks">
          ‹
        </a>
        <h1>Settings</h1>
      </header>
      <section aria-labelledby="study-title">
        <h2 id="study-title">Study</h2>
        <p class="muted">For every deck, unless a deck sets its own (deck menu ⋮ → Deck options).</p>
        <StudySettingsForm key={version} initial={session.settings} onSave={save} />
        {message && (
          <p class="notice" role="status">
            {message}
          </p>
        )}
        <OptimizePanel session={session} preset={{ kind: 'global' }} onChanged={() => setVersion((current) => current + 1)} />
      </section>
      <DisplaySettings />
      <section aria-labelledby="sync-title">
        <h2 id="sync-title">Sync between devices</h2>
        <p class="muted">Study on your phone, write cards on your laptop: both through your own CouchDB server.</p>
        <a class="button" href="#/sync">
          Sync settings
        </a>
      </section>
      <section aria-labelledby="storage-title">
        <h2 id="storage-title">Storage on this device</h2>
        {isIosBrowserTab() && (
          <p class="warning" data-testid="ios-install-hint">
            Safari deletes the data of websites not visited for 7 days. Add Kubecards to your Home Screen (Share → Add to Home
            Screen) to keep your cards and progress safe.
          </p>
        )}
        <dl class="facts">
          <dt>Persistent storage</dt>
          <dd data-testid="persisted">
            {status === undefined
              ? '…'
              : status.persisted
                ? 'Yes: the browser will not clear it to free space'
                : 'No: the browser may clear it when the device runs low on space'}
          </dd>
          <dt>Used</dt>
          <dd data-testid="usage">
            {status ? `${megabytes(status.usageBytes)} of ${megabytes(status.quotaBytes)} available` : '…'}
          </dd>
          <dt>Version</dt>
          <dd data-testid="build">{__APP_BUILD__}</dd>
        </dl>
        {status && !status.persisted && (
          <button type="button" onClick={keepData}>
            Keep my data on this device
          </button>
        )}
      </section>
    </main>
  );
}
