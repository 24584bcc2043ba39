import type { Notice } from './AppNotices.tsx';

const words: Record<Exclude<Notice, 'none'>, string> = {
  'offline-ready': 'Kubecards is ready to work offline.',
  'low-space': 'Your device is almost out of storage. Free some space, or Kubecards may be unable to save your answers.',
  'offline-unavailable': 'Kubecards could not be stored for offline use, so it works only while online. The device may be low on storage.',
  'update-waiting': 'Update available.',
  updating: 'Updating…',
};

/** What a notice says and offers; loaded with the first notice, as most visits show none. */
export function Snackbar({ notice, onDismiss, onUpdate }: { notice: Exclude<Notice, 'none'>; onDismiss(): void; onUpdate(): void }) {
  return (
    <div class="snackbar" role="status">
      <span>{words[notice]}</span>
      {notice !== 'updating' && (
        <button type="button" onClick={onDismiss}>
          {notice === 'update-waiting' ? 'Later' : 'OK'}
        </button>
      )}
      {notice === 'update-waiting' && (
        <button type="button" class="primary" onClick={onUpdate}>
          Reload
        </button>
      )}
    </div>
  );
}
