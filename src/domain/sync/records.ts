// The app's records as the fields of sync documents, and back. Only what the user made or
// chose is a field: a card's content, deck, flag, suspension and burial, not its schedule
// (the log replays it). Values are JSON: dates as epoch milliseconds, absent as null.
import {
  deckSettingKeys,
  isAnswer,
  Queue,
  queueForState,
  type CardRecord,
  type Deck,
  type DeckSettings,
  type MediaRecord,
  type NoteRecord,
  type NoteTypeRecord,
  type ReviewLogRow,
  type Schedule,
  type StudySettings,
} from '../types.ts';
import type { Json, MediaDoc, SyncedLogRow } from './documents.ts';

export type Fields = Record<string, Json>;

const cardKinds: readonly string[] = ['basic', 'cloze', 'html'] satisfies CardRecord['kind'][];

export const cardDocId = (cardId: string) => `card:${cardId}`;
export const deckDocId = (deckId: string) => `deck:${deckId}`;
export const studySettingsDocId = 'settings:study';
export const deckSettingsDocId = (deckId: string) => `settings:deck:${deckId}`;
export const noteDocId = (noteId: string) => `note:${noteId}`;
export const noteTypeDocId = (noteTypeId: string) => `noteType:${noteTypeId}`;
export const mediaDocId = (name: string) => `media:${name}`;

const time = (date: Date | undefined): Json => (date ? date.getTime() : null);
const json = (value: unknown): Json => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json));

/** A card as fields; a card that is gone is only `deleted`. */
export function cardFields(card: CardRecord | undefined): Fields {
  if (!card) return { deleted: true };
  return {
    kind: card.kind,
    front: card.front,
    back: card.back,
    source: card.source,
    exam: json(card.exam),
    tags: json(card.tags),
    note: card.note,
    cloze: json(card.cloze),
    importedNote: json(card.importedNote),
    editedAt: time(card.editedAt),
    deckId: card.deckId,
    position: card.position,
    origin: card.origin,
    flag: card.flag ?? 0,
    suspended: card.queue === Queue.Suspended,
    buriedOnDay: card.queue === Queue.Buried ? (card.buriedOnDay ?? 0) : null,
    retired: card.queue === Queue.Retired,
    deleted: false,
  };
}

/**
 * What a first sync sends of a card: all of a user's card; of a built-in card only what the
 * user changed (its flag, suspension, burial, leech tag, or its text once edited), since
 * every device has the built-in decks already.
 */
export function ownCardFields(card: CardRecord): Fields {
  const fields = cardFields(card);
  if (card.origin === 'user') return fields;
  const own: Fields = {};
  if (card.editedAt) for (const name of ['kind', 'front', 'back', 'source', 'exam', 'tags', 'note', 'cloze', 'editedAt']) own[name] = fields[name];
  if (card.tags.includes('leech')) own.tags = fields.tags;
  if (fields.flag) own.flag = fields.flag;
  if (fields.suspended) own.suspended = true;
  if (fields.buriedOnDay !== null) own.buriedOnDay = fields.buriedOnDay;
  return own;
}

/** Names of the fields whose values differ (all of `after`'s when there was no `before`). */
export function changedFields(before: Fields | undefined, after: Fields): string[] {
  return Object.keys(after).filter((name) => !before || JSON.stringify(before[name] ?? null) !== JSON.stringify(after[name] ?? null));
}

/**
 * The card the fields make, over the card as stored: 'deleted' when they say it is gone,
 * 'unknown' when it is not stored and they do not say what it is (a built-in card this app
 * version does not have). A new card starts with `schedule`; the caller replays its log.
 */
