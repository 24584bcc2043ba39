// Sync between two devices in Node: each device is the app's database (fake IndexedDB), its
// local PouchDB replica and the sync job, against a real CouchDB-protocol server
// (pouchdb-server on loopback, started here and stopped by its pid).
import 'fake-indexeddb/auto';
import { Rating, type Grade } from 'ts-fsrs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyAnswer, createScheduler, replaySchedule } from '../../src/domain/scheduler.ts';
import { scheduleOf } from '../../src/domain/schedule.ts';
import { cardsForNewNote, editNote } from '../../src/domain/userCards.ts';
import { defaultSettings, isAnswer, Queue, type CardRecord, type ReviewLogRow } from '../../src/domain/types.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { Storage } from '../../src/storage/index.ts';
import { SyncStorage } from '../../src/storage/sync.ts';
import { TransferStorage } from '../../src/storage/transfer.ts';
import type { ReplicaDatabase, ReplicaOptions } from '../../src/worker/replica.ts';
import { runSync, SyncFailure, type SyncPhase } from '../../src/worker/syncJob.ts';
import { builtInDeck } from '../support/cards.ts';
import { startSyncServer, type SyncServer } from '../support/syncServer.ts';

// pouchdb-browser reads `self` when it loads and `navigator` when it first writes; Node has neither.
vi.stubGlobal('self', globalThis);
vi.stubGlobal('navigator', { userAgent: 'Node.js' });
// …nor FileReader, with which PouchDB reads attachments (media files) for the server.
vi.stubGlobal(
  'FileReader',
  class {
    onloadend: ((event: { target: { result: unknown } }) => void) | null = null;
    private read(blob: Blob, as: (buffer: ArrayBuffer) => string | ArrayBuffer) {
      void blob.arrayBuffer().then((buffer) => this.onloadend?.({ target: { result: as(buffer) } }));
    }
    readAsArrayBuffer(blob: Blob) {
      this.read(blob, (buffer) => buffer);
    }
    readAsBinaryString(blob: Blob) {
      this.read(blob, (buffer) => Buffer.from(buffer).toString('latin1'));
    }
  },
);
const { default: PouchDB } = (await import('pouchdb-browser')) as { default: new (name: string, options?: ReplicaOptions) => ReplicaDatabase };

const scheduler = createScheduler(defaultSettings);
const start = new Date('2026-03-02T08:00:00Z');
const user = { username: 'ana', password: 'correct horse' };
const database = 'userdb-616e61';
let server: SyncServer;
let devices: Device[] = [];
let run = 0;

/** One device: the app's storage, sync's storage and the local replica. */
class Device {
  readonly storage: Storage;
  readonly sync: SyncStorage;
  readonly replica: ReplicaDatabase;
  answers = 0;

  constructor(readonly name: string) {
    this.storage = new Storage(name);
    this.sync = new SyncStorage(name);
    this.replica = new PouchDB(`${name}-replica`, { auto_compaction: true });
    devices.push(this);
  }

  async setUp(cards = 12): Promise<this> {
    await this.storage.syncBuiltInDecks([builtInDeck('sigs', cards, 'SIGs')], 'v1', start);
    return this;
  }

  async answer(cardId: string, rating: Grade, at: Date): Promise<void> {
    const card = (await this.storage.card(cardId))!;
    const result = applyAnswer(scheduler, card, rating, at, 4000);
    await this.storage.answer(card, result.card, result.log);
    this.answers++;
  }

  async syncNow(options: { password?: string; onProgress?: (phase: SyncPhase) => void } = {}) {
    const remote = new PouchDB(`${server.url}/${database}`, { auth: { ...user, password: options.password ?? user.password }, skip_setup: true });
    try {
      return await runSync({ storage: this.sync, local: this.replica, remote, now: () => new Date(), progress: (phase) => options.onProgress?.(phase) });
    } finally {
      await remote.close();
    }
  }

