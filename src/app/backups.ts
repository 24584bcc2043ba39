// Backups that happen: a file the user saves ("Back up now"), and, where the browser lets the
// app write into a folder (File System Access API), one backup a day into that folder,
// keeping the newest few as Anki keeps its own.
import { backupFilePattern } from '../domain/transfer/backupName.ts';
import type { BackupStateStorage } from '../storage/backupState.ts';
import { startTransfer } from './transfer.ts';
import { backupStateStorage } from './backupStateStorage.ts';

const dayMs = 86_400_000;

/** Whether this browser can give the app a folder to write into. */
export function canUseBackupFolder(): boolean {
  return typeof window !== 'undefined' && 'showDirectoryPicker' in window;
}

/** Asks the user for the folder daily backups go to. */
export async function chooseBackupFolder(storage: BackupStateStorage, kept: number): Promise<FileSystemDirectoryHandle> {
  const picker = (window as unknown as { showDirectoryPicker(options: object): Promise<FileSystemDirectoryHandle> }).showDirectoryPicker;
  const folder = await picker({ id: 'kubecards-backups', mode: 'readwrite' });
  await storage.saveBackupFolder(folder, kept);
  return folder;
}

type PermissionHandle = FileSystemDirectoryHandle & {
  queryPermission?(options: { mode: 'readwrite' }): Promise<PermissionState>;
  requestPermission?(options: { mode: 'readwrite' }): Promise<PermissionState>;
};

/** Whether the app may write into the folder now; `ask` (in a click) asks the user if needed. */
export async function folderWritable(folder: FileSystemDirectoryHandle, ask: boolean): Promise<boolean> {
  const handle = folder as PermissionHandle;
  const state = (await handle.queryPermission?.({ mode: 'readwrite' })) ?? 'granted';
  if (state === 'granted' || !ask) return state === 'granted';
  return (await handle.requestPermission?.({ mode: 'readwrite' })) === 'granted';
}

/** Makes a backup in the transfer worker; resolves with its file name and bytes. */
export async function makeBackup(onProgress: (phase: string, done: number, total: number) => void = () => {}): Promise<{ blob: Blob; name: string }> {
  const outcome = await startTransfer({ type: 'backup' }, onProgress).outcome;
  if (outcome.type !== 'file') throw new Error(outcome.type === 'failed' ? outcome.message : 'the backup was not made');
  return outcome;
}

/** Writes a backup into the folder and removes the oldest beyond `kept`. */
export async function backUpIntoFolder(storage: BackupStateStorage, folder: FileSystemDirectoryHandle, kept: number): Promise<string> {
  const { blob, name } = await makeBackup();
  const file = await folder.getFileHandle(name, { create: true });
  const writable = await file.createWritable();
  await writable.write(blob);
  await writable.close();
  await storage.markBackedUp(new Date());
  const names: string[] = [];
  for await (const entry of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) if (backupFilePattern.test(entry)) names.push(entry);
  // The names sort by the time in them.
  for (const old of names.sort().reverse().slice(Math.max(1, kept))) await folder.removeEntry(old);
  return name;
}

/**
 * At start: a backup into the folder when the last is a day old or more and there are answers
 * since. Without permission (a browser asks again after a restart) it waits for the user.
 */
export async function dailyBackup(storage: BackupStateStorage = backupStateStorage(), now = new Date()): Promise<void> {
  const { lastBackupAt, folder, kept } = await storage.backupState();
  if (!folder || (lastBackupAt && now.getTime() - lastBackupAt.getTime() < dayMs)) return;
  if (!(await storage.firstAnswerAfter(lastBackupAt))) return;
  if (!(await folderWritable(folder, false))) return;
  await backUpIntoFolder(storage, folder, kept);
}

/** True after a week of study without a backup: the first answer since the last backup is 7 days old. */
export async function backupOverdue(storage: BackupStateStorage, now = new Date()): Promise<boolean> {
  const { lastBackupAt } = await storage.backupState();
  const firstSince = await storage.firstAnswerAfter(lastBackupAt);
  return !!firstSince && now.getTime() - firstSince.getTime() >= 7 * dayMs;
}
