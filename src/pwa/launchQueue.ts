// Files opened with the installed app arrive two ways: through the Launch Handler API (the
// manifest's file_handlers: an .apkg double-clicked on a desktop), or shared to it on Android
// (share_target: the service worker keeps the file in a cache, public/sw/share-target.js).
// The data screen imports them.

interface LaunchParams {
  files: { getFile(): Promise<File> }[];
}

declare global {
  interface Window {
    launchQueue?: { setConsumer(consumer: (params: LaunchParams) => void): void };
  }
}

let launched: LaunchParams['files'][number] | undefined;

/** Called at start: a launch with a file opens the data screen, which takes the file. */
export function listenForLaunchedFiles(): void {
  window.launchQueue?.setConsumer((params) => {
    if (params.files.length === 0) return;
    launched = params.files[0];
    location.hash = '#/data';
  });
}

const sharedCache = 'kubecards-shared-file';

/** The file the app was opened with or shared, once; undefined when there is none. */
export async function takeLaunchedFile(): Promise<File | undefined> {
  const handle = launched;
  launched = undefined;
  if (handle) return handle.getFile();
  if (!location.hash.includes('shared') || typeof caches === 'undefined') return undefined;
  const cache = await caches.open(sharedCache);
  const shared = await cache.match('shared-file');
  if (!shared) return undefined;
  await cache.delete('shared-file');
  return new File([await shared.blob()], decodeURIComponent(shared.headers.get('X-File-Name') ?? 'shared file'));
}
