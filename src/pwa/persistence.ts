// Browsers may evict IndexedDB under storage pressure unless the origin has persistent
// storage; Safari deletes it after 7 days without a visit unless the app is on the home
// screen. These tell the user where they stand.

export interface StorageStatus {
  persisted: boolean | undefined;
  usageBytes: number | undefined;
  quotaBytes: number | undefined;
}

export async function storageStatus(): Promise<StorageStatus> {
  const manager = navigator.storage;
  const [persisted, estimate] = await Promise.all([
    manager?.persisted ? manager.persisted().catch(() => undefined) : undefined,
    manager?.estimate ? manager.estimate().catch(() => undefined) : undefined,
  ]);
  return { persisted, usageBytes: estimate?.usage, quotaBytes: estimate?.quota };
}

/** iOS or iPadOS Safari in a browser tab rather than launched from the home screen. */
export function isIosBrowserTab(): boolean {
  const ios = /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.userAgent.includes('Macintosh') && navigator.maxTouchPoints > 1);
  const standalone = (navigator as Navigator & { standalone?: boolean }).standalone === true || matchMedia('(display-mode: standalone)').matches;
  return ios && !standalone;
}
