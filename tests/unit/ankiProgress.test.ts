import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { default_w, fsrs, generatorParameters, State, type FSRS, type FSRSState } from 'ts-fsrs';
import type { AnkiCard, AnkiDeckConfig, AnkiRevlog } from '../../src/domain/anki/model.ts';
import {
  AnkiProgressError,
  ankiCardColumns,
  ankiDayNumber,
  ankiRevlog,
  memoryStateFromSm2,
  progressFromAnki,
  type AnkiTiming,
  type ImportedProgress,
} from '../../src/domain/anki/progress.ts';
import { createScheduler, replaySchedule } from '../../src/domain/scheduler.ts';
import { studyDay } from '../../src/domain/studyDay.ts';
import { defaultSettings, isAnswer, Queue, type AnswerLogRow, type CardRecord, type ReviewLogRow } from '../../src/domain/types.ts';
import { ankiCard as makeAnkiCard } from '../support/ankiCard.ts';

const originalZone = process.env.TZ;
const ids = { cardId: 'anki-guid/0', deckId: 'deck-1' };
const ankiCardId = 1_600_000_000_000;
const dayMs = 86_400_000;
/** Days between two calendar dates, counted on the calendar (not in 24-hour periods). */
const calendarDays = (from: [number, number, number], to: [number, number, number]): number => (Date.UTC(...to) - Date.UTC(...from)) / dayMs;

function ankiCard(columns: Partial<AnkiCard>): AnkiCard {
  return makeAnkiCard({ id: ankiCardId, ...columns });
}

function entry(at: Date, ease: number, type: number, interval: number, factor = 2500, time = 4000): AnkiRevlog {
  return { id: at.getTime(), cardId: ankiCardId, ease, interval, lastInterval: 0, factor, time, type };
}

/** A collection created at 04:00 local time on 5 January 2026, in the zone of the test. */
function timingAt(now: Date, changes: Partial<AnkiTiming> = {}): AnkiTiming {
  const created = new Date(2026, 0, 5, 4);
  return { created: created.getTime() / 1000, creationOffset: created.getTimezoneOffset(), rolloverHour: 4, now, dayStartHour: 4, ...changes };
}

/** The Kubecards card an import makes (its content does not matter here). */
function cardRecord(progress: ImportedProgress): CardRecord {
  const card: CardRecord = {
    id: ids.cardId,
    rev: 1,
    deckId: ids.deckId,
    kind: 'html',
    front: '',
    back: '',
    source: '',
    exam: [],
    tags: [],
    note: '',
    origin: 'user',
    ...progress.schedule,
    position: progress.position,
    queue: progress.queue,
    flag: progress.flag,
  };
  return card;
}

const answersOf = (log: ReviewLogRow[]): AnswerLogRow[] => log.filter(isAnswer);

/**
 * Learning on 1 March, an early review at 03:00 the next morning (before the 04:00 rollover,
 * so still Anki's 1 March), a lapse on 5 March and its relearning step, then Easy on 8 March.
 */
function history(): AnkiRevlog[] {
  return [
    entry(new Date(2026, 2, 1, 10, 0), 3, 0, -600),
    entry(new Date(2026, 2, 1, 10, 10), 3, 0, 1),
    entry(new Date(2026, 2, 2, 3, 0), 3, 1, 3),
    entry(new Date(2026, 2, 5, 9, 0), 1, 1, -600),
    entry(new Date(2026, 2, 5, 9, 10), 3, 2, 2),
    entry(new Date(2026, 2, 8, 12, 0), 4, 1, 10),
  ];
}

/** The memory state after each answer of history(), stepped by hand with the day gaps Anki counts. */
function expectedStates(model: FSRS): FSRSState[] {
  const steps: [number, number][] = [[0, 3], [0, 3], [0, 3], [4, 1], [0, 3], [3, 4]];
  const states: FSRSState[] = [];
  let state: FSRSState | null = null;
  for (const [days, rating] of steps) {
    state = model.next_state(state, days, rating);
    states.push(state);
  }
  return states;
}

