import { dueInLabel } from '../../domain/intervalLabel.ts';

// Made when first needed: a formatter takes a long moment to make, and at start it would
// hold up the first screen, which mostly has cards due.
let timeFormat: Intl.DateTimeFormat | undefined;
let dateFormat: Intl.DateTimeFormat | undefined;

/** The time of `at`, with its day unless that is today. */
function clockTime(at: Date, sameDay: boolean): string {
  if (sameDay) return (timeFormat ??= new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })).format(at);
  return (dateFormat ??= new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' })).format(at);
}

export function NextDue({ at, now = new Date() }: { at?: Date; now?: Date }) {
  if (!at) return <p class="next-due">No cards are scheduled.</p>;
  const sameDay = at.toDateString() === now.toDateString();
  return (
    <p class="next-due">
      The next card is due {dueInLabel(at, now)} ({clockTime(at, sameDay)}).
    </p>
  );
}
