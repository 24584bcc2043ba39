// One sync, as the sync worker runs it (and Node tests do, with real PouchDB databases):
// 1. this device's changes go into the local replica, merged with what it holds;
// 2. PouchDB replicates the replica to the server and back (the CouchDB protocol, with its
//    checkpoints: a sync cut off halfway goes on from where it stopped);
// 3. what changed in the replica since the last sync is applied to the app's database:
//    records first, then the log rows (whose cards must be known by then), each batch in one
//    transaction with the replica's position, so a sync cut off while applying repeats only
//    what was not applied. Concurrent edits on two devices are conflicts in CouchDB: they are
//    merged (field by field, logs united) into one revision, never shown to the user.
import { describeSyncError, type SyncStatus } from '../domain/sync/status.ts';
import { mergeDocs, parseSyncDoc, sameContent, type MediaDoc, type SyncDoc } from '../domain/sync/documents.ts';
import type { AppliedCounts, SyncStorage } from '../storage/sync.ts';
import type { ReplicaDatabase, ReplicaRow } from './replica.ts';

export type SyncPhase = 'preparing' | 'sending' | 'receiving' | 'applying';

export interface SyncEnvironment {
  storage: SyncStorage;
  local: ReplicaDatabase;
  remote: ReplicaDatabase;
  progress(phase: SyncPhase, done: number, total: number): void;
  now(): Date;
}

export interface SyncResult {
  status: SyncStatus;
  applied: AppliedCounts;
}

/** Documents per read of the replica and per transaction of the app's database. */
const batchSize = 200;
/** Log batches (of up to 500 rows each) per transaction of the app's database. */
const logBatchesPerTransaction = 1000;

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, (index + 1) * size));
}

export class SyncFailure extends Error {
  constructor(
    readonly kind: ReturnType<typeof describeSyncError>['kind'],
    message: string,
  ) {
    super(message);
    this.name = 'SyncFailure';
  }
}

async function replicate(direction: 'to' | 'from', env: SyncEnvironment, phase: SyncPhase): Promise<number> {
  const replication = env.local.replicate[direction](env.remote, { batch_size: 100 });
  replication.on('change', (info) => env.progress(phase, info.docs_written, info.docs_written + (info.pending ?? 0)));
  const result = await replication;
  if (result.doc_write_failures > 0) {
    const reasons = result.errors.map((error) => describeSyncError(error));
    const reason = reasons.find((described) => described.kind !== 'server') ?? reasons[0] ?? { kind: 'server' as const, message: `${result.doc_write_failures} documents were refused.` };
    throw new SyncFailure(reason.kind, reason.message);
  }
  return result.docs_written;
}

/** A document as the replica stores it: a media file's bytes as its attachment. */
function replicaForm(doc: Omit<SyncDoc, '_rev'>): object {
  if (doc.type !== 'media') return doc;
  const { data, ...rest } = doc as MediaDoc;
  return { ...rest, _attachments: { file: { content_type: rest.contentType, data } } };
}

/** Writes this device's versions into the replica, merged with its own; returns the revision written of each. */
async function putLocalChanges(env: SyncEnvironment, docs: SyncDoc[]): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  for (let start = 0; start < docs.length; start += batchSize) {
    const batch = docs.slice(start, start + batchSize);
    const { rows } = await env.local.allDocs({ keys: batch.map((doc) => doc._id), include_docs: true });
    const writes: SyncDoc[] = [];
    batch.forEach((doc, index) => {
      const existing = rows[index].doc ? parseSyncDoc(rows[index].doc) : undefined;
      const merged = existing && existing.type === doc.type ? mergeDocs(existing, doc) : doc;
      if (existing && sameContent(existing, merged)) return;
      const rev = rows[index].value?.rev;
      writes.push(rev && !rows[index].value?.deleted ? { ...merged, _rev: rev } : { ...merged, _rev: undefined });
    });
    const results = await env.local.bulkDocs(writes.map(({ _rev, ...doc }) => ({ ...replicaForm(doc), ...(_rev ? { _rev } : {}) })));
    const failed = results.find((result) => result.error);
    if (failed) throw new Error(`The local replica refused ${failed.id}: ${failed.error}`);
    for (const result of results) if (result.rev) written.set(result.id, result.rev);
    env.progress('preparing', start + batch.length, docs.length);
  }
  return written;
}

/**
 * The winning revision of each row merged with its conflicting ones, written back as one
 * revision (the losers deleted), so both devices end with the same document.
 */
