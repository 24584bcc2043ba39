// The least an importer of an anki21b package can do, with the libraries the app uses: read
// the file, unzip it, decompress the collection, open it in SQLite, read every row of notes,
// cards and revlog as objects, and store them unchanged in IndexedDB in one transaction. No
// checks, no conversion, no templates, no FSRS: what is left of the app's time is its own.
import { unzipSync } from 'fflate';
import { decompress } from 'fzstd';
import initSqlJs from 'sql.js';
import sqlWasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';

export interface FloorResult {
  rows: number;
  /** Milliseconds each step took, in order. */
  steps: { read: number; unzip: number; zstd: number; sqlite: number; write: number };
}

const tables = ['notes', 'cards', 'revlog'] as const;

function openStore(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('import-floor', 1);
    request.onupgradeneeded = () => tables.forEach((table) => request.result.createObjectStore(table, { keyPath: 'id' }));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function floorImport(file: File): Promise<FloorResult> {
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return elapsed;
  };
  const bytes = new Uint8Array(await file.arrayBuffer());
  const read = lap();
  const packed = unzipSync(bytes, { filter: (entry) => entry.name === 'collection.anki21b' })['collection.anki21b'];
  if (!packed) throw new Error('no collection.anki21b in the package');
  const unzip = lap();
  const collection = decompress(packed);
  const zstd = lap();
  const SQL = await initSqlJs({ locateFile: () => sqlWasmUrl });
  const db = new SQL.Database(collection);
  const rows = tables.map((table) => {
    const statement = db.prepare(`SELECT * FROM ${table}`);
    const objects: Record<string, unknown>[] = [];
    while (statement.step()) objects.push(statement.getAsObject());
    statement.free();
    return objects;
  });
  db.close();
  const sqlite = lap();
  const store = await openStore();
  await new Promise<void>((resolve, reject) => {
    const transaction = store.transaction(tables, 'readwrite', { durability: 'strict' });
    tables.forEach((table, index) => {
      const objects = transaction.objectStore(table);
      for (const row of rows[index]) objects.put(row);
    });
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
  });
  store.close();
  const write = lap();
  return { rows: rows.reduce((sum, table) => sum + table.length, 0), steps: { read, unzip, zstd, sqlite, write } };
}

addEventListener('message', (event: MessageEvent<File>) => {
  floorImport(event.data).then(
    (result) => postMessage(result),
    (error: unknown) => postMessage({ failed: String(error) }),
  );
});
