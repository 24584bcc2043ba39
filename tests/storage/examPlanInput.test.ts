import 'fake-indexeddb/auto';
import { Rating } from 'ts-fsrs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuiltInDeck } from '../../src/domain/deckFile.ts';
import { applyAnswer, createScheduler } from '../../src/domain/scheduler.ts';
import { studyDay } from '../../src/domain/studyDay.ts';
import { defaultSettings } from '../../src/domain/types.ts';
import { ExamPlanInputStorage } from '../../src/storage/examPlanInput.ts';
import { Storage } from '../../src/storage/index.ts';

// What the exam plan worker reads: the decks that hold the exam's cards, with their settings.
const seedTime = new Date('2026-03-02T08:00:00Z');
const at = new Date('2026-03-02T10:00:00Z');
const card = (id: string, position: number, exam: BuiltInDeck['cards'][number]['exam']) => ({
  id,
  position,
  kind: 'basic' as const,
  front: `Q ${id}`,
  back: `A ${id}`,
  source: 'test',
  exam,
  tags: [],
  note: '',
});
const decks: BuiltInDeck[] = [
  { id: 'kcna', title: 'KCNA deck', description: '', cards: [card('k1', 0, ['KCNA Kubernetes Fundamentals']), card('k2', 1, [])] },
  { id: 'cka', title: 'CKA deck', description: '', cards: [card('c1', 0, ['CKA Storage'])] },
];
let opened: Storage[] = [];

afterEach(() => {
  for (const storage of opened) storage.close();
  opened = [];
});

describe('exam plan input', () => {
  it("reads the decks holding the exam's cards, all their cards, their settings and today's new cards", async () => {
    const storage = new Storage('exam-plan-input');
    opened.push(storage);
    await storage.syncBuiltInDecks(decks, 'v1', seedTime);
    await storage.changeSettings('Deck options', { decks: [['kcna', { newCardsPerDay: 7 }]] });
    const before = (await storage.card('k1'))!;
    const { card: answered, log } = applyAnswer(createScheduler(defaultSettings), before, Rating.Good, at, 2000);
    await storage.answer(before, answered, log, defaultSettings);

    const goal = { exam: 'KCNA' as const, date: '2026-04-01', targetRecall: 0.9 };
    const input = await new ExamPlanInputStorage('exam-plan-input').read(goal, at);
    expect(input.goal).toEqual(goal);
    expect(input.today).toBe(studyDay(at, 4).number);
    expect(input.decks).toEqual([{ id: 'kcna', title: 'KCNA deck', settings: { ...defaultSettings, newCardsPerDay: 7 }, newDoneToday: 1 }]);
    expect(input.cards.map((record) => record.id).sort()).toEqual(['k1', 'k2']);

    const cka = await new ExamPlanInputStorage('exam-plan-input').read({ ...goal, exam: 'CKA' }, at);
    expect(cka.decks).toEqual([{ id: 'cka', title: 'CKA deck', settings: defaultSettings, newDoneToday: 0 }]);
  });
});
