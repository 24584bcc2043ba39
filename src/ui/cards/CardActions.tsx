import './cards.css';
import type { Session } from '../../app/session.ts';
import { studyDay } from '../../domain/studyDay.ts';
import { Queue, type CardRecord } from '../../domain/types.ts';
import type { UndoStep } from '../../storage/index.ts';
import { askToConfirm } from '../common/ask.tsx';
import { flagNames } from '../common/flags.ts';

/** The editor goes back to the card screen when opened from it, to the deck otherwise. */
function editHref(card: CardRecord): string {
  const from = location.hash.startsWith('#/card/') ? '?from=card' : '';
  return `#/edit/${encodeURIComponent(card.id)}${from}`;
}

export type FlagNumber = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
export type CardAction = 'bury' | 'suspend' | 'unsuspend' | 'reset' | `flag${FlagNumber}`;

/** Runs a card action through storage; the step goes on the undo stack. */
export async function runCardAction(session: Session, card: CardRecord, action: CardAction): Promise<UndoStep | undefined> {
  const { storage } = session;
  let step: UndoStep;
  if (action === 'bury') step = await storage.bury(card, studyDay(new Date(), session.settings.dayStartHour).number);
  else if (action === 'suspend') step = await storage.suspend(card);
  else if (action === 'unsuspend') step = await storage.unsuspend(card);
  else if (action === 'reset') {
    // Destructive for the schedule (the history stays): ask first, as Anki does.
    const question = { title: 'Reset this card to new?', message: 'Its review history is kept.', confirmLabel: 'Reset card', danger: true };
    if (!(await askToConfirm(question))) return undefined;
    step = await storage.reset(card, new Date());
  } else step = await storage.setFlag(card, Number(action.slice(4)));
  session.undo.push(step);
  return step;
}

/** The card actions as buttons, with Anki's keys noted: bury -, suspend @, flags Ctrl+1-7, edit e, info i. */
export function CardActions({ card, onAction, onInfo }: { card: CardRecord; onAction(action: CardAction): void; onInfo(): void }) {
  const suspended = card.queue === Queue.Suspended;
  return (
    <div class="card-actions" role="group" aria-label="Card actions">
      <button type="button" onClick={() => onAction('bury')} aria-keyshortcuts="-" disabled={card.queue === Queue.Buried}>
        Bury
      </button>
      <button type="button" onClick={() => onAction(suspended ? 'unsuspend' : 'suspend')} aria-keyshortcuts="@">
        {suspended ? 'Unsuspend' : 'Suspend'}
      </button>
      <a class="button" href={editHref(card)} aria-keyshortcuts="e">
        Edit
      </a>
      <button type="button" onClick={onInfo} aria-keyshortcuts="i">
        Card info
      </button>
      <button type="button" onClick={() => onAction('reset')}>
        Reset
      </button>
      <fieldset class="flags">
        <legend>Flag</legend>
        {flagNames.map((name, flag) => (
          <button
            key={name}
            type="button"
            class={`flag flag-${flag}`}
            aria-pressed={(card.flag ?? 0) === flag}
            aria-keyshortcuts={flag ? `Control+${flag}` : undefined}
            onClick={() => onAction(`flag${flag as FlagNumber}`)}
          >
            {flag > 0 && <span class="flag-dot" aria-hidden="true" />}
            {name}
          </button>
        ))}
      </fieldset>
    </div>
  );
}
