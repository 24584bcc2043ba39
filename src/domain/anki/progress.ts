// An Anki card's scheduling columns and review log (notes/anki-sync-optimizer.md §1.4) as a
// Kubecards schedule and log rows, and back. Two things need care. Days: Anki counts due days
// from the collection's creation, cut at its rollover hour in local time, and a due date must
// land on the local day Anki would show it. Memory: the FSRS state is rebuilt from the review
// log by Anki's rules (scheduler/fsrs/params.rs reviews_for_fsrs, memory_state.rs), stepped
// with ts-fsrs.
import { fsrs, generatorParameters, S_MIN, State, type FSRS, type FSRSAlgorithm, type FSRSState, type Grade } from 'ts-fsrs';
import { inLogOrder } from '../scheduler.ts';
import { newSchedule, scheduleOf } from '../schedule.ts';
import { studyDay } from '../studyDay.ts';
import {
  defaultSettings,
  isAnswer,
  Queue,
  queueForState,
  type AnswerLogRow,
  type CardRecord,
  type ReviewLogRow,
  type Schedule,
  type StudySettings,
} from '../types.ts';
import type { AnkiCard, AnkiDeckConfig, AnkiRevlog } from './model.ts';
import {
  affectsScheduling,
  historyStart,
  isCramming,
  isReset,
  learningKind,
  manualKind,
  relearningKind,
  rescheduledKind,
  reviewKind,
} from './revlogHistory.ts';

export class AnkiProgressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnkiProgressError';
  }
}

export interface AnkiTiming {
  /** col.crt: the collection's creation, seconds since the epoch. */
  created: number;
  /**
   * Minutes west of UTC at creation (Anki's config key "creationOffset"). With it Anki counts
   * calendar days from the creation date in that offset; without it, its older count of
   * 24-hour periods from the creation date's rollover in the current offset.
   */
  creationOffset?: number;
  /** Local hour at which Anki's day starts. */
  rolloverHour: number;
  now: Date;
  /** Kubecards' (StudySettings.dayStartHour). */
  dayStartHour: number;
}

const dayMs = 86_400_000;

/** Days since 1970-01-01 of a calendar date. */
const calendarDay = (year: number, month: number, date: number): number => Math.round(Date.UTC(year, month, date) / dayMs);

/** Anki's days_elapsed: day boundaries (at the rollover hour, local time) between the collection's creation and `at` (scheduler/timing.rs). */
export function ankiDayNumber(timing: AnkiTiming, at: Date): number {
  const rollover = timing.rolloverHour % 24;
  const createdMs = timing.created * 1000;
  if (timing.creationOffset === undefined) {
    const offsetMs = at.getTimezoneOffset() * 60_000;
    const created = new Date(createdMs - offsetMs); // its UTC fields are its local fields in at's offset
    const createdRollover = Date.UTC(created.getUTCFullYear(), created.getUTCMonth(), created.getUTCDate(), rollover) + offsetMs;
    return Math.max(0, Math.trunc((at.getTime() - createdRollover) / dayMs));
  }
  const created = new Date(createdMs - timing.creationOffset * 60_000);
  const days = calendarDay(at.getFullYear(), at.getMonth(), at.getDate()) - calendarDay(created.getUTCFullYear(), created.getUTCMonth(), created.getUTCDate());
  return Math.max(0, at.getHours() < rollover ? days - 1 : days);
}

/** The study day (studyDay().number) on whose local date Anki shows `at` as being. */
const ankiCalendarDay = (timing: AnkiTiming, at: Date): number => studyDay(at, timing.rolloverHour % 24).number;

function studyDayStart(dayNumber: number, dayStartHour: number): Date {
  const date = new Date(dayNumber * dayMs);
  return new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), dayStartHour);
}

/** A due day in Anki's count as the start of Kubecards' study day on the local date Anki shows it. */
function dateOfAnkiDay(timing: AnkiTiming, due: number): Date {
  const today = ankiCalendarDay(timing, timing.now);
  return studyDayStart(today + due - ankiDayNumber(timing, timing.now), timing.dayStartHour);
}

function ankiDayOf(timing: AnkiTiming, due: Date): number {
  return ankiDayNumber(timing, timing.now) + studyDay(due, timing.dayStartHour).number - ankiCalendarDay(timing, timing.now);
}

