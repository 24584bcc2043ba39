// Storage for data that comes in and goes out as a whole: imports, exports and backups. It
// runs in the transfer worker, next to the page's own connection; an import is written in
// one transaction, so a failed or cancelled one writes nothing.
import Dexie, { type Transaction } from 'dexie';
import { effectiveSettings } from '../domain/deckSettings.ts';
import { schedulerForSettings } from '../domain/scheduler.ts';
import { planMerge, type MergeMode, type MergePlan, type StoredState, type TransferRecords } from '../domain/transfer/merge.ts';
import { defaultSettings, Queue, type DeckSettings, type ReviewLogRow, type StudySettings } from '../domain/types.ts';
import { ChangeChannel } from './changes.ts';
import { openSideConnection, type KubecardsDatabase } from './database.ts';
import { mediaDocId, noteDocId, noteFields, noteTypeDocId } from '../domain/sync/records.ts';
import { openSyncRecorder } from './syncOutbox.ts';

export class TransferStorage {
  private readonly db: KubecardsDatabase;
  private readonly changes: ChangeChannel;
  private transaction?: Transaction;

  constructor(name = 'kubecards') {
    this.db = openSideConnection(name);
    this.changes = new ChangeChannel(name);
  }

  close(): void {
    this.db.close();
    this.changes.close();
  }

  async studySettings(): Promise<StudySettings> {
    return { ...defaultSettings, ...settingsFromRows(await this.db.settings.toArray()).study };
  }

  /** Aborts the merge being written, if any: then nothing of it is stored. */
  abort(): void {
    this.transaction?.abort();
  }

  /**
   * Merges `incoming` into what is stored, in one transaction (see planMerge), and tells the
   * other tabs. `beforeWrite` runs once the plan is made and may still throw to stop it.
   */
  async merge(incoming: TransferRecords, mode: MergeMode, beforeWrite: (plan: MergePlan) => void = () => {}): Promise<MergePlan> {
    const { db } = this;
    const sync = await openSyncRecorder(db);
    const tables = [db.decks, db.cards, db.notes, db.noteTypes, db.reviewLog, db.media, db.settings, db.syncOutbox];
    const plan = await db.transaction('rw', tables, async (transaction) => {
      this.transaction = transaction;
      const cardIds = incoming.cards.map((card) => card.id);
      const [decks, cards, notes, noteTypes, logRows, media, settingRows] = await Promise.all([
        db.decks.toArray(),
        db.cards.bulkGet(cardIds),
        db.notes.bulkGet(incoming.notes.map((note) => note.id)),
        db.noteTypes.bulkGet(incoming.noteTypes.map((noteType) => noteType.id)),
        db.reviewLog.where('cardId').anyOf(cardIds).toArray(),
        db.media.bulkGet(incoming.media.map((file) => file.name)),
        db.settings.toArray(),
      ]);
      const nextPositions = new Map<string, number>();
      for (const deck of decks) {
        const last = await db.cards.where('[deckId+queue+position]').between([deck.id, Queue.New, Dexie.minKey], [deck.id, Queue.New, Dexie.maxKey]).last();
        nextPositions.set(deck.id, Math.max(await db.cards.where('deckId').equals(deck.id).count(), (last?.position ?? -1) + 1));
      }
      const logs = new Map<string, ReviewLogRow[]>();
      for (const row of logRows) {
        const rows = logs.get(row.cardId);
        if (rows) rows.push(row);
        else logs.set(row.cardId, [row]);
      }
      const stored: StoredState = {
        decks,
        cards: new Map(cards.flatMap((card) => (card ? [[card.id, card]] : []))),
        notes: new Map(notes.flatMap((note) => (note ? [[note.id, note]] : []))),
        noteTypes: new Map(noteTypes.flatMap((noteType) => (noteType ? [[noteType.id, noteType]] : []))),
        logs,
        media: new Map(media.flatMap((file) => (file ? [[file.name, file]] : []))),
        nextPositions,
      };
      const settings = incoming.settings ?? settingsFromRows(settingRows);
      const deckSettings = new Map(settings.decks);
      const study = { ...defaultSettings, ...settings.study };
      const plan = planMerge(incoming, stored, (deckId) => schedulerForSettings(effectiveSettings(study, deckSettings.get(deckId))), mode);
      beforeWrite(plan);
      await db.decks.bulkPut(plan.decks);
      await db.noteTypes.bulkPut(plan.noteTypes);
      await db.notes.bulkPut(plan.notes);
      await db.media.bulkPut(plan.media);
      await db.cards.bulkPut(plan.cards);
      const rows = plan.log.map(({ id: _id, ...row }) => sync.withUid(row as ReviewLogRow));
      await db.reviewLog.bulkAdd(rows);
      const storedSettings = settingsFromRows(settingRows);
      const storedDeckSettings = new Map(storedSettings.decks);
      if (plan.settings) {
        if (plan.settings.study) await db.settings.put({ key: 'study', value: plan.settings.study });
        await db.settings.bulkPut(plan.settings.decks.map(([deckId, value]) => ({ key: `deck:${deckId}` as const, value })));
      }
      const noteRecords = [...plan.notes.map((note) => [noteDocId(note.id), note] as const), ...plan.noteTypes.map((noteType) => [noteTypeDocId(noteType.id), noteType] as const)];
      await sync.record(new Date(), {
        decks: plan.decks.map((deck) => [decks.find((before) => before.id === deck.id), deck]),
        cards: plan.cards.map((card) => [stored.cards.get(card.id), card]),
        records: noteRecords.map(([docId, record]) => ({ docId, before: undefined, after: noteFields(record) })),
        docIds: plan.media.map((file) => mediaDocId(file.name)),
        studySettings: plan.settings?.study && [storedSettings.study, plan.settings.study],
        deckSettings: (plan.settings?.decks ?? []).map(([deckId, value]) => [deckId, storedDeckSettings.get(deckId), value]),
        logRows: rows,
      });
      return plan;
    });
    this.transaction = undefined;
    this.changes.announce({ cardIds: plan.cards.map((card) => card.id), deckIds: plan.decks.map((deck) => deck.id) });
    return plan;
  }

