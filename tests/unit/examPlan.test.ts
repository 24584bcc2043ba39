import { fileURLToPath } from 'node:url';
import { default_w, Rating, State } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { readDeckFolder } from '../../src/build/builtInDecks.ts';
import type { ExamDomain } from '../../src/domain/exams.ts';
import { dayNumberOf, forecastLimits, planExam, reviewDraw, type ExamPlan, type ExamPlanInput, type PlanDeck } from '../../src/domain/examPlan.ts';
import { createScheduler, previewOutcomes } from '../../src/domain/scheduler.ts';
import { studyDay } from '../../src/domain/studyDay.ts';
import { defaultSettings, Queue, type CardRecord, type StudySettings } from '../../src/domain/types.ts';
import { makeCard } from '../support/cards.ts';

const today = dayNumberOf('2026-03-01');
const fundamentals: ExamDomain = 'KCNA Kubernetes Fundamentals';
const architecture: ExamDomain = 'KCNA Cloud Native Architecture';
const recalled = () => 0;
const forgotten = () => 1;

function deck(id: string, overrides: Partial<PlanDeck> = {}): PlanDeck {
  return { id, title: `Deck ${id}`, settings: defaultSettings, newDoneToday: 0, ...overrides };
}

function newCards(deckId: string, count: number, exam: ExamDomain[] = [fundamentals]): CardRecord[] {
  return Array.from({ length: count }, (_, position) => makeCard(`${deckId}-${position}`, { deckId, position, exam }));
}

function input(decks: PlanDeck[], cards: CardRecord[], date: string, targetRecall = 0.9): ExamPlanInput {
  return { goal: { exam: 'KCNA', date, targetRecall }, today, dayStartHour: 4, decks, cards };
}

function plan(of: ExamPlanInput, options = {}): ExamPlan {
  const outcome = planExam(of, options);
  if (outcome.kind !== 'plan') throw new Error(`no plan: ${outcome.kind}`);
  return outcome.plan;
}

/** FSRS-6 as its paper writes it, from the default weights: what the plan must agree with. */
const w = default_w;
const decay = -w[20];
const factor = 0.9 ** (1 / decay) - 1;
const initialDifficulty = (grade: number) => w[4] - Math.exp((grade - 1) * w[5]) + 1;
const recallAfter = (days: number, stability: number) => (1 + (factor * days) / stability) ** decay;
const recallStability = (d: number, s: number, r: number, penalty = 1) => s * (1 + Math.exp(w[8]) * (11 - d) * s ** -w[9] * (Math.exp(w[10] * (1 - r)) - 1) * penalty);
// A Good answer's difficulty: no change, then mean reversion towards Easy's initial difficulty.
const goodDifficulty = (d: number) => w[7] * initialDifficulty(4) + (1 - w[7]) * d;
// At desired retention 0.9 the interval is the stability (FSRS's definition of stability).
const interval = (stability: number) => Math.max(1, Math.round(stability));

