// The optimiser's input and its figures: the review log as training items by Anki's rules,
// and log loss / RMSE(bins) as fsrs-rs computes them, checked against the native
// @open-spaced-repetition/binding (fsrs-rs 6.5.0 compiled for Node).
import { computeParameters, FSRSBinding, FSRSBindingItem, FSRSBindingReview } from '@open-spaced-repetition/binding';
import { Rating, State, type Grade } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { evaluateParameters } from '../../src/domain/optimizer/evaluation.ts';
import { trainingItems, type FsrsItem } from '../../src/domain/optimizer/trainingItems.ts';
import { newSchedule } from '../../src/domain/schedule.ts';
import { studyDay } from '../../src/domain/studyDay.ts';
import type { AnswerLogRow, ManualLogRow, ReviewLogRow } from '../../src/domain/types.ts';
import { generateLearnerLog, learnerLogEnd } from '../support/learnerLog.ts';

const dayNumber = (at: Date) => studyDay(at, 4).number;
/** Local time on day `day` of December 2026, at `hour`. */
const at = (day: number, hour = 10, minute = 0) => new Date(2026, 11, day, hour, minute);

function answer(cardId: string, when: Date, rating: Grade, stateBefore: State): AnswerLogRow {
  return { kind: 'answer', cardId, deckId: 'd', rating, reviewedAt: when, stateBefore, due: when, stability: 1, difficulty: 5, scheduledDays: 0, durationMs: 1000 };
}
const manual = (cardId: string, when: Date, kind: ManualLogRow['kind']): ManualLogRow => ({ kind, cardId, deckId: 'd', reviewedAt: when, schedule: newSchedule(when) });
const shape = (items: FsrsItem[]) => items.map((item) => item.map((review) => [review.rating, review.deltaT]));
const toNative = (items: FsrsItem[]) => items.map((item) => new FSRSBindingItem(item.map((review) => new FSRSBindingReview(review.rating, review.deltaT))));
const longTermReviews = (item: FsrsItem) => item.filter((review) => review.deltaT > 0).length;

describe('training items from the review log (Anki: fsrs_items_for_training)', () => {
  it('counts days between answers in study days, keeps same-day answers in the history, and makes an item per later-day answer', () => {
    const log: ReviewLogRow[] = [
      answer('a', at(1, 10), Rating.Good, State.New),
      answer('a', at(1, 10, 10), Rating.Good, State.Learning),
      // 03:00 on the 3rd is still study day 2 (the day starts at 4).
      answer('a', at(3, 3), Rating.Again, State.Review),
      answer('a', at(3, 3, 10), Rating.Good, State.Relearning),
      answer('a', at(3, 5), Rating.Good, State.Review),
    ];
    const set = trainingItems(log, dayNumber);
    expect(shape(set.items)).toEqual([
      [
        [3, 0],
        [3, 0],
        [1, 1],
      ],
      [
        [3, 0],
        [3, 0],
        [1, 1],
        [3, 0],
        [3, 1],
      ],
    ]);
    expect(set.reviews).toBe(5);
  });

  it('starts after the last reset, and leaves out a card reset after its last answer or never seen learning', () => {
    const log: ReviewLogRow[] = [
      answer('reset', at(1), Rating.Good, State.New),
      answer('reset', at(5), Rating.Good, State.Review),
      manual('reset', at(6), 'reset'),
      answer('reset', at(7), Rating.Easy, State.New),
      answer('reset', at(9), Rating.Good, State.Review),
      answer('gone', at(1), Rating.Good, State.New),
      answer('gone', at(4), Rating.Good, State.Review),
      manual('gone', at(5), 'reset'),
      // Reviews only, as a history imported without its learning answers.
      answer('partial', at(1), Rating.Good, State.Review),
      answer('partial', at(8), Rating.Good, State.Review),
    ];
    expect(shape(trainingItems(log, dayNumber).items)).toEqual([
      [
        [4, 0],
        [3, 2],
      ],
    ]);
  });

  it('ignores reschedules and imported schedules, which are not answers', () => {
    const log: ReviewLogRow[] = [
      answer('c', at(1), Rating.Good, State.New),
      manual('c', at(2), 'reschedule'),
      manual('c', at(3), 'import'),
      answer('c', at(4), Rating.Hard, State.Review),
    ];
    expect(shape(trainingItems(log, dayNumber).items)).toEqual([
      [
        [3, 0],
        [2, 3],
      ],
    ]);
  });

  it('orders items by the time of their last answer, across cards', () => {
    const log: ReviewLogRow[] = [
      answer('late', at(1), Rating.Good, State.New),
      answer('late', at(9), Rating.Good, State.Review),
      answer('early', at(2), Rating.Again, State.New),
      answer('early', at(4), Rating.Good, State.Review),
    ];
    expect(shape(trainingItems(log, dayNumber).items)).toEqual([
      [
        [1, 0],
        [3, 2],
      ],
      [
        [3, 0],
        [3, 8],
      ],
    ]);
  });
});

describe('log loss and RMSE(bins)', () => {
  const { items } = trainingItems(generateLearnerLog(10_000, learnerLogEnd).log, dayNumber);

  it('equal fsrs-rs on the same items, for the default and for other parameters', () => {
    // The binding's evaluate first drops outliers among items with one interday review (fsrs-rs
    // prepare_training_data); on items with two or more there are none, and both must agree to f32 precision.
    const comparable = items.filter((item) => longTermReviews(item) >= 2);
    expect(comparable.length).toBeGreaterThan(5000);
    const other = [0.41, 4.65, 4.65, 8.08, 6.31, 0.72, 3.19, 0.009, 1.7, 0.147, 0.638, 1.467, 0.0547, 0.229, 1.633, 0.674, 1.612, 0.539, 0.0868, 0.0637, 0.1];
    for (const parameters of [undefined, other]) {
      const mine = evaluateParameters(parameters, comparable)!;
      const native = new FSRSBinding(parameters).evaluate(toNative(comparable));
      expect(mine.logLoss).toBeCloseTo(native.logLoss, 5);
      expect(mine.rmseBins).toBeCloseTo(native.rmseBins, 5);
    }
  });

  it('are undefined for no items', () => {
    expect(evaluateParameters(undefined, [])).toBeUndefined();
  });

  it('show parameters fitted by fsrs-rs predicting the simulated learner better than the defaults', async () => {
    const fitted = await computeParameters(toNative(items), { enableShortTerm: true });
    expect(fitted).toHaveLength(21);
    const [before, after] = [evaluateParameters(undefined, items)!, evaluateParameters(fitted, items)!];
    expect(after.logLoss).toBeLessThan(before.logLoss);
    expect(after.rmseBins).toBeLessThan(before.rmseBins);
  });
});
