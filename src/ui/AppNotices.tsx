import { useEffect, useRef, useState } from 'preact/hooks';
import type { Session } from '../app/session.ts';
import { registerServiceWorker } from '../pwa/serviceWorker.ts';
import { reloadOnceForStaleChunk } from '../pwa/staleChunk.ts';
import { storageIsLow } from '../pwa/storageSpace.ts';

// In order of weight: news never covers a notice that weighs more.
const notices = ['none', 'offline-ready', 'low-space', 'offline-unavailable', 'update-waiting', 'updating'] as const;
export type Notice = (typeof notices)[number];
const offlineReadyShownMs = 6000;

/**
 * Small notices over the current screen: the app is ready offline or could not be made so,
 * the device is almost out of storage, a new version is waiting (applied only when the user
 * says so, after any answer being saved is on disk), or another tab upgraded the database
 * so this one must reload.
 */
export function AppNotices({ session }: { session: Session }) {
  const [notice, setNotice] = useState<Notice>('none');
  const [replaced, setReplaced] = useState(false);
  const applyUpdate = useRef<() => Promise<void>>(async () => {});
  const [snackbar, setSnackbar] = useState<{ view?: typeof import('./Snackbar.tsx').Snackbar }>({});

  useEffect(() => {
    const tell = (news: Notice) => setNotice((current) => (notices.indexOf(news) > notices.indexOf(current) ? news : current));
    session.storage.onReplaced(() => setReplaced(true));
    applyUpdate.current = registerServiceWorker({
      onOfflineReady: () => tell('offline-ready'),
      onOfflineUnavailable: () => tell('offline-unavailable'),
      onUpdateWaiting: () => tell('update-waiting'),
    });
    storageIsLow().then((low) => low && tell('low-space'));
  }, [session]);
  // "Ready to work offline" is news, not a question: it leaves by itself after a while.
  useEffect(() => {
    if (notice !== 'offline-ready') return;
    const timer = setTimeout(() => setNotice((current) => (current === 'offline-ready' ? 'none' : current)), offlineReadyShownMs);
    return () => clearTimeout(timer);
  }, [notice]);
  useEffect(() => {
    if (notice !== 'none' && !snackbar.view) {
      import('./Snackbar.tsx').then((module) => setSnackbar({ view: module.Snackbar })).catch(reloadOnceForStaleChunk);
    }
  }, [notice]);

  const update = async () => {
    setNotice('updating');
    await session.storage.idle();
    await applyUpdate.current();
  };

  if (replaced) {
    return (
      <div class="blocker" role="alertdialog" aria-modal="true" aria-labelledby="replaced-title">
        <div class="blocker-box">
          <h2 id="replaced-title">Kubecards was updated in another tab</h2>
          <p>This tab has stopped saving so that nothing is written with the old version. Reload to go on; your answers are kept.</p>
          <button type="button" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </div>
    );
  }
  if (notice === 'none' || !snackbar.view) return null;
  const Snackbar = snackbar.view;
  return <Snackbar notice={notice} onDismiss={() => setNotice('none')} onUpdate={update} />;
}
