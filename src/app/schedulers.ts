// The FSRS scheduler each deck studies with. Kept apart from the session, so that the first
// screen (the deck list) ships no scheduling code: only the screens that schedule import it.
import type { FSRS } from 'ts-fsrs';
import { schedulerForSettings } from '../domain/scheduler.ts';
import type { Session } from './session.ts';

export function schedulerFor(session: Session, deckId: string): FSRS {
  return schedulerForSettings(session.settingsFor(deckId));
}
