import { Rating, State, type Grade } from 'ts-fsrs';
import { afterAll, describe, expect, it } from 'vitest';
import { examReadiness } from '../../src/domain/readiness.ts';
import {
  addCardCharts,
  addDayCounts,
  addNamedCounts,
  answerButtons,
  cardCharts,
  cardStateCounts,
  futureDue,
  futureDueEnds,
  histogram,
  rate,
  RetentionHistory,
  reviewsPerDay,
  trueRetention,
  trueRetentions,
} from '../../src/domain/stats.ts';
import { streak } from '../../src/domain/today.ts';
import { studyDay } from '../../src/domain/studyDay.ts';
import { isAnswer, Queue, type AnswerLogRow } from '../../src/domain/types.ts';
import { makeCard } from '../support/cards.ts';
import { generateCollection, seededRandom } from '../support/collection.ts';

const originalZone = process.env.TZ;
afterAll(() => {
  process.env.TZ = originalZone;
});

function row(cardId: string, reviewedAt: Date, rating: Grade, stateBefore: State, scheduledDays = 1): AnswerLogRow {
  return { cardId, deckId: 'd', rating, reviewedAt, stateBefore, due: reviewedAt, stability: 1, difficulty: 5, scheduledDays, durationMs: 4000 };
}

describe('reviews per study day (heatmap)', () => {
  it('puts 03:59 in the previous day and 04:01 in the new one', () => {
    process.env.TZ = 'Europe/Berlin';
    const now = new Date(2026, 5, 10, 12, 0);
    const log = [
      row('a', new Date(2026, 5, 10, 3, 59), Rating.Good, State.Review),
      row('b', new Date(2026, 5, 10, 4, 1), Rating.Good, State.Review),
      row('c', new Date(2026, 5, 10, 11, 0), Rating.Good, State.Review),
    ];
    const days = reviewsPerDay(log, now, 4, 3);
    expect(days.map((day) => day.count)).toEqual([0, 1, 2]);
    expect(days[2].day).toBe(studyDay(now, 4).number);
  });

  it('keeps one bucket per study day across a DST change', () => {
    process.env.TZ = 'America/Los_Angeles';
    // 8 March 2026: clocks go forward at 02:00. Study day of the 7th runs to 04:00 on the 8th.
    const log = [
      row('a', new Date(2026, 2, 7, 22, 0), Rating.Good, State.Review),
      row('b', new Date(2026, 2, 8, 1, 30), Rating.Good, State.Review),
      row('c', new Date(2026, 2, 8, 3, 30), Rating.Good, State.Review),
      row('d', new Date(2026, 2, 8, 4, 30), Rating.Good, State.Review),
      row('e', new Date(2026, 2, 9, 9, 0), Rating.Good, State.Review),
    ];
    expect(reviewsPerDay(log, new Date(2026, 2, 9, 12, 0), 4, 3).map((day) => day.count)).toEqual([3, 1, 1]);
  });
});

describe('true retention', () => {
  it('counts first answers to review cards per day, Again as a fail, young and mature apart', () => {
    process.env.TZ = 'UTC';
    const at = (day: number, hour: number) => new Date(Date.UTC(2026, 3, day, hour));
    const log = [
      // Card y: young (interval 5 before the review). Passed on the 10th, the second answer that day is ignored.
      row('y', at(5, 10), Rating.Good, State.Learning, 5),
      row('y', at(10, 10), Rating.Good, State.Review, 12),
      row('y', at(10, 11), Rating.Again, State.Review, 1),
      // Card m: mature (interval 30 before). Failed on the 12th.
      row('m', at(1, 10), Rating.Good, State.Review, 30),
      row('m', at(12, 10), Rating.Again, State.Review, 0),
      // A learning answer never counts.
      row('n', at(12, 12), Rating.Again, State.New, 0),
      // Card m2: mature, passed with Hard.
      row('m2', at(2, 10), Rating.Good, State.Review, 25),
      row('m2', at(13, 10), Rating.Hard, State.Review, 40),
    ];
    const month = trueRetention(log, at(14, 12), 4, 30);
    // 1 April counts too: card m's first answer (interval 0 before it: young, passed); m2's on 2 April likewise.
    expect(month).toEqual({ young: { passed: 3, failed: 0 }, mature: { passed: 1, failed: 1 } });
    expect(rate(month.mature)).toBe(0.5);
    const week = trueRetention(log, at(14, 12), 4, 7);
    expect(week).toEqual({ young: { passed: 1, failed: 0 }, mature: { passed: 1, failed: 1 } });
    expect(rate({ passed: 0, failed: 0 })).toBeUndefined();
  });
});