/** Interval values that are timestamps rather than day numbers (timing.rs is_unix_epoch_timestamp). */
const isUnixSeconds = (due: number): boolean => due > 1_000_000_000;

/** The retention SM-2 intervals are taken to have kept: Anki's default "historical retention". */
const sm2Retention = 0.9;

/**
 * fsrs-rs memory_state_from_sm2: the memory state that SM-2's ease and interval stand for.
 * Stability is the interval, stretched to the retention SM-2 kept; difficulty is the one for
 * which FSRS's next Good interval grows by the ease factor.
 */
export function memoryStateFromSm2(algorithm: FSRSAlgorithm, ease: number, intervalDays: number): FSRSState {
  const w = algorithm.parameters.w;
  const decay = -w[20];
  const stability = (Math.max(intervalDays, S_MIN) * (0.9 ** (1 / decay) - 1)) / (sm2Retention ** (1 / decay) - 1);
  const difficulty = 11 - (ease - 1) / (Math.exp(w[8]) * stability ** -w[9] * Math.expm1((1 - sm2Retention) * w[10]));
  return { stability, difficulty: Math.min(10, Math.max(1, difficulty)) };
}

/** The SM-2 state a revlog entry stands for. With FSRS on, `factor` holds the difficulty, shifted to 100-1100 (memory_state.rs). */
function memoryFromEntry(algorithm: FSRSAlgorithm, entry: AnkiRevlog): FSRSState {
  const ease = (entry.factor === 0 ? 2500 : entry.factor) / 1000;
  const state = memoryStateFromSm2(algorithm, ease, Math.max(entry.interval, 1));
  return ease <= 1.1 ? { ...state, difficulty: (ease - 0.1) * 9 + 1 } : state;
}

interface RebuiltMemory {
  /** The history starts with learning (or a reset before it): the state is FSRS's alone, not seeded from SM-2. */
  complete: boolean;
  after: Map<AnkiRevlog, FSRSState>;
  last: FSRSState;
}

/** Anki's reviews_for_fsrs (not training, nothing ignored) stepped through FSRS: the memory state after each entry it keeps. */
function rebuildMemory(entries: AnkiRevlog[], algorithm: FSRS, timing: AnkiTiming): RebuiltMemory | undefined {
  const history = historyStart(entries);
  if (!history) return undefined;
  const { start, complete } = history;

  const after = new Map<AnkiRevlog, FSRSState>();
  let state: FSRSState | null = null;
  let previousDay = 0;
  for (const entry of entries.slice(start).filter(affectsScheduling)) {
    const day = ankiCalendarDay(timing, new Date(entry.id));
    // An incomplete history starts from the SM-2 state of its first interday answer.
    if (state === null && !complete) state = memoryFromEntry(algorithm, entry);
    else state = algorithm.next_state(state, state === null ? 0 : day - previousDay, entry.ease);
    after.set(entry, state);
    previousDay = day;
  }
  return state ? { complete, after, last: state } : undefined;
}

const memoryModels = new WeakMap<AnkiDeckConfig, FSRS>();
const defaultMemoryModel = fsrs(generatorParameters({ enable_short_term: true }));

/** ts-fsrs with the preset's parameters (FSRS-4.5, 5 and 6 lengths are migrated by ts-fsrs), or its defaults. */
function memoryModel(preset: AnkiDeckConfig | undefined): FSRS {
  const params = preset?.fsrsParams;
  if (!preset || !params || params.length === 0) return defaultMemoryModel;
  let model = memoryModels.get(preset);
  if (!model) {
    if (![17, 19, 21].includes(params.length) || !params.every(Number.isFinite)) {
      throw new AnkiProgressError(`The options preset "${preset.name}" has ${params.length} FSRS parameters (${params.join(', ')}); Anki's have 17, 19 or 21 numbers.`);
    }
    model = fsrs(generatorParameters({ w: params, enable_short_term: true }));
    memoryModels.set(preset, model);
  }
  return model;
}

/** The parts of the cards.data JSON used here. Anki reads missing or invalid data as absent, and so does this. */
interface CardData {
  memory?: FSRSState;
  lastReview?: Date;
  position?: number;
}

