import { State } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { doneReasons, doneSentences } from '../../src/domain/doneScreen.ts';
import { nextInQueue, snapshotAfterAnswer, type QueueSnapshot } from '../../src/domain/queue.ts';
import { formToSettings, settingsToForm } from '../../src/domain/settings.ts';
import { areSiblings, burySettingsFor, noteOf, siblingsToBury } from '../../src/domain/siblings.ts';
import { defaultSettings, Queue, type CardRecord } from '../../src/domain/types.ts';
import { makeCard } from '../support/cards.ts';

const now = new Date('2026-03-02T10:00:00Z');
const day = { start: new Date('2026-03-02T04:00:00Z'), end: new Date('2026-03-03T04:00:00Z') };
const limits = { newCardsPerDay: 20, reviewsPerDay: 200 };
const builtInCloze = (id: string, overrides: Partial<CardRecord> = {}) => makeCard(id, { kind: 'cloze', ...overrides });
const userCloze = (noteId: string, number: number, overrides: Partial<CardRecord> = {}) =>
  makeCard(`${noteId}-c${number}`, { kind: 'cloze', origin: 'user', cloze: { noteId, text: '{{c1::a}} {{c2::b}}', number }, ...overrides });
const imported = (noteId: string, ord: number) =>
  makeCard(`${noteId}/${ord}`, { kind: 'html', origin: 'user', importedNote: { id: noteId, noteTypeId: 'anki-1', ord } });

function snapshot(overrides: Partial<QueueSnapshot> = {}): QueueSnapshot {
  return { learningSoon: 0, reviewsDue: 0, newAvailable: 0, doneToday: { newCards: 0, reviews: 0 }, ...overrides };
}

describe('siblings', () => {
  it('are the cards of one note: a built-in cloze block, a user cloze note, an imported note', () => {
    expect(areSiblings(builtInCloze('first-commit-c1'), builtInCloze('first-commit-c2'))).toBe(true);
    expect(areSiblings(builtInCloze('first-commit-c1'), builtInCloze('first-commit-2-c1'))).toBe(false);
    expect(areSiblings(builtInCloze('first-commit-c1'), builtInCloze('first-commit-c1'))).toBe(false);
    // A basic built-in card whose id ends like a cloze's is its own note.
    expect(noteOf(makeCard('pods-c1'))).toBeUndefined();
    expect(areSiblings(userCloze('n1', 1), userCloze('n1', 2))).toBe(true);
    expect(areSiblings(userCloze('n1', 1), userCloze('n2', 1))).toBe(false);
    expect(areSiblings(imported('anki-g1', 0), imported('anki-g1', 1))).toBe(true);
    expect(areSiblings(imported('anki-g1', 0), imported('anki-g2', 0))).toBe(false);
    // Every sibling's id starts with the note's prefix, so storage finds them on the primary key.
    for (const card of [builtInCloze('a-c12'), userCloze('n1', 3), imported('anki-g1', 4)]) expect(card.id.startsWith(noteOf(card)!.idPrefix)).toBe(true);
  });

  it('are buried by kind as the deck options say: on by default in built-in decks, off in the user’s', () => {
    expect(burySettingsFor({}, 'built-in')).toEqual({ buryNewSiblings: true, buryReviewSiblings: true, buryInterdayLearningSiblings: true });
    expect(burySettingsFor({}, 'user')).toEqual({ buryNewSiblings: false, buryReviewSiblings: false, buryInterdayLearningSiblings: false });
    expect(burySettingsFor({ buryReviewSiblings: false }, 'built-in').buryReviewSiblings).toBe(false);
    expect(burySettingsFor({ buryNewSiblings: true }, 'user').buryNewSiblings).toBe(true);

    const fresh = builtInCloze('x-c2');
    const dueReview = builtInCloze('x-c3', { state: State.Review, queue: Queue.Review, due: new Date('2026-03-02T12:00:00Z') });
    const laterReview = builtInCloze('x-c4', { state: State.Review, queue: Queue.Review, due: new Date('2026-03-05T12:00:00Z') });
    const interday = builtInCloze('x-c5', { state: State.Learning, queue: Queue.Learning, due: new Date('2026-03-02T09:00:00Z'), last_review: new Date('2026-03-01T09:00:00Z') });
    const intraday = builtInCloze('x-c6', { state: State.Learning, queue: Queue.Learning, due: new Date('2026-03-02T10:10:00Z'), last_review: new Date('2026-03-02T10:00:00Z') });
    const suspended = builtInCloze('x-c7', { queue: Queue.Suspended });
    const all = [fresh, dueReview, laterReview, interday, intraday, suspended];
    const ids = (bury: Parameters<typeof siblingsToBury>[1]) => siblingsToBury(all, bury, day).map((card) => card.id);
    expect(ids(burySettingsFor({}, 'built-in'))).toEqual(['x-c2', 'x-c3', 'x-c5']);
    expect(ids(burySettingsFor({}, 'user'))).toEqual([]);
    expect(ids({ buryNewSiblings: true, buryReviewSiblings: false, buryInterdayLearningSiblings: false })).toEqual(['x-c2']);
    expect(ids({ buryNewSiblings: false, buryReviewSiblings: true, buryInterdayLearningSiblings: false })).toEqual(['x-c3']);
    expect(ids({ buryNewSiblings: false, buryReviewSiblings: false, buryInterdayLearningSiblings: true })).toEqual(['x-c5']);
  });

  it('are settable in the deck options form, and stay unset until set', () => {
    const form = settingsToForm(defaultSettings);
    expect(form.buryNewSiblings).toBe('');
    const unset = formToSettings(form);
    expect('settings' in unset && unset.settings.buryNewSiblings).toBeUndefined();
    const set = formToSettings({ ...form, buryNewSiblings: 'on', buryReviewSiblings: 'off' });
    expect('settings' in set && [set.settings.buryNewSiblings, set.settings.buryReviewSiblings, set.settings.buryInterdayLearningSiblings]).toEqual([true, false, undefined]);
  });
});

