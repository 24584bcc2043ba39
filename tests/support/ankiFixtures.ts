// Generated Anki packages with the mix a real collection has after months of study
// (notes/anki-sync-optimizer.md §1.4): cards in every queue, a deck hierarchy, a filtered deck,
// a leech, flags, FSRS parameters in a preset, and a review log behind every studied card whose
// rows agree with the card's columns. Seeded: the same options give the same bytes. Fast enough
// for 10,000 notes and 100,000 review rows in a few seconds (used by tests and `npm run bench`).
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import type { AnkiCard, AnkiCollection, AnkiDeck, AnkiDeckConfig, AnkiMediaFile, AnkiNote, AnkiNoteType, AnkiRevlog } from '../../src/domain/anki/model.ts';
import { writeSchema11Collection } from '../../src/domain/anki/schema11.ts';
import { writeSchema18Collection } from './ankiSchema18.ts';
import { buildAnkiZip } from './ankiZip.ts';
import { seededRandom } from './collection.ts';
import { ankiCard } from './ankiCard.ts';

export interface GeneratedPackageOptions {
  /** Basic notes (plus a few Cloze and "Basic (and reversed card)" notes when notes >= 10). */
  notes: number;
  /** Average revlog rows per studied card (default 5); about 70 % of cards are studied. */
  reviewsPerCard?: number;
  /** Default anki21b (schema 18); anki21 is schema 11 as Kubecards exports it. */
  layout?: 'anki21b' | 'anki21';
  /** One note whose Front has <img src="kube.png">, with the PNG in the package media. */
  image?: boolean;
  /** A few notes with scripts, event handlers, javascript: links and external images and styles. */
  hostile?: boolean;
  /** The collection's "today": cards are due relative to it. */
  now: Date;
  seed?: number;
}

export const imageName = 'kube.png';
/** A 1×1 PNG. */
export const imageBytes = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='),
  (character) => character.charCodeAt(0),
);
/** Field HTML that must neither run nor fetch anything once imported. */
export const hostileFields = [
  '<script>window.hacked = true</script>Which object stores a Secret?',
  '<img src="x" onerror="window.hacked = true">An image that fails',
  '<a href="javascript:window.hacked = true">click</a> for the answer',
  '<img src="http://evil.example/track.png"> tracked',
  '<div style="background: url(http://evil.example/bg.png)">styled</div>',
];

export const rolloverHour = 4;
export const deckIds = { default: 1, cka: 1_600_000_000_001, storage: 1_600_000_000_002, networking: 1_600_000_000_003, filtered: 1_600_000_000_004 };
export const noteTypeIds = { basic: 1_600_000_000_101, reversed: 1_600_000_000_102, cloze: 1_600_000_000_103 };
const fsrsPresetId = 1_600_000_000_201;
/** Cards of these decks use the FSRS preset; Default uses preset 1. */
const homeDecks = [deckIds.storage, deckIds.networking, deckIds.default];

const daySeconds = 86_400;
/** Days of history the intervals of one card may span; crt lies a month before that. */
const historyDays = 240;
/** FSRS-6 parameters an optimised preset might hold. */
export const fsrsParams = [0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542];

/** The templates of Anki's stock "Basic (and reversed card)". */
export const reversedTemplates = [
  { name: 'Card 1', front: '{{Front}}', back: '{{FrontSide}}<hr id=answer>{{Back}}' },
  { name: 'Card 2', front: '{{Back}}', back: '{{FrontSide}}<hr id=answer>{{Front}}' },
];

const noteTypes: AnkiNoteType[] = [
  { id: noteTypeIds.basic, name: 'Basic', kind: 'standard', fields: ['Front', 'Back'], templates: [{ name: 'Card 1', front: '{{Front}}', back: '{{FrontSide}}<hr id=answer>{{Back}}' }], css: '.card { font-family: arial; }' },
  {
    id: noteTypeIds.reversed,
    name: 'Basic (and reversed card)',
    kind: 'standard',
    fields: ['Front', 'Back'],
    templates: reversedTemplates,
    css: '.card { font-family: arial; }',
  },
  { id: noteTypeIds.cloze, name: 'Cloze', kind: 'cloze', fields: ['Text', 'Back Extra'], templates: [{ name: 'Cloze', front: '{{cloze:Text}}', back: '{{cloze:Text}}<br>{{Back Extra}}' }], css: '.cloze { font-weight: bold; }' },
];

