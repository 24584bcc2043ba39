import { describe, expect, it } from 'vitest';
import { planBuiltInSync } from '../../src/domain/builtInSync.ts';
import { clozeClose as close, clozeOpen as open, clozeProblem, expandCloze, withClozeSidesExpanded } from '../../src/domain/cloze.ts';
import { compileDecks } from '../../src/domain/deckFile.ts';
import { Queue } from '../../src/domain/types.ts';
import { cardsForNewNote, editNote, noteProblem } from '../../src/domain/userCards.ts';

const now = new Date('2026-03-02T10:00:00Z');

describe('cloze expansion', () => {
  it('marks the deletion with the cloze marks, a hint in place of "…", and no Markdown', () => {
    expect(expandCloze('The {{c1::kubelet}} runs `kubectl {{c2::drain::verb}} node-1`.')).toEqual([
      { number: 1, front: `The ${open}[…]${close} runs \`kubectl drain node-1\`.`, back: `The ${open}kubelet${close} runs \`kubectl drain node-1\`.` },
      { number: 2, front: `The kubelet runs \`kubectl ${open}[verb]${close} node-1\`.`, back: `The kubelet runs \`kubectl ${open}drain${close} node-1\`.` },
    ]);
  });

  it('drops cloze marks typed into the text, so none can be faked', () => {
    expect(expandCloze(`${open}fake${close} {{c1::real}}`)[0].back).toBe(`fake ${open}real${close}`);
  });

  it('refuses more than 100 cloze numbers, each of which would copy the whole text', () => {
    const numbers = (count: number) => Array.from({ length: count }, (_, index) => `{{c${index + 1}::a}}`).join(' ');
    expect(clozeProblem(numbers(100))).toBeUndefined();
    expect(clozeProblem(numbers(101))?.message).toBe('more than 100 cloze numbers: each number makes a card of the whole text');
  });
});

describe('stored cloze cards', () => {
  const [stored] = cardsForNewNote({ kind: 'cloze', text: 'The {{c1::kubelet}} runs on `{{c2::every}}` node.', tags: [], note: '' }, 'mine', 'user-1', 0, now);
  const before = { ...stored, front: 'The **[…]** runs on `every` node.', back: 'The **kubelet** runs on `every` node.' };

  it('of the user get their sides expanded again from the note text, nothing else changed', () => {
    expect(withClozeSidesExpanded(before)).toEqual({ ...before, front: `The ${open}[…]${close} runs on \`every\` node.`, back: `The ${open}kubelet${close} runs on \`every\` node.` });
    expect(withClozeSidesExpanded(stored)).toBe(stored);
  });

  it('stay as they are when their number is gone from the text, or when they are not from a user note', () => {
    const retired = { ...before, cloze: { ...before.cloze!, number: 3 } };
    expect(withClozeSidesExpanded(retired)).toBe(retired);
    const builtIn = { ...before, cloze: undefined, origin: 'built-in' as const };
    expect(withClozeSidesExpanded(builtIn)).toBe(builtIn);
  });

  it('that are built in take the new sides with the next app version, unless the user edited them', () => {
    const [deck] = compileDecks([
      { file: 'a.deck', text: 'deck: a\ntitle: A\ndescription: A.\n\n## a-run\nC: The {{c1::kubelet}} runs.\nsource: s\nexam: CKA Storage\n' },
    ]);
    const oldCard = { ...cardsForNewNote({ kind: 'basic', front: 'The **[…]** runs.', back: 'The **kubelet** runs.', tags: [], note: '' }, 'a', 'a-run-c1', 0, now)[0], kind: 'cloze' as const, source: 's', exam: ['CKA Storage' as const], origin: 'built-in' as const, editedAt: undefined };
    const plan = planBuiltInSync([deck], [{ id: 'a', title: 'A', description: 'A.', position: 0, origin: 'built-in' }], [oldCard], now);
    expect(plan.updated.map((card) => [card.front, card.back])).toEqual([[`The ${open}[…]${close} runs.`, `The ${open}kubelet${close} runs.`]]);
    const edited = { ...oldCard, editedAt: now };
    expect(planBuiltInSync([deck], [], [edited], now).updated).toEqual([]);
  });
});

