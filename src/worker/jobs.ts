// The transfer jobs (imports, exports, backups), apart from the worker's message wiring so
// that tests can run them on Node with fake-indexeddb and sql.js. Everything read is untrusted.
import type { SqlJsStatic } from 'sql.js';
import { readAnkiCollection } from '../domain/anki/collection.ts';
import { ankiCollectionFromRecords } from '../domain/anki/exportRecords.ts';
import { recordsFromAnki } from '../domain/anki/importRecords.ts';
import { readAnkiPackage, readZipEntries } from '../domain/anki/package.ts';
import { writeSchema11Collection } from '../domain/anki/schema11.ts';
import type { SqlDatabase } from '../domain/anki/sql.ts';
import { defaultMapping, parseTextFile, textFileFromNotes } from '../domain/anki/textFile.ts';
import { basicNoteType, recordsFromTextFile } from '../domain/anki/textRecords.ts';
import { writeLegacyPackage } from '../domain/anki/writePackage.ts';
import { backupDocument, readBackup, readRecordsDocument, recordsDocument, writeBackup } from '../domain/transfer/backup.ts';
import { backupFileName } from '../domain/transfer/backupName.ts';
import type { MergeMode, TransferRecords } from '../domain/transfer/merge.ts';
import type { TransferStorage } from '../storage/transfer.ts';
import type { ImportSummary, TextImportMapping, TransferJob, TransferMessage } from './protocol.ts';

/**
 * The table a Kubecards export adds to the Anki collection it writes: the exact records
 * (stability, manual log rows, Markdown…), which Anki's columns cannot all hold. Anki ignores
 * it; importing the package back into Kubecards takes the records from it.
 */
export const recordsTable = 'kubecards_records';

export class CancelledError extends Error {}

export interface JobEnvironment {
  storage: TransferStorage;
  sqlite(): Promise<SqlJsStatic>;
  post(message: TransferMessage): void;
  cancelled(): boolean;
  appBuild: string;
  now(): Date;
}

async function* chunksOf(file: Blob): AsyncIterable<Uint8Array> {
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/** The records a Kubecards export left in the collection, if it is one. */
function kubecardsRecords(db: SqlDatabase): string | undefined {
  const table = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [recordsTable]);
  if (table.length === 0) return undefined;
  const value = db.exec(`SELECT document FROM ${recordsTable}`)[0]?.values[0]?.[0];
  return typeof value === 'string' ? value : undefined;
}

function fileStem(deckIds: string[] | undefined, records: TransferRecords): string {
  const title = deckIds?.length === 1 ? records.decks[0]?.title : undefined;
  return (title ?? 'Kubecards').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim().slice(0, 80) || 'Kubecards';
}

