import { createEmptyCard, fsrs, generatorParameters, GenSeedStrategyWithCardId, Rating, State, StrategyMode, type Grade } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { intervalLabel } from '../../src/domain/intervalLabel.ts';
import { applyAnswer, createScheduler, grades, outcomeInterval, previewOutcomes } from '../../src/domain/scheduler.ts';
import { newSchedule, scheduleOf } from '../../src/domain/schedule.ts';
import { CardState, defaultSettings, Queue, type CardRecord } from '../../src/domain/types.ts';
import { makeCard } from '../support/cards.ts';

const start = new Date('2026-03-02T08:00:00Z');
const later = (card: CardRecord, extraMinutes = 0) => new Date(card.due.getTime() + extraMinutes * 60_000);

describe('scheduling', () => {
  it('gives what ts-fsrs gives for the same card and time, answer after answer', () => {
    const settings = { ...defaultSettings, fuzz: true };
    const reference = fsrs(
      generatorParameters({ enable_fuzz: true, request_retention: 0.9, learning_steps: ['1m', '10m'], relearning_steps: ['10m'] }),
    ).useStrategy(StrategyMode.SEED, GenSeedStrategyWithCardId('id'));
    const scheduler = createScheduler(settings);
    let card = makeCard('k8s-1', {}, start);
    let now = start;
    const answers: Grade[] = [Rating.Good, Rating.Good, Rating.Good, Rating.Again, Rating.Good, Rating.Hard, Rating.Easy];
    for (const rating of answers) {
      const outcomes = previewOutcomes(scheduler, card, now);
      const expected = reference.repeat({ ...scheduleOf(card), id: card.id } as never, now);
      for (const grade of grades) expect(outcomes[grade].schedule).toEqual(scheduleOf(expected[grade].card));
      card = applyAnswer(scheduler, card, rating, now, 4000).card;
      now = later(card, 5);
    }
    expect(card.reps).toBe(answers.length);
    expect(card.lapses).toBe(1);
  });

  it('matches ts-fsrs defaults exactly when fuzz is off', () => {
    const scheduler = createScheduler({ ...defaultSettings, fuzz: false });
    const reference = fsrs();
    const card = makeCard('plain', {}, start);
    for (const grade of grades) {
      expect(previewOutcomes(scheduler, card, start)[grade].schedule).toEqual(scheduleOf(reference.next(card, start, grade).card));
    }
  });

  it('labels a new card 1m / 6m / 10m / days, and the label equals the interval stored', () => {
    const scheduler = createScheduler(defaultSettings);
    const card = makeCard('labels', {}, start);
    const outcomes = previewOutcomes(scheduler, card, start);
    const labels = grades.map((grade) => intervalLabel(outcomeInterval(outcomes[grade], start)));
    expect(labels.slice(0, 3)).toEqual(['1m', '6m', '10m']);
    expect(labels[3]).toMatch(/^\d+d$/);
    for (const grade of grades) {
      const stored = applyAnswer(scheduler, card, grade, new Date(start.getTime() + 3000), 3000).card;
      expect(intervalLabel(stored.due.getTime() - stored.last_review!.getTime())).toBe(
        intervalLabel(outcomeInterval(outcomes[grade], start)),
      );
    }
  });

  it('gives the same outcome whenever it is computed, so a preview never changes under the thumb', () => {
    const scheduler = createScheduler({ ...defaultSettings, fuzz: true });
    const review = makeCard('stable', { state: State.Review, stability: 20, difficulty: 5, reps: 5, scheduled_days: 20, due: start, last_review: new Date('2026-02-10T08:00:00Z') });
    expect(previewOutcomes(scheduler, review, start)).toEqual(previewOutcomes(scheduler, review, start));
  });

  it('records the answer in a log row and moves the card to its new queue', () => {
    const scheduler = createScheduler(defaultSettings);
    const card = makeCard('log', {}, start);
    const reviewedAt = new Date(start.getTime() + 5000);
    // Computed at the time the log records, so that replaying the log gives the card.
    const outcome = previewOutcomes(scheduler, card, reviewedAt)[Rating.Good];
    const { card: after, log } = applyAnswer(scheduler, card, Rating.Good, reviewedAt, 5000.4);
    expect(after.queue).toBe(Queue.Learning);
    expect(after.front).toBe(card.front);
    expect(after.due).toEqual(outcome.schedule.due);
    expect(log).toEqual({
      kind: 'answer',
      cardId: 'log',
      deckId: 'deck',
      rating: Rating.Good,
      reviewedAt,
      stateBefore: State.New,
      due: outcome.schedule.due,
      stability: outcome.schedule.stability,
      difficulty: outcome.schedule.difficulty,
      scheduledDays: outcome.schedule.scheduled_days,
      durationMs: 5000,
    });
  });
});

describe('what the first screen knows of ts-fsrs without loading it', () => {
  it('has its card states and its new card', () => {
    expect(CardState).toEqual({ New: State.New, Learning: State.Learning, Review: State.Review, Relearning: State.Relearning });
    const now = new Date('2026-05-01T10:00:00Z');
    expect(newSchedule(now)).toStrictEqual(createEmptyCard(now));
  });
});

describe('the answer buttons, as in Anki', () => {
  it('never give Easy an interval that is not longer than Good, also on learning cards that both graduate', () => {
    const scheduler = createScheduler(defaultSettings);
    let checked = 0;
    for (let c = 0; c < 200; c++) {
      let card = makeCard(`order-${c}`);
      let now = new Date('2026-01-01T00:00:00Z');
      for (let step = 0; step < 8; step++) {
        const outcomes = previewOutcomes(scheduler, card, now);
        const [hard, good, easy] = ([Rating.Hard, Rating.Good, Rating.Easy] as const).map((rating) => outcomeInterval(outcomes[rating], now));
        expect(hard).toBeLessThan(good);
        expect(good).toBeLessThan(easy);
        checked++;
        card = applyAnswer(scheduler, card, (c + step) % 5 === 0 ? Rating.Again : Rating.Good, now, 1000).card;
        now = card.due;
      }
    }
    expect(checked).toBe(1600);
  });
});
