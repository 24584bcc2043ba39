import type { UndoStep } from '../storage/index.ts';

/** Last-in first-out history of undoable steps, bounded like Anki's (30 steps). */
export class UndoStack<T> {
  private readonly steps: T[] = [];

  constructor(private readonly limit = 30) {}

  push(step: T): void {
    this.steps.push(step);
    if (this.steps.length > this.limit) this.steps.shift();
  }

  pop(): T | undefined {
    return this.steps.pop();
  }

  /** Replaces every step by what `change` makes of it (oldest first). */
  rewrite(change: (step: T) => T): void {
    this.steps.forEach((step, index) => (this.steps[index] = change(step)));
  }

  /** The step `pop` would give, left in place. */
  peek(): T | undefined {
    return this.steps[this.steps.length - 1];
  }

  get size(): number {
    return this.steps.length;
  }
}

/**
 * An earlier step once `undone` was taken back. Undo gives each card it restores a new
 * revision (never one that a stale copy could have), and the card is again as the earlier
 * steps left it: they must still apply to it, so they expect the new revision.
 */
export function stillUndoable(earlier: UndoStep, undone: UndoStep, revsRestored: Record<string, number>): UndoStep {
  const before = new Map(undone.cards.map((card) => [card.id, card.rev]));
  const revBefore = (id: string) => before.get(id) ?? undone.rescheduled?.revsBefore.get(id);
  const revsAfter = Object.fromEntries(
    Object.entries(earlier.revsAfter).map(([id, rev]) => [id, revBefore(id) === rev && id in revsRestored ? revsRestored[id] : rev]),
  );
  return { ...earlier, revsAfter };
}
