// A text file's notes as Kubecards records: notes of Anki's stock "Basic" note type, one card
// each, in the deck chosen on the mapping screen. A note is known again by its first field
// (Anki's duplicate rule for text imports), so importing the file again updates its notes.
import { newSchedule } from '../schedule.ts';
import type { TransferRecords } from '../transfer/merge.ts';
import { Queue, type CardRecord, type NoteRecord, type NoteTypeRecord } from '../types.ts';
import { cardIdOf, noteIdOfGuid } from './importRecords.ts';
import { renderCard } from './template.ts';
import { notesFromTextFile, type ColumnMapping, type TextFile } from './textFile.ts';

/** Anki's stock "Basic" note type, as a new Anki collection has it. */
export const basicNoteType: NoteTypeRecord = {
  id: 'kubecards-basic',
  name: 'Basic',
  kind: 'standard',
  fields: ['Front', 'Back'],
  templates: [{ name: 'Card 1', front: '{{Front}}', back: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' }],
  css: '.card {\n    font-family: arial;\n    font-size: 20px;\n    text-align: center;\n    color: black;\n    background-color: white;\n}\n',
};

/** A deterministic 64-bit hash (two 32-bit FNV-1a) in base 36: the same text always gives the same id. */
export function textHash(text: string): string {
  let first = 0x811c9dc5;
  let second = 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x5bd1e995);
  }
  return (first >>> 0).toString(36) + (second >>> 0).toString(36);
}

export function recordsFromTextFile(
  file: TextFile,
  mapping: ColumnMapping,
  deckTitle: string,
  now: Date,
): { records: TransferRecords; skipped: { item: string; reason: string }[] } {
  const { notes: textNotes, skipped, warnings } = notesFromTextFile(file, mapping, basicNoteType.fields.length);
  const deckId = `text-${textHash(deckTitle.toLowerCase())}`;
  const notes: NoteRecord[] = [];
  const cards: CardRecord[] = [];
  const seen = new Set<string>();
  const schedule = newSchedule(now);
  for (const textNote of textNotes) {
    const fields = basicNoteType.fields.map((_, index) => textNote.fields[index] ?? '');
    const guid = textNote.guid ?? `text-${textHash(fields[0])}`;
    if (seen.has(guid)) {
      skipped.push({ line: textNote.line, reason: 'the same first field as an earlier line' });
      continue;
    }
    seen.add(guid);
    const tags = [...new Set([...(textNote.tags ?? []), ...(file.headers.tags ?? [])])];
    const note: NoteRecord = { id: noteIdOfGuid(guid), guid, noteTypeId: basicNoteType.id, fields };
    const rendered = renderCard(basicNoteType, fields, 0, { tags, deckName: deckTitle });
    notes.push(note);
    cards.push({
      id: cardIdOf(note.id, 0),
      deckId,
      kind: 'html',
      front: rendered?.question ?? '',
      back: rendered?.answer ?? '',
      source: `Imported from a text file`,
      exam: [],
      tags,
      note: '',
      ...schedule,
      position: cards.length,
      queue: Queue.New,
      origin: 'user',
      rev: 0,
      importedNote: { id: note.id, noteTypeId: basicNoteType.id, ord: 0 },
    });
  }
  return {
    records: {
      decks: [{ id: deckId, title: deckTitle, description: '', position: 0, origin: 'user' }],
      noteTypes: [basicNoteType],
      notes,
      cards,
      log: [],
      media: [],
    },
    // Lines that came in changed are listed too, and say so.
    skipped: [...skipped.map(({ line, reason }) => ({ item: `line ${line}`, reason })), ...warnings.map(({ line, reason }) => ({ item: `line ${line} (imported)`, reason }))],
  };
}
