import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studyDay } from '../../src/domain/studyDay.ts';

const originalZone = process.env.TZ;

// Node re-reads TZ when it is assigned, so one run covers several zones. The dates are built
// with local fields inside each zone, as a user's clock would show them.
describe.each(['Asia/Tokyo', 'America/Los_Angeles', 'Europe/Berlin'])('study day in %s', (zone) => {
  beforeAll(() => {
    process.env.TZ = zone;
  });
  afterAll(() => {
    process.env.TZ = originalZone;
  });

  it('puts 03:59 in the previous study day and 04:01 in the new one', () => {
    const before = studyDay(new Date(2026, 5, 10, 3, 59), 4);
    const after = studyDay(new Date(2026, 5, 10, 4, 1), 4);
    expect(after.number - before.number).toBe(1);
    expect(before.start).toEqual(new Date(2026, 5, 9, 4, 0));
    expect(before.end).toEqual(new Date(2026, 5, 10, 4, 0));
    expect(after.start).toEqual(new Date(2026, 5, 10, 4, 0));
    expect(after.end).toEqual(new Date(2026, 5, 11, 4, 0));
  });

  it('is not the UTC calendar day', () => {
    // 23:30 local is the same study day as 05:00 local that morning, whatever UTC says.
    expect(studyDay(new Date(2026, 5, 10, 23, 30), 4).number).toBe(studyDay(new Date(2026, 5, 10, 5, 0), 4).number);
  });

  it('follows the configured hour', () => {
    expect(studyDay(new Date(2026, 5, 10, 1, 0), 0).start).toEqual(new Date(2026, 5, 10, 0, 0));
    expect(studyDay(new Date(2026, 5, 10, 5, 59), 6).start).toEqual(new Date(2026, 5, 9, 6, 0));
  });
});

describe('study day across a daylight-saving change', () => {
  afterAll(() => {
    process.env.TZ = originalZone;
  });

  it('is 23 hours long on the spring-forward day in Los Angeles', () => {
    process.env.TZ = 'America/Los_Angeles';
    // Clocks went forward at 02:00 on 8 March 2026, inside the study day that began on the 7th.
    const day = studyDay(new Date(2026, 2, 7, 12, 0), 4);
    expect(day.end.getTime() - day.start.getTime()).toBe(23 * 3_600_000);
    expect(studyDay(new Date(2026, 2, 8, 3, 59), 4).number).toBe(day.number);
    expect(studyDay(new Date(2026, 2, 8, 4, 1), 4).number).toBe(day.number + 1);
  });

  it('is 25 hours long on the fall-back day in Berlin', () => {
    process.env.TZ = 'Europe/Berlin';
    // Clocks went back at 03:00 on 25 October 2026, inside the study day that began on the 24th.
    const day = studyDay(new Date(2026, 9, 24, 12, 0), 4);
    expect(day.end.getTime() - day.start.getTime()).toBe(25 * 3_600_000);
  });
});