const decks: AnkiDeck[] = [
  { id: deckIds.default, name: 'Default', filtered: false, configId: 1 },
  { id: deckIds.cka, name: 'CKA', filtered: false, configId: fsrsPresetId },
  { id: deckIds.storage, name: 'CKA::Storage', filtered: false, configId: fsrsPresetId },
  { id: deckIds.networking, name: 'CKA::Networking', filtered: false, configId: fsrsPresetId },
  { id: deckIds.filtered, name: 'Filtered Deck 1', filtered: true },
];

const deckConfigs: AnkiDeckConfig[] = [
  { id: 1, name: 'Default', newPerDay: 20, reviewsPerDay: 200, learnSteps: [1, 10], relearnSteps: [10], maximumIntervalDays: 36_500, desiredRetention: 0.9 },
  { id: fsrsPresetId, name: 'CKA FSRS', newPerDay: 15, reviewsPerDay: 9_999, learnSteps: [1, 10, 1440], relearnSteps: [10], maximumIntervalDays: 36_500, fsrsParams, desiredRetention: 0.9 },
];

/** Why a card is what it is: every queue Anki has, each at least once in a package of 10 notes or more. */
type Role = 'new' | 'review' | 'leech' | 'learning' | 'relearning' | 'dayLearning' | 'filtered' | 'buried' | 'siblingBuried' | 'suspendedNew';
const specialRoles: Role[] = ['review', 'leech', 'learning', 'relearning', 'dayLearning', 'filtered', 'buried', 'review', 'review', 'suspendedNew'];

let sqlReady: Promise<SqlJsStatic> | undefined;

export async function generateAnkiPackage(options: GeneratedPackageOptions): Promise<{ bytes: Uint8Array; collection: AnkiCollection }> {
  const layout = options.layout ?? 'anki21b';
  const collection = generateAnkiCollection(options, layout === 'anki21b' ? 18 : 11);
  const SQL = await (sqlReady ??= initSqlJs());
  let database: Uint8Array;
  if (layout === 'anki21b') {
    // The schema-18 writer leaves out "creationOffset", which every current Anki writes.
    const db = new SQL.Database(writeSchema18Collection(SQL, collection));
    db.run('INSERT INTO config VALUES (?, -1, 0, ?)', ['creationOffset', new TextEncoder().encode(JSON.stringify(collection.creationOffset))]);
    database = db.export();
    db.close();
  } else {
    const db = new SQL.Database();
    writeSchema11Collection(db, collection);
    database = db.export();
    db.close();
  }
  const media: AnkiMediaFile[] = options.image ? [{ name: imageName, bytes: imageBytes }] : [];
  return { bytes: await buildAnkiZip({ layout, collection: database, media }), collection };
}