// The statistics worker reads the cards and the log a part at a time, the log in id order,
// and must come to the very figures the whole collection gives at once.
describe('statistics from parts of the collection', () => {
  const now = new Date(Date.UTC(2026, 3, 14, 12));

  it('gives true retention over several periods in one pass, as over each period alone', () => {
    process.env.TZ = 'UTC';
    const { log } = generateCollection(300, now);
    const answers = log.filter(isAnswer);
    const periods = [1, 7, 30, 365];
    const ordered = [...answers].sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime());
    const expected = periods.map((days) => trueRetention(answers, now, 4, days));
    expect(trueRetentions(ordered, now, 4, periods)).toEqual(expected);
    expect(expected[3].mature.passed + expected[3].young.passed).toBeGreaterThan(100);
    // Only each card's own order counts: the cards one after another give the same.
    const byCard = [...ordered].sort((a, b) => a.cardId.localeCompare(b.cardId));
    expect(trueRetentions(byCard, now, 4, periods)).toEqual(expected);
  });

  it('keeps answers in any order and gives them back in log order, older ones only as far as they count', () => {
    process.env.TZ = 'America/Los_Angeles';
    // `now` is 05:00 on 14 April in Los Angeles.
    const at = (daysAgo: number, hour = 10) => new Date(2026, 3, 14 - daysAgo, hour);
    // Read in id order, which is not time order: cards interleaved, years of history, and two
    // answers of one card at the same millisecond (the later-written one is the later).
    const log = [
      row('a', at(3), Rating.Good, State.Review, 40),
      row('b', at(900), Rating.Good, State.Learning, 3),
      row('a', at(700), Rating.Good, State.Review, 30),
      row('a', at(400), Rating.Again, State.Review, 2),
      row('b', at(500), Rating.Good, State.Review, 25),
      row('b', at(20), Rating.Again, State.Review, 1),
      row('c', at(2), Rating.Good, State.Review, 10),
      row('c', at(380), Rating.Good, State.Review, 5),
      row('c', at(380), Rating.Good, State.Review, 30),
      row('d', at(364, 5), Rating.Hard, State.Review, 9),
      row('d', at(366), Rating.Good, State.Review, 22),
      row('e', at(1, 11), Rating.Good, State.Review, 3),
      row('e', at(1, 11), Rating.Again, State.Review, 1),
    ];
    const history = new RetentionHistory(now, 4, 365);
    for (const answer of log) history.add(answer);
    const kept = [...history.inLogOrder()];
    // Of the answers before the year, each card's last only.
    expect(kept.filter((answer) => answer.reviewedAt < at(364, 4)).map((answer) => [answer.cardId, answer.scheduledDays])).toEqual([
      ['b', 25],
      ['a', 2],
      ['c', 30],
      ['d', 22],
    ]);
    expect(kept.filter((answer) => answer.cardId === 'e').map((answer) => answer.rating)).toEqual([Rating.Good, Rating.Again]);
    const periods = [1, 7, 30, 365];
    const expected = periods.map((days) => trueRetention(log, now, 4, days));
    expect(trueRetentions(kept, now, 4, periods)).toEqual(expected);
    // Young: a (interval 2 before its answer 3 days ago), e (the first of its two that day).
    // Mature: b failed (25 before), c passed (30, the later of two), d passed with Hard (22).
    expect(expected[3]).toEqual({ young: { passed: 2, failed: 0 }, mature: { passed: 2, failed: 1 } });
  });

  it('gives the same from many answers added in a shuffled id order', () => {
    process.env.TZ = 'Europe/Berlin';
    const answers = generateCollection(400, now).log.filter(isAnswer);
    const random = seededRandom(7);
    const shuffled = answers.map((answer) => ({ answer, key: random() })).sort((a, b) => a.key - b.key).map(({ answer }) => answer);
    const history = new RetentionHistory(now, 4, 30);
    for (const answer of shuffled) history.add(answer);
    expect(trueRetentions(history.inLogOrder(), now, 4, [7, 30])).toEqual([trueRetention(shuffled, now, 4, 7), trueRetention(shuffled, now, 4, 30)]);
  });

  it('adds up the charts of parts of the cards and the log to those of the whole', () => {
    process.env.TZ = 'UTC';
    const { cards, log } = generateCollection(500, now);
    cards[1] = { ...cards[1], queue: Queue.Retired };
    cards[2] = { ...cards[2], queue: Queue.Suspended };
    const answers = log.filter(isAnswer);
    const parts = <T>(items: T[]) => [items.slice(0, 123), items.slice(123, 400), items.slice(400)];
    const live = cards.filter((card) => card.queue !== Queue.Retired);
    const whole = cardCharts(cards);
    expect(parts(cards).map(cardCharts).reduce(addCardCharts)).toEqual(whole);
    expect(whole.counts).toEqual(cardStateCounts(live));
    expect(whole.studied).toBe(live.filter((card) => card.state !== State.New).length);
    expect(whole.intervals.reduce((a, b) => a + b)).toBe(whole.studied);
    expect(Object.keys(whole.counts)).toEqual(['new', 'learning', 'review', 'relearning', 'suspended', 'buried']);
    expect(parts(answers).map((part) => reviewsPerDay(part, now, 4, 365)).reduce(addDayCounts)).toEqual(reviewsPerDay(answers, now, 4, 365));
    expect(parts(answers).map(answerButtons).reduce(addNamedCounts)).toEqual(answerButtons(answers));
  });

  it('finds where the days of the forecast end, so that an index counts what futureDue counts', () => {
    process.env.TZ = 'America/Los_Angeles';
    // 8 March 2026: clocks go forward at 02:00, inside the 30 days.
    const before = new Date(2026, 1, 20, 2, 30);
    const ends = futureDueEnds(before, 4, 30);
    expect(ends[0]).toEqual(new Date(2026, 1, 20, 4));
    expect(ends[29]).toEqual(new Date(2026, 2, 21, 4));
    const random = seededRandom(3);
    const cards = Array.from({ length: 2000 }, (_, index) =>
      makeCard(`c${index}`, { state: State.Review, queue: Queue.Review, due: new Date(before.getTime() + (random() * 34 - 3) * 86_400_000) }),
    );
    const byEnds = ends.map((end, index) => cards.filter((card) => card.due < end && (index === 0 || card.due >= ends[index - 1])).length);
    expect(byEnds).toEqual(futureDue(cards, before, 4, 30));
  });
});