  /**
   * Every record of the decks `deckIds` (all decks when absent), with the note types, notes
   * and media their cards use, read in one transaction. Retired cards are left out unless
   * `withRetired` (a backup keeps them, with their history).
   */
  async records(deckIds?: string[], withRetired = false): Promise<TransferRecords> {
    const { db } = this;
    return db.transaction('r', [db.decks, db.cards, db.notes, db.noteTypes, db.reviewLog, db.media, db.settings], async () => {
      const decks = deckIds ? (await db.decks.bulkGet(deckIds)).filter((deck) => deck !== undefined) : await db.decks.orderBy('position').toArray();
      const allCards = await db.cards.where('deckId').anyOf(decks.map((deck) => deck.id)).toArray();
      const cards = withRetired ? allCards : allCards.filter((card) => card.queue !== Queue.Retired);
      const log = await db.reviewLog.where('cardId').anyOf(cards.map((card) => card.id)).toArray();
      const noteIds = [...new Set(cards.flatMap((card) => (card.importedNote ? [card.importedNote.id] : [])))];
      const notes = (await db.notes.bulkGet(noteIds)).filter((note) => note !== undefined);
      const noteTypes = (await db.noteTypes.bulkGet([...new Set(notes.map((note) => note.noteTypeId))])).filter((noteType) => noteType !== undefined);
      const mediaNames = deckIds ? mediaNamesIn(cards.map((card) => `${card.front}\n${card.back}`)) : undefined;
      const media = mediaNames ? (await db.media.bulkGet(mediaNames)).filter((file) => file !== undefined) : await db.media.toArray();
      const settings = settingsFromRows(await db.settings.toArray());
      const deckSet = new Set(decks.map((deck) => deck.id));
      return {
        decks,
        noteTypes,
        notes,
        cards,
        log,
        media,
        settings: { study: settings.study, decks: settings.decks.filter(([deckId]) => deckSet.has(deckId)) },
      };
    });
  }
}

/** Media names an imported card's HTML refers to: image sources and [sound:…] tags. */
function mediaNamesIn(texts: string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(/\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) names.add(match[1] ?? match[2] ?? match[3]);
    for (const match of text.matchAll(/\[sound:([^\]]*)\]/g)) names.add(match[1]);
  }
  return [...names];
}

/** The settings as stored: no global ones while they are the defaults (never saved). */
function settingsFromRows(rows: { key: string; value: unknown }[]): NonNullable<TransferRecords['settings']> {
  const study = rows.find((row) => row.key === 'study')?.value as StudySettings | undefined;
  return {
    ...(study ? { study } : {}),
    decks: rows.filter((row) => row.key.startsWith('deck:')).map((row) => [row.key.slice('deck:'.length), row.value as DeckSettings]),
  };
}

