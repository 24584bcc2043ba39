// The transfer worker: reads and writes packages, text files and backups off the main thread,
// so that a 100,000-row import never freezes the screen (the jobs are in jobs.ts). One job per
// worker; the page ends the worker to cancel, except while an import is being written, when it
// asks, and the write is aborted (nothing of it stays).
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import sqlWasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { TransferStorage } from '../storage/transfer.ts';
import { CancelledError, runJob } from './jobs.ts';
import type { TransferCommand, TransferMessage } from './protocol.ts';

const storage = new TransferStorage();
let cancelled = false;
let sqlJs: Promise<SqlJsStatic> | undefined;

/** sql.js with its WASM from this origin; a load the browser blocks fails in 30 s instead of hanging. */
function sqlite(): Promise<SqlJsStatic> {
  sqlJs ??= Promise.race([
    initSqlJs({ locateFile: () => sqlWasmUrl }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('SQLite could not be loaded')), 30_000)),
  ]);
  return sqlJs;
}

const post = (message: TransferMessage) => postMessage(message);

addEventListener('message', (event: MessageEvent<TransferCommand>) => {
  const command = event.data;
  if (command.type === 'cancel') {
    cancelled = true;
    storage.abort();
    return;
  }
  runJob(command.job, { storage, sqlite, post, cancelled: () => cancelled, appBuild: __APP_BUILD__, now: () => new Date() }).catch((error: unknown) => {
    if (cancelled || error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError')) post({ type: 'cancelled' });
    else post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  });
});
