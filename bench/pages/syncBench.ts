// Runs on the origin that serves CouchDB at /db/: device A's database gets a generated
// collection (written as a backup restore writes it), then the sync worker times A's first
// sync (mostly sending), the floor (PouchDB alone with the same documents), the first sync of
// a fresh device B (mostly receiving), and twice: 50 answers on A, then one sync of each device.
import { Rating } from 'ts-fsrs';
import { applyAnswer, createScheduler } from '../../src/domain/scheduler.ts';
import { defaultSettings, type Deck } from '../../src/domain/types.ts';
import { Storage } from '../../src/storage/index.ts';
import { TransferStorage } from '../../src/storage/transfer.ts';
import { generateCollection } from '../../tests/support/collection.ts';
import { deviceDatabase, type FloorTiming, type SyncBenchCommand, type SyncBenchReply, type SyncTiming } from './syncBenchProtocol.ts';

/** CPU milliseconds a step took: the server process's, and all of Chromium's processes' (the page, the worker, IndexedDB). */
export interface CpuTime {
  server: number;
  browser: number;
}

/** What the bench's Node side reports when asked (exposed as `window.cpuSnapshot`): CPU ms so far, Chromium's by process id. */
export interface CpuSnapshot {
  server: number;
  browser: Record<string, number>;
}

export type Measured<T> = T & { cpu: CpuTime };

export interface SyncBenchResult {
  seeded: { cards: number; decks: number; logRows: number; seedMs: number };
  firstA: Measured<SyncTiming>;
  floorPush: Measured<FloorTiming>;
  floorPull: Measured<FloorTiming>;
  firstB: Measured<SyncTiming>;
  /** Answers on A, then a sync of A and one of B, twice: the first time after the first syncs, then once more. */
  rounds: { answers: number; a: Measured<SyncTiming>; b: Measured<SyncTiming> }[];
}

const params = new URLSearchParams(location.search);
const cardCount = Number(params.get('cards') ?? 20_000);
const answerCount = Number(params.get('answers') ?? 50);
const credentials = { username: params.get('username') ?? '', password: params.get('password') ?? '' };
const serverDatabase = (name: string) => `${location.origin}/db/${encodeURIComponent(name)}`;
const deckIds = ['sync-bench-1', 'sync-bench-2', 'sync-bench-3', 'sync-bench-4'];
const status = document.getElementById('status')!;

function say(text: string) {
  status.textContent = text;
  console.log(text);
}

/** Device A's collection, spread over the decks, merged in as a restore would (which also fills the outbox). */
async function seedDeviceA(): Promise<SyncBenchResult['seeded']> {
  const started = performance.now();
  const { cards, log } = generateCollection(cardCount, new Date());
  const deckOf = new Map(cards.map((card, index) => [card.id, deckIds[index % deckIds.length]]));
  const decks: Deck[] = deckIds.map((id, position) => ({ id, title: `Sync benchmark ${position + 1}`, description: '', position, origin: 'user' }));
  const transfer = new TransferStorage(deviceDatabase('a'));
  try {
    const plan = await transfer.merge(
      {
        decks,
        noteTypes: [],
        notes: [],
        cards: cards.map((card) => ({ ...card, deckId: deckOf.get(card.id)! })),
        log: log.map((row) => ({ ...row, deckId: deckOf.get(row.cardId)! })),
        media: [],
      },
      'restore',
    );
    if (plan.counts.cardsAdded !== cards.length || plan.counts.reviewRows !== log.length) throw new Error(`the seed stored ${JSON.stringify(plan.counts)}`);
  } finally {
    transfer.close();
  }
  return { cards: cards.length, decks: decks.length, logRows: log.length, seedMs: performance.now() - started };
}

