// A warning before writes start to fail. Firefox sizes an origin's quota by the disk's free
// space, so little quota left means a nearly full device; Chromium grants a share of the
// disk whatever is free, so there it warns only near that share (a write that fails for
// lack of space is reported where it happens).
const lowSpaceBytes = 50_000_000;

/** True when less than 50 MB, or less than 5 % of the quota, is left to this app. */
export async function storageIsLow(): Promise<boolean> {
  const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
  if (!estimate?.quota) return false;
  return estimate.quota - (estimate.usage ?? 0) < Math.max(lowSpaceBytes, estimate.quota * 0.05);
}
