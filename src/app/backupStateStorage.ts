// The page's own connection for backup state, opened only by the screens that need it, so
// that the first screen's storage module stays small.
import { BackupStateStorage } from '../storage/backupState.ts';

let instance: BackupStateStorage | undefined;

export function backupStateStorage(): BackupStateStorage {
  return (instance ??= new BackupStateStorage());
}
