// The reschedule worker: reads the decks' cards and logs on its own connection, computes each
// card's schedule under its deck's settings, and writes them all in one transaction, off the
// page's main thread (see src/storage/reschedule.ts). One reschedule per worker; the page
// ends it to cancel, which it does only before the write.
import { rescheduleFromHistory, schedulerForSettings } from '../domain/scheduler.ts';
import { RescheduleStorage, undoParts } from '../storage/reschedule.ts';
import type { RescheduleCommand, RescheduleMessage } from './rescheduleProtocol.ts';

/** Progress at most this often: each message is a render of the page. */
const progressEveryMs = 100;
/** Cards per undo message: each is deserialised in one task on the page. */
const undoPartSize = 1000;

const storage = new RescheduleStorage();
const post = (message: RescheduleMessage) => postMessage(message);
let writeAsked!: () => void;
const writeAnswered = new Promise<void>((resolve) => (writeAsked = resolve));

async function reschedule(deckIds: string[], now: Date): Promise<void> {
  const started = performance.now();
  let computeMs = 0;
  let writeStarted = 0;
  let postedAt = -Infinity;
  const outcome = await storage.reschedule(deckIds, (card, history, settings) => rescheduleFromHistory(schedulerForSettings(settings), card, history, now), now, {
    onProgress(phase, done, total) {
      const at = performance.now();
      if (at - postedAt < progressEveryMs && done < total) return;
      postedAt = at;
      post({ type: 'progress', phase, done, total });
    },
    beforeWrite(changed) {
      computeMs = performance.now() - started;
      post({ type: 'computed', changed });
      return writeAnswered.then(() => void (writeStarted = performance.now()));
    },
  });
  const writeMs = performance.now() - writeStarted;
  for (const part of undoParts(outcome.undo, undoPartSize)) post({ type: 'undo-part', part });
  post({ type: 'rescheduled', changed: outcome.changed, refused: outcome.refused, computeMs: Math.round(computeMs), writeMs: Math.round(writeMs) });
}

addEventListener('message', (event: MessageEvent<RescheduleCommand>) => {
  const command = event.data;
  if (command.type === 'write') return writeAsked();
  reschedule(command.deckIds, command.now).catch((error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
});
