// What the page knows about sync: where to and whether it is on, the last result, and how
// many changes wait. A connection of its own, opened by the sync code, which loads only
// once the first screen is up.
import type { SyncConfig, SyncStatus } from '../domain/sync/status.ts';
import { openSideConnection, type KubecardsDatabase } from './database.ts';

export class SyncStateStorage {
  private readonly db: KubecardsDatabase;

  constructor(name = 'kubecards') {
    this.db = openSideConnection(name);
  }

  async config(): Promise<SyncConfig | undefined> {
    return (await this.db.meta.get('syncConfig'))?.value as SyncConfig | undefined;
  }

  async saveConfig(config: SyncConfig): Promise<void> {
    await this.db.meta.put({ key: 'syncConfig', value: config });
  }

  async status(): Promise<SyncStatus> {
    return ((await this.db.meta.get('syncStatus'))?.value as SyncStatus | undefined) ?? {};
  }

  /** Changes made here that no sync has taken yet. */
  async waiting(): Promise<number> {
    return this.db.syncOutbox.count();
  }
}
