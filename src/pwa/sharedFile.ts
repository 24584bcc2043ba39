// A file given to the installed app: opened with it (src/pwa/launchQueue.ts), or shared to it
// on Android (share_target: the service worker keeps the file in a cache of its own,
// public/sw/share-target.js, and opens #/data?shared).
import { takeLaunchHandle } from './launchQueue.ts';

const sharedCache = 'kubecards-shared-file';

/** The file the app was opened with or shared, once; undefined when there is none. */
export async function takeLaunchedFile(): Promise<File | undefined> {
  const handle = takeLaunchHandle();
  if (handle) return handle.getFile();
  if (!location.hash.includes('shared') || typeof caches === 'undefined') return undefined;
  const cache = await caches.open(sharedCache);
  const shared = await cache.match('shared-file');
  if (!shared) return undefined;
  await cache.delete('shared-file');
  return new File([await shared.blob()], decodeURIComponent(shared.headers.get('X-File-Name') ?? 'shared file'));
}
