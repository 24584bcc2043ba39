// Study settings as the settings screens edit them: text in, checked values out. A value
// that does not fit is refused with a message and never stored.
import { formatSteps, parseSteps } from './steps.ts';
import type { StudySettings } from './types.ts';

export type SettingsForm = Record<keyof StudySettings, string>;
export type SettingsErrors = Partial<Record<keyof StudySettings, string>>;

export function settingsToForm(settings: StudySettings): SettingsForm {
  return {
    dayStartHour: String(settings.dayStartHour),
    newCardsPerDay: String(settings.newCardsPerDay),
    reviewsPerDay: String(settings.reviewsPerDay),
    desiredRetention: String(settings.desiredRetention),
    maximumIntervalDays: String(settings.maximumIntervalDays),
    learningSteps: formatSteps(settings.learningSteps),
    relearningSteps: formatSteps(settings.relearningSteps),
    fuzz: settings.fuzz ? 'on' : 'off',
    buryNewSiblings: onOff(settings.buryNewSiblings),
    buryReviewSiblings: onOff(settings.buryReviewSiblings),
    buryInterdayLearningSiblings: onOff(settings.buryInterdayLearningSiblings),
    fsrsParameters: settings.fsrsParameters?.join(', ') ?? '',
  };
}

/** The lengths of FSRS-4.5/5 (17, 19) and FSRS-6 (21) parameter lists; ts-fsrs takes each. */
const parameterCounts = [17, 19, 21];

/** FSRS parameters as Anki shows them, comma-separated; empty: FSRS's defaults. */
export function parseParameters(text: string): { parameters?: number[] } | { error: string } {
  if (text.trim() === '') return {};
  const parts = text.split(',').map((part) => part.trim());
  const parameters = parts.map(Number);
  const bad = parts.findIndex((part, index) => part === '' || !Number.isFinite(parameters[index]));
  if (bad >= 0) return { error: `FSRS parameter ${bad + 1} ("${parts[bad]}") is not a number` };
  if (!parameterCounts.includes(parameters.length)) return { error: `FSRS parameters must be 17, 19 or 21 numbers separated by commas, not ${parameters.length}` };
  return { parameters };
}

/** A switch as the form holds it: '' while it is unset (the deck's kind decides). */
const onOff = (value: boolean | undefined) => (value === undefined ? '' : value ? 'on' : 'off');
const fromOnOff = (text: string) => (text === '' ? undefined : text === 'on');

function wholeNumber(text: string, min: number, max: number, what: string): number | string {
  const value = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) return `${what} must be a whole number from ${min} to ${max}`;
  return value;
}

export function formToSettings(form: SettingsForm): { settings: StudySettings } | { errors: SettingsErrors } {
  const errors: SettingsErrors = {};
  const take = <T>(key: keyof StudySettings, value: T | string): T => {
    if (typeof value === 'string' && key !== 'learningSteps' && key !== 'relearningSteps') errors[key] = value;
    return value as T;
  };
  const retentionText = form.desiredRetention.trim();
  const retention = Number(retentionText);
  const steps = (key: 'learningSteps' | 'relearningSteps') => {
    const parsed = parseSteps(form[key]);
    if ('error' in parsed) errors[key] = parsed.error;
    return 'steps' in parsed ? parsed.steps : [];
  };
  const parameters = parseParameters(form.fsrsParameters);
  if ('error' in parameters) errors.fsrsParameters = parameters.error;
  const settings: StudySettings = {
    dayStartHour: take<number>('dayStartHour', wholeNumber(form.dayStartHour, 0, 23, 'The next day starts at an hour that')),
    newCardsPerDay: take<number>('newCardsPerDay', wholeNumber(form.newCardsPerDay, 0, 9999, 'New cards per day')),
    reviewsPerDay: take<number>('reviewsPerDay', wholeNumber(form.reviewsPerDay, 0, 99999, 'Maximum reviews per day')),
    maximumIntervalDays: take<number>('maximumIntervalDays', wholeNumber(form.maximumIntervalDays, 1, 36500, 'Maximum interval (days)')),
    desiredRetention: take<number>(
      'desiredRetention',
      /^0?\.\d+$/.test(retentionText) && retention >= 0.7 && retention <= 0.99 ? retention : 'Desired retention must be a number from 0.70 to 0.99',
    ),
    learningSteps: steps('learningSteps'),
    relearningSteps: steps('relearningSteps'),
    fuzz: form.fuzz === 'on',
    ...('parameters' in parameters && parameters.parameters ? { fsrsParameters: parameters.parameters } : {}),
  };
  for (const key of ['buryNewSiblings', 'buryReviewSiblings', 'buryInterdayLearningSiblings'] as const) {
    const value = fromOnOff(form[key]);
    if (value !== undefined) settings[key] = value;
  }
  return Object.keys(errors).length > 0 ? { errors } : { settings };
}
