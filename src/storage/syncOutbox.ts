// Every write of something sync carries also notes, in the same transaction, which documents
// it changed and when (the outbox): the next sync sends those and nothing else. Each field's
// change is stamped with this device's hybrid clock, so the later of two edits made on two
// devices wins, whichever syncs first.
import { HybridClock, newDeviceId } from '../domain/sync/clock.ts';
import { logDocId, logRowUid } from '../domain/sync/documents.ts';
import { cardDocId, cardFields, changedFields, deckDocId, deckFields, type Fields } from '../domain/sync/records.ts';
import type { CardRecord, Deck, ReviewLogRow } from '../domain/types.ts';
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

/** Reads this device's id (made on first use) and the latest clock it knows. */
export async function openDeviceIdentity(db: KubecardsDatabase): Promise<DeviceIdentity> {
  return db.transaction('rw', db.meta, async () => {
    let deviceId = (await db.meta.get('deviceId'))?.value as string | undefined;
    if (!deviceId) {
      deviceId = newDeviceId();
      await db.meta.put({ key: 'deviceId', value: deviceId });
    }
    const seen = (await db.meta.get('clock'))?.value as string | undefined;
    return new DeviceIdentity(new HybridClock(deviceId, seen));
  });
}

export interface RecordChange {
  docId: string;
  before: Fields | undefined;
  after: Fields;
}

export function cardChange(before: CardRecord | undefined, after: CardRecord | undefined): RecordChange {
  const id = (after ?? before)!.id;
  return { docId: cardDocId(id), before: before && cardFields(before), after: cardFields(after) };
}

export function deckChange(before: Deck | undefined, after: Deck | undefined): RecordChange {
  const id = (after ?? before)!.id;
  return { docId: deckDocId(id), before: before && deckFields(before), after: deckFields(after) };
}

/**
 * Notes in the outbox what changed: the fields of records that differ, and the log batches
 * of rows written or taken back. Call inside the write's transaction (with db.syncOutbox).
 */
export async function recordForSync(
  db: KubecardsDatabase,
  identity: DeviceIdentity,
  now: Date,
  changes: { records?: RecordChange[]; logRows?: StoredLogRow[] },
): Promise<void> {
  const clock = identity.clock.next(now.getTime());
  const entries = new Map<string, OutboxRow>();
  for (const change of changes.records ?? []) {
    const names = changedFields(change.before, change.after);
    if (names.length === 0) continue;
    const entry = entries.get(change.docId) ?? { docId: change.docId, clocks: {}, mark: clock };
    for (const name of names) entry.clocks[name] = clock;
    entries.set(change.docId, entry);
  }
  for (const row of changes.logRows ?? []) {
    const docId = logDocId(row.uid, row.reviewedAt.getTime());
    if (!entries.has(docId)) entries.set(docId, { docId, clocks: {}, mark: clock });
  }
  if (entries.size === 0) return;
  const written = [...entries.values()];
  const stored = await db.syncOutbox.bulkGet(written.map((entry) => entry.docId));
  await db.syncOutbox.bulkPut(written.map((entry, index) => ({ ...entry, clocks: { ...stored[index]?.clocks, ...entry.clocks } })));
}

/** Log rows an undo takes back: gone here, and tombstones that sync sends to the other devices. */
export async function recordUndoneRows(db: KubecardsDatabase, identity: DeviceIdentity, now: Date, rows: StoredLogRow[]): Promise<void> {
  await db.logTombstones.bulkPut(rows.map((row) => ({ uid: row.uid, docId: logDocId(row.uid, row.reviewedAt.getTime()) })));
  await recordForSync(db, identity, now, { logRows: rows });
}
