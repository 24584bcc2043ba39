import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { futureDue, futureDueEnds } from '../../src/domain/stats.ts';
import { defaultSettings, Queue, type CardRecord, type ReviewLogRow } from '../../src/domain/types.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { Storage } from '../../src/storage/index.ts';
import { StatsInputStorage } from '../../src/storage/statsInput.ts';
import { generateCollection } from '../support/collection.ts';

// What the statistics worker reads: the same cards, answers and settings the screen read on
// the page before, a part at a time, and the forecast counted on the index as futureDue counts it.
const now = new Date('2026-03-02T10:00:00Z');
let opened: { close(): void }[] = [];

afterEach(() => {
  for (const connection of opened) connection.close();
  opened = [];
});

async function collection(name: string): Promise<Storage> {
  const { cards, log } = generateCollection(120, now);
  // Three decks; some cards suspended, buried or retired, some due over the next weeks; a manual row among the answers.
  const placed: CardRecord[] = cards.map((card, index) => ({
    ...card,
    deckId: ['one', 'two', 'three'][index % 3],
    due: index % 4 === 0 ? new Date(now.getTime() + index * 5 * 3_600_000) : card.due,
    queue: index % 17 === 5 ? Queue.Suspended : index % 19 === 6 ? Queue.Buried : index % 23 === 7 ? Queue.Retired : card.queue,
  }));
  const rows: ReviewLogRow[] = [...log];
  rows.splice(40, 0, { kind: 'reset', cardId: placed[3].id, deckId: 'one', reviewedAt: now, schedule: placed[0] });
  const db = openDatabase(name);
  await db.cards.bulkPut(placed);
  await db.reviewLog.bulkAdd(rows);
  db.close();
  const storage = new Storage(name);
  opened.push(storage);
  await storage.changeSettings('Deck options', { study: { ...defaultSettings, dayStartHour: 5 }, decks: [['two', { desiredRetention: 0.85 }]] });
  return storage;
}

describe('statistics input', () => {
  it('reads every card but the retired and every answer, in parts, and the settings', async () => {
    const storage = await collection('stats-input');
    const input = new StatsInputStorage('stats-input');
    opened.push(input);

    const cardParts: CardRecord[][] = [];
    for await (const part of input.cards(7)) cardParts.push(part);
    expect(cardParts.every((part) => part.length <= 7)).toBe(true);
    const expectedCards = await storage.allCards();
    expect(cardParts.flat().sort((a, b) => a.id.localeCompare(b.id))).toEqual(expectedCards.sort((a, b) => a.id.localeCompare(b.id)));
    expect(expectedCards.length).toBeLessThan(120);

    const answerParts: { answers: unknown[]; lastId: number }[] = [];
    for await (const part of input.answers(50)) answerParts.push(part);
    expect(answerParts.length).toBeGreaterThan(3);
    expect(answerParts.map((part) => part.lastId)).toEqual([...answerParts.map((part) => part.lastId)].sort((a, b) => a - b));
    expect(answerParts.flatMap((part) => part.answers)).toEqual(await storage.allAnswers());
    const sizes = await input.sizes();
    expect(sizes.cards).toBe(120);
    expect(sizes.logRows).toBe(answerParts.at(-1)!.lastId);

    const { global, decks } = await input.settings();
    expect(global).toEqual(await storage.settings());
    expect(decks).toEqual(await storage.deckSettings());
  });

  it('counts the cards due per study day on the index as futureDue counts them', async () => {
    const storage = await collection('stats-forecast');
    const input = new StatsInputStorage('stats-forecast');
    opened.push(input);
    const forecast = await input.dueForecast(futureDueEnds(now, 4, 30));
    expect(forecast).toEqual(futureDue(await storage.allCards(), now, 4, 30));
    expect(forecast[0]).toBeGreaterThan(0);
    expect(forecast.slice(1).some((count) => count > 0)).toBe(true);
  });
});
