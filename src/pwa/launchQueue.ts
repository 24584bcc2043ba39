// Files opened with the installed app (the manifest's file_handlers: an .apkg double-clicked
// on a desktop) arrive through the Launch Handler API, which must be listened to from the
// start; the data screen takes the file (src/pwa/sharedFile.ts).

interface LaunchParams {
  files: { getFile(): Promise<File> }[];
}

declare global {
  interface Window {
    launchQueue?: { setConsumer(consumer: (params: LaunchParams) => void): void };
  }
}

let launched: LaunchParams['files'][number] | undefined;
let whileOpen: (() => void) | undefined;

/**
 * Called at start: a launch with a file opens the data screen, which takes the file. The
 * manifest's launch_handler is focus-existing, so a file can also arrive while the data screen
 * is open; then the screen is told.
 */
export function listenForLaunchedFiles(): void {
  window.launchQueue?.setConsumer((params) => {
    if (params.files.length === 0) return;
    launched = params.files[0];
    if (whileOpen) whileOpen();
    else location.hash = '#/data';
  });
}

/** The open data screen's `take` is called for each file launched; returns what stops it. */
export function whenFileLaunched(take: () => void): () => void {
  whileOpen = take;
  return () => {
    if (whileOpen === take) whileOpen = undefined;
  };
}

/** The file the app was launched with, once. */
export function takeLaunchHandle(): LaunchParams['files'][number] | undefined {
  const handle = launched;
  launched = undefined;
  return handle;
}