const reviewCard = (changes: Partial<AnkiCard> = {}): AnkiCard =>
  ankiCard({ type: 2, queue: 2, due: 80, interval: 10, factor: 2500, reps: 6, lapses: 1, mod: new Date(2026, 2, 8, 12).getTime() / 1000, ...changes });

const defaultModel = fsrs();

// Node re-reads TZ when it is assigned, so one run covers several zones. Dates are built with
// local fields inside each zone, as the user's clock shows them.
describe.each([
  ['Asia/Tokyo', 6],
  ['America/Los_Angeles', 5],
  ['Europe/Berlin', 6],
])('Anki progress in %s', (zone, legacyCreationDate) => {
  beforeAll(() => {
    process.env.TZ = zone;
  });
  afterAll(() => {
    process.env.TZ = originalZone;
  });

  describe('day numbers', () => {
    it('counts calendar days from the creation date, cut at the rollover hour', () => {
      const timing = timingAt(new Date(2026, 5, 10, 12));
      const days = calendarDays([2026, 0, 5], [2026, 5, 10]);
      expect(ankiDayNumber(timing, new Date(2026, 0, 5, 23))).toBe(0);
      expect(ankiDayNumber(timing, new Date(2026, 0, 6, 3, 59))).toBe(0);
      expect(ankiDayNumber(timing, new Date(2026, 0, 6, 4, 0))).toBe(1);
      // Across the spring daylight-saving change (in the zones that have one): still calendar days.
      expect(ankiDayNumber(timing, new Date(2026, 5, 10, 3, 59))).toBe(days - 1);
      expect(ankiDayNumber(timing, new Date(2026, 5, 10, 4, 0))).toBe(days);
    });

    it('counts from the creation date in the offset the collection was created in', () => {
      // 23:30 UTC on 5 January is already 09:30 on the 6th at UTC+10, where it was created.
      const created = Date.UTC(2026, 0, 5, 23, 30) / 1000;
      const at = new Date(2026, 5, 10, 12);
      expect(ankiDayNumber(timingAt(at, { created, creationOffset: -600 }), at)).toBe(calendarDays([2026, 0, 6], [2026, 5, 10]));
      // Without the creation offset Anki takes the creation date in today's offset.
      expect(ankiDayNumber(timingAt(at, { created, creationOffset: undefined }), at)).toBe(calendarDays([2026, 0, legacyCreationDate], [2026, 5, 10]));
    });
  });

  describe('due dates', () => {
    it("puts a card due tomorrow in Anki's terms on tomorrow's study day", () => {
      const now = new Date(2026, 5, 10, 12);
      const timing = timingAt(now);
      const today = ankiDayNumber(timing, now);
      const dueOn = (due: number, at: AnkiTiming = timing) => progressFromAnki(reviewCard({ due }), [], ids, at).schedule.due;
      expect(dueOn(today + 1)).toEqual(new Date(2026, 5, 11, 4));
      expect(studyDay(dueOn(today + 1), 4).number).toBe(studyDay(now, 4).number + 1);
      expect(dueOn(today)).toEqual(new Date(2026, 5, 10, 4));
      expect(dueOn(today - 3)).toEqual(new Date(2026, 5, 7, 4));
      // Kubecards' own day start decides the hour.
      expect(dueOn(today + 1, { ...timing, dayStartHour: 6 })).toEqual(new Date(2026, 5, 11, 6));
    });

    it("counts from Anki's today before the rollover hour", () => {
      // At 02:00 Anki's day is still 9 June: due "tomorrow" is the 10th.
      const now = new Date(2026, 5, 10, 2);
      const timing = timingAt(now);
      const { schedule } = progressFromAnki(reviewCard({ due: ankiDayNumber(timing, now) + 1 }), [], ids, timing);
      expect(schedule.due).toEqual(new Date(2026, 5, 10, 4));
      expect(studyDay(schedule.due, 4).number).toBe(studyDay(now, 4).number + 1);
    });

    it('takes learning due times as seconds and counts steps from left', () => {
      const now = new Date(2026, 5, 10, 12);
      const due = now.getTime() / 1000 + 600;
      const progress = progressFromAnki(ankiCard({ type: 1, queue: 1, due, left: 1001, reps: 1 }), [], ids, timingAt(now));
      expect(progress.schedule.due).toEqual(new Date(due * 1000));
      expect(progress.schedule.state).toBe(State.Learning);
      expect(progress.schedule.learning_steps).toBe(1); // 1 of the 2 default steps left
      expect(progress.queue).toBe(Queue.Learning);
      const preset: AnkiDeckConfig = { id: 1, name: 'Default', newPerDay: 20, reviewsPerDay: 200, learnSteps: [1, 10, 60], relearnSteps: [10], maximumIntervalDays: 36500 };
      expect(progressFromAnki(ankiCard({ type: 1, queue: 1, due, left: 1 }), [], ids, timingAt(now), preset).schedule.learning_steps).toBe(2);
    });

    it('holds suspended and buried cards, buried until tomorrow', () => {
      const now = new Date(2026, 5, 10, 12);
      const timing = timingAt(now);
      const today = ankiDayNumber(timing, now);
      const suspended = progressFromAnki(reviewCard({ queue: -1, due: today + 2 }), [], ids, timing);
      expect(suspended.queue).toBe(Queue.Suspended);
      expect(suspended.schedule.due).toEqual(new Date(2026, 5, 12, 4));
      const seconds = now.getTime() / 1000 + 300;
      const suspendedRelearning = progressFromAnki(reviewCard({ type: 3, queue: -1, due: seconds, left: 1 }), [], ids, timing);
      expect(suspendedRelearning.schedule.due).toEqual(new Date(seconds * 1000));
      expect(suspendedRelearning.schedule.state).toBe(State.Relearning);
      for (const queue of [-2, -3]) {
        const buried = progressFromAnki(reviewCard({ queue, due: today }), [], ids, timing);
        expect(buried.queue).toBe(Queue.Buried);
        expect(buried.buriedOnDay).toBe(studyDay(now, 4).number);
      }
    });

    it('uses the home due date of a card in a filtered deck', () => {
      const now = new Date(2026, 5, 10, 12);
      const timing = timingAt(now);
      const today = ankiDayNumber(timing, now);
      const review = progressFromAnki(reviewCard({ due: -100_000, originalDue: today + 3, originalDeckId: 9 }), [], ids, timing);
      expect(review.schedule.due).toEqual(new Date(2026, 5, 13, 4));
      const fresh = progressFromAnki(ankiCard({ due: -100_005, originalDue: 77, originalDeckId: 9 }), [], ids, timing);
      expect(fresh.position).toBe(77);
      expect(fresh.queue).toBe(Queue.New);
    });

    it('reads position and flag of a new card', () => {
      const progress = progressFromAnki(ankiCard({ due: 42, flags: 0b1101011 }), [], ids, timingAt(new Date(2026, 5, 10, 12)));
      expect(progress.position).toBe(42);
      expect(progress.flag).toBe(3);
      expect(progress.memoryFrom).toBe('new');
      expect(progress.schedule.state).toBe(State.New);
      expect(progress.log).toEqual([]);
    });
  });

  describe('round trip', () => {
    it('gives back the columns Anki had', () => {
      const now = new Date(2026, 5, 10, 12);
      const timing = timingAt(now);
      const today = ankiDayNumber(timing, now);
      const seconds = Math.floor(now.getTime() / 1000);
      const data = (lastReview: number) => JSON.stringify({ s: 12.3456, d: 5.432, dr: 0.9, lrt: lastReview });
      const cards = [
        reviewCard({ due: today + 7, interval: 12, flags: 2, data: data(seconds - 5 * 86_400) }),
        reviewCard({ queue: -1, due: today - 2, data: data(seconds - 12 * 86_400) }),
        reviewCard({ queue: -3, due: today, data: data(seconds - 10 * 86_400) }),
        ankiCard({ type: 1, queue: 1, due: seconds + 600, left: 1, reps: 2, factor: 2500, data: data(seconds - 60) }),
        ankiCard({ type: 3, queue: 3, due: today + 1, interval: 3, left: 1, reps: 9, lapses: 2, factor: 2500, data: data(seconds - 3600) }),
        ankiCard({ type: 3, queue: 1, due: seconds + 300, interval: 4, left: 1, reps: 9, lapses: 3, factor: 2500, data: data(seconds - 300) }),
        ankiCard({ due: 42, flags: 4 }),
      ];
      const kept = ['due', 'type', 'queue', 'interval', 'reps', 'lapses', 'flags', 'left'] as const;
      for (const card of cards) {
        const columns = ankiCardColumns(cardRecord(progressFromAnki(card, [], ids, timing)), timing, 0.9, ['1m', '10m'], ['10m']);
        for (const key of kept) expect([key, columns[key]]).toEqual([key, card[key]]);
        const { s, d } = JSON.parse(columns.data) as { s?: number; d?: number };
        const original = JSON.parse(card.data || '{}') as { s?: number; d?: number };
        expect([s, d]).toEqual([original.s, original.d]);
      }
    });

    it('writes the rebuilt memory state rounded as Anki stores it', () => {
      const timing = timingAt(new Date(2026, 2, 9, 12));
      const progress = progressFromAnki(reviewCard(), history(), ids, timing);
      const columns = ankiCardColumns(cardRecord(progress), timing, 0.87, ['1m', '10m'], ['10m']);
      const expected = expectedStates(defaultModel).at(-1)!;
      expect(JSON.parse(columns.data)).toEqual({
        s: Math.round(expected.stability * 1e4) / 1e4,
        d: Math.round(expected.difficulty * 1e3) / 1e3,
        dr: 0.87,
        lrt: new Date(2026, 2, 8, 12).getTime() / 1000,
      });
      expect(columns.factor).toBe(2500);
    });
  });

  describe('memory state', () => {
    it('rebuilds it from the log, with day gaps in Anki days', () => {
      const progress = progressFromAnki(reviewCard(), history(), ids, timingAt(new Date(2026, 2, 9, 12)));
      const expected = expectedStates(defaultModel);
      expect(progress.memoryFrom).toBe('revlog');
      const answers = answersOf(progress.log);
      answers.forEach((answer, index) => {
        expect(answer.stability).toBeCloseTo(expected[index].stability, 10);
        expect(answer.difficulty).toBeCloseTo(expected[index].difficulty, 10);
      });
      expect(progress.schedule.stability).toBe(answers.at(-1)!.stability);
      expect(progress.schedule.difficulty).toBe(answers.at(-1)!.difficulty);
      expect(progress.schedule.last_review).toEqual(new Date(2026, 2, 8, 12));
    });

    it('leaves cramming out, and counts an early review in a filtered deck', () => {
      const withCram = [...history(), entry(new Date(2026, 2, 6, 12), 1, 3, 0, 0)];
      const progress = progressFromAnki(reviewCard(), withCram, ids, timingAt(new Date(2026, 2, 9, 12)));
      expect(progress.schedule.stability).toBeCloseTo(expectedStates(defaultModel).at(-1)!.stability, 10);
      expect(progress.skippedReviews).toEqual({ cram: 1, manual: 0 });
      expect(answersOf(progress.log)).toHaveLength(6);

      const early = [...history(), entry(new Date(2026, 2, 10, 12), 3, 3, 20, 2500)];
      const earlyProgress = progressFromAnki(reviewCard(), early, ids, timingAt(new Date(2026, 2, 11, 12)));
      const last = answersOf(earlyProgress.log).at(-1)!;
      expect(last.stateBefore).toBe(State.Review);
      expect(last.stability).toBeCloseTo(defaultModel.next_state(expectedStates(defaultModel).at(-1)!, 2, 3).stability, 10);
    });

    it('keeps only the history from the last group of learning on', () => {
      const older = [entry(new Date(2026, 1, 1, 10), 1, 0, -60), entry(new Date(2026, 1, 1, 10, 5), 3, 0, 1), entry(new Date(2026, 1, 5, 10), 1, 1, -600)];
      const progress = progressFromAnki(reviewCard(), [...history(), ...older], ids, timingAt(new Date(2026, 2, 9, 12)));
      expect(progress.memoryFrom).toBe('revlog');
      expect(progress.schedule.stability).toBeCloseTo(expectedStates(defaultModel).at(-1)!.stability, 10);
      const answers = answersOf(progress.log);
      expect(answers.map((answer) => answer.stateBefore)).toEqual([
        State.New,
        State.Learning,
        State.Review,
        State.Learning, // the second group of learning is not a new card's
        State.Learning,
        State.Review,
        State.Review,
        State.Relearning,
        State.Review,
      ]);
      // Answers before it are outside the rebuild: they get the SM-2 state of their own columns.
      expect(answers[0].stability).toBeCloseTo(memoryStateFromSm2(defaultModel, 2.5, 1).stability, 10);
    });

    it('starts again after a reset, which stays in the log', () => {
      const older = [entry(new Date(2026, 1, 1, 10), 3, 0, 1), entry(new Date(2026, 1, 5, 10), 3, 1, 4)];
      const reset = entry(new Date(2026, 1, 20, 10), 0, 4, 0, 0, 0);
      const progress = progressFromAnki(reviewCard(), [...older, reset, ...history()], ids, timingAt(new Date(2026, 2, 9, 12)));
      expect(progress.schedule.stability).toBeCloseTo(expectedStates(defaultModel).at(-1)!.stability, 10);
      expect(progress.skippedReviews).toEqual({ cram: 0, manual: 1 });
      const resetRow = progress.log.find((row) => row.kind === 'reset')!;
      expect(resetRow.reviewedAt).toEqual(new Date(reset.id));
      expect(!isAnswer(resetRow) && resetRow.schedule.state).toBe(State.New);
      expect(answersOf(progress.log).map((answer) => answer.stateBefore).slice(0, 3)).toEqual([State.New, State.Review, State.New]);
    });

    it('drops set-due-date and reschedule entries', () => {
      const manual = [entry(new Date(2026, 2, 6, 12), 0, 4, 20, 2500, 0), entry(new Date(2026, 2, 7, 12), 0, 5, 15, 500, 0)];
      const progress = progressFromAnki(reviewCard(), [...history(), ...manual], ids, timingAt(new Date(2026, 2, 9, 12)));
      expect(progress.schedule.stability).toBeCloseTo(expectedStates(defaultModel).at(-1)!.stability, 10);
      expect(progress.skippedReviews).toEqual({ cram: 0, manual: 2 });
      expect(progress.log.filter((row) => row.kind !== 'import')).toHaveLength(6);
    });

    it("uses the preset's parameters, FSRS-6 or FSRS-5", () => {
      const six = [1, 2, 5, 12, ...default_w.slice(4)];
      const five = default_w.slice(0, 19);
      const timing = timingAt(new Date(2026, 2, 9, 12));
      for (const params of [six, five]) {
        const preset: AnkiDeckConfig = { id: 1, name: 'Tuned', newPerDay: 20, reviewsPerDay: 200, learnSteps: [1, 10], relearnSteps: [10], maximumIntervalDays: 36500, fsrsParams: params };
        const progress = progressFromAnki(reviewCard(), history(), ids, timing, preset);
        const expected = expectedStates(fsrs(generatorParameters({ w: params }))).at(-1)!;
        expect(progress.schedule.stability).toBeCloseTo(expected.stability, 10);
        expect(progress.schedule.stability).not.toBeCloseTo(expectedStates(defaultModel).at(-1)!.stability, 2);
      }
      const broken: AnkiDeckConfig = { id: 2, name: 'Broken', newPerDay: 20, reviewsPerDay: 200, learnSteps: [], relearnSteps: [], maximumIntervalDays: 36500, fsrsParams: [1, 2, 3] };
      expect(() => progressFromAnki(reviewCard(), history(), ids, timing, broken)).toThrow(AnkiProgressError);
    });

    it('seeds an incomplete history from SM-2, or takes the state Anki stored', () => {
      const reviews = [entry(new Date(2026, 2, 1, 12), 3, 1, 10, 2500), entry(new Date(2026, 2, 13, 12), 3, 1, 25, 2650)];
      const timing = timingAt(new Date(2026, 2, 14, 12));
      const seeded = progressFromAnki(reviewCard({ interval: 25 }), reviews, ids, timing);
      const start = memoryStateFromSm2(defaultModel, 2.5, 10);
      const next = defaultModel.next_state(start, 12, 3);
      expect(seeded.memoryFrom).toBe('sm2');
      expect(answersOf(seeded.log).map((answer) => answer.stability)).toEqual([start.stability, next.stability]);
      expect(seeded.schedule.stability).toBe(next.stability);

      const stored = progressFromAnki(reviewCard({ interval: 25, data: '{"s":30.5,"d":4.2,"dr":0.9}' }), reviews, ids, timing);
      expect(stored.memoryFrom).toBe('data');
      expect([stored.schedule.stability, stored.schedule.difficulty]).toEqual([30.5, 4.2]);
      expect(answersOf(stored.log).map((answer) => [answer.stability, answer.difficulty])).toEqual([
        [start.stability, start.difficulty],
        [30.5, 4.2],
      ]);

      // With FSRS on, factor holds the shifted difficulty: 600 is difficulty 5.5.
      const fsrsFactor = progressFromAnki(reviewCard(), [entry(new Date(2026, 2, 1, 12), 3, 1, 10, 600)], ids, timing);
      expect(fsrsFactor.schedule.difficulty).toBeCloseTo(5.5, 10);
    });

    it('falls back on the card columns without a log', () => {
      const timing = timingAt(new Date(2026, 5, 10, 12));
      const stored = progressFromAnki(reviewCard({ data: '{"s":8.25,"d":7.125,"lrt":1780000000}' }), [], ids, timing);
      expect([stored.memoryFrom, stored.schedule.stability, stored.schedule.difficulty]).toEqual(['data', 8.25, 7.125]);
      expect(stored.schedule.last_review).toEqual(new Date(1_780_000_000_000));
      const sm2 = progressFromAnki(reviewCard({ interval: 20, factor: 2300, data: 'not json' }), [], ids, timing);
      expect(sm2.memoryFrom).toBe('sm2');
      expect(sm2.schedule.stability).toBeCloseTo(20, 10); // at SM-2's assumed 90 % retention the interval is the stability
      expect(sm2.schedule.difficulty).toBe(memoryStateFromSm2(defaultModel, 2.3, 20).difficulty);
      // Without a known last review it is the due day less the interval.
      expect(studyDay(sm2.schedule.due, 4).number - studyDay(sm2.schedule.last_review!, 4).number).toBe(20);
    });

    it("matches fsrs-rs's memory_state_from_sm2", () => {
      // The values of fsrs-rs's own test (inference.rs test_memory_from_sm2), default parameters.
      const state = memoryStateFromSm2(defaultModel, 2.5, 10);
      expect(state.stability).toBeCloseTo(10, 4);
      expect(state.difficulty).toBeCloseTo(6.9140563, 4);
      expect(memoryStateFromSm2(defaultModel, 1.3, 20)).toEqual({ stability: 20, difficulty: 10 });
    });
  });

  describe('log rows', () => {
    it("turns answers into answer rows with Anki's columns", () => {
      const progress = progressFromAnki(reviewCard(), history(), ids, timingAt(new Date(2026, 2, 9, 12)));
      const answers = answersOf(progress.log);
      const entries = history();
      expect(answers.map((answer) => answer.stateBefore)).toEqual([State.New, State.Learning, State.Review, State.Review, State.Relearning, State.Review]);
      answers.forEach((answer, index) => {
        const source = entries[index];
        expect(answer).toMatchObject({ kind: 'answer', ...ids, rating: source.ease, reviewedAt: new Date(source.id), durationMs: 4000 });
        expect(answer.scheduledDays).toBe(Math.max(source.interval, 0));
      });
      expect(answers[0].due).toEqual(new Date(entries[0].id + 600_000));
      expect(answers[5].due).toEqual(new Date(entries[5].id + 10 * dayMs));
    });

    it('ends with an import row, so that replaying the log gives the schedule', () => {
      const timing = timingAt(new Date(2026, 2, 9, 12));
      const scheduler = createScheduler(defaultSettings);
      const reset = entry(new Date(2026, 1, 20, 10), 0, 4, 0, 0, 0);
      for (const revlog of [history(), [entry(new Date(2026, 1, 1, 10), 3, 0, 1), reset, ...history()]]) {
        const progress = progressFromAnki(reviewCard(), revlog, ids, timing);
        const last = progress.log.at(-1)!;
        expect(last.kind).toBe('import');
        expect(last.reviewedAt).toEqual(new Date(history().at(-1)!.id + 1)); // after the last review: mod is earlier
        expect(replaySchedule(scheduler, ids.cardId, progress.log)).toEqual(progress.schedule);
      }
      const mod = new Date(2026, 2, 9, 8).getTime() / 1000;
      expect(progressFromAnki(reviewCard({ mod }), history(), ids, timing).log.at(-1)!.reviewedAt).toEqual(new Date(mod * 1000));
    });

    it('gives the same rows when the same package is imported a day later', () => {
      const card = reviewCard({ due: 70 });
      const first = progressFromAnki(card, history(), ids, timingAt(new Date(2026, 2, 9, 12)));
      const later = progressFromAnki(card, [...history()].reverse(), ids, timingAt(new Date(2026, 2, 10, 12)));
      expect(later.log).toEqual(first.log);
    });

    it('writes answers, resets and reschedules back as revlog rows', () => {
      const reset = entry(new Date(2026, 1, 20, 10), 0, 4, 0, 0, 0);
      const revlog = [entry(new Date(2026, 1, 1, 10), 3, 0, 1), reset, ...history()];
      const progress = progressFromAnki(reviewCard(), revlog, ids, timingAt(new Date(2026, 2, 9, 12)));
      const usedIds = new Set([revlog[0].id]);
      const written = ankiRevlog(progress.log, 77, usedIds);
      expect(written).toHaveLength(revlog.length); // the import row is left out
      expect(written[0].id).toBe(revlog[0].id + 1); // that id was taken
      written.slice(1).forEach((row, index) => expect(row.id).toBe(revlog[index + 1].id));
      expect(written.map(({ ease, interval, type, time, cardId }) => ({ ease, interval, type, time, cardId }))).toEqual(
        revlog.map(({ ease, interval, type, time }) => ({ ease, interval, type, time, cardId: 77 })),
      );
      expect(written[1].factor).toBe(0);
      const answers = answersOf(progress.log);
      expect(written.filter((row) => row.ease > 0).map((row) => row.factor)).toEqual(
        answers.map((answer) => Math.round(((answer.difficulty - 1) / 9 + 0.1) * 1000)),
      );
      expect(written.map((row) => row.lastInterval)).toEqual([0, 1, 0, -600, 1, 3, -600, 2]);
      expect(usedIds.size).toBe(revlog.length + 1);

      const schedule = { ...progress.schedule, scheduled_days: 30 };
      const rescheduled = ankiRevlog([{ kind: 'reschedule', ...ids, reviewedAt: new Date(2026, 2, 9, 13), schedule }], 77, usedIds)[0];
      expect(rescheduled).toMatchObject({ type: 5, ease: 0, interval: 30, lastInterval: 0 });
    });
  });
});

