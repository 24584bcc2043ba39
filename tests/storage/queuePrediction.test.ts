// The review screen shows the next card from a snapshot read before the answer plus the
// answer itself (snapshotAfterAnswer), not from a fresh read. Both must always agree.
import 'fake-indexeddb/auto';
import { Rating, type Grade } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { nextInQueue, snapshotAfterAnswer } from '../../src/domain/queue.ts';
import { applyAnswer, createScheduler } from '../../src/domain/scheduler.ts';
import { studyDay } from '../../src/domain/studyDay.ts';
import { defaultSettings } from '../../src/domain/types.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { Storage } from '../../src/storage/index.ts';
import { benchDeckId, generateCollection } from '../support/collection.ts';

describe('the next card after an answer', () => {
  it('is predicted exactly as a fresh read of the queue finds it, through a day of answers', async () => {
    const settings = { ...defaultSettings, newCardsPerDay: 6, reviewsPerDay: 25 };
    const start = new Date(2026, 5, 10, 9, 0);
    const { cards, log } = generateCollection(120, start);
    const db = openDatabase('prediction');
    await db.cards.bulkPut(cards);
    await db.reviewLog.bulkAdd(log);
    db.close();
    const storage = new Storage('prediction');
    const scheduler = createScheduler(settings);
    const grades: Grade[] = [Rating.Good, Rating.Again, Rating.Good, Rating.Hard, Rating.Good, Rating.Easy, Rating.Good];

    let now = start;
    let answered = 0;
    for (let step = 0; step < 80; step++) {
      const fresh = await storage.queue(benchDeckId, now, settings);
      if (!fresh.card) {
        if (!fresh.nextDueAt) break;
        now = new Date(fresh.nextDueAt.getTime() + 1000);
        continue;
      }
      const before = fresh.card;
      const rest = await storage.queueSnapshot(benchDeckId, now, settings, before);
      const { card: after, log: row } = applyAnswer(scheduler, before, grades[step % grades.length], now, 4000);
      await storage.answer(before, after, row);
      answered++;
      const end = studyDay(now, settings.dayStartHour).end;
      const predicted = nextInQueue(snapshotAfterAnswer(rest, before, after, now, end), now, settings, end);
      expect(predicted, `step ${step}`).toEqual(await storage.queue(benchDeckId, now, settings));
      now = new Date(now.getTime() + (step % 5) * 60_000);
    }
    expect(answered).toBeGreaterThan(40);
    storage.close();
  });
});