describe('future due and card counts', () => {
  it('counts cards due per study day, overdue ones today, and leaves out suspended and new cards', () => {
    process.env.TZ = 'UTC';
    const now = new Date(Date.UTC(2026, 3, 10, 12));
    const due = (days: number, queue: Queue = Queue.Review) => makeCard(`c${days}${queue}`, { state: State.Review, queue, due: new Date(now.getTime() + days * 86_400_000) });
    const cards = [due(-3), due(0), due(0.5), due(1), due(29), due(30), due(2, Queue.Suspended), makeCard('new')];
    // 0.5 days ahead is 00:00 UTC, before the 04:00 rollover: still today's study day.
    expect(futureDue(cards, now, 4, 30).slice(0, 3)).toEqual([3, 1, 0]);
    expect(futureDue(cards, now, 4, 30)[29]).toBe(1);
    expect(futureDue(cards, now, 4, 30).reduce((a, b) => a + b)).toBe(5);
    expect(cardStateCounts(cards)).toEqual({ new: 1, learning: 0, review: 6, relearning: 0, suspended: 1, buried: 0 });
  });

  it('buckets values and counts answer buttons', () => {
    expect(histogram([0, 1, 3, 7, 8, 30, 400], [0, 1, 7, 30, 365])).toEqual([1, 2, 2, 1, 1]);
    const log = [Rating.Again, Rating.Good, Rating.Good, Rating.Easy].map((rating) => row('x', new Date(), rating as Grade, State.Review));
    expect(answerButtons(log)).toEqual({ again: 1, hard: 0, good: 2, easy: 1 });
  });

  it('counts a streak of study days, not broken before today is over', () => {
    const answered = new Set([0, -1, -2, -4]);
    expect(streak((offset) => answered.has(offset))).toBe(3);
    const notToday = new Set([-1, -2]);
    expect(streak((offset) => notToday.has(offset))).toBe(2);
    expect(streak(() => false)).toBe(0);
  });
});

describe('exam readiness', () => {
  it('matches a hand-computed example with two domains', () => {
    const now = new Date('2026-05-01T10:00:00Z');
    const exam = new Date('2026-06-01T10:00:00Z');
    const studied = (id: string, domain: string) => makeCard(id, { state: State.Review, queue: Queue.Review, exam: [domain as never] });
    const cards = [
      studied('f1', 'KCNA Kubernetes Fundamentals'),
      makeCard('f2', { exam: ['KCNA Kubernetes Fundamentals'] }),
      studied('o1', 'KCNA Container Orchestration'),
    ];
    const recall: Record<string, [number, number]> = { f1: [0.9, 0.7], o1: [0.8, 0.6] };
    const result = examReadiness('KCNA', cards, now, exam, (card, at) => recall[card.id][at === now ? 0 : 1]);
    const fundamentals = result.domains.find((domain) => domain.domain === 'Kubernetes Fundamentals')!;
    expect(fundamentals).toEqual({ domain: 'Kubernetes Fundamentals', weight: 44, cards: 2, studied: 1, recallNow: 0.45, recallOnExam: 0.35 });
    expect(result.domains.map((domain) => domain.domain)).toEqual([
      'Kubernetes Fundamentals',
      'Container Orchestration',
      'Cloud Native Application Delivery',
      'Cloud Native Architecture',
    ]);
    // (44 × 0.45 + 28 × 0.8) / (44 + 28) now; (44 × 0.35 + 28 × 0.6) / 72 on the exam date. Domains without cards are left out.
    expect(result.overallNow).toBeCloseTo(42.2 / 72, 10);
    expect(result.overallOnExam).toBeCloseTo(32.2 / 72, 10);
    // 44 × (1 − 0.35) = 28.6 beats 28 × (1 − 0.6) = 11.2.
    expect(result.suggested).toBe('Kubernetes Fundamentals');
  });
});
