// A study day runs from the configured local hour (Anki's "next day starts at", 4 AM by
// default) to the same hour the next calendar day. ts-fsrs counts UTC days, so limits and
// "due today" use these functions instead. Dates are built from local calendar fields, never
// by adding 24 h, so days that are 23 or 25 hours long (DST changes) come out right.

export interface StudyDayBounds {
  /** Days since 1970-01-01 of the calendar date this study day began on. */
  number: number;
  start: Date;
  end: Date;
}

export function studyDay(at: Date, dayStartHour: number): StudyDayBounds {
  const beforeRollover = at.getHours() < dayStartHour;
  const year = at.getFullYear();
  const month = at.getMonth();
  const date = at.getDate() - (beforeRollover ? 1 : 0);
  return {
    number: Math.round(Date.UTC(year, month, date) / 86_400_000),
    start: new Date(year, month, date, dayStartHour),
    end: new Date(year, month, date + 1, dayStartHour),
  };
}
