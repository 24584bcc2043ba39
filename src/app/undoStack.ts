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

  get size(): number {
    return this.steps.length;
  }
}
