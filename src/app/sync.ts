// The page's side of sync: one sync worker once sync is on, and when to sync: at start,
// a little after each change, when the connection comes back, and every few minutes while
// the app is open and visible. One sync at a time; a reason to sync during one runs another
// right after. Offline nothing changes for the user: changes wait in the outbox.
import { databaseUrl, type SyncConfig, type SyncStatus } from '../domain/sync/status.ts';
import { SyncStateStorage } from '../storage/syncState.ts';
import type { AppliedCounts } from '../storage/sync.ts';
import type { SyncPhase } from '../worker/syncJob.ts';
import type { SyncCommand, SyncMessage } from '../worker/syncProtocol.ts';
import type { Session } from './session.ts';

const afterChangeMs = 5_000;
const whileOpenMs = 5 * 60_000;

export interface SyncView {
  config?: SyncConfig;
  status: SyncStatus;
  /** Changes made here that have not reached the server. */
  waiting: number;
  running?: { phase: SyncPhase; done: number; total: number };
}

type Outcome = { type: 'synced'; status: SyncStatus; applied: AppliedCounts } | { type: 'failed'; message: string } | { type: 'off' };

/** The local replica belongs to one database on one server: another one gets a replica of its own. */
function replicaName(config: SyncConfig): string {
  let hash = 0;
  for (const char of `${config.serverUrl}\n${config.database}`) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return `kubecards-sync-${(hash >>> 0).toString(36)}`;
}

export class SyncController {
  private readonly state = new SyncStateStorage();
  private readonly listeners = new Set<(view: SyncView) => void>();
  private worker?: Worker;
  private view: SyncView = { status: {}, waiting: 0 };
  private current?: Promise<Outcome>;
  private again = false;
  private changeTimer?: ReturnType<typeof setTimeout>;
  private started?: Promise<void>;

  constructor(private readonly session: Session) {}

  /** Reads the settings and, if sync is on, syncs and keeps syncing; resolves once the settings are read. */
  start(): Promise<void> {
    this.started ??= this.begin();
    return this.started;
  }

  private async begin(): Promise<void> {
    await this.refresh();
    this.session.storage.afterWrite = () => this.changed();
    addEventListener('online', () => this.whenOn());
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && this.whenOn());
    setInterval(() => document.visibilityState === 'visible' && this.whenOn(), whileOpenMs);
    this.whenOn();
  }

  subscribe(listener: (view: SyncView) => void): () => void {
    this.listeners.add(listener);
    listener(this.view);
    return () => this.listeners.delete(listener);
  }

  /** Saves the settings; another server or database starts from a fresh replica (merging, never overwriting). */
  async configure(config: SyncConfig): Promise<void> {
    const before = this.view.config;
    if (before && replicaName(before) !== replicaName(config)) {
      await this.current;
      await this.send({ type: 'forget', replica: replicaName(before) });
    }
    await this.state.saveConfig(config);
    await this.refresh();
  }

  /** Syncs now (or right after the sync that runs); settles with what happened. */
  syncNow(): Promise<Outcome> {
    if (this.current) {
      this.again = true;
      return this.current;
    }
    this.current = this.run().finally(() => {
      this.current = undefined;
      if (this.again) {
        this.again = false;
        void this.syncNow();
      }
    });
    return this.current;
  }

  private whenOn(): void {
    if (this.view.config?.enabled && navigator.onLine !== false) void this.syncNow();
  }

  private changed(): void {
    // With sync off an answer costs nothing more: no timer, no count of the outbox.
    if (!this.view.config?.enabled) return;
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => this.whenOn(), afterChangeMs);
    void this.state.waiting().then((waiting) => this.publish({ waiting }));
  }

  private async run(): Promise<Outcome> {
    const config = await this.state.config();
    if (!config?.enabled) return { type: 'off' };
    this.publish({ running: { phase: 'preparing', done: 0, total: 1 } });
    const url = databaseUrl(config, location.href);
    const outcome = await this.send({ type: 'sync', url, username: config.username, password: config.password, replica: replicaName(config) });
    this.publish({ running: undefined });
    if (outcome.type === 'synced' && outcome.applied.settingsChanged) {
      const { storage } = this.session;
      [this.session.settings, this.session.deckSettings] = await Promise.all([storage.settings(), storage.deckSettings()]);
    }
    await this.refresh();
    return outcome.type === 'synced' ? outcome : { type: 'failed', message: outcome.type === 'failed' ? outcome.message : 'sync stopped' };
  }

  /** Sends a command to the worker (started on first use) and waits for its answer. */
  private send(command: SyncCommand): Promise<SyncMessage> {
    this.worker ??= new Worker(new URL('../worker/sync.ts', import.meta.url), { type: 'module', name: 'sync' });
    const worker = this.worker;
    return new Promise((resolve) => {
      const onMessage = (event: MessageEvent<SyncMessage>) => {
        const message = event.data;
        if (message.type === 'progress') {
          this.publish({ running: { phase: message.phase, done: message.done, total: message.total } });
          return;
        }
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        resolve(message);
      };
      const onError = (event: ErrorEvent) => {
        worker.removeEventListener('message', onMessage);
        this.worker = undefined;
        worker.terminate();
        resolve({ type: 'failed', kind: 'server', message: event.message || 'the sync worker could not start' });
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      worker.postMessage(command);
    });
  }

  private async refresh(): Promise<void> {
    const [config, status, waiting] = await Promise.all([this.state.config(), this.state.status(), this.state.waiting()]);
    this.publish({ config, status, waiting });
    if (!config?.enabled) clearTimeout(this.changeTimer);
  }

  private publish(change: Partial<SyncView>): void {
    this.view = { ...this.view, ...change };
    for (const listener of this.listeners) listener(this.view);
  }
}

let controller: SyncController | undefined;

/** The page's one controller. */
export function syncController(session: Session): SyncController {
  return (controller ??= new SyncController(session));
}
