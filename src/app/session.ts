// What the screens share for the lifetime of the page: storage, settings, undo.
import { builtInDeckIds, loadBuiltInDeck, loadBuiltInDecks } from 'virtual:built-in-decks';
import builtInVersion from 'virtual:built-in-decks-version';
import { effectiveSettings } from '../domain/deckSettings.ts';
import { studyDay } from '../domain/studyDay.ts';
import type { DeckSettings, StudySettings } from '../domain/types.ts';
import { StaleRecordError, Storage, type SettingsChange, type UndoStep } from '../storage/index.ts';
import { databaseMarker } from './databaseMarker.ts';
import { stillUndoable, UndoStack } from './undoStack.ts';

export class Session {
  readonly undo = new UndoStack<UndoStep>();
  private undoing = false;
  private unburiedOn?: number;

  constructor(
    readonly storage: Storage,
    public settings: StudySettings,
    public deckSettings: Map<string, DeckSettings>,
    /** Settles once every built-in deck is stored: on a first visit to a deck's address, after it is shown. */
    readonly builtInDecksStored: Promise<void> = Promise.resolve(),
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


export interface StartOptions {
  /** Accepts the loss of the data this device held and starts with the built-in decks. */
  startAgain?: boolean;
  /** The deck the address opens: on a first visit it is stored first, the others after it. */
  firstDeckId?: string;
}

/**
 * Opens the session, or finds that the data this device held is gone. Chromium may delete a
 * database it finds damaged after writes failed on a full disk; it then starts empty, which
 * must not look like a first start. The database's id is kept outside IndexedDB too:
 * clearing site data wipes both, so a deliberate wipe still starts fresh without a word.
 */
export async function startSession(storage = new Storage(), { startAgain = false, firstDeckId }: StartOptions = {}): Promise<Session | 'data-lost'> {
  // A first visit (no database marked here yet) needs the deck contents: their download starts
  // now, beside the database's opening, instead of after it.
  const firstVisit = !localStorage.getItem(databaseMarker);
  const firstDeck = firstVisit && firstDeckId !== undefined && builtInDeckIds.includes(firstDeckId) ? loadBuiltInDeck(firstDeckId) : undefined;
  // The others once that deck is in, so as not to share the network with it.
  const allDecks = firstVisit ? Promise.allSettled([firstDeck]).then(loadBuiltInDecks) : undefined;
  for (const loading of [firstDeck, allDecks]) loading?.catch(() => {}); // a failure matters only where it is awaited
  const [databaseId, storedVersion] = await Promise.all([storage.databaseId(), storage.builtInVersion()]);
  if (!databaseId && !startAgain && localStorage.getItem(databaseMarker)) return 'data-lost';
  // The deck contents are only downloaded and parsed when this app version ships decks
  // the database has not seen yet (first start, or an update that changed a deck).
  let decksStored = Promise.resolve();
  if (storedVersion !== builtInVersion) {
    const now = new Date();
    const seedAll = async () => storage.syncBuiltInDecks(await (allDecks ?? loadBuiltInDecks()), builtInVersion, now);
    if (firstDeck && storedVersion === undefined) {
      // No built-in deck stored yet: the one to show first, the rest while it is shown.
      await storage.syncBuiltInDecks([await firstDeck], undefined, now);
      decksStored = seedAll();
      decksStored.catch(() => {}); // shown where it is awaited (the home screen)
    } else await seedAll();
  }
  // On a full disk the app still starts with what it has; the id is given at a later start.
  const id = databaseId ?? (await storage.claimDatabaseId(crypto.randomUUID()).catch(() => undefined));
  if (id && localStorage.getItem(databaseMarker) !== id) localStorage.setItem(databaseMarker, id);
  const session = new Session(storage, await storage.settings(), await storage.deckSettings(), decksStored);
  // Not needed to start: on a full disk it fails, and the home screen tries again and says so.
  await session.unburyPastDays().catch(() => {});
  return session;
}
