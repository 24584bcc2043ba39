import { describe, expect, it } from 'vitest';
import { UndoStack } from '../../src/app/undoStack.ts';

describe('UndoStack', () => {
  it('gives steps back last first', () => {
    const stack = new UndoStack<number>();
    [1, 2, 3].forEach((step) => stack.push(step));
    expect([stack.pop(), stack.pop(), stack.pop(), stack.pop()]).toEqual([3, 2, 1, undefined]);
  });

  it('keeps only the most recent steps, 30 by default as in Anki', () => {
    const stack = new UndoStack<number>();
    for (let step = 1; step <= 35; step++) stack.push(step);
    expect(stack.size).toBe(30);
    const popped = Array.from({ length: 30 }, () => stack.pop());
    expect(popped[0]).toBe(35);
    expect(popped[29]).toBe(6);
    expect(stack.pop()).toBeUndefined();
  });
});
