import '../common/forms.css';
import './sync.css';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import { syncController, type SyncView } from '../../app/sync.ts';
import { perUserDatabase, type SyncConfig } from '../../domain/sync/status.ts';

const phaseLabels = { preparing: 'Preparing your changes', sending: 'Sending', receiving: 'Receiving', applying: 'Saving what came in' } as const;

function ago(date: Date, now = Date.now()): string {
  const minutes = Math.round((now - date.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  return date.toLocaleString();
}

function initialForm(config: SyncConfig | undefined): SyncConfig {
  return config ?? { serverUrl: `${location.origin}/db`, username: '', password: '', database: '', enabled: false };
}

/**
 * Settings → Sync: the CouchDB server this device syncs with, a Sync now button and what
 * the last sync did. Offline nothing changes: changes wait here and go with the next sync.
 */
export function SyncScreen({ session }: { session: Session }) {
  const controller = syncController(session);
  const [view, setView] = useState<SyncView>();
  const [form, setForm] = useState<SyncConfig>();
  const [databaseEdited, setDatabaseEdited] = useState(false);
  const [message, setMessage] = useState<string>();

  useEffect(() => {
    let stop = () => {};
    void controller.start().then(() => {
      stop = controller.subscribe((next) => {
        setView(next);
        setForm((current) => current ?? initialForm(next.config));
      });
    });
    return () => stop();
  }, [controller]);

  if (!view || !form) return <main class="screen sync" aria-busy="true" />;
  const { status, waiting, running, config } = view;
  const database = databaseEdited || form.database ? form.database : form.username ? perUserDatabase(form.username) : '';
  const complete = form.serverUrl.trim() !== '' && form.username.trim() !== '' && form.password !== '' && database.trim() !== '';
  const set = (change: Partial<SyncConfig>) => setForm({ ...form, ...change });

  const save = async (enabled: boolean) => {
    const next = { ...form, serverUrl: form.serverUrl.trim(), username: form.username.trim(), database: database.trim(), enabled };
    setForm(next);
    await controller.configure(next);
    if (!enabled) return setMessage('Sync is off. Your data stays on this device.');
    setMessage(undefined);
    const outcome = await controller.syncNow();
    setMessage(outcome.type === 'synced' ? 'Synced.' : undefined);
  };
  const syncNow = async () => {
    setMessage(undefined);
    const outcome = await controller.syncNow();
    setMessage(outcome.type === 'synced' ? 'Synced.' : undefined);
  };

  return (
    <main class="screen sync">
      <header class="bar">
        <a class="back" href="#/settings" aria-label="Back to settings">
          ‹
        </a>
        <h1>Sync</h1>
      </header>
      <section aria-labelledby="sync-status-title">
        <h2 id="sync-status-title">Status</h2>
        <dl class="facts" data-testid="sync-status">
          <dt>Sync</dt>
          <dd data-testid="sync-state">{config?.enabled ? `On, with ${config.username} at ${config.serverUrl}` : 'Off'}</dd>
          <dt>Last sync</dt>
          <dd data-testid="last-sync">
            {status.lastSyncAt ? `${ago(status.lastSyncAt)}: sent ${status.sent ?? 0}, received ${status.received ?? 0}` : 'Never'}
          </dd>
          <dt>Waiting to be sent</dt>
          <dd data-testid="sync-waiting">{waiting === 1 ? '1 change' : `${waiting} changes`}</dd>
        </dl>
        {status.lastError && (!status.lastSyncAt || status.lastError.at > status.lastSyncAt) && (
          <p class="warning" role="alert" data-testid="sync-error">
            {status.lastError.message} ({ago(status.lastError.at)})
          </p>
        )}
        {running && (
          <div class="sync-progress" aria-live="polite">
            <span>{phaseLabels[running.phase]}…</span>
            <progress max={Math.max(1, running.total)} value={running.done} aria-label={phaseLabels[running.phase]} />
          </div>
        )}
        {message && (
          <p class="notice" role="status">
            {message}
          </p>
        )}
        {config?.enabled && (
          <button type="button" class="primary" onClick={syncNow} disabled={!!running}>
            Sync now
          </button>
        )}
      </section>
      <section aria-labelledby="sync-server-title">
        <h2 id="sync-server-title">Server</h2>
        <p class="muted">
          Your own CouchDB server, or one you already use for other apps (see README, Sync server). Everything works offline as
          before; changes wait here and go with the next sync. Built-in decks are not sent, only your progress and your own cards.
        </p>
        <form
          class="settings-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (complete) void save(true);
          }}
        >
          <label>
            Server address
            <input type="url" name="serverUrl" autoComplete="url" value={form.serverUrl} onInput={(event) => set({ serverUrl: (event.target as HTMLInputElement).value })} />
          </label>
          <label>
            User name
            <input type="text" name="username" autoComplete="username" autoCapitalize="none" spellcheck={false} value={form.username} onInput={(event) => set({ username: (event.target as HTMLInputElement).value })} />
          </label>
          <label>
            Password
            <input type="password" name="password" autoComplete="current-password" value={form.password} onInput={(event) => set({ password: (event.target as HTMLInputElement).value })} />
          </label>
          <label>
            Database
            <input
              type="text"
              name="database"
              autoCapitalize="none"
              spellcheck={false}
              value={database}
              aria-describedby="database-hint"
              onInput={(event) => {
                setDatabaseEdited(true);
                set({ database: (event.target as HTMLInputElement).value });
              }}
            />
            <span class="hint" id="database-hint">
              With CouchDB's per-user databases, userdb- and the user name in hex (filled in for you).
            </span>
          </label>
          <button type="submit" class="primary" disabled={!complete || !!running}>
            {config?.enabled ? 'Save and sync' : 'Turn on sync'}
          </button>
          {config?.enabled && (
            <button type="button" onClick={() => void save(false)}>
              Turn off sync
            </button>
          )}
        </form>
      </section>
    </main>
  );
}
