// Registers the generated service worker (vite-plugin-pwa, prompt mode) and reports to the
// page when the app is ready offline and when a new version is waiting. Nothing is applied
// without the user's word: see UpdateNotice.
import { registerSW } from 'virtual:pwa-register';

export interface ServiceWorkerEvents {
  onOfflineReady(): void;
  onUpdateWaiting(): void;
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
    onRegisteredSW(_url, registration) {
      if (!registration) return;
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
