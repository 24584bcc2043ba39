// Files opened with the installed app (the manifest's file_handlers: an .apkg double-clicked
// on a desktop) arrive through the Launch Handler API; the data screen imports them.

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

/** The file the app was opened with, once; undefined when there is none. */
export async function takeLaunchedFile(): Promise<File | undefined> {
  const handle = launched;
  launched = undefined;
  return handle?.getFile();
}