describe('a built-in cloze note', () => {
  const [deck] = compileDecks([
    { file: 'a.deck', text: 'deck: a\ntitle: A\ndescription: A.\n\n## a-run\nC: The {{c1::kubelet}} runs `{{c2::pods}}`.\nsource: s\nexam: CKA Storage\n' },
  ]);
  const aDeck = { id: 'a', title: 'A', description: 'A.', position: 0, origin: 'built-in' as const };
  const stored = planBuiltInSync([deck], [], [], now).added;

  it('carries its note text on each card, so that the editor edits it as one text', () => {
    expect(stored.map((card) => card.cloze)).toEqual([1, 2].map((number) => ({ noteId: 'a-run', text: 'The {{c1::kubelet}} runs `{{c2::pods}}`.', number })));
  });

  it('edited with a new number gains a card of the user\'s under an id no deck file can ship, with the note\'s source and domains', () => {
    const text = 'The {{c1::kubelet}} runs `{{c2::pods}}` on {{c3::nodes}}.';
    const change = editNote({ kind: 'cloze', text, tags: [], note: '' }, stored, 5, now, stored[0].id);
    expect(change.updated.map((card) => card.cloze?.text)).toEqual([text, text]);
    expect(change.added).toMatchObject([{ id: 'user:a-run-c3', origin: 'user', source: 's', exam: ['CKA Storage'], position: 5, cloze: { noteId: 'a-run', text, number: 3 } }]);
  });

  it('keeps a card its edit removed retired through app updates, and brings back one the decks stop and start shipping', () => {
    const change = editNote({ kind: 'cloze', text: 'The {{c1::kubelet}} runs pods.', tags: [], note: '' }, stored, 5, now, stored[0].id);
    expect(change.retired.map((card) => card.id)).toEqual(['a-run-c2']);
    const afterEdit = [...change.updated, ...change.retired];
    expect(planBuiltInSync([deck], [aDeck], afterEdit, now).updated).toEqual([]);
    const shippedAgain = { ...stored[1], queue: Queue.Retired };
    expect(planBuiltInSync([deck], [aDeck], [stored[0], shippedAgain], now).updated.map((card) => [card.id, card.queue])).toEqual([['a-run-c2', Queue.New]]);
  });
});

describe('the note editor', () => {
  it('gives a new note\'s cards the exam domains picked, and an edit keeps a card\'s own unless domains are given', () => {
    const [card] = cardsForNewNote({ kind: 'basic', front: 'f', back: 'b', tags: [], note: '', exam: ['CKA Storage'] }, 'mine', 'user-1', 0, now);
    expect(card.exam).toEqual(['CKA Storage']);
    expect(editNote({ kind: 'basic', front: 'f2', back: 'b', tags: [], note: '' }, [card], 1, now, card.id).updated[0].exam).toEqual(['CKA Storage']);
    expect(editNote({ kind: 'basic', front: 'f', back: 'b', tags: [], note: '', exam: [] }, [card], 1, now, card.id).updated[0].exam).toEqual([]);
  });


  const limit = 65_536;
  const long = 'x'.repeat(limit + 1);

  it('accepts each field up to 65,536 characters and names the field that is longer', () => {
    expect(noteProblem({ kind: 'basic', front: 'x'.repeat(limit), back: 'b', tags: [], note: 'x'.repeat(limit) })).toBeUndefined();
    expect(noteProblem({ kind: 'basic', front: long, back: 'b', tags: [], note: '' })).toBe('Front: 65,537 characters, more than the 65,536 a field may hold.');
    expect(noteProblem({ kind: 'basic', front: 'f', back: long, tags: [], note: '' })).toBe('Back: 65,537 characters, more than the 65,536 a field may hold.');
    expect(noteProblem({ kind: 'cloze', text: `{{c1::a}} ${long}`, tags: [], note: '' })).toBe('Text: 65,547 characters, more than the 65,536 a field may hold.');
    expect(noteProblem({ kind: 'basic', front: 'f', back: 'b', tags: [], note: long })).toBe('Extra note: 65,537 characters, more than the 65,536 a field may hold.');
    expect(noteProblem({ kind: 'basic', front: 'f', back: 'b', tags: [long], note: '' })).toBe('Tags: 65,537 characters, more than the 65,536 a field may hold.');
  });

  it('keeps a sibling\'s own "leech" tag when another card\'s form is saved, and follows the form for the card edited', () => {
    const at = new Date('2026-03-02T08:00:00Z');
    const text = 'The {{c1::kubelet}} runs pods; {{c2::etcd}} stores state.';
    const [first, second] = cardsForNewNote({ kind: 'cloze', text, tags: ['node'], note: '' }, 'deck', 'note', 0, at);
    const leech = { ...second, tags: ['node', 'leech'] };
    const saved = editNote({ kind: 'cloze', text, tags: ['node', 'cka'], note: '' }, [first, leech], 2, at, first.id);
    expect(saved.updated.map((card) => card.tags)).toEqual([['node', 'cka'], ['node', 'cka', 'leech']]);
    const unleeched = editNote({ kind: 'cloze', text, tags: ['node'], note: '' }, [first, leech], 2, at, leech.id);
    expect(unleeched.updated.map((card) => card.tags)).toEqual([['node'], ['node']]);
  });
});
