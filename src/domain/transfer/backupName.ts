// Backup file names: they sort by the local time they were made at.

export function backupFileName(at: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `kubecards-backup-${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}.zip`;
}

/** The names backupFileName gives, and nothing else (automatic backups remove only these). */
export const backupFilePattern = /^kubecards-backup-\d{4}-\d{2}-\d{2}-\d{4}\.zip$/;