function cardData(json: string): CardData {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null) return {};
  const fields = value as Record<string, unknown>;
  const numberAt = (key: string): number | undefined => (typeof fields[key] === 'number' && Number.isFinite(fields[key]) ? fields[key] : undefined);
  const [stability, difficulty, lastReview, position] = [numberAt('s'), numberAt('d'), numberAt('lrt'), numberAt('pos')];
  const data: CardData = {};
  if (stability !== undefined && difficulty !== undefined && stability >= S_MIN && difficulty >= 1 && difficulty <= 10) data.memory = { stability, difficulty };
  if (lastReview !== undefined && lastReview > 0) data.lastReview = new Date(lastReview * 1000);
  if (position !== undefined && Number.isInteger(position) && position >= 0) data.position = position;
  return data;
}

function checkColumns(card: AnkiCard, revlog: AnkiRevlog[]): void {
  if (!Number.isInteger(card.type) || card.type < 0 || card.type > 3) throw new AnkiProgressError(`Card ${card.id} has type ${card.type}; Anki's card types are 0 to 3.`);
  if (!Number.isInteger(card.queue) || card.queue < -3 || card.queue > 4) throw new AnkiProgressError(`Card ${card.id} is in queue ${card.queue}; Anki's queues are -3 to 4.`);
  for (const entry of revlog) {
    if (!Number.isInteger(entry.ease) || entry.ease < 0 || entry.ease > 4) {
      throw new AnkiProgressError(`Review log entry ${entry.id} of card ${card.id} has answer ${entry.ease}; Anki's answers are 0 to 4.`);
    }
    if (!Number.isInteger(entry.type) || entry.type < learningKind || entry.type > rescheduledKind) {
      throw new AnkiProgressError(`Review log entry ${entry.id} of card ${card.id} has kind ${entry.type}; Anki's kinds are 0 to 5.`);
    }
  }
}

/**
 * Where the card is due back home: a card in a filtered deck keeps its home due date in
 * originalDue, and leaves with its queue restored from its type (filtered/card.rs). Held
 * cards (suspended, buried) are placed by their type the same way.
 */
function homePlace(card: AnkiCard): { queue: number; due: number } {
  const due = card.originalDeckId !== 0 && card.originalDue !== 0 ? card.originalDue : card.due;
  if (card.originalDeckId === 0 && card.queue >= 0) return { queue: card.queue, due };
  if (card.type === State.New) return { queue: 0, due };
  if (card.type === State.Review) return { queue: 2, due };
  return { queue: isUnixSeconds(due) ? 1 : 3, due };
}

export interface ImportedProgress {
  schedule: Schedule;
  queue: Queue;
  /** 0 none, 1-7 Anki's flag colours. */
  flag: number;
  /** For a buried card: today's study day, so that it comes back tomorrow, as in Anki. */
  buriedOnDay?: number;
  position: number;
  /** The answers (with the rebuilt memory state after each), resets, and a final 'import' row holding `schedule`. */
  log: ReviewLogRow[];
  /** Where the memory state comes from: the review log, cards.data, SM-2's ease and interval, or none (never studied). */
  memoryFrom: 'revlog' | 'data' | 'sm2' | 'new';
  /** Review log entries that are not answers: cramming, and manual changes (set due date, reschedule, reset). */
  skippedReviews: { cram: number; manual: number };
}

/**
 * A card's Anki columns and review log (this card's, in any order) as a Kubecards schedule
 * and log. Replaying the log gives the schedule: the last row records it, at a time fixed by
 * the card (after its last review and its last change), so importing it again gives the same
 * row. `preset` gives the FSRS parameters and the step counts `left` is counted against
 * (else `settings`, else the defaults).
 */
