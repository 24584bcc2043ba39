import { useEffect, useRef, useState } from 'preact/hooks';
import type { Session } from '../app/session.ts';
import { registerServiceWorker } from '../pwa/serviceWorker.ts';

type Notice = 'none' | 'offline-ready' | 'update-waiting' | 'updating';

/**
 * Small notices over the current screen: the app is ready offline, a new version is
 * waiting (applied only when the user says so, after any answer being saved is on disk),
 * or another tab upgraded the database so this one must reload.
 */
export function AppNotices({ session }: { session: Session }) {
  const [notice, setNotice] = useState<Notice>('none');
  const [replaced, setReplaced] = useState(false);
  const applyUpdate = useRef<() => Promise<void>>(async () => {});

  useEffect(() => {
    session.storage.onReplaced(() => setReplaced(true));
    applyUpdate.current = registerServiceWorker({
      onOfflineReady: () => setNotice((current) => (current === 'none' ? 'offline-ready' : current)),
      onUpdateWaiting: () => setNotice('update-waiting'),
    });
  }, [session]);

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
  if (notice === 'none') return null;
  return (
    <div class="snackbar" role="status">
      {notice === 'offline-ready' && (
        <>
          <span>Kubecards is ready to work offline.</span>
          <button type="button" onClick={() => setNotice('none')}>
            OK
          </button>
        </>
      )}
      {notice === 'update-waiting' && (
        <>
          <span>Update available.</span>
          <button type="button" onClick={() => setNotice('none')}>
            Later
          </button>
          <button type="button" class="primary" onClick={update}>
            Reload
          </button>
        </>
      )}
      {notice === 'updating' && <span>Updating…</span>}
    </div>
  );
}
