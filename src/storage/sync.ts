// Storage for sync, in the sync worker next to the page's own connection: what this device
// has to send (the outbox, or everything on a first sync), and applying what came from the
// other devices. Applying is a union of logs and a field-by-field merge of records, after
// which every card whose log changed is replayed from it, so that two devices holding the
// same log show the same schedule. Each batch is applied in one transaction.
import { effectiveSettings } from '../domain/deckSettings.ts';
import { formToSettings, settingsToForm } from '../domain/settings.ts';
import { replaySchedule, schedulerForSettings } from '../domain/scheduler.ts';
import { newSchedule } from '../domain/schedule.ts';
import { formatClock } from '../domain/sync/clock.ts';
import { latestClock, logDocId, type LogDoc, type MediaDoc, type RecordDoc, type SyncDoc } from '../domain/sync/documents.ts';
import {
  cardDocId,
  cardFields,
  cardFromFields,
  deckDocId,
  deckFields,
  deckFromFields,
  deckSettingNames,
  deckSettingsDocId,
  logRowFromSynced,
  mediaDoc,
  mediaFromDoc,
  noteDocId,
  noteFields,
  noteFromFields,
  noteTypeDocId,
  ownCardFields,
  ownDeckFields,
  settingsFields,
  settingsFromFields,
  studySettingsDocId,
  syncedLogRow,
  type Fields,
} from '../domain/sync/records.ts';
import type { SyncStatus } from '../domain/sync/status.ts';
import {
  defaultSettings,
  studySettingKeys,
  Queue,
  queueForState,
  type CardRecord,
  type DeckSettings,
  type ReviewLogRow,
  type StudySettings,
} from '../domain/types.ts';
import { ChangeChannel } from './changes.ts';
import { openSideConnection, type KubecardsDatabase, type OutboxRow } from './database.ts';
import { openDeviceIdentity, type DeviceIdentity, type StoredLogRow } from './syncOutbox.ts';

/** What this device sends: its version of each document, and the outbox rows it was made from. */
export interface LocalChanges {
  docs: SyncDoc[];
  taken: OutboxRow[];
}

export interface AppliedCounts {
  cards: number;
  rows: number;
  settingsChanged: boolean;
}

const held: readonly Queue[] = [Queue.Suspended, Queue.Buried, Queue.Retired];

/** Whether settings from another device are ones the settings form would save (a damaged document's are not). */
function validSettings(settings: StudySettings): boolean {
  try {
    return 'settings' in formToSettings(settingsToForm(settings));
  } catch {
    return false;
  }
}

function utcDayBounds(docId: string): [Date, Date] {
  const start = new Date(`${docId.split(':')[2]}T00:00:00Z`);
  return [start, new Date(start.getTime() + 86_400_000)];
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}

export class SyncStorage {
  private readonly db: KubecardsDatabase;
  private readonly changes: ChangeChannel;
  private identity?: Promise<DeviceIdentity>;

  constructor(name = 'kubecards') {
    this.db = openSideConnection(name);
    this.changes = new ChangeChannel(name);
  }

  close(): void {
    this.db.close();
    this.changes.close();
  }

  private device(): Promise<DeviceIdentity> {
    this.identity ??= openDeviceIdentity(this.db);
    return this.identity;
  }

  /** How far the local replica's changes were applied here; undefined before the first sync. */
  async appliedSeq(): Promise<string | number | undefined> {
    return (await this.db.meta.get('syncAppliedSeq'))?.value as string | number | undefined;
  }

  async syncStatus(): Promise<SyncStatus> {
    return ((await this.db.meta.get('syncStatus'))?.value as SyncStatus | undefined) ?? {};
  }

  async saveStatus(status: SyncStatus): Promise<void> {
    await this.db.meta.put({ key: 'syncStatus', value: status });
  }

