// Labels as on Anki's answer buttons: "1m", "10m", "1.5h", "3d", "1.2mo", "2.1y".

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MONTH = (365 / 12) * DAY;
const YEAR = 365 * DAY;

function oneDecimal(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function intervalLabel(ms: number): string {
  if (ms < MINUTE) return `${Math.max(0, Math.round(ms / 1000))}s`;
  if (ms < HOUR) return `${Math.round(ms / MINUTE)}m`;
  if (ms < DAY) return `${oneDecimal(ms / HOUR)}h`;
  if (ms < 30 * DAY) return `${Math.round(ms / DAY)}d`;
  if (ms < YEAR) return `${oneDecimal(ms / MONTH)}mo`;
  return `${oneDecimal(ms / YEAR)}y`;
}

/** How long until `due`, counted from `from`, as a short phrase ("in 8m", "now"). */
export function dueInLabel(due: Date, from: Date): string {
  const ms = due.getTime() - from.getTime();
  return ms <= 0 ? 'now' : `in ${intervalLabel(ms)}`;
}
