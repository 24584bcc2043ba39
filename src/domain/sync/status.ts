// What the user set up for sync, what the last sync did, and its errors in plain words.

export interface SyncConfig {
  /** The CouchDB server, such as https://example.com/db (no database name). */
  serverUrl: string;
  username: string;
  password: string;
  /** The user's database on the server, such as CouchDB's per-user userdb-<hex of the name>. */
  database: string;
  /** Off: nothing syncs, automatically or not; the settings stay for when it is on again. */
  enabled: boolean;
}

export type SyncErrorKind = 'unauthorized' | 'forbidden' | 'unreachable' | 'missing' | 'server-full' | 'device-full' | 'server' | 'failed';

export interface SyncStatus {
  lastSyncAt?: Date;
  /** Documents sent and received by the last sync that completed. */
  sent?: number;
  received?: number;
  lastError?: { kind: SyncErrorKind; message: string; at: Date };
}

/** CouchDB's per-user database for a user name (couch_peruser): "userdb-" and the name's UTF-8 bytes in hex. */
export function perUserDatabase(username: string): string {
  return `userdb-${[...new TextEncoder().encode(username)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** The database's URL: the server address with the database name, and no credentials in it. */
export function databaseUrl(config: Pick<SyncConfig, 'serverUrl' | 'database'>, base: string): string {
  const server = new URL(config.serverUrl, base);
  // fetch refuses URLs with credentials in them; the user name and password go separately.
  server.username = '';
  server.password = '';
  if (!server.pathname.endsWith('/')) server.pathname += '/';
  return new URL(encodeURIComponent(config.database), server).href;
}

/** What went wrong, from an error PouchDB or fetch gave (an HTTP status, a name) or a local one. */
export function describeSyncError(error: unknown): { kind: SyncErrorKind; message: string } {
  const { status, name, reason, message } = (error ?? {}) as { status?: number; name?: string; reason?: string; message?: string };
  const text = `${name ?? ''} ${reason ?? ''} ${message ?? ''}`;
  if (name === 'QuotaExceededError') return { kind: 'device-full', message: "This device's storage is full, so sync could not save what it received. Free some space and sync again." };
  if (status === 401 || name === 'unauthorized') return { kind: 'unauthorized', message: 'Wrong user name or password: the server refused them.' };
  if (status === 403 || name === 'forbidden') return { kind: 'forbidden', message: 'The server knows this user, but it may not use this database.' };
  if (status === 404 || name === 'not_found') return { kind: 'missing', message: 'The server has no database of that name. Check the database name (with CouchDB per-user databases it is userdb-… of the user name).' };
  if (status === 413 || status === 507 || /insufficient_storage|no space|disk|too large|exceeds/i.test(text)) {
    return { kind: 'server-full', message: 'The server is full or refused the size of the data: ask whoever runs it for more space.' };
  }
  // PouchDB reports a connection that failed or broke off without a status, fetch as a TypeError.
  if (/failed to fetch|fetch failed|networkerror|network error|load failed|ECONNREFUSED|ECONNRESET|socket|terminated|unreachable/i.test(text)) {
    return { kind: 'unreachable', message: 'The server could not be reached: no connection, or the address is wrong. Everything is kept here and syncs later.' };
  }
  // A proxy in front of a server that is down answers with a page of its own, not CouchDB's JSON.
  if (name === 'SyntaxError' || /not valid JSON|Unexpected token/i.test(text)) {
    return {
      kind: 'unreachable',
      message: 'The server could not be reached: what answered at that address is not CouchDB (a proxy whose server is down, or a wrong address). Everything is kept here and syncs later.',
    };
  }
  if (!status) return { kind: 'failed', message: `Sync stopped on this device: ${message || name || 'an unknown error'}. Nothing was lost; the next sync tries again.` };
  return { kind: 'server', message: `The server answered with an error (${status}${reason ? `: ${reason}` : ''}). Sync will try again.` };
}