describe('Anki due dates across daylight-saving changes', () => {
  afterAll(() => {
    process.env.TZ = originalZone;
  });

  it('keeps local due days across spring-forward in Los Angeles', () => {
    process.env.TZ = 'America/Los_Angeles';
    // Clocks go forward at 02:00 on 8 March 2026; the collection was created in winter time.
    const now = new Date(2026, 2, 7, 12);
    const timing = timingAt(now);
    const today = ankiDayNumber(timing, now);
    expect(ankiDayNumber(timing, new Date(2026, 2, 9, 4))).toBe(calendarDays([2026, 0, 5], [2026, 2, 9]));
    const dueToday = progressFromAnki(reviewCard({ due: today }), [], ids, timing).schedule;
    const tomorrow = progressFromAnki(reviewCard({ due: today + 1 }), [], ids, timing);
    expect(dueToday.due).toEqual(new Date(2026, 2, 7, 4));
    expect(tomorrow.schedule.due).toEqual(new Date(2026, 2, 8, 4));
    expect(tomorrow.schedule.due.getTime() - dueToday.due.getTime()).toBe(23 * 3_600_000);
    expect(progressFromAnki(reviewCard({ due: today + 2 }), [], ids, timing).schedule.due).toEqual(new Date(2026, 2, 9, 4));
    expect(ankiCardColumns(cardRecord(tomorrow), timing, 0.9, [], []).due).toBe(today + 1);
  });

  it('keeps local due days across fall-back in Berlin, for a collection created in summer time', () => {
    process.env.TZ = 'Europe/Berlin';
    // Clocks go back at 03:00 on 25 October 2026.
    const created = new Date(2026, 6, 1, 4);
    const now = new Date(2026, 9, 24, 12);
    const timing = timingAt(now, { created: created.getTime() / 1000, creationOffset: created.getTimezoneOffset() });
    expect(timing.creationOffset).toBe(-120);
    const days = calendarDays([2026, 6, 1], [2026, 9, 26]);
    expect(ankiDayNumber(timing, new Date(2026, 9, 26, 3, 59))).toBe(days - 1);
    expect(ankiDayNumber(timing, new Date(2026, 9, 26, 4, 0))).toBe(days);
    const today = ankiDayNumber(timing, now);
    const dueToday = progressFromAnki(reviewCard({ due: today }), [], ids, timing).schedule;
    const tomorrow = progressFromAnki(reviewCard({ due: today + 1 }), [], ids, timing);
    expect(dueToday.due).toEqual(new Date(2026, 9, 24, 4));
    expect(tomorrow.schedule.due).toEqual(new Date(2026, 9, 25, 4));
    expect(tomorrow.schedule.due.getTime() - dueToday.due.getTime()).toBe(25 * 3_600_000);
    expect(ankiCardColumns(cardRecord(tomorrow), timing, 0.9, [], []).due).toBe(today + 1);
  });
});

describe('damaged Anki columns', () => {
  const timing = () => timingAt(new Date(2026, 5, 10, 12));

  it('names the card and the column', () => {
    expect(() => progressFromAnki(ankiCard({ type: 7 }), [], ids, timing())).toThrow(new AnkiProgressError(`Card ${ankiCardId} has type 7; Anki's card types are 0 to 3.`));
    expect(() => progressFromAnki(ankiCard({ queue: 9 }), [], ids, timing())).toThrow(AnkiProgressError);
    const bad = { ...entry(new Date(2026, 2, 1), 5, 1, 3), id: 123 };
    expect(() => progressFromAnki(reviewCard(), [bad], ids, timing())).toThrow(`Review log entry 123 of card ${ankiCardId} has answer 5`);
    expect(() => progressFromAnki(reviewCard(), [{ ...bad, ease: 3, type: 6 }], ids, timing())).toThrow('has kind 6');
  });
});
