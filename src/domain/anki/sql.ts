// The part of sql.js's Database that reading and writing Anki collections use, so that domain
// code takes any SQLite with this shape (sql.js in a worker, sql.js in Node tests).

export type SqlValue = number | string | Uint8Array | null;

export interface SqlResult {
  columns: string[];
  values: SqlValue[][];
}

export interface SqlDatabase {
  exec(sql: string, params?: SqlValue[]): SqlResult[];
  run(sql: string, params?: SqlValue[]): unknown;
  export(): Uint8Array;
  close(): void;
}
