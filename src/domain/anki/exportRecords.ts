// Kubecards records as an Anki collection that current Anki imports. Imported notes go back
// with their own note types and fields; Kubecards' own cards (Markdown) become one note each
// of a "Kubecards" note type, with the Markdown as HTML. Ids are Anki's integers, made here.
import { parseMarkdown } from '../markdown.ts';
import { markdownHtml, escapeHtml } from '../markdownHtml.ts';
import { studyDay } from '../studyDay.ts';
import { effectiveSettings } from '../deckSettings.ts';
import type { TransferRecords } from '../transfer/merge.ts';
import { Queue, type CardRecord, type NoteTypeRecord, type StudySettings } from '../types.ts';
import type { AnkiCard, AnkiCollection, AnkiDeck, AnkiDeckConfig, AnkiMediaFile, AnkiNote, AnkiNoteType, AnkiRevlog } from './model.ts';
import { ankiCardColumns, ankiRevlog, type AnkiTiming } from './progress.ts';
import { textHash } from './textRecords.ts';

/** Kubecards' own cards in Anki: one note per card; a cloze card's answer side replaces its question, as here. */
export const kubecardsNoteTypes: Record<'basic' | 'cloze', NoteTypeRecord> = {
  basic: {
    id: 'kubecards-markdown-basic',
    name: 'Kubecards',
    kind: 'standard',
    fields: ['Front', 'Back', 'Note', 'Source'],
    templates: [
      {
        name: 'Card 1',
        front: '{{Front}}',
        back: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}\n{{#Note}}<div class="note">{{Note}}</div>{{/Note}}\n<div class="source">Source: {{Source}}</div>',
      },
    ],
    css: '.card { font-family: system-ui, sans-serif; font-size: 20px; text-align: left; }\n.cloze { font-weight: bold; color: #1565c0; }\n.source { font-size: 14px; opacity: 0.7; margin-top: 1em; }\n',
  },
  cloze: {
    id: 'kubecards-markdown-cloze',
    name: 'Kubecards cloze',
    kind: 'standard',
    fields: ['Front', 'Back', 'Note', 'Source'],
    templates: [
      {
        name: 'Card 1',
        front: '{{Front}}',
        back: '{{Back}}\n{{#Note}}<div class="note">{{Note}}</div>{{/Note}}\n<div class="source">Source: {{Source}}</div>',
      },
    ],
    css: '.card { font-family: system-ui, sans-serif; font-size: 20px; text-align: left; }\n.cloze { font-weight: bold; color: #1565c0; }\n.source { font-size: 14px; opacity: 0.7; margin-top: 1em; }\n',
  },
};

/** A stable Anki id (a positive integer below 2^53) for one of Kubecards' string ids. */
function numericId(id: string, taken: Set<number>): number {
  const fromAnki = /^anki-(\d{1,15})$/.exec(id);
  let value = fromAnki ? Number(fromAnki[1]) : 1_000_000_000 + (parseInt(textHash(id).slice(0, 8), 36) % 1_000_000_000_000);
  while (taken.has(value)) value++;
  taken.add(value);
  return value;
}

function minutes(steps: string[]): number[] {
  return steps.map((step) => {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)([smhd])$/.exec(step) ?? [, '1', 'm'];
    return Number(amount) * { s: 1 / 60, m: 1, h: 60, d: 1440 }[unit as 's' | 'm' | 'h' | 'd'];
  });
}

function markdownField(text: string): string {
  return text ? markdownHtml(parseMarkdown(text)) : '';
}

export interface AnkiExport {
  collection: AnkiCollection;
  media: AnkiMediaFile[];
}

/**
 * `withScheduling` false: every card as new, no review history (Anki's export without
 * scheduling). Due dates are relative to the collection's creation day, written with
 * Kubecards' day start as Anki's rollover.
 */
