// A reschedule's progress in a modal sheet, as ask.tsx shows questions: a bar, and Cancel for
// as long as nothing is written. Modal, so that no setting changes while the cards are
// computed with the ones just saved.
import '../cards/cards.css';
import './reschedule.css';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { startReschedule, type RescheduleResult, type RescheduleTask } from '../../app/reschedule.ts';
import type { Session } from '../../app/session.ts';
import type { ReschedulePhase } from '../../storage/reschedule.ts';

type Start = (onProgress: (phase: ReschedulePhase, done: number, total: number) => void) => RescheduleTask;

const phaseLabels: Record<ReschedulePhase, string> = { computing: 'Computing new due dates', saving: 'Saving the new due dates' };

function RescheduleSheet({ start, onDone }: { start: Start; onDone(result: RescheduleResult): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const task = useRef<RescheduleTask | undefined>(undefined);
  const [progress, setProgress] = useState({ phase: 'computing' as ReschedulePhase, done: 0, total: 1 });
  const cancel = (event: Event) => {
    event.preventDefault();
    task.current?.cancel();
  };
  useEffect(() => {
    const dialog = ref.current!;
    dialog.showModal();
    // Escape cancels while it can; the sheet closes only once the reschedule is over.
    dialog.addEventListener('cancel', cancel);
    let result: RescheduleResult | undefined;
    // Closed before the end (the browser may force a modal sheet shut): a cancel if it still can be.
    const closed = () => (result ? onDone(result) : task.current?.cancel());
    dialog.addEventListener('close', closed);
    task.current = start((phase, done, total) => setProgress({ phase, done, total }));
    task.current.result.then((outcome) => {
      result = outcome;
      if (dialog.open) dialog.close();
      else onDone(outcome);
    });
    return () => {
      dialog.removeEventListener('cancel', cancel);
      dialog.removeEventListener('close', closed);
    };
  }, []);
  const label = phaseLabels[progress.phase];
  return (
    <dialog ref={ref} class="sheet question reschedule-progress" aria-labelledby="reschedule-title">
      <form onSubmit={cancel}>
        <h2 id="reschedule-title">Rescheduling</h2>
        <progress max={Math.max(1, progress.total)} value={progress.done} aria-label={label} />
        <p aria-live="polite">
          {label}
          {progress.total > 1 && `: ${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')} cards`}
          {progress.phase === 'saving' && '. This can no longer be cancelled.'}
        </p>
        {progress.phase === 'computing' && (
          <div class="question-actions">
            <button type="submit" autoFocus>
              Cancel
            </button>
          </div>
        )}
      </form>
    </dialog>
  );
}

/** Reschedules the decks' cards in the worker while the sheet shows how far it is; settles once it is over. */
export function rescheduleWithProgress(session: Session, deckIds: string[], now: Date): Promise<RescheduleResult> {
  const host = document.body.appendChild(document.createElement('div'));
  return new Promise((resolve) => {
    render(
      <RescheduleSheet
        start={(onProgress) => startReschedule(session.storage, deckIds, now, onProgress)}
        onDone={(result) => {
          render(null, host);
          host.remove();
          resolve(result);
        }}
      />,
      host,
    );
  });
}
