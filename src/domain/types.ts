import type { State, Card as FsrsCard, Grade } from 'ts-fsrs';
import type { ExamDomain } from './exams.ts';

/** The FSRS memory and scheduling state of a card, exactly as ts-fsrs defines it. */
export type Schedule = FsrsCard;

/** Built-in decks and cards ship with the app; app updates never touch the user's own. */
export type Origin = 'built-in' | 'user';

export interface Deck {
  id: string;
  title: string;
  description: string;
  /** Order on the home screen. */
  position: number;
  origin: Origin;
  /** A built-in exam companion deck's label, e.g. "KCNA exam companion, not from the talk" (its deck file's `companion:`). */
  companion?: string;
  /** Set when the user renames the deck: app updates then keep the user's name. */
  editedAt?: Date;
}

/**
 * What a card says. Text fields are Markdown, except on 'html' cards: those are made from an
 * imported note's template, hold untrusted HTML and are sanitised whenever they are shown.
 */
export interface CardContent {
  /**
   * A cloze card's back repeats its front with the deletion filled in, so it replaces the
   * front; so does an 'html' card's, which is its template's answer side.
   */
  kind: 'basic' | 'cloze' | 'html';
  front: string;
  back: string;
  source: string;
  exam: ExamDomain[];
  tags: string[];
  note: string;
}

/**
 * Which study queue a card is in. Mirrors the FSRS state for cards being studied, and can
 * hold a card out of study without touching its FSRS state (as Anki's `queue` column does).
 */
export const Queue = { New: 0, Learning: 1, Review: 2, Suspended: -1, Buried: -2, Retired: -3 } as const;
export type Queue = (typeof Queue)[keyof typeof Queue];

/** ts-fsrs's card states by value, so that the first screen need not load ts-fsrs (tests check they are its own). */
export const CardState = { New: 0 as State.New, Learning: 1 as State.Learning, Review: 2 as State.Review, Relearning: 3 as State.Relearning } as const;

export function queueForState(state: State): Queue {
  if (state === CardState.New) return Queue.New;
  return state === CardState.Review ? Queue.Review : Queue.Learning;
}

export interface CardRecord extends CardContent, Schedule {
  id: string;
  /**
   * Revision: every change to the card increments it (undo puts the earlier one back). A
   * change is written only if the stored revision is the one the screen acted on, so a tab
   * holding an older copy can never overwrite a newer card.
   */
  rev: number;
  deckId: string;
  /** Order in which new cards are introduced within the deck. */
  position: number;
  queue: Queue;
  origin: Origin;
  /** Anki's flags 1-7 (red, orange, green, blue, pink, turquoise, purple); 0 or absent: none. */
  flag?: number;
  /** Study day (studyDay().number) on which the card was buried; it comes back the next. */
  buriedOnDay?: number;
  /** Set when the user edits the text: app updates then leave the card's text alone. */
  editedAt?: Date;
  /** A user's cloze note: its text, shared by the cards made from it (one per number). */
  cloze?: { noteId: string; text: string; number: number };
  /** An 'html' card: the imported note it is made from, its note type (for the style sheet) and which template (or cloze number - 1). */
  importedNote?: { id: string; noteTypeId: string; ord: number };
}

/** A note type of an imported note (Anki's "note type"): its fields, templates and style. */
export interface NoteTypeRecord {
  id: string;
  name: string;
  /** A cloze note type makes one card per cloze number from its one template. */
  kind: 'standard' | 'cloze';
  fields: string[];
  templates: { name: string; front: string; back: string }[];
  css: string;
}

/** An imported note: its fields (HTML) in the order of its note type's fields. */
export interface NoteRecord {
  id: string;
  /** Anki's globally unique note id: importing a note again with the same guid updates it. */
  guid: string;
  noteTypeId: string;
  fields: string[];
}

/** A media file an imported note refers to by name (an image's src, a [sound:…] tag). */
export interface MediaRecord {
  name: string;
  /** MIME type, from the name's extension. */
  type: string;
  bytes: Uint8Array;
}

/** One answer, appended to the review log and never edited (undo deletes it). */
export interface AnswerLogRow {
  id?: number;
  /** The row's id on every device (see logRowUid); given when it is stored. */
  uid?: string;
  /** Absent on rows stored before manual rows existed: every such row is an answer. */
  kind?: 'answer';
  cardId: string;
  deckId: string;
  rating: Grade;
  reviewedAt: Date;
  stateBefore: State;
  due: Date;
  stability: number;
  difficulty: number;
  scheduledDays: number;
  durationMs: number;
}

/**
 * A change to a card's schedule that is not an answer, as Anki's "Manual" and "Rescheduled"
 * review kinds: a reset to new, or a schedule recomputed under other settings. It holds the
 * schedule the card got, so that replaying the log gives the stored card. It has no
 * `stateBefore`, so the index that counts today's answers never sees it.
 */
export interface ManualLogRow {
  id?: number;
  uid?: string;
  /** 'import': the schedule a card had where it came from (an Anki package), as of `reviewedAt`. */
  kind: 'reset' | 'reschedule' | 'import';
  cardId: string;
  deckId: string;
  reviewedAt: Date;
  schedule: Schedule;
}

/** The review log: the truth about every card's schedule (see replaySchedule). */
export type ReviewLogRow = AnswerLogRow | ManualLogRow;

export function isAnswer(row: ReviewLogRow): row is AnswerLogRow {
  return row.kind === undefined || row.kind === 'answer';
}

export interface StudySettings {
  /** Local hour at which a new study day begins (Anki's "next day starts at"). */
  dayStartHour: number;
  newCardsPerDay: number;
  reviewsPerDay: number;
  desiredRetention: number;
  maximumIntervalDays: number;
  learningSteps: string[];
  relearningSteps: string[];
  fuzz: boolean;
  /**
   * Anki's deck options "Bury new siblings", "Bury review siblings" and "Bury interday
   * learning siblings". Unset: the default for the deck's kind (see burySettingsFor).
   */
  buryNewSiblings?: boolean;
  buryReviewSiblings?: boolean;
  buryInterdayLearningSiblings?: boolean;
  /** FSRS model weights (17, 19 or 21 numbers), as Optimize fitted them; unset: FSRS's defaults. */
  fsrsParameters?: number[];
}

/** Every study setting by name: what sync sends of the global settings. */
export const studySettingKeys = [
  'dayStartHour',
  'newCardsPerDay',
  'reviewsPerDay',
  'desiredRetention',
  'maximumIntervalDays',
  'learningSteps',
  'relearningSteps',
  'fuzz',
  'fsrsParameters',
] as const satisfies readonly (keyof StudySettings)[];

/** The settings a deck can set for itself (Anki's deck presets); the rest are global. */
export const deckSettingKeys = [
  'newCardsPerDay',
  'reviewsPerDay',
  'learningSteps',
  'relearningSteps',
  'maximumIntervalDays',
  'desiredRetention',
  'buryNewSiblings',
  'buryReviewSiblings',
  'buryInterdayLearningSiblings',
  'fsrsParameters',
] as const satisfies readonly (keyof StudySettings)[];
export type DeckSettings = Partial<Pick<StudySettings, (typeof deckSettingKeys)[number]>>;

export const leechThreshold = 8;

export const defaultSettings: StudySettings = {
  dayStartHour: 4,
  newCardsPerDay: 20,
  reviewsPerDay: 200,
  desiredRetention: 0.9,
  maximumIntervalDays: 36500,
  learningSteps: ['1m', '10m'],
  relearningSteps: ['10m'],
  fuzz: true,
};
