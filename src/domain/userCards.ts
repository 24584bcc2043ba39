// The user's own cards: a basic note makes one card, a cloze note one card per cloze
// number. Editing a cloze note updates its cards, adds cards for new numbers and retires
// those whose number is gone (their history stays).
import { clozeNumbers, clozeProblem, expandCloze } from './cloze.ts';
import { cardFieldLimit } from './deckFile.ts';
import type { ExamDomain } from './exams.ts';
import { newSchedule } from './schedule.ts';
import { Queue, queueForState, type CardContent, type CardRecord } from './types.ts';

/** `exam`: the exam domains its cards count toward (readiness); absent, an edit keeps each card's own and a new note has none. */
export type NoteInput = ({ kind: 'basic'; front: string; back: string } | { kind: 'cloze'; text: string }) & { tags: string[]; note: string; exam?: ExamDomain[] };

/** What is wrong with the note, in words for the form, or undefined. */
export function noteProblem(input: NoteInput): string | undefined {
  // Named as the form labels them.
  const fields = input.kind === 'basic' ? { Front: input.front, Back: input.back } : { Text: input.text };
  for (const [label, text] of Object.entries({ ...fields, Tags: input.tags.join(' '), 'Extra note': input.note })) {
    if (text.length > cardFieldLimit) {
      return `${label}: ${text.length.toLocaleString('en')} characters, more than the ${cardFieldLimit.toLocaleString('en')} a field may hold.`;
    }
  }
  if (input.kind === 'basic') {
    if (!input.front.trim()) return 'The front is empty.';
    if (!input.back.trim()) return 'The back is empty.';
    return undefined;
  }
  if (!input.text.trim()) return 'The text is empty.';
  const problem = clozeProblem(input.text);
  return problem ? `Cloze text: ${problem.message}.` : undefined;
}

export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

export interface NoteChange {
  added: CardRecord[];
  updated: CardRecord[];
  retired: CardRecord[];
}

/** The cards of a new note in `deckId`; new cards go after `position`. */
export function cardsForNewNote(input: NoteInput, deckId: string, noteId: string, position: number, now: Date): CardRecord[] {
  const base = { deckId, tags: input.tags, note: input.note, source: 'your own card', exam: input.exam ?? [], origin: 'user' as const, editedAt: now };
  const schedule = newSchedule(now);
  const card = (id: string, content: Pick<CardContent, 'kind' | 'front' | 'back'>, offset: number, cloze?: CardRecord['cloze']) => ({
    id,
    ...base,
    ...content,
    ...schedule,
    position: position + offset,
    queue: queueForState(schedule.state),
    rev: 0,
    ...(cloze ? { cloze } : {}),
  });
  if (input.kind === 'basic') return [card(noteId, { kind: 'basic', front: input.front, back: input.back }, 0)];
  return expandCloze(input.text).map(({ number, front, back }, offset) =>
    card(`${noteId}-c${number}`, { kind: 'cloze', front, back }, offset, { noteId, text: input.text, number }),
  );
}

/** `siblings`: every card of the edited note (one for a basic card); `editedId`: the card whose form it is. */
export function editNote(input: NoteInput, siblings: CardRecord[], nextPosition: number, now: Date, editedId: string): NoteChange {
  const first = siblings[0];
  const common = { tags: input.tags, note: input.note, editedAt: now, ...(input.exam ? { exam: input.exam } : {}) };
  if (input.kind === 'basic' || !first.cloze) {
    const text = input.kind === 'basic' ? { front: input.front, back: input.back } : { front: input.text, back: first.back };
    return { added: [], updated: [{ ...first, ...common, ...text }], retired: [] };
  }
  const { noteId } = first.cloze;
  const expanded = new Map(expandCloze(input.text).map((card) => [card.number, card]));
  const change: NoteChange = { added: [], updated: [], retired: [] };
  for (const card of siblings) {
    const content = expanded.get(card.cloze!.number);
    if (content) {
      const queue = card.queue === Queue.Retired ? queueForState(card.state) : card.queue;
      // "leech" marks one card, not its note: a sibling keeps its own when another card's form is saved.
      const tags = card.id !== editedId && card.tags.includes('leech') && !input.tags.includes('leech') ? [...input.tags, 'leech'] : input.tags;
      change.updated.push({ ...card, ...common, tags, front: content.front, back: content.back, queue, cloze: { noteId, text: input.text, number: content.number } });
    } else if (card.queue !== Queue.Retired) {
      // With the note's text as edited, by which a built-in card stays retired through app updates (planBuiltInSync).
      change.retired.push({ ...card, editedAt: now, queue: Queue.Retired, cloze: { ...card.cloze!, text: input.text } });
    }
  }
  const known = new Set(siblings.map((card) => card.cloze!.number));
  const fresh = clozeNumbers(input.text).filter((number) => !known.has(number));
  // A number added to a built-in note makes a card of the user's, under an id no deck file can ship (it has no ":").
  const builtInNote = siblings.some((card) => card.origin === 'built-in');
  const idOf = (id: string) => (builtInNote ? `user:${id}` : id);
  const made = cardsForNewNote({ ...input, exam: input.exam ?? first.exam }, first.deckId, noteId, nextPosition, now).filter((card) => fresh.includes(card.cloze!.number));
  change.added.push(...made.map((card, offset) => ({ ...card, id: idOf(card.id), source: first.source, position: nextPosition + offset })));
  return change;
}
