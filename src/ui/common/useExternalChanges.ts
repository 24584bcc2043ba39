import { useEffect, useRef } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import type { Change } from '../../storage/index.ts';

/** Calls `onChange` whenever another tab or window committed a change, for the screen's life. */
export function useExternalChanges(session: Session, onChange: (change: Change) => void): void {
  // The latest callback, so a re-render never subscribes twice.
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => session.storage.onExternalChange((change) => latest.current(change)), [session]);
}
