import { useEffect, useState } from 'preact/hooks';
import { backupOverdue } from '../../app/backups.ts';
import { backupStateStorage } from '../../app/backupStateStorage.ts';

/** After a week of study without a backup: browser storage is not a safe only copy. */
export function BackupReminder() {
  const [overdue, setOverdue] = useState(false);
  useEffect(() => {
    backupOverdue(backupStateStorage()).then(setOverdue, () => {});
  }, []);
  if (!overdue) return null;
  return (
    <p class="notice" role="status" data-testid="backup-reminder">
      You have studied for a week without a backup. Browsers can clear their storage: <a href="#/data">back up now</a>.
    </p>
  );
}
