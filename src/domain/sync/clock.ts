// A hybrid logical clock: wall-clock milliseconds that never go back on one device and move
// past every clock seen from other devices, so that a change made after seeing another one
// is always the later of the two, whatever the devices' clocks say. Ties between devices are
// broken by device id. A clock is a string that sorts in clock order.

const timeDigits = 9; // base 36: enough for the year 5000

export function formatClock(ms: number, deviceId: string): string {
  return `${Math.max(0, Math.floor(ms)).toString(36).padStart(timeDigits, '0')}-${deviceId}`;
}

const clockPattern = /^[0-9a-z]{9}-[0-9a-z]+$/;

export function isClock(value: unknown): value is string {
  return typeof value === 'string' && clockPattern.test(value);
}

/** The milliseconds of a clock (0 for one that is not a clock). */
export function clockTime(clock: string): number {
  return isClock(clock) ? parseInt(clock.slice(0, timeDigits), 36) : 0;
}

/**
 * How far ahead of this device's wall clock a clock it sees may be and still move it: a
 * device whose clock runs a day fast, or a damaged document, must not drag every later
 * change on this device into the future.
 */
const maxDriftMs = 86_400_000;

export function laterClock(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a >= b ? a : b;
}

export class HybridClock {
  private last = 0;

  constructor(
    readonly deviceId: string,
    seen?: string,
  ) {
    if (seen) this.last = clockTime(seen);
  }

  /** A clock later than every one this device issued or saw. */
  next(wallMs: number): string {
    this.last = Math.max(Math.floor(wallMs), this.last + 1);
    return formatClock(this.last, this.deviceId);
  }

  /** Moves past a clock another device issued (unless it is more than maxDriftMs ahead of `wallMs`). */
  observe(clock: string, wallMs: number): void {
    const time = clockTime(clock);
    if (time <= wallMs + maxDriftMs) this.last = Math.max(this.last, time);
  }

  /** The latest time issued or seen, as a clock, to keep across restarts. */
  get latest(): string {
    return formatClock(this.last, this.deviceId);
  }
}