/** The collection alone, as it reads back from the package (ids ascending, as the reader returns rows). */
export function generateAnkiCollection(options: GeneratedPackageOptions, schema: 11 | 18 = 18): AnkiCollection {
  const { now, reviewsPerCard = 5 } = options;
  const roll = seededRandom(options.seed ?? 1);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(roll() * values.length)]!;
  // crt: the rollover hour of a local date some months ago, as Anki sets it on creation.
  const created = new Date(now.getFullYear(), now.getMonth(), now.getDate() - historyDays - 30, rolloverHour);
  const crt = Math.floor(created.getTime() / 1000);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  // Anki's day count today: the local clock is past the rollover unless it is early morning.
  const today = Math.round((new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime() - new Date(created.getFullYear(), created.getMonth(), created.getDate()).getTime()) / (daySeconds * 1000)) - (now.getHours() < rolloverHour ? 1 : 0);
  /** A review time on Anki day `day`, between 8:00 and 20:00 local time (never after now). */
  const timeOnDay = (day: number): number => Math.min(nowSeconds - 3600, crt + day * daySeconds + 4 * 3600 + Math.floor(roll() * 12 * 3600)) * 1000;

  const notes: AnkiNote[] = [];
  const cards: AnkiCard[] = [];
  const revlog: AnkiRevlog[] = [];
  const revlogIds = new Set<number>();
  const addEntry = (entry: AnkiRevlog): void => {
    while (revlogIds.has(entry.id)) entry.id++;
    revlogIds.add(entry.id);
    revlog.push(entry);
  };

  let position = 0;
  for (let index = 0; index < options.notes; index++) {
    const noteType = options.notes >= 10 && index % 10 === 7 ? noteTypes[2]! : options.notes >= 10 && index % 10 === 8 ? noteTypes[1]! : noteTypes[0]!;
    const roleOfFirst = specialRoles[index] ?? (roll() < 0.7 ? 'review' : 'new');
    const noteId = crt * 1000 + 1000 + index;
    const fields =
      noteType.kind === 'cloze'
        ? [`A {{c1::Pod}} in note ${index} runs {{c2::containers}}`, `Extra ${index}`]
        : [`Question ${index}: what does object ${index} store?`, `Answer ${index}`];
    if (options.image && index === 0) fields[0] = `<img src="${imageName}"> ${fields[0]}`;
    if (options.hostile && index >= 1 && index <= hostileFields.length) fields[0] = hostileFields[index - 1]!;
    const tags = roleOfFirst === 'leech' ? ['leech', 'cka'] : roll() < 0.3 ? [pick(['cka', 'storage', 'networking', 'exam::2025'])] : [];
    notes.push({ id: noteId, guid: `${guidPrefix(roll)}${index.toString(36)}`, noteTypeId: noteType.id, mod: crt + daySeconds, tags, fields });

    const homeDeck = homeDecks[index % homeDecks.length]!;
    const cardCount = noteType.kind === 'cloze' ? 2 : noteType.templates.length;
    for (let ord = 0; ord < cardCount; ord++) {
      // The first reversed note's second card is buried, as Anki buries the sibling of a card answered.
      const role: Role = ord === 0 ? roleOfFirst : index === 8 ? 'siblingBuried' : roll() < 0.7 ? 'review' : 'new';
      cards.push(makeCard(crt * 1000 + 100_000 + position, noteId, homeDeck, ord, position++, role));
    }
  }

  function makeCard(id: number, noteId: number, deckId: number, ord: number, newPosition: number, role: Role): AnkiCard {
    const card: AnkiCard = ankiCard({ id, noteId, deckId, ord, mod: crt + daySeconds, due: newPosition });
    if (role === 'new' || role === 'suspendedNew' || role === 'siblingBuried') {
      if (role === 'suspendedNew') card.queue = -1;
      if (role === 'siblingBuried') card.queue = -2;
      return card;
    }
    const entry = (at: number, ease: number, interval: number, lastInterval: number, factor: number, type: number): void => {
      addEntry({ id: at, cardId: id, ease, interval, lastInterval, factor, time: 2000 + Math.floor(roll() * 20_000), type });
      card.reps++;
      card.mod = Math.floor(at / 1000);
    };

    if (role === 'learning') {
      // First seen five minutes ago: the 10-minute and one-day steps to go.
      const at = (nowSeconds - 300) * 1000;
      entry(at, 3, -600, 0, 0, 0);
      return Object.assign(card, { type: 1, queue: 1, due: Math.floor(at / 1000) + 600, left: 2 });
    }
    if (role === 'dayLearning') {
      // Seen yesterday, now on the one-day step: due today by day number.
      const at = timeOnDay(today - 1);
      entry(at, 3, -600, 0, 0, 0);
      entry(at + 600_000, 3, -daySeconds, -600, 0, 0);
      return Object.assign(card, { type: 1, queue: 3, due: today, left: 1 });
    }

    // Learned on one day, then reviewed whenever due with intervals growing by the ease, with lapses.
    const entries = role === 'leech' ? 24 : Math.max(3, Math.round(2 + roll() * 2 * (reviewsPerCard - 2)));
    const reviews = entries - 2;
    const intervalCap = Math.max(2, Math.floor(historyDays / reviews));
    const answers: { ease: number; interval: number }[] = [];
    let interval = 1;
    let factor = 2500;
    let span = 0;
    for (let review = 0; review < reviews; review++) {
      const lapse = role === 'leech' ? review % 3 === 1 : roll() < 0.08 && review < reviews - 1;
      const ease = lapse ? 1 : pick([2, 3, 3, 3, 3, 3, 4]);
      factor = Math.max(1300, factor + (ease === 1 ? -200 : ease === 2 ? -150 : ease === 4 ? 150 : 0));
      span += interval;
      interval = lapse ? Math.max(1, Math.round(interval / 2)) : Math.min(intervalCap, Math.max(interval + 1, Math.round(interval * (ease === 2 ? 1.2 : factor / 1000))));
      answers.push({ ease, interval });
      if (lapse) review++; // the relearning step that follows counts as an entry
    }
    // Due today, overdue by up to 10 days, or still to come.
    const due = roll();
    const daysSinceLast = due < 0.2 ? interval : due < 0.4 ? interval + 1 + Math.floor(roll() * 10) : 1 + Math.floor(roll() * Math.max(1, interval - 1));
    const lastDay = today - daysSinceLast;
    let day = lastDay - span;
    const first = timeOnDay(day);
    entry(first, 3, -600, 0, 0, 0);
    entry(first + 600_000, 3, 1, -600, 2500, 0);
    let lastInterval = 1;
    day += 1;
    for (const answer of answers) {
      const at = timeOnDay(day);
      if (answer.ease === 1) {
        entry(at, 1, -600, lastInterval, factor, 1);
        entry(at + 600_000, 3, answer.interval, -600, factor, 2);
        card.lapses++;
      } else {
        entry(at, answer.ease, answer.interval, lastInterval, factor, 1);
      }
      lastInterval = answer.interval;
      day += answer.interval;
    }
    Object.assign(card, { type: 2, queue: 2, due: lastDay + interval, interval, factor });
    if (role === 'relearning') {
      // Lapsed a few minutes ago: relearning, due back when the 10-minute step is over.
      const at = (nowSeconds - 120) * 1000;
      entry(at, 1, -600, interval, factor, 1);
      Object.assign(card, { type: 3, queue: 1, due: Math.floor(at / 1000) + 600, interval: Math.max(1, Math.round(interval / 2)), lapses: card.lapses + 1, left: 1 });
    }
    if (role === 'leech') card.queue = -1;
    if (role === 'buried') card.queue = -3;
    if (role === 'filtered') Object.assign(card, { deckId: deckIds.filtered, originalDeckId: deckId, originalDue: card.due, due: -100_000 + newPosition });
    if (role === 'review' && roll() < 0.05) card.queue = -1;
    if (roll() < 0.05 || newPosition === 0) card.flags = 1 + Math.floor(roll() * 7);
    // FSRS memory as Anki stores it: stability (4 places), difficulty (3), retention, last review.
    const stability = Math.round(interval * (0.9 + roll() * 0.4) * 10_000) / 10_000;
    const difficulty = Math.min(10, Math.max(1, Math.round((11 - factor / 300) * 1000) / 1000));
    card.data = JSON.stringify({ s: stability, d: difficulty, dr: 0.9, lrt: card.mod });
    return card;
  }

  revlog.sort((a, b) => a.id - b.id);
  return {
    schema,
    created: crt,
    rolloverHour,
    creationOffset: created.getTimezoneOffset(),
    noteTypes,
    decks,
    deckConfigs,
    notes,
    cards,
    revlog,
  };
}

const guidCharacters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~';

/** Five random characters of Anki's guid alphabet (base91); the note's index follows, so guids are unique. */
function guidPrefix(roll: () => number): string {
  let prefix = '';
  for (let index = 0; index < 5; index++) prefix += guidCharacters[Math.floor(roll() * guidCharacters.length)];
  return prefix;
}
