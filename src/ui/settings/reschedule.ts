import type { Session } from '../../app/session.ts';
import { askToConfirm } from '../common/ask.tsx';
import { rescheduleWithProgress } from './RescheduleProgress.tsx';

/**
 * After desired retention or the FSRS parameters changed: offers to reschedule the decks' cards from their review
 * history with the new settings, as an explicit, undoable choice. Resolves once it is over, with what to say.
 */
export async function offerReschedule(session: Session, deckIds: string[]): Promise<string | undefined> {
  if (deckIds.length === 0) return undefined;
  const question = {
    title: 'Reschedule the studied cards?',
    message: 'The scheduling settings changed. Their due dates can be computed again from their review history now. Undo can take it back.',
    confirmLabel: 'Reschedule',
  };
  if (!(await askToConfirm(question))) return undefined;
  const result = await rescheduleWithProgress(session, deckIds, new Date());
  if (result.type === 'cancelled') return 'Not rescheduled: the cards keep their due dates until their next review.';
  if (result.type === 'failed') return `Not rescheduled: ${result.message}. The cards keep their due dates.`;
  if (result.step) session.undo.push(result.step);
  const refused = result.refused > 0 ? ` ${result.refused.toLocaleString('en')} changed meanwhile in another tab or window and were left as they are.` : '';
  return `Rescheduled ${result.changed.toLocaleString('en')} cards.${refused}`;
}
