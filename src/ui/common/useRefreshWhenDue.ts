import { useEffect } from 'preact/hooks';
import { learnAheadMs } from '../../domain/queue.ts';

// Reloads a screen when a card becomes showable (its due time minus the learn-ahead limit),
// and when the page comes back into view, since a study day may have rolled over meanwhile.
// Off (`active` false) while a card is on screen: coming back must not take it away.
export function useRefreshWhenDue(nextDueAt: Date | undefined, refresh: () => void, active = true): void {
  useEffect(() => {
    if (!active) return;
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (nextDueAt) {
      const wait = nextDueAt.getTime() - learnAheadMs - Date.now();
      // setTimeout overflows beyond ~24.8 days; nothing is due that soon anyway then.
      if (wait < 2 ** 31 - 1) timer = setTimeout(refresh, Math.max(1000, wait));
    }
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      clearTimeout(timer);
    };
  }, [nextDueAt?.getTime(), refresh, active]);
}
