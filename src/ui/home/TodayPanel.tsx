import type { Session } from '../../app/session.ts';
import { streak, todaySummary, type TodaySummary } from '../../domain/today.ts';
import { studyDay } from '../../domain/studyDay.ts';

export type Today = TodaySummary & { streak: number };

/**
 * Today's answers and the study streak, read with the deck list so that both show in one
 * frame (the panel appearing later would push the list down); undefined if they cannot be
 * read: the panel is left out, and the deck list says what went wrong.
 */
export async function readToday(session: Session, now: Date): Promise<Today | undefined> {
  const hour = session.settings.dayStartHour;
  const { start, end } = studyDay(now, hour);
  const dayAt = (offset: number) => new Date(start.getFullYear(), start.getMonth(), start.getDate() + offset, hour);
  try {
    const summary = todaySummary(await session.storage.answersBetween(start, end));
    // Study days in a row: checked backwards, one small query per day of the streak.
    const answered = new Map<number, boolean>();
    for (let offset = 0; offset >= -3650; offset--) {
      answered.set(offset, await session.storage.answeredBetween(dayAt(offset), dayAt(offset + 1)));
      if (!answered.get(offset) && offset < 0) break;
    }
    return { ...summary, streak: streak((offset) => answered.get(offset) ?? false) };
  } catch {
    return undefined;
  }
}

/** Today at a glance: answers given and left, time spent, and the study streak. */
export function TodayPanel({ today, remaining }: { today: Today; remaining: number }) {
  const minutes = Math.round(today.timeMs / 60_000);
  return (
    <section class="today" aria-label="Today">
      <p>
        <strong data-testid="today-reviews">{today.reviews}</strong> answered today · <strong>{remaining}</strong> to go ·{' '}
        <strong>{minutes}</strong> min · streak <strong data-testid="streak">{today.streak}</strong> {today.streak === 1 ? 'day' : 'days'}
      </p>
      <a href="#/stats">Statistics and exam readiness</a>
    </section>
  );
}
