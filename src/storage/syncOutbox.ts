// Every write of something sync carries also notes, in the same transaction, which documents
// it changed and when (the outbox): the next sync sends those and nothing else. Each field's
// change is stamped with this device's hybrid clock, so the later of two edits made on two
// devices wins, whichever syncs first.
import { HybridClock } from '../domain/sync/clock.ts';
import { logDocId } from '../domain/sync/documents.ts';
import { logRowUid, newDeviceId } from '../domain/sync/ids.ts';
import {
  cardDocId,
  cardFields,
  changedFields,
  deckDocId,
  deckFields,
  deckSettingNames,
  deckSettingsDocId,
  settingsFields,
  studySettingsDocId,
  type Fields,
} from '../domain/sync/records.ts';
import { defaultSettings, studySettingKeys, type CardRecord, type Deck, type DeckSettings, type ReviewLogRow, type StudySettings } from '../domain/types.ts';
import type { KubecardsDatabase, OutboxRow } from './database.ts';

export type StoredLogRow = ReviewLogRow & { uid: string };

/** This device's id and hybrid clock, and ids for the log rows it writes. */
export class DeviceIdentity {
  // Two tabs of one device count apart: each starts its counter at a random point.
  private counter = Math.floor(Math.random() * 36 ** 4);

  constructor(readonly clock: HybridClock) {}

  get deviceId(): string {
    return this.clock.deviceId;
  }

  withUid<T extends ReviewLogRow>(row: T): T & { uid: string } {
    return { ...row, uid: row.uid ?? logRowUid(this.deviceId, row.reviewedAt.getTime(), this.counter++) };
  }
}

/**
 * Reads this device's id and the latest clock it knows. Read-only but on the first start, when
 * the id is made: the page opens this at every start, beside the first screen's own reads.
 */
export async function openDeviceIdentity(db: KubecardsDatabase): Promise<DeviceIdentity> {
  const [stored, seen] = (await db.meta.bulkGet(['deviceId', 'clock'])).map((row) => row?.value as string | undefined);
  const deviceId =
    stored ??
    (await db.transaction('rw', db.meta, async () => {
      // Another tab may have made it meanwhile.
      const made = ((await db.meta.get('deviceId'))?.value as string | undefined) ?? newDeviceId();
      await db.meta.put({ key: 'deviceId', value: made });
      return made;
    }));
  return new DeviceIdentity(new HybridClock(deviceId, seen));
}

export interface RecordChange {
  docId: string;
  before: Fields | undefined;
  after: Fields;
}

/** What a write changed, for the outbox: records as they were and are (undefined: absent), log rows written or undone. */
export interface SyncedChanges {
  cards?: [CardRecord | undefined, CardRecord | undefined][];
  decks?: [Deck | undefined, Deck | undefined][];
  studySettings?: [StudySettings | undefined, StudySettings];
  deckSettings?: [string, DeckSettings | undefined, DeckSettings | undefined][];
  records?: RecordChange[];
  /** Documents that changed as a whole (media files). */
  docIds?: string[];
  logRows?: StoredLogRow[];
  /** Rows an undo took back: gone here, and tombstones that sync sends to the other devices. */
  undone?: StoredLogRow[];
}


function recordChanges(changes: SyncedChanges): RecordChange[] {
  const records = [...(changes.records ?? [])];
  for (const [before, after] of changes.cards ?? []) {
    records.push({ docId: cardDocId((after ?? before)!.id), before: before && cardFields(before), after: cardFields(after) });
  }
  for (const [before, after] of changes.decks ?? []) {
    records.push({ docId: deckDocId((after ?? before)!.id), before: before && deckFields(before), after: deckFields(after) });
  }
  if (changes.studySettings) {
    const [before, after] = changes.studySettings;
    records.push({ docId: studySettingsDocId, before: settingsFields({ ...defaultSettings, ...before }, studySettingKeys), after: settingsFields(after, studySettingKeys) });
  }
  for (const [deckId, before, after] of changes.deckSettings ?? []) {
    records.push({ docId: deckSettingsDocId(deckId), before: settingsFields(before, deckSettingNames), after: settingsFields(after, deckSettingNames) });
  }
  return records;
}

/**
 * Notes what a write changed in the outbox (and the tombstones of undone rows), stamped with
 * this device's clock. Runs inside the write's transaction, which must include
 * db.syncOutbox (and db.logTombstones for undone rows).
 */
export class SyncRecorder {
  constructor(
    private readonly db: KubecardsDatabase,
    readonly identity: DeviceIdentity,
  ) {}

  withUid<T extends ReviewLogRow>(row: T): T & { uid: string } {
    return this.identity.withUid(row);
  }

  async record(now: Date, changes: SyncedChanges): Promise<void> {
    const { db } = this;
    const clock = this.identity.clock.next(now.getTime());
    const entries = new Map<string, OutboxRow>();
    for (const change of recordChanges(changes)) {
      const names = changedFields(change.before, change.after);
      if (names.length === 0) continue;
      const entry = entries.get(change.docId) ?? { docId: change.docId, clocks: {}, mark: clock };
      for (const name of names) entry.clocks[name] = clock;
      entries.set(change.docId, entry);
    }
    for (const docId of changes.docIds ?? []) entries.set(docId, { docId, clocks: {}, mark: clock });
    const undone = changes.undone ?? [];
    if (undone.length > 0) await db.logTombstones.bulkPut(undone.map((row) => ({ uid: row.uid, docId: logDocId(row.uid, row.reviewedAt.getTime()) })));
    for (const row of [...(changes.logRows ?? []), ...undone]) {
      const docId = logDocId(row.uid, row.reviewedAt.getTime());
      if (!entries.has(docId)) entries.set(docId, { docId, clocks: {}, mark: clock });
    }
    if (entries.size === 0) return;
    const written = [...entries.values()];
    const stored = await db.syncOutbox.bulkGet(written.map((entry) => entry.docId));
    await db.syncOutbox.bulkPut(written.map((entry, index) => ({ ...entry, clocks: { ...stored[index]?.clocks, ...entry.clocks } })));
  }
}

export async function openSyncRecorder(db: KubecardsDatabase): Promise<SyncRecorder> {
  return new SyncRecorder(db, await openDeviceIdentity(db));
}
