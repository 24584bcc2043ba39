import '../common/forms.css';
import { useState } from 'preact/hooks';
import { formToSettings, settingsToForm, type SettingsErrors, type SettingsForm } from '../../domain/settings.ts';
import type { StudySettings } from '../../domain/types.ts';

const fields: { key: keyof StudySettings; label: string; hint?: string; global?: boolean; inputMode?: 'numeric' | 'decimal' }[] = [
  { key: 'newCardsPerDay', label: 'New cards per day', inputMode: 'numeric' },
  { key: 'reviewsPerDay', label: 'Maximum reviews per day', inputMode: 'numeric' },
  {
    key: 'desiredRetention',
    label: 'Desired retention',
    hint: 'The share of due cards you aim to remember (0.70 to 0.99). Higher means fewer forgotten cards but more reviews every day; 0.90 is a good balance.',
    inputMode: 'decimal',
  },
  { key: 'learningSteps', label: 'Learning steps', hint: 'As in Anki: 1m 10m. Keep steps under a day with FSRS.' },
  { key: 'relearningSteps', label: 'Relearning steps', hint: 'As in Anki: 10m.' },
  { key: 'maximumIntervalDays', label: 'Maximum interval (days)', inputMode: 'numeric' },
  {
    key: 'fsrsParameters',
    label: 'FSRS parameters',
    hint: 'The memory model the scheduler uses. Optimize below fits them to your own reviews; empty means FSRS defaults.',
  },
  { key: 'dayStartHour', label: 'Next day starts at (hour, 0-23)', global: true, inputMode: 'numeric' },
];

/** Anki's names for its deck options. */
const buryFields = [
  { key: 'buryNewSiblings', label: 'Bury new siblings' },
  { key: 'buryReviewSiblings', label: 'Bury review siblings' },
  { key: 'buryInterdayLearningSiblings', label: 'Bury interday learning siblings' },
] as const;

/**
 * The study settings as a form. Nothing invalid is saved: each field that does not fit says
 * why. `deckOnly` leaves out the settings that are global.
 */
export function StudySettingsForm({ initial, deckOnly, onSave }: { initial: StudySettings; deckOnly?: boolean; onSave(settings: StudySettings): Promise<void> }) {
  const [form, setForm] = useState<SettingsForm>(settingsToForm(initial));
  const [errors, setErrors] = useState<SettingsErrors>({});
  const [saved, setSaved] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const result = formToSettings(form);
    setSaved(false);
    if ('errors' in result) return setErrors(result.errors);
    setErrors({});
    await onSave(result.settings);
    setSaved(true);
  };

  return (
    <form class="settings-form" onSubmit={submit} noValidate>
      {fields
        .filter((field) => !(deckOnly && field.global))
        .map(({ key, label, hint, inputMode }) => (
          <label key={key}>
            {label}
            <input
              name={key}
              type="text"
              inputMode={inputMode}
              value={form[key]}
              aria-invalid={errors[key] ? true : undefined}
              aria-describedby={errors[key] ? `${key}-error` : hint ? `${key}-hint` : undefined}
              onInput={(event) => setForm({ ...form, [key]: (event.target as HTMLInputElement).value })}
            />
            {hint && !errors[key] && (
              <span class="hint" id={`${key}-hint`}>
                {hint}
              </span>
            )}
            {errors[key] && (
              <span class="field-error" id={`${key}-error`}>
                {errors[key]}
              </span>
            )}
          </label>
        ))}
      {!deckOnly && (
        <label class="checkbox">
          <input type="checkbox" checked={form.fuzz === 'on'} onChange={(event) => setForm({ ...form, fuzz: (event.target as HTMLInputElement).checked ? 'on' : 'off' })} />
          Fuzz: spread intervals a little so cards learned together do not stay together
        </label>
      )}
      {deckOnly && (
        <fieldset class="choices">
          <legend>Burying</legend>
          <p class="hint">Siblings are the other cards of the same note (the other deletions of a cloze). Answering a card hides those of the kinds ticked until the next day.</p>
          {buryFields.map(({ key, label }) => (
            <label key={key} class="checkbox">
              <input type="checkbox" name={key} checked={form[key] === 'on'} onChange={(event) => setForm({ ...form, [key]: (event.target as HTMLInputElement).checked ? 'on' : 'off' })} />
              {label}
            </label>
          ))}
        </fieldset>
      )}
      <button type="submit" class="primary">
        Save
      </button>
      {saved && (
        <p class="notice" role="status">
          Saved.
        </p>
      )}
    </form>
  );
}
