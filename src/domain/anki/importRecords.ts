// An Anki collection as Kubecards records: decks by name, note types, notes (by guid), one
// 'html' card per Anki card rendered from its template, and each card's review history with
// the schedule Anki gave it. Pure: the merge with what is stored happens later (merge.ts).
import type { TransferRecords } from '../transfer/merge.ts';
import { Queue, type CardRecord, type Deck, type MediaRecord, type NoteRecord, type NoteTypeRecord, type ReviewLogRow, type StudySettings } from '../types.ts';
import { mediaType } from './media.ts';
import type { AnkiCollection, AnkiMediaFile, AnkiNoteType, AnkiRevlog } from './model.ts';
import { AnkiProgressError, progressFromAnki, type AnkiTiming, type ImportedProgress } from './progress.ts';
import { renderCard } from './template.ts';

/** A guid longer than this is not Anki's (they are about 10 characters): such a note is refused. */
const guidLimit = 100;
/** A field longer than this (1 MiB) would make a card too slow to show: such a note is refused. */
const fieldLimit = 1 << 20;

export interface AnkiImport {
  records: TransferRecords;
  skipped: { item: string; reason: string }[];
}

export const noteIdOfGuid = (guid: string): string => `anki-${guid}`;
export const cardIdOf = (noteId: string, ord: number): string => `${noteId}/${ord}`;

/**
 * `now` and `settings` (Kubecards' day start) decide on which local day each due date lands;
 * `onProgress` is told the cards converted so far.
 */
export function recordsFromAnki(
  collection: AnkiCollection,
  media: AnkiMediaFile[],
  now: Date,
  settings: StudySettings,
  onProgress: (done: number, total: number) => void = () => {},
): AnkiImport {
  const skipped: AnkiImport['skipped'] = [];
  const timing: AnkiTiming = {
    created: collection.created,
    creationOffset: collection.creationOffset,
    rolloverHour: collection.rolloverHour,
    now,
    dayStartHour: settings.dayStartHour,
  };

  const noteTypes = new Map<number, NoteTypeRecord>();
  for (const noteType of collection.noteTypes) {
    noteTypes.set(noteType.id, { id: `anki-${noteType.id}`, name: noteType.name, kind: noteType.kind, fields: noteType.fields, templates: noteType.templates, css: noteType.css });
  }
  const ankiNoteTypes = new Map(collection.noteTypes.map((noteType) => [noteType.id, noteType]));
  const ankiDecks = new Map(collection.decks.map((deck) => [deck.id, deck]));
  const presets = new Map(collection.deckConfigs.map((preset) => [preset.id, preset]));

  const notes = new Map<number, { record: NoteRecord; tags: string[]; noteType: AnkiNoteType }>();
  const guids = new Set<string>();
  for (const note of collection.notes) {
    const noteType = ankiNoteTypes.get(note.noteTypeId);
    const problem = !noteType
      ? 'its note type is missing from the package'
      : note.guid.length === 0 || note.guid.length > guidLimit
        ? `its guid is not Anki's (${note.guid.length} characters)`
        : guids.has(note.guid)
          ? 'another note in the package has the same guid'
          : note.fields.some((field) => field.length > fieldLimit)
            ? 'a field is longer than 1 MiB'
            : undefined;
    if (problem) {
      skipped.push({ item: `note ${note.id}`, reason: problem });
      continue;
    }
    guids.add(note.guid);
    // Anki pads missing fields and drops extra ones when a note and its type disagree.
    const fields = noteType!.fields.map((_, index) => note.fields[index] ?? '');
    const record = { id: noteIdOfGuid(note.guid), guid: note.guid, noteTypeId: noteTypes.get(note.noteTypeId)!.id, fields };
    notes.set(note.id, { record, tags: note.tags, noteType: noteType! });
  }

  const revlogOf = new Map<number, AnkiRevlog[]>();
  for (const row of collection.revlog) {
    const rows = revlogOf.get(row.cardId);
    if (rows) rows.push(row);
    else revlogOf.set(row.cardId, [row]);
  }

  const decks = new Map<number, Deck>();
  const cards: CardRecord[] = [];
  const log: ReviewLogRow[] = [];
  const skippedReviews = { cram: 0, manual: 0 };
  collection.cards.forEach((card, index) => {
    if (index % 500 === 0) onProgress(index, collection.cards.length);
    const note = notes.get(card.noteId);
    // A card in a filtered deck comes home to the deck it was moved from, as with its due date.
    const homeDeck = ankiDecks.get(card.originalDeckId || card.deckId);
    if (!note || !homeDeck || homeDeck.filtered) {
      skipped.push({ item: `card ${card.id}`, reason: !note ? 'its note was not imported' : 'its deck is missing from the package' });
      return;
    }
    let deck = decks.get(homeDeck.id);
    if (!deck) {
      deck = { id: `anki-${homeDeck.id}`, title: homeDeck.name, description: '', position: decks.size, origin: 'user' };
      decks.set(homeDeck.id, deck);
    }
    const rendered = renderCard(note.noteType, note.record.fields, card.ord, { tags: note.tags, deckName: homeDeck.name });
    const id = cardIdOf(note.record.id, card.ord);
    let progress: ImportedProgress;
    try {
      progress = progressFromAnki(card, revlogOf.get(card.id) ?? [], { cardId: id, deckId: deck.id }, timing, presets.get(homeDeck.configId ?? -1), settings);
    } catch (error) {
      if (!(error instanceof AnkiProgressError)) throw error;
      skipped.push({ item: `card ${card.id}`, reason: error.message });
      return;
    }
    skippedReviews.cram += progress.skippedReviews.cram;
    skippedReviews.manual += progress.skippedReviews.manual;
    const record: CardRecord = {
      id,
      deckId: deck.id,
      kind: 'html',
      front: rendered?.question ?? '',
      back: rendered?.answer ?? '',
      source: `Anki deck ${homeDeck.name}`,
      exam: [],
      tags: note.tags,
      note: '',
      ...progress.schedule,
      position: progress.position,
      queue: progress.queue,
      origin: 'user',
      rev: 0,
      importedNote: { id: note.record.id, noteTypeId: note.record.noteTypeId, ord: card.ord },
    };
    if (progress.flag) record.flag = progress.flag;
    if (progress.queue === Queue.Buried) record.buriedOnDay = progress.buriedOnDay;
    cards.push(record);
    for (const row of progress.log) log.push(row);
  });
  onProgress(collection.cards.length, collection.cards.length);
  if (skippedReviews.cram) skipped.push({ item: `${skippedReviews.cram} cram reviews`, reason: 'reviews in a filtered deck that did not change the schedule (Anki leaves them out of FSRS too)' });
  if (skippedReviews.manual) skipped.push({ item: `${skippedReviews.manual} manual entries`, reason: 'set-due-date and reschedule entries; the schedule they gave comes with the card' });

  // Only what the imported cards use: a note or note type without cards is left out.
  const usedNotes = new Set(cards.map((card) => card.importedNote!.id));
  const importedNotes = [...notes.values()].map((note) => note.record).filter((note) => usedNotes.has(note.id));
  const usedNoteTypes = new Set(importedNotes.map((note) => note.noteTypeId));
  const mediaRecords: MediaRecord[] = media.map((file) => ({ name: file.name, type: mediaType(file.name), bytes: file.bytes }));
  return {
    records: {
      decks: [...decks.values()],
      noteTypes: [...noteTypes.values()].filter((noteType) => usedNoteTypes.has(noteType.id)),
      notes: importedNotes,
      cards,
      log,
      media: mediaRecords,
    },
    skipped,
  };
}
