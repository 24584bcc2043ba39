// A database written by the previous app version (schema 3) opens under the current one:
// every card gets its revision, and the user's cloze cards their sides marked anew.
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { clozeClose, clozeOpen } from '../../src/domain/cloze.ts';
import { Storage } from '../../src/storage/index.ts';
import { makeCard } from '../support/cards.ts';

describe('schema 4', () => {
  it('gives every stored card revision 0 and rebuilds the sides of the user\'s cloze cards', async () => {
    const name = 'from-schema-3';
    const old = new Dexie(name);
    old.version(3).stores({
      decks: 'id, position, origin',
      cards: 'id, deckId, origin, queue, [deckId+queue+due], [deckId+queue+position]',
      reviewLog: '++id, cardId, [deckId+reviewedAt], [deckId+stateBefore+reviewedAt], reviewedAt',
      settings: 'key',
      meta: 'key',
    });
    const { rev: _basicRev, ...basic } = makeCard('basic');
    const text = 'Drain a node: `kubectl {{c1::drain}} node-1`';
    const { rev: _clozeRev, ...cloze } = makeCard('note-c1', {
      kind: 'cloze',
      origin: 'user',
      front: 'Drain a node: `kubectl **[…]** node-1`',
      back: 'Drain a node: `kubectl **drain** node-1`',
      cloze: { noteId: 'note', text, number: 1 },
    });
    await old.table('cards').bulkAdd([basic, cloze]);
    old.close();

    const storage = new Storage(name);
    const [upgradedBasic, upgradedCloze] = [(await storage.card('basic'))!, (await storage.card('note-c1'))!];
    expect(upgradedBasic).toEqual({ ...basic, rev: 0 });
    expect(upgradedCloze.rev).toBe(0);
    expect(upgradedCloze.front).toBe(`Drain a node: \`kubectl ${clozeOpen}[…]${clozeClose} node-1\``);
    expect(upgradedCloze.back).toBe(`Drain a node: \`kubectl ${clozeOpen}drain${clozeClose} node-1\``);
    storage.close();
  });
});
