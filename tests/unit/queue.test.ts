import { State } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { learnAheadMs, nextInQueue, snapshotAfterAnswer, type QueueSnapshot } from '../../src/domain/queue.ts';
import { Queue } from '../../src/domain/types.ts';
import { makeCard } from '../support/cards.ts';

const now = new Date('2026-03-02T10:00:00Z');
const endOfDay = new Date('2026-03-03T04:00:00Z');
const limits = { newCardsPerDay: 20, reviewsPerDay: 200 };
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
const learning = (id: string, due: Date) => makeCard(id, { state: State.Learning, queue: Queue.Learning, due });
const review = (id: string) => makeCard(id, { state: State.Review, queue: Queue.Review, due: minutes(-60) });

function snapshot(overrides: Partial<QueueSnapshot> = {}): QueueSnapshot {
  return {
    learningSoon: 0,
    reviewsDue: 0,
    newAvailable: 0,
    doneToday: { newCards: 0, reviews: 0 },
    ...overrides,
  };
}

describe('the study queue', () => {
  it('shows a learning card whose step is due before anything else', () => {
    const state = nextInQueue(
      snapshot({ learningHead: learning('l1', minutes(-1)), learningSoon: 1, reviewHead: review('r1'), reviewsDue: 1, newHead: makeCard('n1'), newAvailable: 5 }),
      now,
      limits,
      endOfDay,
    );
    expect(state.card?.id).toBe('l1');
    expect(state.counts).toEqual({ newCards: 5, learning: 1, reviews: 1 });
  });

  it('stops introducing new cards at the daily limit and says they come back at the next study day', () => {
    const full = nextInQueue(
      snapshot({ newHead: makeCard('n21'), newAvailable: 30, doneToday: { newCards: 20, reviews: 0 } }),
      now,
      limits,
      endOfDay,
    );
    expect(full.card).toBeUndefined();
    expect(full.counts.newCards).toBe(0);
    expect(full.nextDueAt).toEqual(endOfDay);
    const one = nextInQueue(snapshot({ newHead: makeCard('n20'), newAvailable: 30, doneToday: { newCards: 19, reviews: 0 } }), now, limits, endOfDay);
    expect(one.card?.id).toBe('n20');
    expect(one.counts.newCards).toBe(1);
  });

  it('stops at the review limit', () => {
    const state = nextInQueue(
      snapshot({ reviewHead: review('r1'), reviewsDue: 50, doneToday: { newCards: 0, reviews: 200 } }),
      now,
      limits,
      endOfDay,
    );
    expect(state.card).toBeUndefined();
    expect(state.counts.reviews).toBe(0);
    expect(nextInQueue(snapshot({ reviewHead: review('r1'), reviewsDue: 50, doneToday: { newCards: 0, reviews: 190 } }), now, limits, endOfDay).counts.reviews).toBe(10);
  });

  it('mixes new cards among reviews at an even pace', () => {
    const base = { reviewHead: review('r'), newHead: makeCard('n') };
    const pick = (reviewsDone: number, newDone: number) =>
      nextInQueue(
        snapshot({ ...base, reviewsDue: 30 - reviewsDone, newAvailable: 10 - newDone, doneToday: { newCards: newDone, reviews: reviewsDone } }),
        now,
        { newCardsPerDay: 10, reviewsPerDay: 200 },
        endOfDay,
      ).card?.id;
    expect(pick(0, 0)).toBe('r');
    expect(pick(1, 0)).toBe('n');
    expect(pick(1, 1)).toBe('r');
    expect(pick(3, 1)).toBe('r');
    expect(pick(4, 1)).toBe('n');
  });

  it('shows a learning card early when it is all that is left and due within 20 minutes', () => {
    const state = nextInQueue(snapshot({ learningHead: learning('soon', minutes(15)), learningSoon: 1 }), now, limits, endOfDay);
    expect(state.card?.id).toBe('soon');
    expect(state.counts.learning).toBe(1);
    expect(learnAheadMs).toBe(20 * 60_000);
  });

  it('otherwise says when the next card is due', () => {
    const state = nextInQueue(snapshot({ learningHead: learning('later', minutes(25)) }), now, limits, endOfDay);
    expect(state.card).toBeUndefined();
    expect(state.counts).toEqual({ newCards: 0, learning: 0, reviews: 0 });
    expect(state.nextDueAt).toEqual(minutes(25));
  });

  it('does not learn ahead while reviews are waiting', () => {
    const state = nextInQueue(snapshot({ learningHead: learning('soon', minutes(5)), learningSoon: 1, reviewHead: review('r1'), reviewsDue: 1 }), now, limits, endOfDay);
    expect(state.card?.id).toBe('r1');
  });

  it('predicts the queue after an answer without a suspended leech in it', () => {
    const before = review('leech');
    const after = { ...before, queue: Queue.Suspended, due: new Date(endOfDay.getTime() + 86_400_000) };
    const next = snapshotAfterAnswer(snapshot({ reviewsDue: 0 }), before, after, now, endOfDay);
    expect(next.laterDue).toBeUndefined();
    expect(next.reviewsDue).toBe(0);
    expect(next.doneToday).toEqual({ newCards: 0, reviews: 1 });
  });

  it('points at the earliest later card when the day is done', () => {
    const tomorrow = new Date('2026-03-03T09:00:00Z');
    expect(nextInQueue(snapshot({ laterDue: tomorrow }), now, limits, endOfDay).nextDueAt).toEqual(tomorrow);
    expect(nextInQueue(snapshot(), now, limits, endOfDay).nextDueAt).toBeUndefined();
  });
});
