// Tells the app's other tabs and windows what this one changed, after it is committed, so
// that they drop what they hold (a queue read, a card on screen) and show the stored state.

export interface Change {
  cardIds: string[];
  deckIds: string[];
}

export class ChangeChannel {
  private readonly channel?: BroadcastChannel;
  private readonly listeners = new Set<(change: Change) => void>();

  constructor(databaseName: string) {
    if (typeof BroadcastChannel === 'undefined') return;
    this.channel = new BroadcastChannel(`${databaseName}:changes`);
    this.channel.onmessage = (event: MessageEvent<Change>) => {
      for (const listener of this.listeners) listener(event.data);
    };
  }

  /** Sent to the other tabs only: this one already knows. */
  announce(change: Change): void {
    if (change.cardIds.length > 0 || change.deckIds.length > 0) this.channel?.postMessage(change);
  }

  /** Calls `listener` on each change made in another tab; returns the function that stops it. */
  listen(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.channel?.close();
  }
}