/** Runs one job, telling its progress and outcome through `env.post`; throws on failure. */
export async function runJob(job: TransferJob, env: JobEnvironment): Promise<void> {
  const { storage, post } = env;
  const progress = (phase: string, done: number, total: number) => post({ type: 'progress', phase, done, total });
  /** Lets a waiting "cancel" message in between two steps of work. */
  const checkpoint = () => new Promise<void>((resolve, reject) => setTimeout(() => (env.cancelled() ? reject(new CancelledError()) : resolve())));

  /** Writes the records in one transaction; the summary says what came in and what did not. */
  const merge = async (records: TransferRecords, mode: MergeMode, skipped: ImportSummary['skipped']) => {
    await checkpoint();
    post({ type: 'saving' });
    progress('Saving', 0, 1);
    const plan = await storage.merge(records, mode, () => {
      if (env.cancelled()) throw new CancelledError();
    });
    post({ type: 'imported', summary: { counts: plan.counts, skipped: [...skipped, ...plan.skipped] } });
  };

  const importPackage = async (file: File) => {
    const contents = await readAnkiPackage({ size: file.size, chunks: chunksOf(file) }, { onProgress: (done, total) => progress('Reading the package', done, total) });
    await checkpoint();
    progress('Reading the collection', 0, 1);
    const SQL = await env.sqlite();
    const db = new SQL.Database(contents.collection) as unknown as SqlDatabase;
    try {
      const collection = readAnkiCollection(db);
      await checkpoint();
      const exported = kubecardsRecords(db);
      if (exported) {
        // A package Kubecards wrote: its exact records, with the package's media.
        const media = new Map(contents.media.map((entry) => [entry.name, entry.bytes]));
        const { settings: _settings, ...records } = readRecordsDocument(exported, (name) => media.get(name));
        await merge(records, 'restore', contents.skipped);
        return;
      }
      const settings = await storage.studySettings();
      const { records, skipped } = recordsFromAnki(collection, contents.media, env.now(), settings, (done, total) => progress('Converting cards', done, total));
      await merge(records, 'import', [...contents.skipped, ...skipped]);
    } finally {
      db.close();
    }
  };

  const readTextFile = async (file: File) => {
    progress('Reading the file', 0, file.size);
    const parsed = parseTextFile(new Uint8Array(await file.arrayBuffer()));
    progress('Reading the file', file.size, file.size);
    return parsed;
  };

  const inspectText = async (file: File) => {
    const parsed = await readTextFile(file);
    const mapping = defaultMapping(parsed, basicNoteType.fields);
    post({
      type: 'text-preview',
      preview: {
        columnNames: parsed.columnNames,
        rows: parsed.rows.slice(0, 5).map((row) => row.cells.map((cell) => cell.slice(0, 200))),
        rowCount: parsed.rows.length,
        separator: parsed.separator,
        html: parsed.html,
        mapping: { fields: mapping.fields, tags: mapping.tags },
        deckTitle: parsed.headers.deck,
      },
    });
  };

  const importText = async (file: File, mapping: TextImportMapping) => {
    const parsed = await readTextFile(file);
    await checkpoint();
    const { records, skipped } = recordsFromTextFile(parsed, { fields: mapping.fields, tags: mapping.tags }, mapping.deckTitle, env.now());
    await merge(records, 'import', skipped);
  };

  const exportPackage = async (deckIds: string[] | undefined, withScheduling: boolean) => {
    progress('Reading your cards', 0, 1);
    const [records, settings] = await Promise.all([storage.records(deckIds), storage.studySettings()]);
    const now = env.now();
    const { collection, media } = ankiCollectionFromRecords(records, settings, withScheduling, now);
    await checkpoint();
    progress('Writing the package', 0, 1);
    const SQL = await env.sqlite();
    const db = new SQL.Database() as unknown as SqlDatabase;
    try {
      writeSchema11Collection(db, collection);
      if (withScheduling) {
        db.run(`CREATE TABLE ${recordsTable} (document TEXT NOT NULL)`);
        const { settings: _settings, ...exact } = records;
        db.run(`INSERT INTO ${recordsTable} VALUES (?)`, [recordsDocument(exact, now, env.appBuild, (index) => records.media[index].name)]);
      }
      const bytes = writeLegacyPackage(db.export(), media);
      const cards = collection.cards.length.toLocaleString('en');
      const summary = `Exported ${cards} cards and ${collection.revlog.length.toLocaleString('en')} review rows.`;
      post({ type: 'file', blob: new Blob([bytes as BlobPart]), name: `${fileStem(deckIds, records)}.apkg`, summary });
    } finally {
      db.close();
    }
  };

  const exportText = async (deckIds: string[] | undefined) => {
    progress('Reading your cards', 0, 1);
    const records = await storage.records(deckIds);
    const { collection } = ankiCollectionFromRecords(records, await storage.studySettings(), false, env.now());
    const fieldCount = Math.max(2, ...collection.notes.map((note) => note.fields.length));
    const fieldNames = Array.from({ length: fieldCount }, (_, index) => basicNoteType.fields[index] ?? `Field ${index + 1}`);
    const text = textFileFromNotes(collection.notes, fieldNames, ',');
    post({ type: 'file', blob: new Blob([text], { type: 'text/csv' }), name: `${fileStem(deckIds, records)}.csv`, summary: `Exported ${collection.notes.length.toLocaleString('en')} notes.` });
  };

  const backup = async () => {
    progress('Reading everything', 0, 1);
    const records = await storage.records(undefined, true);
    progress('Writing the backup', 0, 1);
    const now = env.now();
    const bytes = writeBackup(records, now, env.appBuild);
    const summary = `Backed up ${records.cards.length.toLocaleString('en')} cards, ${records.log.length.toLocaleString('en')} review rows and ${records.media.length.toLocaleString('en')} media files.`;
    post({ type: 'file', blob: new Blob([bytes as BlobPart], { type: 'application/zip' }), name: backupFileName(now), summary });
  };

  const restore = async (file: File) => {
    const entries = await readZipEntries({ size: file.size, chunks: chunksOf(file) }, (name) => name === backupDocument || name.startsWith('media/'), {
      onProgress: (done, total) => progress('Reading the backup', done, total),
    });
    await checkpoint();
    await merge(readBackup(entries), 'restore', []);
  };

  switch (job.type) {
    case 'import':
      return importPackage(job.file);
    case 'inspect-text':
      return inspectText(job.file);
    case 'import-text':
      return importText(job.file, job.mapping);
    case 'export-apkg':
      return exportPackage(job.deckIds, job.withScheduling);
    case 'export-csv':
      return exportText(job.deckIds);
    case 'backup':
      return backup();
    case 'restore':
      return restore(job.file);
  }
}
