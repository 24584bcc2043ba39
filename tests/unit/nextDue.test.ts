import type { VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { NextDue } from '../../src/ui/common/NextDue.tsx';

/** The text of an element tree made of strings and elements. */
function textOf(node: unknown): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  return textOf((node as VNode<{ children?: unknown }>).props.children);
}

describe('when the next card is due', () => {
  const now = new Date(2026, 11, 1, 9, 0);

  it('gives the time alone for later today, and the day with it otherwise', () => {
    const later = new Date(2026, 11, 1, 17, 30);
    const tomorrow = new Date(2026, 11, 2, 8, 15);
    expect(textOf(NextDue({ at: later, now }))).toBe(
      `The next card is due in 8.5h (${new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(later)}).`,
    );
    const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(tomorrow);
    expect(textOf(NextDue({ at: tomorrow, now }))).toMatch(new RegExp(`^The next card is due in .+ \\(${day.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\\.$`));
    expect(textOf(NextDue({ now }))).toBe('No cards are scheduled.');
  });
});
