// The FSRS scheduler each deck studies with. Kept apart from the session, so that the first
// screen (the deck list) ships no scheduling code: only the screens that schedule import it.
import type { FSRS } from 'ts-fsrs';
import { createScheduler } from '../domain/scheduler.ts';
import type { Session } from './session.ts';

/** One scheduler per distinct set of settings; a settings change gives a new one. */
const schedulers = new Map<string, FSRS>();

export function schedulerFor(session: Session, deckId: string): FSRS {
  const settings = session.settingsFor(deckId);
  const key = JSON.stringify(settings);
  let scheduler = schedulers.get(key);
  if (!scheduler) {
    scheduler = createScheduler(settings);
    schedulers.set(key, scheduler);
  }
  return scheduler;
}