  /**
   * This device's version of every document it has to send: those in the outbox, or on a
   * first sync everything of the user's own (built-in decks and cards only where the user
   * changed them). A field changed before the outbox existed gets the oldest clock, so that
   * any change made on a device since wins over it.
   */
  async localChanges(everything: boolean): Promise<LocalChanges> {
    const { db } = this;
    const { deviceId } = await this.device();
    return db.transaction('r', [db.syncOutbox, db.cards, db.decks, db.reviewLog, db.logTombstones, db.settings, db.notes, db.noteTypes, db.media], async () => {
      const taken = await db.syncOutbox.toArray();
      const pending = new Map(taken.map((entry) => [entry.docId, entry]));
      const docs = new Map<string, SyncDoc>();
      const oldest = formatClock(0, deviceId);
      // `own`: what a first sync sends of the record besides the fields changed since the outbox began.
      const addRecord = (docId: string, fields: Fields, own: Fields = fields, fallback = (_name: string) => oldest) => {
        const clocks = pending.get(docId)?.clocks ?? {};
        const names = everything ? [...new Set([...Object.keys(own), ...Object.keys(clocks)])] : Object.keys(clocks);
        if (names.length === 0) return;
        docs.set(docId, {
          _id: docId,
          type: 'record',
          fields: Object.fromEntries(names.map((name) => [name, fields[name] ?? null])),
          clocks: Object.fromEntries(names.map((name) => [name, clocks[name] ?? fallback(name)])),
        });
      };
      const editedClock = (editedAt: Date | undefined) => (editedAt ? formatClock(editedAt.getTime(), deviceId) : oldest);

      const byPrefix = (prefix: string) => [...pending.keys()].filter((docId) => docId.startsWith(prefix)).map((docId) => docId.slice(prefix.length));
      const cards = everything ? await db.cards.toArray() : (await db.cards.bulkGet(byPrefix('card:'))).filter((card) => card !== undefined);
      const cardIds = new Set(cards.map((card) => card.id));
      for (const card of cards) addRecord(cardDocId(card.id), cardFields(card), ownCardFields(card), () => editedClock(card.editedAt));
      // Cards gone since their change: their document says so.
      for (const id of byPrefix('card:')) if (!cardIds.has(id)) addRecord(cardDocId(id), cardFields(undefined));

      const decks = everything ? await db.decks.toArray() : (await db.decks.bulkGet(byPrefix('deck:'))).filter((deck) => deck !== undefined);
      const deckIds = new Set(decks.map((deck) => deck.id));
      for (const deck of decks) addRecord(deckDocId(deck.id), deckFields(deck), ownDeckFields(deck), () => editedClock(deck.editedAt));
      for (const id of byPrefix('deck:')) if (!deckIds.has(id)) addRecord(deckDocId(id), deckFields(undefined));

      const settingRows = await db.settings.toArray();
      const study = settingRows.find((row) => row.key === 'study')?.value as StudySettings | undefined;
      if (study || pending.has(studySettingsDocId)) addRecord(studySettingsDocId, settingsFields({ ...defaultSettings, ...study }, studySettingKeys));
      const deckSettings = new Map(settingRows.filter((row) => row.key.startsWith('deck:')).map((row) => [row.key.slice('deck:'.length), row.value as DeckSettings]));
      for (const deckId of new Set([...(everything ? deckSettings.keys() : []), ...byPrefix('settings:deck:')])) {
        addRecord(deckSettingsDocId(deckId), settingsFields(deckSettings.get(deckId), deckSettingNames));
      }

      const notes = everything ? await db.notes.toArray() : (await db.notes.bulkGet(byPrefix('note:'))).filter((note) => note !== undefined);
      for (const note of notes) addRecord(noteDocId(note.id), noteFields(note));
      const noteTypes = everything ? await db.noteTypes.toArray() : (await db.noteTypes.bulkGet(byPrefix('noteType:'))).filter((type) => type !== undefined);
      for (const noteType of noteTypes) addRecord(noteTypeDocId(noteType.id), noteFields(noteType));
      const media = everything ? await db.media.toArray() : (await db.media.bulkGet(byPrefix('media:'))).filter((file) => file !== undefined);
      for (const file of media) docs.set(`media:${file.name}`, mediaDoc(file));

      // Log batches: every row, or the rows of each batch in the outbox, with its tombstones.
      const logDocs = new Map<string, LogDoc>();
      const batch = (docId: string) => {
        let doc = logDocs.get(docId);
        if (!doc) logDocs.set(docId, (doc = { _id: docId, type: 'log', rows: [], undone: [] }));
        return doc;
      };
      const addRow = (row: ReviewLogRow) => {
        if (!row.uid) return;
        const docId = logDocId(row.uid, row.reviewedAt.getTime());
        if (everything || pending.has(docId)) batch(docId).rows.push(syncedLogRow(row as StoredLogRow));
      };
      const logIds = byPrefix('log:').map((rest) => `log:${rest}`);
      if (everything) await db.reviewLog.each(addRow);
      else {
        for (const docId of logIds) {
          const [start, end] = utcDayBounds(docId);
          batch(docId);
          await db.reviewLog.where('reviewedAt').between(start, end, true, false).each(addRow);
        }
      }
      const tombstones = everything ? await db.logTombstones.toArray() : await db.logTombstones.where('docId').anyOf(logIds).toArray();
      for (const tombstone of tombstones) batch(tombstone.docId).undone.push(tombstone.uid);
      for (const doc of logDocs.values()) {
        const gone = new Set(doc.undone);
        doc.rows = doc.rows.filter((row) => !gone.has(row.uid));
        if (doc.rows.length > 0 || doc.undone.length > 0) docs.set(doc._id, doc);
      }
      return { docs: [...docs.values()], taken };
    });
  }

