import { default_w, fsrs, generatorParameters, Rating, State } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { applyAnswer, createScheduler, isNewLeech, rescheduleFromHistory } from '../../src/domain/scheduler.ts';
import { scheduleOf } from '../../src/domain/schedule.ts';
import { effectiveSettings, schedulingKey } from '../../src/domain/deckSettings.ts';
import { formToSettings, parseParameters, settingsToForm } from '../../src/domain/settings.ts';
import { formatSteps, parseSteps } from '../../src/domain/steps.ts';
import { defaultSettings, isAnswer, Queue, type ReviewLogRow } from '../../src/domain/types.ts';
import { makeCard } from '../support/cards.ts';

describe('learning steps', () => {
  it.each(['1m 10m', '1m 10m 1h 1d', '10m', '', '15m 2h'])('round-trips "%s"', (text) => {
    const parsed = parseSteps(text);
    expect('steps' in parsed && formatSteps(parsed.steps)).toBe(text);
  });

  it('accepts extra spaces', () => {
    expect(parseSteps('  1m   10m ')).toEqual({ steps: ['1m', '10m'] });
  });

  it.each(['10', '10x', '1.5m', '0m', 'm', '10s', '1m,10m', '-1m'])('rejects "%s" with a message naming it', (text) => {
    const parsed = parseSteps(text);
    expect('error' in parsed && parsed.error).toMatch(/is not a step/);
  });
});

describe('settings form', () => {
  it('round-trips the defaults', () => {
    expect(formToSettings(settingsToForm(defaultSettings))).toEqual({ settings: defaultSettings });
  });

  it('refuses out-of-range values, each with its own message', () => {
    const result = formToSettings({ ...settingsToForm(defaultSettings), desiredRetention: '0.5', newCardsPerDay: '-3', learningSteps: '1m ten', dayStartHour: '24' });
    expect(result).toEqual({
      errors: {
        desiredRetention: 'Desired retention must be a number from 0.70 to 0.99',
        newCardsPerDay: 'New cards per day must be a whole number from 0 to 9999',
        learningSteps: expect.stringMatching(/"ten" is not a step/),
        dayStartHour: 'The next day starts at an hour that must be a whole number from 0 to 23',
      },
    });
    expect(formToSettings({ ...settingsToForm(defaultSettings), desiredRetention: '0.99' })).toMatchObject({ settings: { desiredRetention: 0.99 } });
  });

  it('takes FSRS parameters as Anki shows them, 17, 19 or 21 numbers, and names what is wrong', () => {
    const fitted = { ...defaultSettings, fsrsParameters: [...default_w] };
    expect(formToSettings(settingsToForm(fitted))).toEqual({ settings: fitted });
    expect(settingsToForm(fitted).fsrsParameters).toBe(default_w.join(', '));
    expect(formToSettings({ ...settingsToForm(defaultSettings), fsrsParameters: default_w.slice(0, 19).join(',') })).toMatchObject({ settings: { fsrsParameters: default_w.slice(0, 19) } });
    expect(parseParameters('')).toEqual({});
    expect(parseParameters('0.2, 1.3, x')).toEqual({ error: 'FSRS parameter 3 ("x") is not a number' });
    expect(parseParameters('0.2, 1.3,, 8')).toEqual({ error: 'FSRS parameter 3 ("") is not a number' });
    expect(parseParameters('0.2, 1.3')).toEqual({ error: 'FSRS parameters must be 17, 19 or 21 numbers separated by commas, not 2' });
  });
});

