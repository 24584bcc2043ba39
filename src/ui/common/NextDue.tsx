import { dueInLabel } from '../../domain/intervalLabel.ts';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });

export function NextDue({ at, now = new Date() }: { at?: Date; now?: Date }) {
  if (!at) return <p class="next-due">No cards are scheduled.</p>;
  const sameDay = at.toDateString() === now.toDateString();
  return (
    <p class="next-due">
      The next card is due {dueInLabel(at, now)} ({sameDay ? timeFormat.format(at) : dateFormat.format(at)}).
    </p>
  );
}
