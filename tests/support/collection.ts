// A generated collection with a realistic mix: most cards studied for months (review), a
// few in learning today, a third never seen (new), and a full review log behind every
// studied card, made by replaying answers through ts-fsrs. Deterministic for a given size.
import { fsrs, Rating, State, type Grade } from 'ts-fsrs';
import { newSchedule, scheduleOf } from '../../src/domain/schedule.ts';
import { queueForState, type CardRecord, type ReviewLogRow } from '../../src/domain/types.ts';

export const benchDeckId = 'bench';
const day = 86_400_000;

/** A small seeded generator (mulberry32), so generated data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pickRating(roll: number): Grade {
  if (roll < 0.08) return Rating.Again;
  if (roll < 0.15) return Rating.Hard;
  if (roll < 0.95) return Rating.Good;
  return Rating.Easy;
}

/** Review cards due by today: a day's full review limit and more, plus a backlog share. */
export function dueTodayCount(size: number): number {
  return 250 + Math.floor(size * 0.01);
}

export function generateCollection(size: number, now: Date): { cards: CardRecord[]; log: ReviewLogRow[] } {
  const roll = seededRandom(size);
  const scheduler = fsrs();
  const cards: CardRecord[] = [];
  const log: ReviewLogRow[] = [];
  let dueToday = dueTodayCount(size);
  const learning = Math.max(5, Math.floor(size * 0.002));

  for (let index = 0; index < size; index++) {
    const id = `bench-${index}`;
    const content = {
      kind: 'basic' as const,
      front: `[Bench] Question ${index}: which Kubernetes object is number ${index}?`,
      back: `Answer ${index}.`,
      source: 'generated',
      exam: ['KCNA Kubernetes Fundamentals' as const],
      tags: ['bench'],
      note: '',
    };
    const isNew = index % 10 < 3;
    let schedule = newSchedule(new Date(now.getTime() - 400 * day));
    if (!isNew) {
      // Replay a history: first seen up to a year ago, then answered whenever due.
      let at = new Date(now.getTime() - (2 + roll() * 360) * day);
      // Answer until a day ago, and on until the card is out of (re)learning steps.
      for (let answer = 0; answer < 16 && (at.getTime() < now.getTime() - day || schedule.state !== State.Review); answer++) {
        const rating = pickRating(roll());
        const before = schedule.state;
        const next = scheduler.next(schedule, at, rating).card;
        schedule = scheduleOf(next);
        log.push({
          cardId: id,
          deckId: benchDeckId,
          rating,
          reviewedAt: at,
          stateBefore: before,
          due: schedule.due,
          stability: schedule.stability,
          difficulty: schedule.difficulty,
          scheduledDays: schedule.scheduled_days,
          durationMs: Math.round(2000 + roll() * 8000),
        });
        at = new Date(Math.max(schedule.due.getTime(), at.getTime() + 60_000) + roll() * 0.2 * (schedule.due.getTime() - at.getTime()));
      }
      if (index < learning * 10 && index % 10 === 3) {
        schedule = { ...schedule, state: State.Learning, due: new Date(now.getTime() + roll() * 30 * 60_000) };
      } else if (schedule.state === State.Review) {
        // A set number are due today (overdue up to a week); the rest later.
        const due = dueToday-- > 0 ? now.getTime() - roll() * 7 * day : now.getTime() + (1 + roll() * 60) * day;
        schedule = { ...schedule, due: new Date(due) };
      }
    }
    cards.push({ ...content, id, deckId: benchDeckId, position: index, ...schedule, queue: queueForState(schedule.state), origin: 'user', rev: 0 });
  }
  return { cards, log };
}