  async cards(): Promise<CardRecord[]> {
    return (await this.storage.allCards()).sort((a, b) => a.id.localeCompare(b.id));
  }

  async log(): Promise<ReviewLogRow[]> {
    const db = openDatabase(this.name);
    try {
      return (await db.reviewLog.toArray()).sort((a, b) => a.uid!.localeCompare(b.uid!));
    } finally {
      db.close();
    }
  }
}

async function newDevice(cards?: number): Promise<Device> {
  return new Device(`sync-${run}-${devices.length}`).setUp(cards);
}

/** What a user sees of a card: its content, state, flag and schedule (not the local revision). */
function visible(card: CardRecord) {
  const { rev: _rev, ...rest } = card;
  return rest;
}

beforeAll(async () => {
  server = await startSyncServer();
});

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  run++;
  await server.createUser(user.username, user.password).catch(() => {});
  await server.createDatabase(`${database}`, [user.username]).catch(() => {});
});

afterEach(async () => {
  for (const device of devices.splice(0)) {
    device.storage.close();
    device.sync.close();
    await device.replica.destroy();
  }
  // Every test starts with an empty server database.
  await fetch(`${server.url}/${database}`, { method: 'DELETE', headers: { authorization: `Basic ${btoa(`${server.admin.username}:${server.admin.password}`)}` } });
});

