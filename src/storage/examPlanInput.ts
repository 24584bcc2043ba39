// What the exam plan worker reads, on a connection of its own and never writing: the decks
// that hold cards of the exam, their cards, the settings they study with, and how many new
// cards each introduced today.
import { effectiveSettings } from '../domain/deckSettings.ts';
import type { ExamPlanInput } from '../domain/examPlan.ts';
import type { ExamGoal } from '../domain/exams.ts';
import { studyDay } from '../domain/studyDay.ts';
import { CardState, defaultSettings, Queue, type DeckSettings, type StudySettings } from '../domain/types.ts';
import { openSideConnection, type KubecardsDatabase } from './database.ts';

export class ExamPlanInputStorage {
  private readonly db: KubecardsDatabase;

  constructor(name = 'kubecards') {
    this.db = openSideConnection(name);
  }

  /** Everything the plan for `goal` needs, as of `now`, read in one transaction. */
  read(goal: ExamGoal, now: Date): Promise<ExamPlanInput> {
    const { db } = this;
    return db.transaction('r', [db.cards, db.decks, db.settings, db.reviewLog], async () => {
      const [cards, decks, study, deckRows] = await Promise.all([
        db.cards.toArray(),
        db.decks.orderBy('position').toArray(),
        db.settings.get('study'),
        db.settings.where('key').startsWith('deck:').toArray(),
      ]);
      const global = { ...defaultSettings, ...(study?.value as StudySettings | undefined) };
      const own = new Map(deckRows.map((row) => [row.key.slice('deck:'.length), row.value as DeckSettings]));
      const day = studyDay(now, global.dayStartHour);
      const prefix = `${goal.exam} `;
      const examDecks = new Set(cards.filter((card) => card.queue !== Queue.Retired && card.exam.some((domain) => domain.startsWith(prefix))).map((card) => card.deckId));
      const planned = decks.filter((deck) => examDecks.has(deck.id));
      const newDoneToday = await Promise.all(
        planned.map((deck) =>
          db.reviewLog.where('[deckId+stateBefore+reviewedAt]').between([deck.id, CardState.New, day.start], [deck.id, CardState.New, day.end]).count(),
        ),
      );
      const plannedIds = new Set(planned.map((deck) => deck.id));
      return {
        goal,
        today: day.number,
        dayStartHour: global.dayStartHour,
        decks: planned.map((deck, index) => ({
          id: deck.id,
          title: deck.title,
          settings: effectiveSettings(global, own.get(deck.id)),
          newDoneToday: newDoneToday[index],
        })),
        cards: cards.filter((card) => plannedIds.has(card.deckId)),
      };
    });
  }
}