export function cardFromFields(id: string, stored: CardRecord | undefined, fields: Fields, schedule: Schedule): CardRecord | 'deleted' | 'unknown' {
  const merged = { ...(stored ? cardFields(stored) : {}), ...fields };
  if (merged.deleted === true) return 'deleted';
  if (!stored && (typeof merged.front !== 'string' || typeof merged.deckId !== 'string')) return 'unknown';
  // Another device, or anyone with the password, wrote these: a card of no kind this app shows stays out.
  if (!cardKinds.includes(merged.kind as string)) return 'unknown';
  const base: CardRecord = stored ?? ({ id, rev: 0, ...schedule } as CardRecord);
  const card: CardRecord = {
    ...base,
    kind: merged.kind as CardRecord['kind'],
    front: String(merged.front ?? ''),
    back: String(merged.back ?? ''),
    source: String(merged.source ?? ''),
    exam: (Array.isArray(merged.exam) ? merged.exam : []) as CardRecord['exam'],
    tags: (Array.isArray(merged.tags) ? merged.tags.map(String) : []) as string[],
    note: String(merged.note ?? ''),
    deckId: String(merged.deckId),
    position: Number(merged.position ?? 0),
    origin: merged.origin === 'built-in' ? 'built-in' : 'user',
  };
  for (const name of ['cloze', 'importedNote'] as const) {
    if (merged[name] && typeof merged[name] === 'object') card[name] = merged[name] as never;
    else delete card[name];
  }
  if (typeof merged.editedAt === 'number') card.editedAt = new Date(merged.editedAt);
  else delete card.editedAt;
  if (typeof merged.flag === 'number' && merged.flag > 0) card.flag = merged.flag;
  else delete card.flag;
  delete card.buriedOnDay;
  if (merged.retired === true) card.queue = Queue.Retired;
  else if (merged.suspended === true) card.queue = Queue.Suspended;
  else if (typeof merged.buriedOnDay === 'number') {
    card.queue = Queue.Buried;
    card.buriedOnDay = merged.buriedOnDay;
  } else card.queue = queueForState(card.state);
  return card;
}

export function deckFields(deck: Deck | undefined): Fields {
  if (!deck) return { deleted: true };
  return { title: deck.title, description: deck.description, position: deck.position, origin: deck.origin, editedAt: time(deck.editedAt), deleted: false };
}

/** What a first sync sends of a deck: a user's deck, or a built-in one's name once renamed. */
export function ownDeckFields(deck: Deck): Fields {
  const fields = deckFields(deck);
  if (deck.origin === 'user') return fields;
  return deck.editedAt ? { title: fields.title, description: fields.description, editedAt: fields.editedAt } : {};
}

export function deckFromFields(id: string, stored: Deck | undefined, fields: Fields): Deck | 'deleted' | 'unknown' {
  const merged = { ...(stored ? deckFields(stored) : {}), ...fields };
  if (merged.deleted === true) return 'deleted';
  // A built-in deck this app version lacks sends only its new name: no deck is made of that.
  if (!stored && (typeof merged.title !== 'string' || typeof merged.origin !== 'string')) return 'unknown';
  const deck: Deck = {
    ...(stored ?? { id }),
    id,
    title: String(merged.title),
    description: String(merged.description ?? ''),
    position: Number(merged.position ?? stored?.position ?? 0),
    origin: merged.origin === 'built-in' ? 'built-in' : 'user',
  };
  if (typeof merged.editedAt === 'number') deck.editedAt = new Date(merged.editedAt);
  else delete deck.editedAt;
  return deck;
}

/** Settings as fields, one per setting; a deck setting it does not set is null. */
export function settingsFields(settings: StudySettings | DeckSettings | undefined, names: readonly string[]): Fields {
  return Object.fromEntries(names.map((name) => [name, json((settings as Record<string, unknown> | undefined)?.[name])]));
}

export const deckSettingNames: readonly string[] = deckSettingKeys;

export function settingsFromFields<T extends StudySettings | DeckSettings>(stored: T | undefined, fields: Fields): T {
  const settings: Record<string, unknown> = { ...stored };
  for (const [name, value] of Object.entries(fields)) {
    if (value === null) delete settings[name];
    else settings[name] = value;
  }
  return settings as T;
}

