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

  /** The step `pop` would give, left in place. */
  peek(): T | undefined {
    return this.steps[this.steps.length - 1];
  }

  get size(): number {
    return this.steps.length;
  }
}
