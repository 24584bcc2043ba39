// Work that runs once the first screen is up and never holds up study: the daily backup
// into the user's folder, and sync when it is on.
import { dailyBackup } from './backups.ts';
import type { Session } from './session.ts';
import { syncController } from './sync.ts';

export function startBackgroundWork(session: Session): void {
  dailyBackup().catch(() => {});
  syncController(session).start().catch(() => {});
}
