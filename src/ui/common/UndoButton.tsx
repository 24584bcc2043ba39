import type { Session } from '../../app/session.ts';
import { errorReason } from '../../storage/errors.ts';
import type { UndoStep } from '../../storage/index.ts';

/** Why an action failed, for "Not saved: …" and the like; every screen words failures with it. */
export const errorText = errorReason;

/**
 * Takes back the last action (an answer, bury, edit, deck deletion…) from any screen.
 * `onUndone` lets the screen reload and, for a card, show it again.
 */
export function UndoButton({ session, onUndone, onError }: { session: Session; onUndone(step: UndoStep): void; onError(message: string): void }) {
  const step = session.undo.peek();
  if (!step) return null;
  const undo = (event: Event) => {
    // Focus must not stay here: Space, meant for "Show answer", would undo again.
    (event.currentTarget as HTMLElement).blur();
    return session.undoLast().then(
      (undone) => undone && onUndone(undone),
      (error: unknown) => onError(`Could not undo: ${errorText(error)}`),
    );
  };
  return (
    <button type="button" class="undo" onClick={undo} aria-keyshortcuts="U Control+Z" aria-label={`Undo ${step.label.toLowerCase()}`}>
      Undo
    </button>
  );
}
