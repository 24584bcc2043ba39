// What the screens share for the lifetime of the page: storage, settings, schedulers, undo.
import builtInVersion from 'virtual:built-in-decks-version';
import type { FSRS } from 'ts-fsrs';
import { createScheduler } from '../domain/scheduler.ts';
import { effectiveSettings } from '../domain/deckSettings.ts';
import { studyDay } from '../domain/studyDay.ts';
import type { DeckSettings, StudySettings } from '../domain/types.ts';
import { Storage, type UndoStep } from '../storage/index.ts';
import { UndoStack } from './undoStack.ts';

export class Session {
  readonly undo = new UndoStack<UndoStep>();
  private schedulers = new Map<string, FSRS>();
  private undoing = false;
  private unburiedOn?: number;

  constructor(
    readonly storage: Storage,
    public settings: StudySettings,
    public deckSettings: Map<string, DeckSettings>,
  ) {}

  /** The settings a deck studies with: global ones with the deck's own on top. */
  settingsFor(deckId: string): StudySettings {
    return effectiveSettings(this.settings, this.deckSettings.get(deckId));
  }

  schedulerFor(deckId: string): FSRS {
    let scheduler = this.schedulers.get(deckId);
    if (!scheduler) {
      scheduler = createScheduler(this.settingsFor(deckId));
      this.schedulers.set(deckId, scheduler);
    }
    return scheduler;
  }

  async saveSettings(settings: StudySettings): Promise<void> {
    await this.storage.saveSettings(settings);
    this.settings = settings;
    this.schedulers.clear();
  }

  async saveDeckSettings(deckId: string, settings: DeckSettings | undefined): Promise<void> {
    await this.storage.saveDeckSettings(deckId, settings);
    if (settings) this.deckSettings.set(deckId, settings);
    else this.deckSettings.delete(deckId);
    this.schedulers.clear();
  }

  /** Takes back the last action; the step says what it was and which card to show again. */
  async undoLast(): Promise<UndoStep | undefined> {
    // One undo at a time: a double tap, or a key and a tap together, must not take two steps.
    if (this.undoing) return undefined;
    const step = this.undo.pop();
    if (!step) return undefined;
    this.undoing = true;
    try {
      await this.storage.undo(step);
    } catch (error) {
      this.undo.push(step);
      throw error;
    } finally {
      this.undoing = false;
    }
    return step;
  }

  /** Cards buried on an earlier study day come back; called at start and on return to the app. */
  async unburyPastDays(): Promise<void> {
    // Once per study day: the home screen asks on every reload of its list.
    const today = studyDay(new Date(), this.settings.dayStartHour).number;
    if (this.unburiedOn === today) return;
    await this.storage.unburyBefore(today);
    this.unburiedOn = today;
  }
}

export async function startSession(storage = new Storage()): Promise<Session> {
  // The deck contents are only downloaded and parsed when this app version ships decks
  // the database has not seen yet (first start, or an update that changed a deck).
  if ((await storage.builtInVersion()) !== builtInVersion) {
    const { default: decks } = await import('virtual:built-in-decks');
    await storage.syncBuiltInDecks(decks, builtInVersion, new Date());
  }
  const session = new Session(storage, await storage.settings(), await storage.deckSettings());
  await session.unburyPastDays();
  return session;
}
