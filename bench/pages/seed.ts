// Runs on the app's origin: writes a generated collection into the app's own database, then
// times how long the study queue takes to build over it, through the app's storage module.
import { Rating } from 'ts-fsrs';
import { applyAnswer, createScheduler } from '../../src/domain/scheduler.ts';
import { defaultSettings } from '../../src/domain/types.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { Storage } from '../../src/storage/index.ts';
import { benchDeckId, generateCollection } from '../../tests/support/collection.ts';

export interface SeedResult {
  cards: number;
  logRows: number;
  generateMs: number;
  seedWriteMs: number;
  queueMs: number[];
  /** One answer's transaction (card and log row), each taken back again afterwards. */
  writeMs: number[];
  counts: { newCards: number; learning: number; reviews: number };
}

const chunk = 10_000;

async function seed(size: number): Promise<SeedResult> {
  const now = new Date();
  let started = performance.now();
  const { cards, log } = generateCollection(size, now);
  const generateMs = performance.now() - started;

  started = performance.now();
  const db = openDatabase('kubecards');
  await db.decks.put({ id: benchDeckId, title: 'Benchmark', description: `${size} generated cards`, position: 99, origin: 'user' });
  for (let index = 0; index < cards.length; index += chunk) await db.cards.bulkPut(cards.slice(index, index + chunk));
  for (let index = 0; index < log.length; index += chunk) await db.reviewLog.bulkAdd(log.slice(index, index + chunk));
  db.close();
  const seedWriteMs = performance.now() - started;

  const storage = new Storage();
  let state = await storage.queue(benchDeckId, new Date(), defaultSettings);
  for (let warmUp = 0; warmUp < 4; warmUp++) state = await storage.queue(benchDeckId, new Date(), defaultSettings);
  const queueMs: number[] = [];
  for (let run = 0; run < 30; run++) {
    const before = performance.now();
    state = await storage.queue(benchDeckId, new Date(), defaultSettings);
    queueMs.push(performance.now() - before);
  }
  const writeMs: number[] = [];
  const scheduler = createScheduler(defaultSettings);
  let current = state.card!;
  for (let run = 0; run < 30; run++) {
    const at = new Date();
    const { card, log: row } = applyAnswer(scheduler, current, Rating.Good, at, 3000);
    const before = performance.now();
    const step = await storage.answer(current, card, row);
    writeMs.push(performance.now() - before);
    await storage.undo(step);
    // Undo gives the card a new revision: the next answer must start from the stored card.
    current = (await storage.card(current.id))!;
  }
  storage.close();
  return { cards: cards.length, logRows: log.length, generateMs, seedWriteMs, queueMs, writeMs, counts: state.counts };
}

const size = Number(new URLSearchParams(location.search).get('size') ?? 1000);
seed(size).then(
  (result) => {
    (window as unknown as { seedResult: SeedResult }).seedResult = result;
    document.getElementById('status')!.textContent = 'Done';
  },
  (error: unknown) => {
    document.getElementById('status')!.textContent = `Failed: ${String(error)}`;
  },
);
