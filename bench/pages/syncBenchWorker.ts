// The sync benchmark's worker: runs the app's sync job (runSync, SyncStorage, PouchDB), as the
// app's sync worker does, for one device at a time, and the floor: PouchDB alone replicating
// the same documents between plain local databases (default options) and the server.
import PouchDB from 'pouchdb-browser';
import { SyncStorage } from '../../src/storage/sync.ts';
import type { ReplicaDatabase } from '../../src/worker/replica.ts';
import { runSync } from '../../src/worker/syncJob.ts';
import { deviceDatabase, type BenchPhase, type FloorTiming, type SyncBenchCommand, type SyncBenchReply, type SyncTiming } from './syncBenchProtocol.ts';

const replicaName = (device: string) => `bench-sync-${device}-replica`;
/** Documents per request, as the sync job replicates. */
const replication = { batch_size: 100 };

const storages = new Map<string, SyncStorage>();

function server(url: string, username: string, password: string): ReplicaDatabase {
  return new PouchDB(url, { auth: { username, password }, skip_setup: true });
}

/**
 * The replica as the job sees it, with the phase boundaries marked where the job first reads
 * the replica (its changes read, it merges them in), where it starts each replication, where
 * the one from the server ends, and where applying reaches the log batches (records come first). The job's own progress reports would place them late: a
 * replication's first report comes after its first batch, a one-batch sync's at its end.
 */
function markingPhases(local: ReplicaDatabase, mark: (phase: BenchPhase) => void, current: () => BenchPhase): ReplicaDatabase {
  return {
    allDocs: (options) => {
      if (current() === 'preparingRead') mark('preparingReplica');
      if (current() === 'applyingRecords' && options.keys.some((id) => id.startsWith('log:'))) mark('applyingLog');
      return local.allDocs(options);
    },
    bulkDocs: (docs) => local.bulkDocs(docs),
    get: (id, options) => local.get(id, options),
    changes: (options) => local.changes(options),
    replicate: {
      to: (target, options) => (mark('sending'), local.replicate.to(target, options)),
      from: (source, options) => {
        mark('receiving');
        const replication = local.replicate.from(source, options);
        // Registered before the job awaits it, so this runs first.
        replication.then(() => mark('applyingRecords'), () => {});
        return replication;
      },
    },
    info: () => local.info(),
    destroy: () => local.destroy(),
    close: () => local.close(),
  };
}

async function timeSync(command: Extract<SyncBenchCommand, { type: 'sync' }>): Promise<SyncTiming> {
  let storage = storages.get(command.device);
  if (!storage) storages.set(command.device, (storage = new SyncStorage(deviceDatabase(command.device))));
  // As the app's sync worker opens its replica.
  const local = new PouchDB(replicaName(command.device), { auto_compaction: true });
  const remote = server(command.remote, command.username, command.password);
  const phases: Record<BenchPhase, number> = { preparingRead: 0, preparingReplica: 0, sending: 0, receiving: 0, applyingRecords: 0, applyingLog: 0 };
  const waitingBefore = await storage.waiting();
  const began = performance.now();
  let phase: BenchPhase = 'preparingRead';
  let since = began;
  const mark = (next: BenchPhase) => {
    const now = performance.now();
    phases[phase] += now - since;
    [phase, since] = [next, now];
  };
  try {
    const result = await runSync({ storage, local: markingPhases(local, mark, () => phase), remote, now: () => new Date(), progress: () => {} });
    mark(phase);
    return { waitingBefore, totalMs: performance.now() - began, phases, result };
  } finally {
    await Promise.allSettled([local.close(), remote.close()]);
  }
}

const floorSource = 'bench-floor-source';

async function copyForFloor(command: Extract<SyncBenchCommand, { type: 'floorCopy' }>): Promise<void> {
  const replica = new PouchDB(replicaName(command.device));
  const source = new PouchDB(floorSource);
  try {
    await replica.replicate.to(source);
  } finally {
    await Promise.allSettled([replica.close(), source.close()]);
  }
}

async function timeFloorPush(command: Extract<SyncBenchCommand, { type: 'floorPush' }>): Promise<FloorTiming> {
  const source = new PouchDB(floorSource);
  const remote = server(command.remote, command.username, command.password);
  try {
    const started = performance.now();
    await source.replicate.to(remote, replication);
    return { totalMs: performance.now() - started, docs: (await source.info()).doc_count };
  } finally {
    await Promise.allSettled([source.close(), remote.close()]);
  }
}

async function timeFloorPull(command: Extract<SyncBenchCommand, { type: 'floorPull' }>): Promise<FloorTiming> {
  const target = new PouchDB('bench-floor-target');
  const remote = server(command.remote, command.username, command.password);
  try {
    const started = performance.now();
    await target.replicate.from(remote, replication);
    return { totalMs: performance.now() - started, docs: (await target.info()).doc_count };
  } finally {
    await Promise.allSettled([target.close(), remote.close()]);
  }
}

function reply(command: SyncBenchCommand): Promise<SyncBenchReply> {
  if (command.type === 'sync') return timeSync(command).then((timing) => ({ type: 'synced', timing }));
  if (command.type === 'floorCopy') return copyForFloor(command).then(() => ({ type: 'copied' }));
  return (command.type === 'floorPush' ? timeFloorPush(command) : timeFloorPull(command)).then((timing) => ({ type: 'floor', timing }));
}

addEventListener('message', (event: MessageEvent<SyncBenchCommand>) => {
  reply(event.data).then(
    (answer) => postMessage(answer),
    (error: unknown) => postMessage({ type: 'failed', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies SyncBenchReply),
  );
});
