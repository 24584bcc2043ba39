import { describe, expect, it } from 'vitest';
import { dueInLabel, intervalLabel } from '../../src/domain/intervalLabel.ts';

const minute = 60_000;
const day = 1440 * minute;

describe('intervalLabel', () => {
  it.each([
    [30_000, '30s'],
    [minute, '1m'],
    [10 * minute, '10m'],
    [90 * minute, '1.5h'],
    [3 * day, '3d'],
    [29 * day, '29d'],
    [36 * day, '1.2mo'],
    [400 * day, '1.1y'],
  ])('%i ms reads %s', (ms, label) => {
    expect(intervalLabel(ms)).toBe(label);
  });

  it('says "now" for a due time already passed', () => {
    const now = new Date('2026-01-01T10:00:00Z');
    expect(dueInLabel(new Date('2026-01-01T09:00:00Z'), now)).toBe('now');
    expect(dueInLabel(new Date('2026-01-01T10:08:00Z'), now)).toBe('in 8m');
  });
});