  /** How many documents wait to be sent. */
  async waiting(): Promise<number> {
    return this.db.syncOutbox.count();
  }

  /** Clears the outbox rows that were sent, unless a change came since they were read. */
  async clearOutbox(taken: OutboxRow[]): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.syncOutbox, async () => {
      const current = await db.syncOutbox.bulkGet(taken.map((entry) => entry.docId));
      await db.syncOutbox.bulkDelete(taken.filter((entry, index) => current[index]?.mark === entry.mark).map((entry) => entry.docId));
    });
  }

  /**
   * Applies documents from the other devices in one transaction: records field by field
   * (a field changed here since, not yet sent, keeps its newer value), then log rows not
   * stored yet (and rows undone elsewhere taken out), then a replay of every card whose log
   * changed. `seq`, when given, is stored with them: how far the replica's changes are applied.
   */
  async apply(docs: SyncDoc[], seq?: string | number): Promise<AppliedCounts> {
    const { db } = this;
    const identity = await this.device();
    const tables = [db.cards, db.decks, db.reviewLog, db.settings, db.notes, db.noteTypes, db.media, db.syncOutbox, db.meta];
    const result = await db.transaction('rw', tables, async () => {
      const records = docs.filter((doc): doc is RecordDoc => doc.type === 'record');
      const logDocs = docs.filter((doc): doc is LogDoc => doc.type === 'log');
      const outbox = new Map((await db.syncOutbox.bulkGet(records.map((doc) => doc._id))).flatMap((entry) => (entry ? [[entry.docId, entry]] : [])));
      // A field changed here after this sync sent its changes keeps the local value.
      const newer = (doc: RecordDoc): Fields => {
        const pending = outbox.get(doc._id)?.clocks ?? {};
        return Object.fromEntries(Object.entries(doc.fields).filter(([name]) => !(pending[name] && pending[name] > (doc.clocks[name] ?? ''))));
      };
      for (const doc of records) {
        const clock = latestClock(doc);
        if (clock) identity.clock.observe(clock, Date.now());
      }
      const ofKind = (prefix: string) => records.filter((doc) => doc._id.startsWith(prefix)).map((doc) => ({ id: doc._id.slice(prefix.length), fields: newer(doc) }));

      // Settings first: the replay below schedules with them.
      let settingsChanged = false;
      const studyDoc = records.find((doc) => doc._id === studySettingsDocId);
      const storedStudy = (await db.settings.get('study'))?.value as StudySettings | undefined;
      let study: StudySettings = { ...defaultSettings, ...storedStudy };
      if (studyDoc) {
        const next = settingsFromFields({ ...study }, newer(studyDoc));
        if (validSettings(next) && JSON.stringify(next) !== JSON.stringify(study)) {
          await db.settings.put({ key: 'study', value: next });
          settingsChanged = true;
        }
        study = next;
      }
      for (const { id, fields } of ofKind('settings:deck:')) {
        const key = `deck:${id}` as const;
        const before = (await db.settings.get(key))?.value as DeckSettings | undefined;
        const next = settingsFromFields<DeckSettings>(before, fields);
        if (!validSettings({ ...study, ...next }) || JSON.stringify(next) === JSON.stringify(before ?? {})) continue;
        if (Object.keys(next).length > 0) await db.settings.put({ key, value: next });
        else await db.settings.delete(key);
        settingsChanged = true;
      }
      const deckSettings = new Map(
        (await db.settings.where('key').startsWith('deck:').toArray()).map((row) => [row.key.slice('deck:'.length), row.value as DeckSettings]),
      );
      const schedulerFor = (deckId: string) => schedulerForSettings(effectiveSettings(study, deckSettings.get(deckId)));

      const changedDeckIds: string[] = [];
      for (const { id, fields } of ofKind('deck:')) {
        const stored = await db.decks.get(id);
        const deck = deckFromFields(id, stored, fields);
        if (deck === 'unknown' || (deck === 'deleted' && !stored)) continue;
        if (deck === 'deleted') await db.decks.delete(id);
        else if (JSON.stringify(deck) !== JSON.stringify(stored)) await db.decks.put(deck);
        else continue;
        changedDeckIds.push(id);
      }
      for (const { fields } of [...ofKind('note:'), ...ofKind('noteType:')]) {
        const record = noteFromFields(fields);
        if (record && 'note' in record) await db.notes.put(record.note);
        else if (record) await db.noteTypes.put(record.noteType);
      }
      // Media files never change: one already stored under the name stays.
      const files = docs.flatMap((doc) => (doc.type === 'media' ? [mediaFromDoc(doc as MediaDoc)] : [])).filter((file) => file !== undefined);
      const storedFiles = await db.media.bulkGet(files.map((file) => file.name));
      await db.media.bulkAdd(files.filter((_, index) => !storedFiles[index]));

      // Cards: content and state from their documents; new ones start new, then replay below.
      const now = new Date();
      const cardDocs = ofKind('card:');
      const cardsById = new Map((await db.cards.bulkGet(cardDocs.map((doc) => doc.id))).flatMap((card) => (card ? [[card.id, card]] : [])));
      const written = new Map<string, CardRecord>();
      const toReplay = new Set<string>();
      const deletedCardIds: string[] = [];
      for (const { id, fields } of cardDocs) {
        const stored = cardsById.get(id);
        const card = cardFromFields(id, stored, fields, newSchedule(now));
        if (card === 'unknown' || (card === 'deleted' && !stored)) continue;
        if (card === 'deleted') {
          deletedCardIds.push(id);
          continue;
        }
        if (JSON.stringify(card) === JSON.stringify(stored)) continue;
        written.set(id, card);
        if (!stored) toReplay.add(id);
      }
      if (deletedCardIds.length > 0) {
        await db.reviewLog.where('cardId').anyOf(deletedCardIds).delete();
        await db.cards.bulkDelete(deletedCardIds);
      }

      // The log: rows of cards stored here that are not here yet, and rows undone elsewhere.
      const incoming = logDocs.flatMap((doc) => {
        const undone = new Set(doc.undone);
        return doc.rows.filter((row) => !undone.has(row.uid));
      });
      const undoneUids = new Set(logDocs.flatMap((doc) => doc.undone));
      // Rows undone elsewhere are found by their batch's day (a tombstone names only the row).
      const undoneHere: ReviewLogRow[] = [];
      for (const doc of logDocs) {
        if (doc.undone.length === 0) continue;
        const [dayStart, dayEnd] = utcDayBounds(doc._id);
        undoneHere.push(...(await db.reviewLog.where('reviewedAt').between(dayStart, dayEnd, true, false).filter((row) => !!row.uid && undoneUids.has(row.uid)).toArray()));
      }
      const logCardIds = [...new Set([...incoming.map((row) => row.cardId), ...undoneHere.map((row) => row.cardId), ...toReplay])];
      const present = new Set([...(await db.cards.bulkGet(logCardIds.filter((id) => !written.has(id)))).flatMap((card) => (card ? [card.id] : [])), ...written.keys()]);
      const storedRows = await db.reviewLog.where('cardId').anyOf([...present]).toArray();
      const logs = new Map<string, ReviewLogRow[]>();
      const knownUids = new Set<string>();
      const removed: number[] = [];
      for (const row of storedRows) {
        if (row.uid && undoneUids.has(row.uid)) {
          removed.push(row.id!);
          toReplay.add(row.cardId);
          continue;
        }
        if (row.uid) knownUids.add(row.uid);
        pushTo(logs, row.cardId, row);
      }
      const added: ReviewLogRow[] = [];
      for (const synced of incoming) {
        if (knownUids.has(synced.uid) || !present.has(synced.cardId)) continue;
        const row = logRowFromSynced(synced);
        if (!row) continue;
        knownUids.add(row.uid);
        added.push(row);
        pushTo(logs, row.cardId, row);
        toReplay.add(row.cardId);
      }
      await db.reviewLog.bulkDelete(removed);
      await db.reviewLog.bulkAdd(added);

      // Every card whose log changed gets the schedule the log replays to.
      const replayIds = [...toReplay].filter((id) => present.has(id));
      const toRead = replayIds.filter((id) => !written.has(id));
      for (const card of await db.cards.bulkGet(toRead)) if (card) written.set(card.id, card);
      const stored = new Map((await db.cards.bulkGet([...written.keys()])).flatMap((card) => (card ? [[card.id, card]] : [])));
      for (const id of replayIds) {
        const card = written.get(id);
        if (!card) continue;
        // A log left empty (its only answer undone elsewhere) leaves a new card.
        const schedule = replaySchedule(schedulerFor(card.deckId), id, logs.get(id) ?? []) ?? newSchedule(now);
        const replayed: CardRecord = { ...card, ...schedule, queue: held.includes(card.queue) ? card.queue : queueForState(schedule.state) };
        if (!schedule.last_review) delete replayed.last_review;
        // A card the replay leaves as it is keeps its revision: a screen showing it stays valid.
        if (stored.has(id) && JSON.stringify(replayed) === JSON.stringify(stored.get(id))) written.delete(id);
        else written.set(id, replayed);
      }
      await db.cards.bulkPut([...written.values()].map((card) => ({ ...card, rev: (stored.get(card.id)?.rev ?? card.rev) + (stored.has(card.id) ? 1 : 0) })));
      if (seq !== undefined) await db.meta.put({ key: 'syncAppliedSeq', value: seq });
      await db.meta.put({ key: 'clock', value: identity.clock.latest });
      return {
        counts: { cards: written.size + deletedCardIds.length, rows: added.length + removed.length, settingsChanged },
        cardIds: [...written.keys(), ...deletedCardIds],
        deckIds: changedDeckIds,
      };
    });
    this.changes.announce({ cardIds: result.cardIds, deckIds: result.deckIds });
    return result.counts;
  }

  /** Forgets where sync stood (another server or database): the next sync is a first one. */
  async forgetProgress(): Promise<void> {
    await this.db.meta.delete('syncAppliedSeq');
  }
}
