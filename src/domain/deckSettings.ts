// A deck's own settings over the global ones (Anki's deck presets). Kept apart from the
// settings form code, which only the settings screens load.
import { deckSettingKeys, type DeckSettings, type StudySettings } from './types.ts';

/**
 * The settings a deck studies with: the global ones, with the deck's own on top. A deck with
 * its own settings is its own options preset, as in Anki: its FSRS parameters are its own
 * (none: FSRS's defaults), never the global ones, which were fitted to other decks' reviews.
 */
export function effectiveSettings(global: StudySettings, deck: DeckSettings | undefined): StudySettings {
  if (!deck) return global;
  const { fsrsParameters, ...rest } = { ...global, ...deck };
  return deck.fsrsParameters ? { ...rest, fsrsParameters } : rest;
}

/** The deck-level part of a full set of settings. */
export function deckPart(settings: StudySettings): DeckSettings {
  return Object.fromEntries(deckSettingKeys.map((key) => [key, settings[key]])) as DeckSettings;
}

/** What of the settings decides studied cards' due dates: when it changes, rescheduling is offered. */
export function schedulingKey(settings: StudySettings): string {
  return JSON.stringify([settings.desiredRetention, settings.fsrsParameters ?? null]);
}
