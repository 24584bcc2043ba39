// Messages between the page and the sync worker.
import type { SyncErrorKind, SyncStatus } from '../domain/sync/status.ts';
import type { AppliedCounts } from '../storage/sync.ts';
import type { SyncPhase } from './syncJob.ts';

export type SyncCommand =
  /** Syncs with the database at `url`; `replica` names the local replica of that database. */
  | { type: 'sync'; url: string; username: string; password: string; replica: string }
  /** Deletes the local replica, when the user turns sync off or points it at another database. */
  | { type: 'forget'; replica: string };

export type SyncMessage =
  | { type: 'progress'; phase: SyncPhase; done: number; total: number }
  | { type: 'synced'; status: SyncStatus; applied: AppliedCounts }
  | { type: 'forgotten' }
  | { type: 'failed'; kind: SyncErrorKind; message: string };