export function progressFromAnki(
  card: AnkiCard,
  revlog: AnkiRevlog[],
  ids: { cardId: string; deckId: string },
  timing: AnkiTiming,
  preset?: AnkiDeckConfig,
  settings?: StudySettings,
): ImportedProgress {
  checkColumns(card, revlog);
  const entries = [...revlog].sort((a, b) => a.id - b.id);
  const algorithm = memoryModel(preset);
  const rebuilt = rebuildMemory(entries, algorithm, timing);
  const data = cardData(card.data);
  const state = card.type as State;
  const memoryFrom: ImportedProgress['memoryFrom'] =
    state === State.New ? 'new' : rebuilt?.complete ? 'revlog' : data.memory ? 'data' : rebuilt || card.interval > 0 ? 'sm2' : 'new';

  const lastAnswer = entries.filter(affectsScheduling).at(-1);
  const log: ReviewLogRow[] = [];
  let learningSeen = false;
  for (const entry of entries) {
    const reviewedAt = new Date(entry.id);
    if (isReset(entry)) {
      log.push({ kind: 'reset', ...ids, reviewedAt, schedule: scheduleOf(newSchedule(reviewedAt)) });
      learningSeen = false;
    }
    if (!affectsScheduling(entry)) continue;
    const memory =
      (entry === lastAnswer && memoryFrom === 'data' ? data.memory : rebuilt?.after.get(entry)) ?? memoryFromEntry(algorithm, entry);
    let stateBefore: State = entry.type === relearningKind ? State.Relearning : State.Review;
    if (entry.type === learningKind) {
      stateBefore = learningSeen ? State.Learning : State.New;
      learningSeen = true;
    }
    const row: AnswerLogRow = {
      kind: 'answer',
      ...ids,
      rating: entry.ease as Grade,
      reviewedAt,
      stateBefore,
      due: new Date(entry.id + (entry.interval > 0 ? entry.interval * dayMs : -entry.interval * 1000)),
      stability: memory.stability,
      difficulty: memory.difficulty,
      scheduledDays: Math.max(entry.interval, 0),
      durationMs: Math.max(0, entry.time),
    };
    log.push(row);
  }

  const importedAt = new Date(Math.max((entries.at(-1)?.id ?? 0) + 1, card.mod * 1000));
  const place = homePlace(card);
  const memory: FSRSState =
    memoryFrom === 'revlog'
      ? rebuilt!.last
      : memoryFrom === 'data'
        ? data.memory!
        : memoryFrom === 'sm2'
          ? (rebuilt?.last ?? memoryStateFromSm2(algorithm, (card.factor === 0 ? 2500 : card.factor) / 1000, card.interval))
          : { stability: 0, difficulty: 0 };
  const { learningSteps, relearningSteps } = settings ?? defaultSettings;
  const stepCount =
    state === State.Learning ? (preset?.learnSteps ?? learningSteps).length : state === State.Relearning ? (preset?.relearnSteps ?? relearningSteps).length : 0;

  let due = importedAt;
  if (place.queue === 1 || place.queue === 4) due = new Date(place.due * 1000);
  else if (place.queue === 2 || place.queue === 3) due = dateOfAnkiDay(timing, place.due);
  const schedule: Schedule = {
    due,
    stability: memory.stability,
    difficulty: memory.difficulty,
    elapsed_days: 0, // deprecated in ts-fsrs and read by nothing: it counts from last_review
    scheduled_days: state === State.Review || state === State.Relearning ? Math.max(card.interval, 0) : 0,
    learning_steps: stepCount > 0 ? Math.max(0, stepCount - (card.left % 1000)) : 0,
    reps: card.reps,
    lapses: card.lapses,
    state,
  };
  const reviewTimes = [lastAnswer?.id, data.lastReview?.getTime()].filter((time) => time !== undefined);
  if (state !== State.New && reviewTimes.length > 0) schedule.last_review = new Date(Math.max(...reviewTimes));
  else if (state !== State.New && place.queue === 2 && card.interval > 0) {
    schedule.last_review = studyDayStart(studyDay(due, timing.dayStartHour).number - card.interval, timing.dayStartHour);
  }

  const progress: ImportedProgress = {
    schedule,
    queue: card.queue === -1 ? Queue.Suspended : card.queue < -1 ? Queue.Buried : queueForState(state),
    flag: card.flags & 7,
    position: state === State.New ? place.due : (data.position ?? 0),
    log,
    memoryFrom,
    skippedReviews: {
      cram: entries.filter(isCramming).length,
      manual: entries.filter((entry) => entry.ease === 0 && !isCramming(entry)).length,
    },
  };
  if (progress.queue === Queue.Buried) progress.buriedOnDay = studyDay(timing.now, timing.dayStartHour).number;
  if (log.length > 0 || state !== State.New) log.push({ kind: 'import', ...ids, reviewedAt: importedAt, schedule });
  return progress;
}

const roundTo = (value: number, places: number): number => Math.round(value * 10 ** places) / 10 ** places;

/** With FSRS, Anki's revlog and card `factor` hold the difficulty shifted to 100-1100 (card/mod.rs difficulty_shifted). */
const shiftedDifficulty = (difficulty: number): number => Math.round(((Math.min(10, Math.max(1, difficulty)) - 1) / 9 + 0.1) * 1000);