describe('options presets', () => {
  const global = { ...defaultSettings, fsrsParameters: [...default_w] };

  it('give a deck without options of its own the global parameters, and a deck with them its own or the defaults', () => {
    expect(effectiveSettings(global, undefined).fsrsParameters).toEqual(default_w);
    expect(effectiveSettings(global, { desiredRetention: 0.85 }).fsrsParameters).toBeUndefined();
    expect(effectiveSettings(global, { desiredRetention: 0.85, fsrsParameters: [1, 2, 3] }).fsrsParameters).toEqual([1, 2, 3]);
    expect(effectiveSettings(global, { desiredRetention: 0.85 }).desiredRetention).toBe(0.85);
  });

  it('offer rescheduling when retention or parameters change, and only then', () => {
    expect(schedulingKey(global)).not.toBe(schedulingKey(defaultSettings));
    expect(schedulingKey({ ...defaultSettings, desiredRetention: 0.8 })).not.toBe(schedulingKey(defaultSettings));
    expect(schedulingKey({ ...defaultSettings, newCardsPerDay: 3 })).toBe(schedulingKey(defaultSettings));
  });

  it('schedule with the parameters they hold', () => {
    const card = makeCard('c');
    const withDefaults = applyAnswer(createScheduler(defaultSettings), card, Rating.Good, new Date('2026-03-01T10:00:00Z'), 1000).card;
    const slow = createScheduler({ ...defaultSettings, learningSteps: [], fsrsParameters: default_w.map((w, index) => (index === 2 ? w * 4 : w)) });
    const fast = createScheduler({ ...defaultSettings, learningSteps: [] });
    const at = new Date('2026-03-01T10:00:00Z');
    expect(applyAnswer(slow, card, Rating.Good, at, 1000).card.stability).toBeCloseTo(default_w[2] * 4, 6);
    expect(applyAnswer(fast, card, Rating.Good, at, 1000).card.stability).toBeCloseTo(default_w[2], 6);
    expect(withDefaults.stability).toBeCloseTo(default_w[2], 6);
  });
});

describe('leeches', () => {
  it('are found at 8 lapses, then every 4 more', () => {
    expect([7, 8, 9, 11, 12, 16].map((lapses) => isNewLeech(lapses - 1, lapses))).toEqual([false, true, false, false, true, true]);
    expect(isNewLeech(8, 8)).toBe(false);
  });

  it('get tagged "leech" and suspended by the answer that makes them one', () => {
    const now = new Date('2026-04-01T10:00:00Z');
    const card = makeCard('weak', { state: State.Review, queue: Queue.Review, lapses: 7, reps: 20, stability: 2, difficulty: 9, scheduled_days: 2, due: now, last_review: new Date('2026-03-30T10:00:00Z'), tags: ['rbac'] });
    const result = applyAnswer(createScheduler(defaultSettings), card, Rating.Again, now, 1000);
    expect(result.leech).toBe(true);
    expect(result.card.lapses).toBe(8);
    expect(result.card.tags).toEqual(['rbac', 'leech']);
    expect(result.card.queue).toBe(Queue.Suspended);
    const good = applyAnswer(createScheduler(defaultSettings), card, Rating.Good, now, 1000);
    expect(good.leech).toBe(false);
    expect(good.card.queue).toBe(Queue.Review);
  });
});

describe('rescheduling from history', () => {
  const start = new Date('2026-01-05T09:00:00Z');
  function studied() {
    const scheduler = createScheduler({ ...defaultSettings, fuzz: false });
    let card = makeCard('history', {}, start);
    const log: ReviewLogRow[] = [];
    let at = start;
    for (const rating of [Rating.Good, Rating.Good, Rating.Good, Rating.Hard, Rating.Good] as const) {
      const result = applyAnswer(scheduler, card, rating, at, 3000);
      card = result.card;
      log.push(result.log);
      at = new Date(card.due.getTime() + 3_600_000);
    }
    return { card, log, at };
  }

  it('gives what ts-fsrs reschedule gives for the same history', () => {
    const { card, log, at } = studied();
    const settings = { ...defaultSettings, fuzz: false, desiredRetention: 0.95 };
    const ours = rescheduleFromHistory(createScheduler(settings), card, log, at)!;
    const reference = fsrs(generatorParameters({ request_retention: 0.95, enable_fuzz: false })).reschedule(
      card,
      log.filter(isAnswer).map((row) => ({ rating: row.rating, review: row.reviewedAt })),
      { now: at },
    ).collections.at(-1)!;
    expect(scheduleOf(ours)).toEqual(scheduleOf(reference.card));
    // The history's own last review and counts stay: rescheduling is not a review.
    expect(ours.last_review).toEqual(card.last_review);
    expect(ours.reps).toBe(card.reps);
  });

  it('gives shorter intervals for a higher desired retention, and leaves new cards alone', () => {
    const { card, log, at } = studied();
    const strict = rescheduleFromHistory(createScheduler({ ...defaultSettings, fuzz: false, desiredRetention: 0.97 }), card, log, at)!;
    const relaxed = rescheduleFromHistory(createScheduler({ ...defaultSettings, fuzz: false, desiredRetention: 0.8 }), card, log, at)!;
    expect(strict.scheduled_days).toBeLessThan(relaxed.scheduled_days);
    expect(rescheduleFromHistory(createScheduler(defaultSettings), makeCard('new'), [], at)).toBeUndefined();
  });
});