describe('exam plan simulation', () => {
  it('agrees with FSRS-6 worked by hand: one new card, the exam five days away, always recalled', () => {
    const cards = newCards('a', 1);
    const draws: [string, number][] = [];
    const forecast = forecastLimits(input([deck('a')], cards, '2026-03-06'), { a: 1 }, { draw: (id: string, k: number) => (draws.push([id, k]), 0) })!;

    // Day 0: first answer Good, then the 10-minute learning step Good (a same-day review).
    const s0 = w[2];
    const d0 = initialDifficulty(3);
    const s1 = s0 * Math.max(1, s0 ** -w[19] * Math.exp(w[17] * (0 + w[18])));
    const d1 = goodDifficulty(d0);
    const firstInterval = interval(s1);
    expect(firstInterval).toBe(2);
    // Day 2: the review, recalled; Good waits at least a day more than Hard would.
    const r2 = recallAfter(2, s1);
    const s2 = recallStability(d1, s1, r2);
    const hardInterval = interval(recallStability(d1, s1, r2, w[15]));
    const secondInterval = Math.max(interval(s2), Math.min(hardInterval, interval(s2)) + 1);
    expect(2 + secondInterval).toBeGreaterThanOrEqual(5);
    // The exam on day 5: three days after that review.
    const onExam = recallAfter(3, s2);

    expect(forecast.overall).toBeCloseTo(onExam, 6);
    expect(forecast.domains.find((domain) => domain.domain === 'Kubernetes Fundamentals')!.recall).toBeCloseTo(onExam, 6);
    expect(forecast.load).toEqual([
      { day: today, newCards: 1, reviews: 0, answers: 2 },
      { day: today + 1, newCards: 0, reviews: 0, answers: 0 },
      { day: today + 2, newCards: 0, reviews: 1, answers: 1 },
      { day: today + 3, newCards: 0, reviews: 0, answers: 0 },
      { day: today + 4, newCards: 0, reviews: 0, answers: 0 },
    ]);
    expect(forecast.meanReviews).toBeCloseTo(1 / 5, 12);
    expect(forecast.peakReviews).toBe(1);
    expect(forecast.lapses).toBe(0);
    // One review, its card's first: the draw is named by card and review count only.
    expect(draws).toEqual([['a-0', 0]]);

    const planned = plan(input([deck('a')], cards, '2026-03-06', 0.9), { draw: recalled });
    expect(planned.reached).toBe(true);
    expect(planned.decks.map((entry) => [entry.plannedLimit, entry.introduced])).toEqual([[1, 1]]);
    expect(planned.planned.overall).toBeCloseTo(onExam, 6);
  });

  it.each([
    ['the default settings', {}],
    ['a one-day learning step and retention 0.8', { learningSteps: ['1m', '10m', '1d'], desiredRetention: 0.8 }],
    ['no learning steps and retention 0.95', { learningSteps: [], desiredRetention: 0.95 }],
  ])("answers on the days the app's own scheduler sets when every answer is Good, with %s", (_, overrides: Partial<StudySettings>) => {
    const settings = { ...defaultSettings, ...overrides, fuzz: false };
    const scheduler = createScheduler(settings);
    const examDate = new Date(2026, 11, 1, 10);
    let card = makeCard('a-0', { deckId: 'a' });
    let at = new Date(2026, 2, 1, 10);
    const answerDays: number[] = [];
    while (at < examDate) {
      answerDays.push(studyDay(at, 4).number);
      card = { ...card, ...previewOutcomes(scheduler, card, at)[Rating.Good].schedule };
      at = card.due > at ? card.due : at;
    }
    const forecast = forecastLimits(input([deck('a', { settings })], [makeCard('a-0', { deckId: 'a' })], '2026-12-01'), { a: 1 }, { draw: recalled })!;
    expect(forecast.load.flatMap((day) => Array<number>(day.answers).fill(day.day))).toEqual(answerDays);
  });

  it('counts a lapse and its relearning step as reviews of the same day', () => {
    // The card's first review is forgotten, every later one recalled.
    const forecast = forecastLimits(input([deck('a')], newCards('a', 1), '2026-03-06'), { a: 1 }, { draw: (_: string, k: number) => (k === 0 ? 1 : 0) })!;
    expect(forecast.lapses).toBe(1);
    expect(forecast.load[2]).toEqual({ day: today + 2, newCards: 0, reviews: 2, answers: 2 });
    // Forgotten on every review: a lapse each day it comes back.
    const always = forecastLimits(input([deck('a')], newCards('a', 1), '2026-03-06'), { a: 1 }, { draw: forgotten })!;
    expect(always.lapses).toBe(always.load.filter((day) => day.reviews > 0).length);
  });

  it('never introduces or reviews a card on or after the exam day', () => {
    const cards = newCards('a', 60);
    const of = input([deck('a')], cards, '2026-03-08');
    const forecast = forecastLimits(of, { a: 20 })!;
    expect(forecast.load.map((day) => day.day)).toEqual([0, 1, 2, 3, 4, 5, 6].map((offset) => today + offset));
    expect(forecast.load.map((day) => day.newCards)).toEqual([20, 20, 20, 0, 0, 0, 0]);
    // A limit that runs out only after the exam: the cards of day 7 and later never come.
    const slow = forecastLimits(of, { a: 5 })!;
    expect(slow.load.map((day) => day.newCards)).toEqual([5, 5, 5, 5, 5, 5, 5]);
    expect(slow.domains[0].recall).toBeLessThan((35 / 60) * 1.0001);

    const planned = plan(of);
    expect(planned.days).toBe(7);
    expect(planned.planned.load).toHaveLength(7);
    expect(planned.planned.load.every((day) => day.day >= today && day.day < planned.examDay)).toBe(true);
    expect(planned.decks[0].introduced).toBeLessThanOrEqual(60);
  });

  it('with the exam tomorrow plans today only, and with the exam today or past plans nothing', () => {
    const cards = newCards('a', 5);
    const tomorrow = plan(input([deck('a')], cards, '2026-03-02', 0.5), { draw: recalled });
    expect(tomorrow.days).toBe(1);
    expect(tomorrow.planned.load).toEqual([{ day: today, newCards: tomorrow.decks[0].plannedLimit, reviews: 0, answers: 2 * tomorrow.decks[0].plannedLimit }]);
    // A card learnt today is recalled tomorrow with FSRS's one-day recall.
    const oneDay = recallAfter(1, w[2]);
    expect(tomorrow.decks[0].plannedLimit).toBe(Math.ceil((0.5 * 5) / oneDay));

    expect(planExam(input([deck('a')], cards, '2026-03-01'))).toEqual({ kind: 'too-late' });
    expect(planExam(input([deck('a')], cards, '2026-02-20'))).toEqual({ kind: 'too-late' });
    expect(forecastLimits(input([deck('a')], cards, '2026-03-01'), {})).toBeUndefined();
  });

  it('plans no new cards when what is studied already reaches the target', () => {
    const yesterday = new Date(2026, 1, 28, 12);
    const studied = makeCard('known', {
      deckId: 'a',
      state: State.Review,
      queue: Queue.Review,
      stability: 400,
      difficulty: 3,
      last_review: yesterday,
      due: new Date(2026, 9, 1, 12),
      reps: 5,
    });
    const cards = [studied, ...newCards('a', 1)];
    const planned = plan(input([deck('a')], cards, '2026-03-20', 0.45));
    expect(planned.reached).toBe(true);
    expect(planned.decks[0]).toMatchObject({ newCards: 1, currentLimit: 20, plannedLimit: 0, introduced: 0 });
    expect(planned.planned.load.every((day) => day.answers === 0)).toBe(true);
    // The studied card's recall on the exam day, the new one counting as none.
    const examDay = dayNumberOf('2026-03-20');
    expect(planned.planned.overall).toBeCloseTo(recallAfter(examDay - studyDay(yesterday, 4).number, 400) / 2, 6);
  });

  it('says when the target is out of reach, with every new card introduced in time', () => {
    const planned = plan(input([deck('a')], newCards('a', 10), '2026-03-06', 0.99), { draw: recalled });
    expect(planned.reached).toBe(false);
    // Ten cards in five days: two a day is every card in time.
    expect(planned.decks[0]).toMatchObject({ plannedLimit: 2, introduced: 10 });
    expect(planned.planned.overall).toBeLessThan(0.99);
    expect(planned.current.overall).toBeGreaterThanOrEqual(planned.planned.overall! - 1e-9);
  });

  it('gives new cards first to the deck whose domain weighs more', () => {
    const decks = [deck('light'), deck('heavy')];
    const cards = [...newCards('light', 1, [architecture]), ...newCards('heavy', 1, [fundamentals])];
    // Fundamentals weighs 44, Architecture 12: the heavy card alone gives 44/56 of its recall.
    const planned = plan(input(decks, cards, '2026-03-06', 0.7), { draw: recalled });
    expect(planned.reached).toBe(true);
    expect(planned.decks.map((entry) => [entry.deckId, entry.plannedLimit])).toEqual([
      ['light', 0],
      ['heavy', 1],
    ]);
    expect(planned.planned.domains.map((domain) => [domain.domain, domain.cards])).toEqual([
      ['Kubernetes Fundamentals', 1],
      ['Container Orchestration', 0],
      ['Cloud Native Application Delivery', 0],
      ['Cloud Native Architecture', 1],
    ]);
  });

  it('reaches past cards of no exam domain that come first in a deck', () => {
    const cards = [...newCards('a', 12, []), ...newCards('b', 2)].map((card, position) => ({ ...card, deckId: 'a', id: `card-${position}`, position }));
    const planned = plan(input([deck('a')], cards, '2026-03-08', 0.5), { draw: recalled });
    expect(planned.reached).toBe(true);
    expect(planned.decks[0].introduced).toBeGreaterThanOrEqual(13);
  });

  it('is deterministic, and plans with lapses drawn from card and review count', () => {
    const decks = [deck('a'), deck('b', { settings: { ...defaultSettings, desiredRetention: 0.8 } })];
    const cards = [...newCards('a', 150, [fundamentals]), ...newCards('b', 150, [architecture])];
    const of = input(decks, cards, '2026-04-15', 0.8);
    const first = plan(of);
    expect(plan(of)).toEqual(first);
    expect(first.planned.lapses).toBeGreaterThan(0);
    expect(first.reached).toBe(true);
    expect(first.planned.overall).toBeGreaterThanOrEqual(0.8);
    // Fewer new cards in either deck would fall short.
    for (const [index, entry] of first.decks.entries()) {
      if (entry.plannedLimit === 0) continue;
      const limits = Object.fromEntries(first.decks.map((other, at) => [other.deckId, at === index ? other.plannedLimit - 1 : other.plannedLimit]));
      expect(forecastLimits(of, limits)!.overall).toBeLessThan(0.8);
    }
    expect(reviewDraw('a-1', 0)).not.toBe(reviewDraw('a-1', 1));
    expect(reviewDraw('a-1', 0)).toBe(reviewDraw('a-1', 0));
  });

  it('reports progress up to 1 and plans the built-in decks', () => {
    const folder = fileURLToPath(new URL('../../decks', import.meta.url));
    const decks = readDeckFolder(folder);
    const cards = decks.flatMap((built) => built.cards.map((card) => makeCard(card.id, { ...card, deckId: built.id })));
    const progress: number[] = [];
    const planned = plan(
      input(
        decks.map((built) => deck(built.id, { title: built.title })),
        cards,
        '2026-03-31',
      ),
      { onProgress: (fraction: number) => progress.push(fraction) },
    );
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(planned.decks).toHaveLength(decks.length);
    expect(planned.planned.overall).toBeGreaterThan(planned.target - 0.05);
    expect(planned.assumptions.length).toBeGreaterThan(4);
  });
});
