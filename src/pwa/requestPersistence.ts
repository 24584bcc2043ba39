// Asked after the user's first answers, not at first paint: browsers grant persistence to
// sites people use, and a prompt before any use would be noise. Kept apart from the storage
// status code, which only the settings screen loads.
let requested = false;

/** Asks once per page load, after the user has answered cards (not at first paint). */
export async function requestPersistence(): Promise<boolean | undefined> {
  if (requested || !navigator.storage?.persist) return undefined;
  requested = true;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist().catch(() => undefined);
}
