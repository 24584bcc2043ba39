// Messages between the page and the transfer worker (imports, exports, backups). Files go to
// the worker as File objects (no copy) and come back as Blobs.
import type { MergeCounts } from '../domain/transfer/merge.ts';

export type TransferJob =
  | { type: 'import'; file: File }
  | { type: 'inspect-text'; file: File }
  | { type: 'import-text'; file: File; mapping: TextImportMapping }
  | { type: 'export-apkg'; deckIds?: string[]; withScheduling: boolean }
  | { type: 'export-csv'; deckIds?: string[] }
  | { type: 'backup' }
  | { type: 'restore'; file: File };

/** How a text file's columns become notes, chosen on the mapping screen. */
export interface TextImportMapping {
  /** For Front and Back, the 0-based column, or undefined for none. */
  fields: (number | undefined)[];
  tags?: number;
  deckTitle: string;
}

/** A text file's columns and first rows, for the mapping screen. */
export interface TextFilePreview {
  columnNames: string[];
  rows: string[][];
  rowCount: number;
  separator: string;
  html: boolean;
  mapping: { fields: (number | undefined)[]; tags?: number };
  deckTitle?: string;
}

export interface ImportSummary {
  counts: MergeCounts;
  skipped: { item: string; reason: string }[];
}

export type TransferMessage =
  | { type: 'progress'; phase: string; done: number; total: number }
  /** From here on the import is being written: Cancel now aborts the write. */
  | { type: 'saving' }
  | { type: 'imported'; summary: ImportSummary }
  | { type: 'text-preview'; preview: TextFilePreview }
  | { type: 'file'; blob: Blob; name: string; summary?: string }
  | { type: 'cancelled' }
  | { type: 'failed'; message: string };

export type TransferCommand = { type: 'start'; job: TransferJob } | { type: 'cancel' };