describe('the queue after a card with siblings', () => {
  const shown = userCloze('n1', 1);
  const sibling = userCloze('n1', 2, { position: 1 });
  const other = makeCard('other', { position: 2 });

  it('passes over a sibling of the card just shown while another card can come', () => {
    const state = nextInQueue(
      snapshot({ newHead: sibling, newAvailable: 2, siblingFree: { noteId: noteOf(shown)!.noteId, newHead: other } }),
      now,
      limits,
      day.end,
    );
    expect(state.card?.id).toBe('other');
    expect(state.counts.newCards).toBe(2);
  });

  it('shows the sibling when nothing else is left', () => {
    const state = nextInQueue(snapshot({ newHead: sibling, newAvailable: 1, siblingFree: { noteId: noteOf(shown)!.noteId } }), now, limits, day.end);
    expect(state.card?.id).toBe('n1-c2');
  });

  it('takes a review of another note over a new sibling', () => {
    const review = makeCard('r1', { state: State.Review, queue: Queue.Review, due: new Date('2026-03-02T08:00:00Z') });
    const state = nextInQueue(
      snapshot({ newHead: sibling, newAvailable: 1, reviewHead: review, reviewsDue: 1, doneToday: { newCards: 0, reviews: 1 }, siblingFree: { noteId: noteOf(shown)!.noteId, reviewHead: review } }),
      now,
      limits,
      day.end,
    );
    expect(state.card?.id).toBe('r1');
  });

  it('leaves the siblings an answer buried out of the predicted queue and its counts', () => {
    const after = { ...shown, state: State.Learning, queue: Queue.Learning, due: new Date(now.getTime() + 60_000) };
    const read = snapshot({ newHead: sibling, newAvailable: 2, siblingFree: { noteId: noteOf(shown)!.noteId, newHead: other } });
    const next = snapshotAfterAnswer(read, shown, after, now, day.end, [sibling]);
    expect(next.newHead?.id).toBe('other');
    expect(next.newAvailable).toBe(1);
    // The answered card comes again before another note's, if it is due first.
    expect(next.siblingFree?.learningHead?.id).toBe('n1-c1');
  });

  it('adds what Custom study gave today to the daily limits', () => {
    const full = snapshot({ newHead: other, newAvailable: 30, doneToday: { newCards: 20, reviews: 0 } });
    expect(nextInQueue(full, now, limits, day.end).card).toBeUndefined();
    const extended = nextInQueue({ ...full, extraToday: { newCards: 5, reviews: 0 } }, now, limits, day.end);
    expect(extended.card?.id).toBe('other');
    expect(extended.counts.newCards).toBe(5);
  });
});

describe('the done screen', () => {
  const facts = { limits, doneToday: { newCards: 0, reviews: 0 }, newWaiting: 0, reviewsWaiting: 0, buried: 0 };

  it('says nothing more when the deck is simply done', () => {
    expect(doneSentences(doneReasons(facts))).toEqual([]);
  });

  it('says the new card limit was reached and how many new cards wait', () => {
    const reasons = doneReasons({ ...facts, limits: { newCardsPerDay: 3, reviewsPerDay: 200 }, doneToday: { newCards: 3, reviews: 0 }, newWaiting: 47 });
    expect(reasons.newLimit).toEqual({ limit: 3, waiting: 47 });
    expect(reasons.reviewLimit).toBeUndefined();
    expect(doneSentences(reasons)[0]).toMatch(/new card limit \(3\) has been reached: 47 new cards wait/);
  });

  it('says the review limit was reached and how many reviews wait', () => {
    const reasons = doneReasons({ ...facts, doneToday: { newCards: 0, reviews: 200 }, reviewsWaiting: 1 });
    expect(reasons.reviewLimit).toEqual({ limit: 200, waiting: 1 });
    expect(doneSentences(reasons)[0]).toMatch(/review limit \(200\) has been reached: 1 review card still wait/);
  });

  it('does not blame a limit when no card waits beyond it, and counts buried cards', () => {
    const reasons = doneReasons({ ...facts, doneToday: { newCards: 20, reviews: 0 }, buried: 2 });
    expect(reasons.newLimit).toBeUndefined();
    expect(doneSentences(reasons)).toEqual([expect.stringMatching(/^2 buried cards come back tomorrow/)]);
  });
});