export function noteFields(note: NoteRecord | NoteTypeRecord): Fields {
  return { record: json(note) };
}

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The imported note or note type a document holds, if it has the shape this app writes. */
export function noteFromFields(fields: Fields): { note: NoteRecord } | { noteType: NoteTypeRecord } | undefined {
  const record = fields.record as Record<string, unknown> | null | undefined;
  if (!record || typeof record !== 'object' || typeof record.id !== 'string' || !isStrings(record.fields)) return undefined;
  if (typeof record.guid === 'string' && typeof record.noteTypeId === 'string') return { note: record as unknown as NoteRecord };
  const templates = record.templates;
  const templatesValid = Array.isArray(templates) && templates.every((template) => template && ['name', 'front', 'back'].every((name) => typeof template[name] === 'string'));
  if (typeof record.name === 'string' && (record.kind === 'standard' || record.kind === 'cloze') && typeof record.css === 'string' && templatesValid) {
    return { noteType: record as unknown as NoteTypeRecord };
  }
  return undefined;
}

/** A log row as JSON, with the id it is known by on every device. */
export function syncedLogRow(row: ReviewLogRow & { uid: string }): SyncedLogRow {
  const { id: _id, ...rest } = row;
  const common = { uid: row.uid, cardId: row.cardId, deckId: row.deckId, reviewedAt: row.reviewedAt.getTime() };
  if (isAnswer(row)) {
    return { ...(rest as unknown as Record<string, Json>), ...common, kind: 'answer', due: row.due.getTime() };
  }
  const schedule = { ...row.schedule, due: row.schedule.due.getTime(), last_review: time(row.schedule.last_review) } as unknown as Json;
  return { ...common, kind: row.kind, schedule };
}

const manualKinds = new Set(['reset', 'reschedule', 'import']);

/** The stored row for a synced one, or undefined when it is not a row this app writes. */
export function logRowFromSynced(row: SyncedLogRow): (ReviewLogRow & { uid: string }) | undefined {
  const common = { uid: row.uid, cardId: row.cardId, deckId: row.deckId, reviewedAt: new Date(row.reviewedAt) };
  if (row.kind === 'answer') {
    const numbers = ['rating', 'stateBefore', 'due', 'stability', 'difficulty', 'scheduledDays', 'durationMs'] as const;
    if (!numbers.every((name) => Number.isFinite(row[name]))) return undefined;
    const [rating, stateBefore, due, stability, difficulty, scheduledDays, durationMs] = numbers.map((name) => row[name] as number);
    if (![1, 2, 3, 4].includes(rating)) return undefined;
    return { ...common, kind: 'answer', rating: rating as 1 | 2 | 3 | 4, stateBefore, due: new Date(due), stability, difficulty, scheduledDays, durationMs };
  }
  const schedule = row.schedule as Record<string, Json> | null;
  if (!manualKinds.has(row.kind) || !schedule || typeof schedule !== 'object' || !Number.isFinite(schedule.due)) return undefined;
  const restored = { ...schedule, due: new Date(schedule.due as number) } as unknown as Schedule;
  if (typeof schedule.last_review === 'number') restored.last_review = new Date(schedule.last_review);
  else delete restored.last_review;
  return { ...common, kind: row.kind as 'reset' | 'reschedule' | 'import', schedule: restored };
}

/** A media file as its document, the bytes in base64 (String.fromCharCode in slices: one call per byte would be slow, one call for all too big). */
export function mediaDoc(file: MediaRecord): MediaDoc {
  let binary = '';
  for (let start = 0; start < file.bytes.length; start += 0x8000) binary += String.fromCharCode(...file.bytes.subarray(start, start + 0x8000));
  return { _id: mediaDocId(file.name), type: 'media', contentType: file.type, data: btoa(binary) };
}

/** The media file a document holds, or undefined without its bytes or with bytes that are not base64. */
export function mediaFromDoc(doc: MediaDoc): MediaRecord | undefined {
  if (doc.data === undefined) return undefined;
  try {
    const binary = atob(doc.data);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return { name: doc._id.slice('media:'.length), type: doc.contentType, bytes };
  } catch {
    return undefined;
  }
}
