// The part of PouchDB's API the sync job uses, for the local replica and the server alike
// (pouchdb-browser ships no types). Tests pass real PouchDB databases.

export interface ReplicaRow {
  id: string;
  key: string;
  value?: { rev: string; deleted?: boolean };
  doc?: { _id: string; _rev: string; _conflicts?: string[] } & Record<string, unknown>;
  error?: string;
}

export type BulkResult = { ok?: boolean; id: string; rev: string; error?: undefined } | { error: string; id: string; status?: number; reason?: string; rev?: undefined };

export interface ReplicationResult {
  ok: boolean;
  docs_read: number;
  docs_written: number;
  doc_write_failures: number;
  errors: unknown[];
}

export interface Replication extends Promise<ReplicationResult> {
  on(event: 'change', listener: (info: { docs_written: number; docs_read: number; pending?: number }) => void): Replication;
  cancel(): void;
}

export interface ReplicaDatabase {
  /** With `attachments`, attachments come inline, base64 in `data`. */
  allDocs(options: { keys: string[]; include_docs: true; conflicts?: boolean; attachments?: boolean }): Promise<{ rows: ReplicaRow[] }>;
  bulkDocs(docs: object[]): Promise<BulkResult[]>;
  get(id: string, options?: { rev?: string; attachments?: boolean }): Promise<Record<string, unknown>>;
  changes(options: { since: string | number; limit?: number; return_docs?: boolean; style?: 'all_docs' }): Promise<{
    results: { id: string; seq: string | number; deleted?: boolean; changes: { rev: string }[] }[];
    last_seq: string | number;
  }>;
  replicate: {
    to(target: ReplicaDatabase, options?: { batch_size?: number; batches_limit?: number }): Replication;
    from(source: ReplicaDatabase, options?: { batch_size?: number; batches_limit?: number }): Replication;
  };
  info(): Promise<{ doc_count: number; update_seq: string | number }>;
  destroy(): Promise<unknown>;
  close(): Promise<unknown>;
}

export interface ReplicaOptions {
  auth?: { username: string; password: string };
  /** Don't create the database on the server: a missing one is the user's mistake to report. */
  skip_setup?: boolean;
  /** Keep only the newest revision of each document: a day's log batch is rewritten at every sync. */
  auto_compaction?: boolean;
  fetch?: (url: string | URL | Request, init?: RequestInit) => Promise<Response>;
}
