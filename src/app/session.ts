// What the screens share for the lifetime of the page: storage, settings, undo.
import builtInVersion from 'virtual:built-in-decks-version';
import { effectiveSettings } from '../domain/deckSettings.ts';
import { studyDay } from '../domain/studyDay.ts';
import type { DeckSettings, StudySettings } from '../domain/types.ts';
import { StaleRecordError, Storage, type SettingsChange, type UndoStep } from '../storage/index.ts';
import { stillUndoable, UndoStack } from './undoStack.ts';

export class Session {
  readonly undo = new UndoStack<UndoStep>();
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

  async saveSettings(settings: StudySettings): Promise<void> {
    await this.storage.saveSettings(settings);
    this.settings = settings;
  }

  async saveDeckSettings(deckId: string, settings: DeckSettings | undefined): Promise<void> {
    await this.storage.saveDeckSettings(deckId, settings);
    if (settings) this.deckSettings.set(deckId, settings);
    else this.deckSettings.delete(deckId);
  }

  /** Changes settings as one step that Undo takes back (new FSRS parameters, an exam plan's limits). */
  async changeSettings(label: string, change: SettingsChange): Promise<void> {
    this.undo.push(await this.storage.changeSettings(label, change));
    await this.reloadSettings();
  }

  private async reloadSettings(): Promise<void> {
    [this.settings, this.deckSettings] = await Promise.all([this.storage.settings(), this.storage.deckSettings()]);
  }

  /** Takes back the last action; the step says what it was and which card to show again. */
  async undoLast(): Promise<UndoStep | undefined> {
    // One undo at a time: a double tap, or a key and a tap together, must not take two steps.
    if (this.undoing) return undefined;
    const step = this.undo.pop();
    if (!step) return undefined;
    this.undoing = true;
    try {
      const undone = await this.storage.undo(step);
      if (step.settings) await this.reloadSettings();
      this.undo.rewrite((earlier) => stillUndoable(earlier, step, undone.revsRestored));
      return undone;
    } catch (error) {
      // A step another tab has overtaken can never apply again; any other failure may pass.
      if (!(error instanceof StaleRecordError)) this.undo.push(step);
      throw error;
    } finally {
      this.undoing = false;
    }
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

/** In localStorage: the id of the database that holds this device's data. */
const databaseMarker = 'kubecards:database-id';

/**
 * Opens the session, or finds that the data this device held is gone. Chromium may delete a
 * database it finds damaged after writes failed on a full disk; it then starts empty, which
 * must not look like a first start. The database's id is kept outside IndexedDB too:
 * clearing site data wipes both, so a deliberate wipe still starts fresh without a word.
 * `startAgain` accepts the loss and starts with the built-in decks.
 */
export async function startSession(storage = new Storage(), startAgain = false): Promise<Session | 'data-lost'> {
  const [databaseId, storedVersion] = await Promise.all([storage.databaseId(), storage.builtInVersion()]);
  if (!databaseId && !startAgain && localStorage.getItem(databaseMarker)) return 'data-lost';
  // The deck contents are only downloaded and parsed when this app version ships decks
  // the database has not seen yet (first start, or an update that changed a deck).
  if (storedVersion !== builtInVersion) {
    const { default: decks } = await import('virtual:built-in-decks');
    await storage.syncBuiltInDecks(decks, builtInVersion, new Date());
  }
  // On a full disk the app still starts with what it has; the id is given at a later start.
  const id = databaseId ?? (await storage.claimDatabaseId(crypto.randomUUID()).catch(() => undefined));
  if (id && localStorage.getItem(databaseMarker) !== id) localStorage.setItem(databaseMarker, id);
  const session = new Session(storage, await storage.settings(), await storage.deckSettings());
  // Not needed to start: on a full disk it fails, and the home screen tries again and says so.
  await session.unburyPastDays().catch(() => {});
  return session;
}
