import type { CardRecord } from '../domain/types.ts';

/**
 * A change was refused because the record is no longer the one the screen acted on: another
 * tab changed or deleted it. Nothing was written; the screen reloads and says so.
 */
export class StaleRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleRecordError';
  }
}

/** Fails unless `stored` is the revision `expectedRev` of the card the screen acted on. */
export function checkRevision(stored: CardRecord | undefined, expectedRev: number, refused: string): CardRecord {
  if (!stored) throw new StaleRecordError(`This card was deleted in another tab or window, so ${refused}.`);
  if (stored.rev !== expectedRev) throw new StaleRecordError(`This card was changed in another tab or window, so ${refused}. It is shown as it is now.`);
  return stored;
}
