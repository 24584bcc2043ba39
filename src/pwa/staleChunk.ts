// After an update, a page still running the old version may ask for a lazy chunk whose old
// hashed file is gone. One reload fetches the new version; a second failure in a row is a
// real error and is shown, never looped on.
const flag = 'kubecards:reloaded-for-stale-chunk';

export function reloadOnceForStaleChunk(): boolean {
  if (sessionStorage.getItem(flag)) return false;
  sessionStorage.setItem(flag, String(Date.now()));
  location.reload();
  return true;
}

/** Called once the app has started fine, so a later stale chunk may reload again. */
export function clearStaleChunkReload(): void {
  sessionStorage.removeItem(flag);
}

export function recoverFromStaleChunks(): void {
  addEventListener('vite:preloadError', (event) => {
    if (reloadOnceForStaleChunk()) event.preventDefault();
  });
}