/** Anki's initial ease: the SM-2 factor a studied card gets when Kubecards has none to give. */
const initialEase = 2500;

/**
 * Anki's card columns for a Kubecards card, with due days relative to `timing.created` and
 * the FSRS state in `data` ({"s","d","dr","lrt"}, rounded as Anki stores them). A learning
 * step that ends after the study day of its answer is a day-learning card, as Anki makes it.
 */
export function ankiCardColumns(
  card: CardRecord,
  timing: AnkiTiming,
  desiredRetention: number,
  learningSteps: string[],
  relearningSteps: string[],
): Pick<AnkiCard, 'type' | 'queue' | 'due' | 'interval' | 'factor' | 'reps' | 'lapses' | 'left' | 'flags' | 'data'> {
  let queue = 0;
  let due = card.position;
  if (card.state === State.Review) [queue, due] = [2, ankiDayOf(timing, card.due)];
  else if (card.state !== State.New) {
    const dayEnd = studyDay(card.last_review ?? timing.now, timing.dayStartHour).end;
    [queue, due] = card.due >= dayEnd ? [3, ankiDayOf(timing, card.due)] : [1, Math.floor(card.due.getTime() / 1000)];
  }
  if (card.queue === Queue.Suspended || card.queue === Queue.Retired) queue = -1;
  else if (card.queue === Queue.Buried) queue = -3;

  const steps = card.state === State.Learning ? learningSteps : card.state === State.Relearning ? relearningSteps : [];
  const data: Record<string, number> = {};
  if (card.state !== State.New) {
    if (card.stability > 0) Object.assign(data, { s: roundTo(card.stability, 4), d: roundTo(card.difficulty, 3) });
    data.dr = roundTo(desiredRetention, 2);
    if (card.last_review) data.lrt = Math.floor(card.last_review.getTime() / 1000);
  }
  return {
    type: card.state,
    queue,
    due,
    interval: card.state === State.Review || card.state === State.Relearning ? Math.max(1, Math.round(card.scheduled_days)) : 0,
    factor: card.state === State.New ? 0 : initialEase,
    reps: card.reps,
    lapses: card.lapses,
    left: steps.length > 0 ? Math.max(0, steps.length - card.learning_steps) : 0,
    flags: (card.flag ?? 0) & 7,
    data: JSON.stringify(data),
  };
}

const revlogKindOf: Record<State, number> = {
  [State.New]: learningKind,
  [State.Learning]: learningKind,
  [State.Review]: reviewKind,
  [State.Relearning]: relearningKind,
};

/**
 * Revlog rows for a card's log: answers, resets (kind 4, answer 0, factor 0) and
 * reschedules (kind 5); 'import' rows, which only repeat what the card columns say, are left
 * out. Ids are the review times in ms, moved on by a millisecond while `usedIds` (shared by
 * all cards: revlog.id is the table's key) already has them.
 */
export function ankiRevlog(log: ReviewLogRow[], ankiCardId: number, usedIds: Set<number>): AnkiRevlog[] {
  const revlog: AnkiRevlog[] = [];
  let lastInterval = 0;
  for (const row of inLogOrder(log)) {
    if (row.kind === 'import') continue;
    let id = row.reviewedAt.getTime();
    while (usedIds.has(id)) id++;
    usedIds.add(id);
    const entry: AnkiRevlog = { id, cardId: ankiCardId, ease: 0, interval: 0, lastInterval, factor: 0, time: 0, type: manualKind };
    if (isAnswer(row)) {
      // Less than a day: negative seconds, as Anki logs learning steps.
      const interval = row.scheduledDays >= 1 ? row.scheduledDays : -Math.max(0, Math.round((row.due.getTime() - row.reviewedAt.getTime()) / 1000));
      Object.assign(entry, {
        ease: row.rating,
        interval,
        factor: shiftedDifficulty(row.difficulty),
        time: Math.max(0, Math.round(row.durationMs)),
        type: revlogKindOf[row.stateBefore],
      });
    } else if (row.kind === 'reschedule') {
      Object.assign(entry, { interval: row.schedule.scheduled_days, factor: shiftedDifficulty(row.schedule.difficulty), type: rescheduledKind });
    }
    lastInterval = entry.interval;
    revlog.push(entry);
  }
  return revlog;
}