describe('sync between two devices', () => {
  it('unites two offline histories: the same log, the same due dates, the later edit, every answer once', { timeout: 60_000 }, async () => {
    const phone = await newDevice();
    const laptop = await newDevice();
    // Both offline: the phone studies cards 0-5, the laptop 3-8 (3-5 on both), on two days.
    for (const [day, offset] of [[0, 0], [1, 86_400_000]] as const) {
      for (let i = 0; i < 6; i++) await phone.answer(`sigs-${i}`, i % 3 === 0 ? Rating.Again : Rating.Good, new Date(start.getTime() + offset + 60_000 * (i + 1)));
      for (let i = 3; i < 9; i++) await laptop.answer(`sigs-${i}`, Rating.Good, new Date(start.getTime() + offset + 30_000 + 60_000 * (i + 1)));
      void day;
    }
    // Both edit card 4: the laptop's edit is the later one.
    const editOn = async (device: Device, front: string) => {
      const card = (await device.storage.card('sigs-4'))!;
      await device.storage.saveNote([card], editNote({ kind: 'basic', front, back: 'A4', tags: [], note: '' }, [card], 20, new Date(), card.id), card);
    };
    await editOn(phone, 'Phone wording');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await editOn(laptop, 'Laptop wording');
    await phone.storage.setFlag((await phone.storage.card('sigs-7'))!, 3);

    // The later editor syncs first: the result must not depend on who syncs last.
    await laptop.syncNow();
    await phone.syncNow();
    await laptop.syncNow();

    const [phoneLog, laptopLog] = [await phone.log(), await laptop.log()];
    const answerUids = (log: ReviewLogRow[]) => log.filter(isAnswer).map((row) => row.uid);
    expect(answerUids(phoneLog)).toEqual(answerUids(laptopLog));
    expect(new Set(answerUids(phoneLog)).size).toBe(phone.answers + laptop.answers);
    expect(answerUids(phoneLog)).toHaveLength(phone.answers + laptop.answers);

    const [phoneCards, laptopCards] = [await phone.cards(), await laptop.cards()];
    expect(phoneCards.map(visible)).toEqual(laptopCards.map(visible));
    const card4 = phoneCards.find((card) => card.id === 'sigs-4')!;
    expect(card4.front).toBe('Laptop wording');
    expect(phoneCards.find((card) => card.id === 'sigs-7')!.flag).toBe(3);
    // Each card is the replay of its united log.
    for (const card of phoneCards) {
      const rows = phoneLog.filter((row) => row.cardId === card.id);
      if (rows.length > 0) expect(scheduleOf(card)).toEqual(replaySchedule(scheduler, card.id, rows));
    }
    // Syncing again changes nothing and sends nothing.
    const again = await phone.syncNow();
    expect(again.status.sent).toBe(0);
    expect(again.applied.rows).toBe(0);
    expect((await phone.cards()).map(visible)).toEqual(phoneCards.map(visible));
  });

  it('sends none of the built-in decks, only what the user changed of them', async () => {
    const phone = await newDevice();
    await phone.syncNow();
    expect(await server.docCount(database)).toBe(0);
    await phone.storage.setFlag((await phone.storage.card('sigs-3'))!, 2);
    await phone.syncNow();
    const response = await fetch(`${server.url}/${database}/_all_docs?include_docs=true`, {
      headers: { authorization: `Basic ${btoa(`${server.admin.username}:${server.admin.password}`)}` },
    });
    const { rows } = (await response.json()) as { rows: { id: string; doc: { fields: Record<string, unknown> } }[] };
    expect(rows.map((row) => [row.id, row.doc.fields])).toEqual([['card:sigs-3', { flag: 2 }]]);
  });

  it('takes back an answer undone after it was sent, on the other device too', { timeout: 30_000 }, async () => {
    const phone = await newDevice();
    const laptop = await newDevice();
    const card = (await phone.storage.card('sigs-0'))!;
    const result = applyAnswer(scheduler, card, Rating.Easy, start, 3000);
    const step = await phone.storage.answer(card, result.card, result.log);
    await phone.syncNow();
    await laptop.syncNow();
    expect((await laptop.log()).length).toBe(1);
    expect((await laptop.storage.card('sigs-0'))!.queue).toBe(Queue.Review);

    await phone.storage.undo(step);
    await phone.syncNow();
    await laptop.syncNow();
    expect(await laptop.log()).toEqual([]);
    expect(visible((await laptop.storage.card('sigs-0'))!)).toMatchObject({ queue: Queue.New, reps: 0 });
    // The server keeps a tombstone: a device syncing for the first time never sees the answer.
    const newcomer = await newDevice();
    await newcomer.syncNow();
    expect(await newcomer.log()).toEqual([]);
  });

  it('carries own cards, decks, settings, suspension and deletions', { timeout: 30_000 }, async () => {
    const phone = await newDevice();
    const laptop = await newDevice();
    await phone.storage.createDeck('mine', 'My deck', 'notes from the talk');
    const [added] = cardsForNewNote({ kind: 'basic', front: 'What does CNI stand for?', back: 'Container Network Interface', tags: ['net'], note: '' }, 'mine', 'note-1', 0, start);
    await phone.storage.addCards([added]);
    await phone.storage.suspend((await phone.storage.card('sigs-2'))!);
    const fitted = [0.3, 1.1, 2.2, 7.9, 6.4, 0.8, 3, 0.01, 1.9, 0.17, 0.8, 1.5, 0.06, 0.26, 1.6, 0.6, 1.9, 0.54, 0.09, 0.07, 0.12];
    await phone.storage.saveSettings({ ...defaultSettings, newCardsPerDay: 7, fsrsParameters: fitted });
    await phone.storage.saveDeckSettings('sigs', { desiredRetention: 0.85, fsrsParameters: fitted.map((w) => w * 1.01) });
    await phone.syncNow();
    await laptop.syncNow();
    expect((await laptop.storage.deck('mine'))?.title).toBe('My deck');
    expect((await laptop.storage.card(added.id))?.front).toBe('What does CNI stand for?');
    expect((await laptop.storage.card('sigs-2'))?.queue).toBe(Queue.Suspended);
    expect((await laptop.storage.settings()).newCardsPerDay).toBe(7);
    expect((await laptop.storage.settings()).fsrsParameters).toEqual(fitted);
    expect((await laptop.storage.deckSettings()).get('sigs')).toEqual({ desiredRetention: 0.85, fsrsParameters: fitted.map((w) => w * 1.01) });

    await laptop.storage.deleteDeck('mine');
    await laptop.storage.unsuspend((await laptop.storage.card('sigs-2'))!);
    await laptop.syncNow();
    await phone.syncNow();
    expect(await phone.storage.deck('mine')).toBeUndefined();
    expect(await phone.storage.card(added.id)).toBeUndefined();
    expect((await phone.storage.card('sigs-2'))?.queue).toBe(Queue.New);
  });

  it('carries media files of imported notes, as attachments', { timeout: 30_000 }, async () => {
    const phone = await newDevice();
    const laptop = await newDevice();
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256);
    const transfer = new TransferStorage(phone.name);
    await transfer.merge({ decks: [], noteTypes: [], notes: [], cards: [], log: [], media: [{ name: 'pod diagram.png', type: 'image/png', bytes }] }, 'import');
    transfer.close();
    await phone.syncNow();
    await laptop.syncNow();
    const file = await laptop.storage.mediaFile('pod diagram.png');
    expect(file?.type).toBe('image/png');
    expect(file && Buffer.from(file.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('catches up a device that was offline for 30 days', { timeout: 60_000 }, async () => {
    const phone = await newDevice(30);
    const laptop = await newDevice(30);
    await phone.syncNow();
    await laptop.syncNow();
    for (let day = 0; day < 30; day++) {
      const at = new Date(start.getTime() + day * 86_400_000);
      for (let i = 0; i < 5; i++) await laptop.answer(`sigs-${(day + i) % 30}`, Rating.Good, new Date(at.getTime() + i * 60_000));
      if (day % 3 === 0 || day === 29) await laptop.syncNow();
    }
    expect((await phone.log()).length).toBe(0);
    await phone.syncNow();
    expect((await phone.log()).map((row) => row.uid)).toEqual((await laptop.log()).map((row) => row.uid));
    expect((await phone.cards()).map(visible)).toEqual((await laptop.cards()).map(visible));
  });

  it('refuses a wrong password with a message and leaves the data as it was', async () => {
    const phone = await newDevice();
    await phone.answer('sigs-0', Rating.Good, start);
    const before = { cards: await phone.cards(), log: await phone.log() };
    const failure = await phone.syncNow({ password: 'wrong' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SyncFailure);
    expect(failure).toMatchObject({ kind: 'unauthorized', message: expect.stringMatching(/wrong user name or password/i) });
    expect({ cards: await phone.cards(), log: await phone.log() }).toEqual(before);
    expect((await phone.sync.syncStatus()).lastError?.kind).toBe('unauthorized');
    // With the right password the answer goes up.
    await phone.syncNow();
    expect(await server.docCount(database)).toBeGreaterThan(0);
  });

  it('survives a server killed in the middle of a sync, and the next sync completes', { timeout: 60_000 }, async () => {
    const phone = await newDevice(400);
    for (let i = 0; i < 400; i++) await phone.storage.setFlag((await phone.storage.card(`sigs-${i}`))!, 1 + (i % 7));
    for (let i = 0; i < 50; i++) await phone.answer(`sigs-${i}`, Rating.Good, new Date(start.getTime() + i * 86_400_000));
    const before = { cards: await phone.cards(), log: await phone.log() };
    let killed = false;
    const failure = await phone
      .syncNow({
        onProgress: (phase) => {
          if (phase === 'sending' && !killed) {
            killed = true;
            void server.kill();
          }
        },
      })
      .catch((error: unknown) => error);
    expect(killed).toBe(true);
    expect(failure).toMatchObject({ kind: 'unreachable' });
    expect({ cards: await phone.cards(), log: await phone.log() }).toEqual(before);

    // The server comes back empty (its data was in memory): the next sync sends everything.
    await server.restart();
    await server.createUser(user.username, user.password);
    await server.createDatabase(database, [user.username]);
    await phone.syncNow();
    const laptop = await newDevice(400);
    await laptop.syncNow();
    expect((await laptop.log()).map((row) => row.uid)).toEqual(before.log.map((row) => row.uid));
    expect((await laptop.cards()).map(visible)).toEqual(before.cards.map(visible));
  });
});
