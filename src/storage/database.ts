import Dexie, { type EntityTable } from 'dexie';
import { withClozeSidesExpanded } from '../domain/cloze.ts';
import { logRowUid, newDeviceId } from '../domain/sync/ids.ts';
import type { ExamGoal } from '../domain/exams.ts';
import type { SyncConfig, SyncStatus } from '../domain/sync/status.ts';
import type { CardRecord, Deck, DeckSettings, MediaRecord, NoteRecord, NoteTypeRecord, ReviewLogRow, StudySettings } from '../domain/types.ts';

/** The global settings ('study'), each deck's own ('deck:<id>'), what Custom study added to a deck's limits for one study day ('today:<id>') and the exam studied for ('examGoal'). */
export type SettingRow =
  | { key: 'study'; value: StudySettings }
  | { key: `deck:${string}`; value: DeckSettings }
  | { key: `today:${string}`; value: { day: number; newCards: number; reviews: number } }
  | { key: 'examGoal'; value: ExamGoal };

export type MetaRow =
  | { key: 'builtInVersion' | 'databaseId'; value: string }
  /** When the last backup file was made. */
  | { key: 'lastBackupAt'; value: Date }
  /** The folder daily backups go to (File System Access API), and how many of them to keep. */
  | { key: 'backupFolder'; value: FileSystemDirectoryHandle }
  | { key: 'backupsKept'; value: number }
  /** This device's id in sync (log-row ids, clocks) and the latest hybrid clock it issued or saw. */
  | { key: 'deviceId' | 'clock'; value: string }
  /** Sync: where to, the last result, and how far the local replica's changes were applied. */
  | { key: 'syncConfig'; value: SyncConfig }
  | { key: 'syncStatus'; value: SyncStatus }
  | { key: 'syncAppliedSeq'; value: string | number };

/**
 * A record changed here and not yet handed to sync: its document id and, per field, the
 * hybrid clock of its last change (none for a log batch, whose rows carry their own ids).
 */
export interface OutboxRow {
  docId: string;
  clocks: Record<string, string>;
  /** The clock of the entry's last write: sync clears an entry only if no write came since it read it. */
  mark: string;
}

/** A log row an undo took back: sync tells the other devices, which may have it already. */
export interface LogTombstone {
  uid: string;
  docId: string;
}

export type KubecardsDatabase = Dexie & {
  decks: EntityTable<Deck, 'id'>;
  cards: EntityTable<CardRecord, 'id'>;
  reviewLog: EntityTable<ReviewLogRow, 'id'>;
  settings: EntityTable<SettingRow, 'key'>;
  meta: EntityTable<MetaRow, 'key'>;
  noteTypes: EntityTable<NoteTypeRecord, 'id'>;
  notes: EntityTable<NoteRecord, 'id'>;
  media: EntityTable<MediaRecord, 'name'>;
  syncOutbox: EntityTable<OutboxRow, 'docId'>;
  logTombstones: EntityTable<LogTombstone, 'uid'>;
};

export function openDatabase(name: string): KubecardsDatabase {
  // 'strict' durability: an answer counts as saved only once it is on disk, so a crash
  // right after the next card appears cannot lose it.
  const db = new Dexie(name, { chromeTransactionDurability: 'strict' }) as KubecardsDatabase;
  db.version(1).stores({
    decks: 'id, position',
    // The queue reads cards of one deck and queue in due order (learning, review) or in
    // introduction order (new), always through these two indexes.
    cards: 'id, deckId, [deckId+queue+due], [deckId+queue+position]',
    reviewLog: '++id, cardId, [deckId+reviewedAt], reviewedAt',
    settings: 'key',
    meta: 'key',
  });
  // Today's answers per kind are counted on an index, not read row by row.
  db.version(2).stores({
    reviewLog: '++id, cardId, [deckId+reviewedAt], [deckId+stateBefore+reviewedAt], reviewedAt',
  });
  // The user's own decks and cards: app updates touch only what is built in. Everything
  // stored before this version came with the app. Buried cards are found by queue.
  db.version(3)
    .stores({ decks: 'id, position, origin', cards: 'id, deckId, origin, queue, [deckId+queue+due], [deckId+queue+position]' })
    .upgrade(async (transaction) => {
      await transaction.table('decks').toCollection().modify({ origin: 'built-in' });
      await transaction.table('cards').toCollection().modify({ origin: 'built-in' });
    });
  // Every card carries a revision that each change increments (see CardRecord.rev). The
  // user's cloze cards get their sides again from their note, with the deletion marked so
  // that it shows inside code too (built-in ones get theirs from the next deck update).
  db.version(4)
    .stores({})
    .upgrade(async (transaction) => {
      await transaction
        .table('cards')
        .toCollection()
        .modify((card: CardRecord) => {
          card.rev ??= 0;
          const { front, back } = withClozeSidesExpanded(card);
          Object.assign(card, { front, back });
        });
    });
  // Imported notes, their note types and media. The log loses its [deckId+reviewedAt] index,
  // which no query uses: an import writes 100,000 rows, and every index is one write more each.
  db.version(5).stores({
    noteTypes: 'id',
    notes: 'id, &guid',
    media: 'name',
    reviewLog: '++id, cardId, [deckId+stateBefore+reviewedAt], reviewedAt',
  });
  // Sync: every log row gets an id unique across devices, made of this device's new id, its
  // time and its local id; changes wait in the outbox until a sync takes them.
  db.version(6)
    .stores({ syncOutbox: 'docId', logTombstones: 'uid, docId' })
    .upgrade(async (transaction) => {
      const deviceId = newDeviceId();
      await transaction.table('meta').put({ key: 'deviceId', value: deviceId });
      await transaction
        .table('reviewLog')
        .toCollection()
        .modify((row: ReviewLogRow) => {
          row.uid ??= logRowUid(deviceId, row.reviewedAt.getTime(), row.id ?? 0);
        });
    });
  return db;
}

/**
 * A connection beside the page's main one (a worker's, a screen's own): when a newer app
 * version wants the database it gives way at once, and its work fails and says so.
 */
export function openSideConnection(name: string): KubecardsDatabase {
  const db = openDatabase(name);
  db.on('versionchange', () => {
    db.close({ disableAutoOpen: true });
    return false;
  });
  return db;
}
