// Undo, step after step, as Anki allows: taking back the last action leaves the ones before
// it undoable, though undo gives the cards it restores new revisions.
import 'fake-indexeddb/auto';
import { afterEach, expect, it } from 'vitest';
import { stillUndoable, UndoStack } from '../../src/app/undoStack.ts';
import { Queue } from '../../src/domain/types.ts';
import { Storage, type UndoStep } from '../../src/storage/index.ts';
import { builtInDeck } from '../support/cards.ts';

const storage = new Storage('undo-step-after-step');
afterEach(() => storage.close());

it('takes back a flag and then the suspension before it, on the same card', async () => {
  await storage.syncBuiltInDecks([builtInDeck('d', 2)], 'v1', new Date('2026-03-02T08:00:00Z'));
  const stack = new UndoStack<UndoStep>();
  stack.push(await storage.suspend((await storage.card('d-0'))!));
  stack.push(await storage.setFlag((await storage.card('d-0'))!, 2));
  for (const expected of [{ queue: Queue.Suspended, flag: undefined }, { queue: Queue.New, flag: undefined }]) {
    const step = stack.pop()!;
    const undone = await storage.undo(step);
    stack.rewrite((earlier) => stillUndoable(earlier, step, undone.revsRestored));
    const card = (await storage.card('d-0'))!;
    expect({ queue: card.queue, flag: card.flag || undefined }).toEqual(expected);
  }
  expect(stack.size).toBe(0);
});
