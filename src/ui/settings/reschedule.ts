import { schedulerFor } from '../../app/schedulers.ts';
import type { Session } from '../../app/session.ts';
import { rescheduleFromHistory } from '../../domain/scheduler.ts';
import { askToConfirm } from '../common/ask.tsx';
import type { CardRecord, ReviewLogRow } from '../../domain/types.ts';

/**
 * After desired retention or the FSRS parameters changed: offers to reschedule the decks' cards from their review
 * history with the new settings, as an explicit, undoable choice.
 */
export async function offerReschedule(session: Session, deckIds: string[]): Promise<string | undefined> {
  if (deckIds.length === 0) return undefined;
  const question = {
    title: 'Reschedule the studied cards?',
    message: 'The scheduling settings changed. Their due dates can be computed again from their review history now. Undo can take it back.',
    confirmLabel: 'Reschedule',
  };
  if (!(await askToConfirm(question))) return undefined;
  const now = new Date();
  const replan = (card: CardRecord, history: ReviewLogRow[]) => rescheduleFromHistory(schedulerFor(session, card.deckId), card, history, now);
  const { step, changed } = await session.storage.reschedule(deckIds, replan, now);
  session.undo.push(step);
  return `Rescheduled ${changed} cards.`;
}
