// Chromium offers to install the app with a beforeinstallprompt event, once and early, often
// before the notices have loaded: it is kept here from the start, for the notice (and
// Settings) to offer "Install" when the user wants it. Safari has no such event: the iOS
// hint (Share → Add to Home Screen) is in Settings.

export type InstallPromptEvent = Event & { prompt: () => Promise<unknown> };

let offered: InstallPromptEvent | undefined;
const listeners = new Set<() => void>();

export function listenForInstallOffer(): void {
  addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault(); // the browser's own mini-bar would come at a moment of its choosing
    offered = event as InstallPromptEvent;
    for (const listener of listeners) listener();
  });
  addEventListener('appinstalled', () => (offered = undefined));
}

/** Calls `listener` now if the browser offered installing already, else when it does; returns the function that stops it. */
export function onInstallOffer(listener: () => void): () => void {
  if (offered) listener();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Shows the browser's install dialog; only once per offer, as the platform allows. */
export async function install(): Promise<void> {
  const event = offered;
  offered = undefined;
  await event?.prompt();
}