export function ankiCollectionFromRecords(records: TransferRecords, settings: StudySettings, withScheduling: boolean, now: Date): AnkiExport {
  const dayStartHour = settings.dayStartHour;
  const firstReview = records.log.reduce((earliest, row) => Math.min(earliest, row.reviewedAt.getTime()), now.getTime());
  const created = Math.floor(studyDay(new Date(firstReview), dayStartHour).start.getTime() / 1000);
  const timing: AnkiTiming = { created, rolloverHour: dayStartHour, now, dayStartHour };
  const deckSettings = new Map(records.settings?.decks ?? []);
  const mod = Math.floor(now.getTime() / 1000);

  const deckIds = new Set<number>([1]);
  const deckConfigs: AnkiDeckConfig[] = [];
  const decks: AnkiDeck[] = [{ id: 1, name: 'Default', filtered: false, configId: 1 }];
  const ankiDeckOf = new Map<string, number>();
  const presetOf = new Map<string, StudySettings>();
  for (const deck of records.decks) {
    const id = numericId(deck.id, deckIds);
    const preset = effectiveSettings(settings, deckSettings.get(deck.id));
    deckConfigs.push({
      id,
      name: deck.title,
      newPerDay: preset.newCardsPerDay,
      reviewsPerDay: preset.reviewsPerDay,
      learnSteps: minutes(preset.learningSteps),
      relearnSteps: minutes(preset.relearningSteps),
      maximumIntervalDays: preset.maximumIntervalDays,
      desiredRetention: preset.desiredRetention,
      ...(preset.fsrsParameters && { fsrsParams: preset.fsrsParameters }),
    });
    decks.push({ id, name: deck.title, filtered: false, configId: id });
    ankiDeckOf.set(deck.id, id);
    presetOf.set(deck.id, preset);
  }
  deckConfigs.unshift({ id: 1, name: 'Default', newPerDay: settings.newCardsPerDay, reviewsPerDay: settings.reviewsPerDay, learnSteps: minutes(settings.learningSteps), relearnSteps: minutes(settings.relearningSteps), maximumIntervalDays: settings.maximumIntervalDays, desiredRetention: settings.desiredRetention, ...(settings.fsrsParameters && { fsrsParams: settings.fsrsParameters }) });

  const noteTypeIds = new Set<number>();
  const noteTypes: AnkiNoteType[] = [];
  const ankiNoteTypeOf = new Map<string, number>();
  const addNoteType = (noteType: NoteTypeRecord) => {
    if (ankiNoteTypeOf.has(noteType.id)) return;
    const id = numericId(noteType.id, noteTypeIds);
    ankiNoteTypeOf.set(noteType.id, id);
    noteTypes.push({ id, name: noteType.name, kind: noteType.kind, fields: noteType.fields, templates: noteType.templates, css: noteType.css });
  };
  records.noteTypes.forEach(addNoteType);

  const noteIds = new Set<number>();
  const cardIds = new Set<number>();
  const usedRevlogIds = new Set<number>();
  const notes: AnkiNote[] = [];
  const cards: AnkiCard[] = [];
  const revlog: AnkiRevlog[] = [];
  const importedNotes = new Map(records.notes.map((note) => [note.id, note]));
  const ankiNoteOf = new Map<string, AnkiNote>();
  const logOf = new Map<string, TransferRecords['log']>();
  for (const row of records.log) {
    const rows = logOf.get(row.cardId);
    if (rows) rows.push(row);
    else logOf.set(row.cardId, [row]);
  }

  const noteFor = (card: CardRecord): AnkiNote | undefined => {
    const imported = card.importedNote && importedNotes.get(card.importedNote.id);
    const key = imported ? imported.id : card.id;
    const existing = ankiNoteOf.get(key);
    if (existing) {
      for (const tag of card.tags) if (!existing.tags.includes(tag)) existing.tags.push(tag);
      return existing;
    }
    let note: AnkiNote;
    if (imported) {
      const noteTypeId = ankiNoteTypeOf.get(imported.noteTypeId);
      if (noteTypeId === undefined) return undefined;
      note = { id: numericId(`note:${imported.id}`, noteIds), guid: imported.guid, noteTypeId, mod, tags: [...card.tags], fields: imported.fields };
    } else {
      const noteType = kubecardsNoteTypes[card.kind === 'cloze' ? 'cloze' : 'basic'];
      addNoteType(noteType);
      const fields = [markdownField(card.front), markdownField(card.back), markdownField(card.note), escapeHtml(card.source)];
      note = { id: numericId(`note:${card.id}`, noteIds), guid: card.id, noteTypeId: ankiNoteTypeOf.get(noteType.id)!, mod, tags: [...card.tags], fields };
    }
    ankiNoteOf.set(key, note);
    notes.push(note);
    return note;
  };

  for (const card of records.cards) {
    if (card.queue === Queue.Retired) continue;
    const note = noteFor(card);
    const deckId = ankiDeckOf.get(card.deckId);
    if (!note || deckId === undefined) continue;
    const id = numericId(`card:${card.id}`, cardIds);
    const preset = presetOf.get(card.deckId) ?? settings;
    const columns = withScheduling
      ? ankiCardColumns(card, timing, preset.desiredRetention, preset.learningSteps, preset.relearningSteps)
      : { type: 0, queue: 0, due: card.position, interval: 0, factor: 0, reps: 0, lapses: 0, left: 0, flags: 0, data: '{}' };
    cards.push({ id, noteId: note.id, deckId, ord: card.importedNote?.ord ?? 0, mod, originalDue: 0, originalDeckId: 0, ...columns });
    if (withScheduling) for (const row of ankiRevlog(logOf.get(card.id) ?? [], id, usedRevlogIds)) revlog.push(row);
  }

  return {
    collection: { schema: 11, created, rolloverHour: dayStartHour, noteTypes, decks, deckConfigs, notes, cards, revlog },
    media: records.media.map((file) => ({ name: file.name, bytes: file.bytes })),
  };
}
