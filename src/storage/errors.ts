// Why a write to IndexedDB failed, in words for the user. Dexie keeps the browser's error
// in `inner`. On a full disk Chromium seldom says QuotaExceededError: it aborts the
// transaction (AbortError), cannot reopen the database (UnknownError, "…disk…") or misreads
// its key generator (ConstraintError "Maximum key generator value reached"). This app never
// aborts a transaction itself, so these mean the device's storage failed, almost always for
// lack of space.

type BrowserError = { name?: string; message?: string; inner?: BrowserError; failures?: BrowserError[] };

export function isStorageFull(error: unknown): boolean {
  for (let cause = error as BrowserError | undefined; cause; cause = cause.inner ?? cause.failures?.[0]) {
    if (/^(QuotaExceeded|Abort|Unknown)Error:|disk|NO_SPACE|key generator/i.test(`${cause.name}: ${cause.message}`)) return true;
  }
  return false;
}

/** Why an action failed, as words to follow "Not saved: " and the like. */
export function errorReason(error: unknown): string {
  if (isStorageFull(error)) return 'your device storage is full';
  // Dexie adds the inner error's name and message on a second line.
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].replace(/\.$/, '');
}

/** One sentence for the user, such as "Your device storage is full; this answer was not saved." */
export function writeErrorMessage(error: unknown, what: string): string {
  const reason = errorReason(error);
  return `${reason[0].toUpperCase()}${reason.slice(1)}; ${what}.`;
}
