// Registers the generated service worker (vite-plugin-pwa, prompt mode) and reports to the
// page when the app is ready offline, when it could not be made so, and when a new version
// is waiting. Nothing is applied without the user's word: see AppNotices.
import { registerSW } from 'virtual:pwa-register';

export interface ServiceWorkerEvents {
  onOfflineReady(): void;
  onUpdateWaiting(): void;
  /** No version of the app could be stored for offline use. */
  onOfflineUnavailable(): void;
}

const updateCheckIntervalMs = 60 * 60_000;

/** Starts registration; the returned function activates the waiting version and reloads. */
export function registerServiceWorker(events: ServiceWorkerEvents): () => Promise<void> {
  if (!('serviceWorker' in navigator)) return async () => location.reload();
  let reloading = false;
  const reloadOnce = () => {
    if (reloading) return;
    reloading = true;
    location.reload();
  };
  const activateWaiting = registerSW({
    immediate: true,
    onOfflineReady: events.onOfflineReady,
    onNeedRefresh: events.onUpdateWaiting,
    onNeedReload: reloadOnce,
    // Refused by the browser (storage, settings). A TypeError means sw.js could not be fetched
    // or run, a fault of the server that the console shows (and how the end-to-end tests'
    // blocked workers fail), not one of this device.
    onRegisterError: (error: unknown) => error instanceof DOMException && events.onOfflineUnavailable(),
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      // A first install fails as a whole when one file cannot be stored (storage full, a tiny
      // quota, a file missing on the server): its worker becomes redundant and none is left.
      // A failed update leaves the active version, which still works offline.
      const noWorker = () => !registration.active && !registration.installing && !registration.waiting;
      if (noWorker()) events.onOfflineUnavailable();
      registration.installing?.addEventListener('statechange', () => noWorker() && events.onOfflineUnavailable());
      // Long-lived tabs (an installed app stays open for days) look for updates now and then.
      const check = () => {
        if (navigator.onLine) registration.update().catch(() => {});
      };
      setInterval(check, updateCheckIntervalMs);
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') check();
      });
    },
  });
  return async () => {
    // workbox-window only reports "controlling" as an update when the page started under
    // an older worker; a page that installed the first worker would never reload. The
    // controller change itself is the reliable signal that the new version took over.
    navigator.serviceWorker.addEventListener('controllerchange', reloadOnce, { once: true });
    await activateWaiting();
  };
}
