// What the page knows about backups: when the last was made, and the folder daily backups go
// to. A connection of its own, opened by the screens that need it, so the first screen's
// storage module stays small.
import { openSideConnection, type KubecardsDatabase } from './database.ts';

export interface BackupState {
  lastBackupAt?: Date;
  folder?: FileSystemDirectoryHandle;
  /** How many daily backups the folder keeps (Anki keeps 12 daily ones). */
  kept: number;
}

export class BackupStateStorage {
  private readonly db: KubecardsDatabase;

  constructor(name = 'kubecards') {
    this.db = openSideConnection(name);
  }

  /** When the last backup was made, where daily backups go and how many are kept. */
  async backupState(): Promise<BackupState> {
    const [last, folder, kept] = await this.db.meta.bulkGet(['lastBackupAt', 'backupFolder', 'backupsKept']);
    return { lastBackupAt: last?.value as Date | undefined, folder: folder?.value as FileSystemDirectoryHandle | undefined, kept: (kept?.value as number | undefined) ?? 12 };
  }

  async saveBackupFolder(folder: FileSystemDirectoryHandle | undefined, kept: number): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.meta, async () => {
        if (folder) await db.meta.put({ key: 'backupFolder', value: folder });
        else await db.meta.delete('backupFolder');
        await db.meta.put({ key: 'backupsKept', value: kept });
      });
  }

  async markBackedUp(at: Date): Promise<void> {
    await this.db.meta.put({ key: 'lastBackupAt', value: at });
  }

  /** The time of the first answer after `after` (the first ever when absent), if any. */
  async firstAnswerAfter(after: Date | undefined): Promise<Date | undefined> {
    const rows = after ? this.db.reviewLog.where('reviewedAt').above(after) : this.db.reviewLog.orderBy('reviewedAt');
    // Manual rows have no stateBefore.
    return (await rows.filter((row) => 'stateBefore' in row).first())?.reviewedAt;
  }

}
