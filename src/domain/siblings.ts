// Siblings: the cards made from one note (the deletions of a cloze, the templates of an
// imported note). Anki buries a card's siblings when it is answered, so that one does not
// give the other away; these functions say which cards are siblings and which to bury.
import { Queue, type CardRecord, type Origin, type StudySettings } from './types.ts';

/**
 * The note a card is made from, and the start every id of its cards shares (card ids are
 * the note's id and a suffix: `-c<n>` for clozes, `/<ord>` for imported notes), so that
 * storage finds siblings on the primary key. Undefined: the card has no siblings.
 */
export function noteOf(card: CardRecord): { noteId: string; idPrefix: string } | undefined {
  if (card.cloze) return { noteId: `cloze:${card.cloze.noteId}`, idPrefix: `${card.cloze.noteId}-c` };
  if (card.importedNote) return { noteId: `imported:${card.importedNote.id}`, idPrefix: `${card.importedNote.id}/` };
  // A built-in cloze card's id is its block's id with `-c<number>` (see deckFile.ts).
  const builtIn = card.kind === 'cloze' && card.origin === 'built-in' ? /^(.+)-c\d+$/.exec(card.id) : null;
  if (builtIn) return { noteId: `built-in:${builtIn[1]}`, idPrefix: `${builtIn[1]}-c` };
  return undefined;
}

/** Whether two different cards are made from one note. */
export function areSiblings(a: CardRecord, b: CardRecord): boolean {
  if (a.id === b.id) return false;
  const note = noteOf(a);
  return !!note && note.noteId === noteOf(b)?.noteId;
}

export type BurySettings = Pick<StudySettings, 'buryNewSiblings' | 'buryReviewSiblings' | 'buryInterdayLearningSiblings'>;

/** The deck options' bury settings, each the deck's own or, unset, the default for its kind of deck: on for built-in decks, off for the user's (as Anki's default preset). */
export function burySettingsFor(settings: Partial<BurySettings>, deckOrigin: Origin): BurySettings {
  const byDefault = deckOrigin === 'built-in';
  return {
    buryNewSiblings: settings.buryNewSiblings ?? byDefault,
    buryReviewSiblings: settings.buryReviewSiblings ?? byDefault,
    buryInterdayLearningSiblings: settings.buryInterdayLearningSiblings ?? byDefault,
  };
}

/**
 * Which of `siblings` answering a card buries until the next study day, as Anki: new ones,
 * review ones due today, and learning ones due today whose last step crossed a day boundary
 * (interday learning), each kind if its option is on. Learning cards of today's steps stay.
 */
export function siblingsToBury(siblings: CardRecord[], bury: BurySettings, day: { start: Date; end: Date }): CardRecord[] {
  return siblings.filter((card) => {
    if (card.queue === Queue.New) return bury.buryNewSiblings;
    if (card.queue === Queue.Review) return bury.buryReviewSiblings && card.due < day.end;
    if (card.queue === Queue.Learning) return bury.buryInterdayLearningSiblings && card.due < day.end && !!card.last_review && card.last_review < day.start;
    return false;
  });
}