/** Answers Good on the next card of each deck in turn, through the app's storage, as the review screen does. */
async function answerOnA(count: number): Promise<number> {
  const storage = new Storage(deviceDatabase('a'));
  const scheduler = createScheduler(defaultSettings);
  let answered = 0;
  try {
    for (let turn = 0; answered < count && turn < count * deckIds.length; turn++) {
      const { card } = await storage.queue(deckIds[turn % deckIds.length], new Date(), defaultSettings);
      if (!card) continue;
      const { card: after, log } = applyAnswer(scheduler, card, Rating.Good, new Date(), 3000);
      await storage.answer(card, after, log);
      answered++;
    }
  } finally {
    storage.close();
  }
  return answered;
}

const worker = new Worker(new URL('./syncBenchWorker.ts', import.meta.url), { type: 'module' });

function ask(command: SyncBenchCommand): Promise<SyncBenchReply> {
  return new Promise((resolve, reject) => {
    worker.addEventListener(
      'message',
      (message: MessageEvent<SyncBenchReply>) => (message.data.type === 'failed' ? reject(new Error(message.data.message)) : resolve(message.data)),
      { once: true },
    );
    worker.postMessage(command);
  });
}

const cpuSnapshot = () => (window as unknown as { cpuSnapshot(): Promise<CpuSnapshot> }).cpuSnapshot();

/** `work`, with the CPU time the server and Chromium spent meanwhile (of the processes alive before and after). */
async function measured<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const before = await cpuSnapshot();
  const value = await work();
  const after = await cpuSnapshot();
  const browser = Object.entries(after.browser).reduce((sum, [pid, ms]) => sum + (pid in before.browser ? ms - before.browser[pid] : 0), 0);
  return { ...value, cpu: { server: after.server - before.server, browser } };
}

const access = (database: string) => ({ remote: serverDatabase(params.get(database) ?? ''), ...credentials });

const sync = (device: string) =>
  measured(async () => {
    const reply = await ask({ type: 'sync', device, ...access('database') });
    if (reply.type !== 'synced') throw new Error(`the worker answered ${reply.type}`);
    return reply.timing;
  });

const floor = (command: Extract<SyncBenchCommand, { type: 'floorPush' | 'floorPull' }>) =>
  measured(async () => {
    const reply = await ask(command);
    if (reply.type !== 'floor') throw new Error(`the worker answered ${reply.type}`);
    return reply.timing;
  });

const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;

async function run(): Promise<SyncBenchResult> {
  say(`seeding device A with ${cardCount.toLocaleString('en')} cards…`);
  const seeded = await seedDeviceA();
  say(`seeded in ${seconds(seeded.seedMs)}; first sync of device A…`);
  const firstA = await sync('a');
  say(`first sync of A: ${seconds(firstA.totalMs)}; the floor…`);
  if ((await ask({ type: 'floorCopy', device: 'a' })).type !== 'copied') throw new Error('the floor copy failed');
  const floorPush = await floor({ type: 'floorPush', ...access('floorDatabase') });
  const floorPull = await floor({ type: 'floorPull', ...access('floorDatabase') });
  say(`floor: push ${seconds(floorPush.totalMs)}, pull ${seconds(floorPull.totalMs)}; first sync of device B…`);
  const firstB = await sync('b');
  say(`first sync of B: ${seconds(firstB.totalMs)}; ${answerCount} answers on A…`);
  const rounds: SyncBenchResult['rounds'] = [];
  for (let round = 0; round < 2; round++) {
    const answers = await answerOnA(answerCount);
    const a = await sync('a');
    const b = await sync('b');
    say(`syncs after ${answers} answers: A ${a.totalMs.toFixed(0)} ms, B ${b.totalMs.toFixed(0)} ms`);
    rounds.push({ answers, a, b });
  }
  return { seeded, firstA, floorPush, floorPull, firstB, rounds };
}

run().then(
  (result) => {
    (window as unknown as { syncBenchResult: SyncBenchResult }).syncBenchResult = result;
    say('Done');
  },
  (error: unknown) => {
    (window as unknown as { syncBenchFailure: string }).syncBenchFailure = String(error);
    say(`Failed: ${String(error)}`);
  },
);
