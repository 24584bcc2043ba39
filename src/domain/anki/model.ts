// An Anki collection as read from (or written to) a package's SQLite file, in Anki's own
// terms and units: ids and times as Anki stores them, one shape for schema 11 and 18. The
// meaning of every column is in notes/anki-sync-optimizer.md (§1.4).

export interface AnkiTemplate {
  name: string;
  /** The question format (Anki's qfmt). */
  front: string;
  /** The answer format (afmt). */
  back: string;
}

export interface AnkiNoteType {
  id: number;
  name: string;
  kind: 'standard' | 'cloze';
  fields: string[];
  templates: AnkiTemplate[];
  css: string;
}

export interface AnkiDeck {
  id: number;
  /** The full name; "::" separates a parent from its child ("CKA::Storage"). */
  name: string;
  /** A filtered deck: its cards belong to the deck in their `originalDeckId`. */
  filtered: boolean;
  /** The deck's options preset (absent for filtered decks). */
  configId?: number;
}

/** A deck options preset: the parts Kubecards uses. */
export interface AnkiDeckConfig {
  id: number;
  name: string;
  newPerDay: number;
  reviewsPerDay: number;
  /** Learning and relearning steps in minutes. */
  learnSteps: number[];
  relearnSteps: number[];
  maximumIntervalDays: number;
  /** The preset's FSRS parameters, when the user optimised them (FSRS-6: 21 numbers). */
  fsrsParams?: number[];
  desiredRetention?: number;
}

export interface AnkiNote {
  id: number;
  guid: string;
  noteTypeId: number;
  /** Last modification, seconds since the epoch. */
  mod: number;
  tags: string[];
  /** Field HTML in the note type's field order. */
  fields: string[];
}

export interface AnkiCard {
  id: number;
  noteId: number;
  deckId: number;
  /** Template index, or cloze number - 1. */
  ord: number;
  /** Last modification, seconds since the epoch. */
  mod: number;
  /** 0 new, 1 learning, 2 review, 3 relearning. */
  type: number;
  /** 0 new, 1 learning, 2 review, 3 day learning, 4 preview, -1 suspended, -2 sibling buried, -3 buried. */
  queue: number;
  /** New: position; learning: unix seconds; review and day learning: days since the collection's creation. */
  due: number;
  /** Interval in days. */
  interval: number;
  /** SM-2 ease in permille (2500 = 250 %); 0 for new cards. */
  factor: number;
  reps: number;
  lapses: number;
  /** Remaining (re)learning steps in its last three digits. */
  left: number;
  /** While in a filtered deck: its due and deck back home; otherwise 0. */
  originalDue: number;
  originalDeckId: number;
  /** The flag colour in the low three bits (1 red … 7 purple). */
  flags: number;
  /** JSON: FSRS memory state s, d, dr, lrt (last review, unix seconds) and more. */
  data: string;
}

export interface AnkiRevlog {
  /** Review time, epoch milliseconds. */
  id: number;
  cardId: number;
  /** 1 Again, 2 Hard, 3 Good, 4 Easy; 0 a manual change (set due date, forget, reset). */
  ease: number;
  /** Interval after the answer: positive days, negative seconds. */
  interval: number;
  lastInterval: number;
  /** SM-2 ease in permille, or with FSRS the difficulty scaled to 100–1100; 0 on a reset or cram entry. */
  factor: number;
  /** Milliseconds taken to answer. */
  time: number;
  /** 0 learning, 1 review, 2 relearning, 3 filtered (cram), 4 manual, 5 rescheduled. */
  type: number;
}

export interface AnkiCollection {
  /** 11 (collection.anki2 and .anki21) or 18 (collection.anki21b). */
  schema: number;
  /** The collection's creation time (col.crt), seconds since the epoch. */
  created: number;
  /** Local hour at which Anki's day starts ("rollover", 4 by default). */
  rolloverHour: number;
  /** The creator's UTC offset in minutes west of UTC (config "creationOffset"); absent in old collections. */
  creationOffset?: number;
  noteTypes: AnkiNoteType[];
  decks: AnkiDeck[];
  deckConfigs: AnkiDeckConfig[];
  notes: AnkiNote[];
  cards: AnkiCard[];
  revlog: AnkiRevlog[];
}

/** A media file of a package: its name as notes refer to it, and its bytes. */
export interface AnkiMediaFile {
  name: string;
  bytes: Uint8Array;
}
