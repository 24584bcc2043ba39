// How the statistics screen writes shares and days.
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

export const percent = (value: number | undefined): string => (value === undefined ? '–' : `${(value * 100).toFixed(1)} %`);

/** A study day number (days since 1970-01-01) as a date. */
export const formatDay = (day: number): string => dayFormat.format(new Date(day * 86_400_000));
