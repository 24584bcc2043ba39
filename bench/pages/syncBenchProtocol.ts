// Messages between the sync benchmark's page and its worker, apart from the worker's code
// so that the page does not load PouchDB.
import type { SyncResult } from '../../src/worker/syncJob.ts';

interface ServerAccess {
  /** The server database's URL. */
  remote: string;
  username: string;
  password: string;
}

export type SyncBenchCommand =
  | ({ type: 'sync'; device: string } & ServerAccess)
  /** Copies `device`'s replica into a plain local database, for the floor. */
  | { type: 'floorCopy'; device: string }
  /** Times PouchDB pushing that copy to `remote`. */
  | ({ type: 'floorPush' } & ServerAccess)
  /** Times PouchDB pulling `remote` into a fresh plain local database. */
  | ({ type: 'floorPull' } & ServerAccess);

/**
 * The sync job's phases, two of them split: preparing where the job has read this device's
 * changes from the app's database and starts writing them into the replica, applying where it
 * goes from record documents (cards, decks) to log batches (rows added, and every card with
 * new rows replayed from its log).
 */
export type BenchPhase = 'preparingRead' | 'preparingReplica' | 'sending' | 'receiving' | 'applyingRecords' | 'applyingLog';

export interface SyncTiming {
  /** Documents in the outbox before the sync: what this device's changes since the last one touched. */
  waitingBefore: number;
  totalMs: number;
  /** Milliseconds in each phase; sending includes clearing the outbox, which comes right after. */
  phases: Record<BenchPhase, number>;
  result: SyncResult;
}

export interface FloorTiming {
  totalMs: number;
  /** Documents in the local database afterwards. */
  docs: number;
}

export type SyncBenchReply = { type: 'synced'; timing: SyncTiming } | { type: 'floor'; timing: FloorTiming } | { type: 'copied' } | { type: 'failed'; message: string };

/** One device's app database, named apart from the app's own. */
export const deviceDatabase = (device: string) => `bench-sync-${device}`;
