// The sync worker: PouchDB (loaded only once sync is on) keeps a local replica of the user's
// CouchDB database, and the sync job moves changes between it and the app's own database.
// One sync at a time; the page asks again when it wants another.
import PouchDB from 'pouchdb-browser';
import { SyncStorage } from '../storage/sync.ts';
import { runSync, SyncFailure } from './syncJob.ts';
import type { SyncCommand, SyncMessage } from './syncProtocol.ts';

const storage = new SyncStorage();
const post = (message: SyncMessage) => postMessage(message);

async function handle(command: SyncCommand): Promise<void> {
  if (command.type === 'forget') {
    await new PouchDB(command.replica).destroy();
    await storage.forgetProgress();
    post({ type: 'forgotten' });
    return;
  }
  const local = new PouchDB(command.replica, { auto_compaction: true });
  // skip_setup: a missing database is reported, never created (CouchDB lets only admins).
  const remote = new PouchDB(command.url, { auth: { username: command.username, password: command.password }, skip_setup: true });
  try {
    const { status, applied } = await runSync({
      storage,
      local,
      remote,
      now: () => new Date(),
      progress: (phase, done, total) => post({ type: 'progress', phase, done, total }),
    });
    post({ type: 'synced', status, applied });
  } finally {
    await Promise.allSettled([local.close(), remote.close()]);
  }
}

let queue = Promise.resolve();
addEventListener('message', (event: MessageEvent<SyncCommand>) => {
  queue = queue.then(() =>
    handle(event.data).catch((error: unknown) => {
      const failure = error instanceof SyncFailure ? error : new SyncFailure('server', error instanceof Error ? error.message : String(error));
      post({ type: 'failed', kind: failure.kind, message: failure.message });
    }),
  );
});
