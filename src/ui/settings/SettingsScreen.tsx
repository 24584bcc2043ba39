import { useEffect, useState } from 'preact/hooks';
import { isIosBrowserTab, requestPersistence, storageStatus, type StorageStatus } from '../../pwa/persistence.ts';

function megabytes(bytes: number | undefined): string {
  if (bytes === undefined) return 'unknown';
  return bytes < 1_000_000 ? `${Math.max(1, Math.round(bytes / 1000))} kB` : `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function SettingsScreen() {
  const [status, setStatus] = useState<StorageStatus>();
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