async function resolveConflicts(env: SyncEnvironment, rows: ReplicaRow[]): Promise<{ docs: SyncDoc[]; resolved: number }> {
  const docs: SyncDoc[] = [];
  let resolved = 0;
  for (const row of rows) {
    if (!row.doc) continue;
    let doc = parseSyncDoc(row.doc);
    const conflicts = row.doc._conflicts ?? [];
    if (conflicts.length > 0) {
      for (const rev of conflicts) {
        const other = parseSyncDoc(await env.local.get(row.id, { rev, attachments: true }));
        if (doc && other && other.type === doc.type) doc = mergeDocs(doc, other);
        else doc ??= other;
      }
      const writes: object[] = conflicts.map((rev) => ({ _id: row.id, _rev: rev, _deleted: true }));
      if (doc) writes.unshift({ ...replicaForm(doc), _rev: row.doc._rev });
      await env.local.bulkDocs(writes);
      resolved++;
    }
    if (doc) docs.push(doc);
  }
  return { docs, resolved };
}

/**
 * Applies what changed in the replica since the last applied position: records, then log
 * batches. A document whose only revision is the one this sync wrote from this device's own
 * data is left out: the app's database has it already.
 */
async function applyReplicaChanges(env: SyncEnvironment, ownRevisions: Map<string, string>): Promise<{ applied: AppliedCounts; resolved: number }> {
  const since = (await env.storage.appliedSeq()) ?? 0;
  const ids = new Set<string>();
  let lastSeq: string | number = since;
  for (;;) {
    // all_docs: every leaf revision, so a conflict that came in beside this device's own is seen.
    const page = await env.local.changes({ since: lastSeq, limit: 1000, return_docs: true, style: 'all_docs' });
    for (const change of page.results) {
      const own = change.changes.length === 1 && change.changes[0].rev === ownRevisions.get(change.id);
      if (!change.deleted && !own) ids.add(change.id);
    }
    if (page.results.length === 0 || page.last_seq === lastSeq) break;
    lastSeq = page.last_seq;
  }
  const records = [...ids].filter((id) => !id.startsWith('log:'));
  const logs = [...ids].filter((id) => id.startsWith('log:'));
  // Log batches in larger transactions: a card whose rows lie in several batches is replayed
  // and written once per transaction.
  const batches = [...chunks(records, batchSize), ...chunks(logs, logBatchesPerTransaction)];
  const total = ids.size;
  let done = 0;
  const applied: AppliedCounts = { cards: 0, rows: 0, settingsChanged: false };
  let resolved = 0;
  for (const [index, keys] of batches.entries()) {
    const { rows } = await env.local.allDocs({ keys, include_docs: true, conflicts: true, attachments: true });
    const batch = await resolveConflicts(env, rows);
    resolved += batch.resolved;
    const counts = await env.storage.apply(batch.docs, index === batches.length - 1 ? lastSeq : undefined);
    applied.cards += counts.cards;
    applied.rows += counts.rows;
    applied.settingsChanged ||= counts.settingsChanged;
    done += keys.length;
    env.progress('applying', done, total);
  }
  // Even with nothing to apply, the position is kept: the next sync is no longer a first one.
  if (batches.length === 0) await env.storage.apply([], lastSeq);
  return { applied, resolved };
}

/** One sync; throws SyncFailure with the reason in plain words, after saving it in the status. */
export async function runSync(env: SyncEnvironment): Promise<SyncResult> {
  const { storage } = env;
  try {
    const firstSync = (await storage.appliedSeq()) === undefined;
    env.progress('preparing', 0, 1);
    const changes = await storage.localChanges(firstSync);
    const ownRevisions = await putLocalChanges(env, changes.docs);
    let sent = await replicate('to', env, 'sending');
    // On the server now; until then the outbox says what waits (a next sync merges it again, to no effect).
    await storage.clearOutbox(changes.taken);
    const received = await replicate('from', env, 'receiving');
    const { applied, resolved } = await applyReplicaChanges(env, ownRevisions);
    // Merged conflicts are new revisions: the server gets them now, not at the next sync.
    if (resolved > 0) sent += await replicate('to', env, 'sending');
    const status: SyncStatus = { lastSyncAt: env.now(), sent, received };
    await storage.saveStatus(status);
    return { status, applied };
  } catch (error) {
    const described = error instanceof SyncFailure ? { kind: error.kind, message: error.message } : describeSyncError(error);
    const previous = await storage.syncStatus().catch(() => ({}) as SyncStatus);
    await storage.saveStatus({ ...previous, lastError: { ...described, at: env.now() } }).catch(() => {});
    throw new SyncFailure(described.kind, described.message);
  }
}
