// The page's side of Browse's search worker (src/worker/browseSearch.ts). One worker for the
// page's life, started when Browse is first shown: coming back to Browse (from a card, say)
// finds the cards read and kept up to date, instead of reading them all again.
import type { SelectionFacts } from '../domain/browse.ts';
import type { CardRevision } from '../storage/index.ts';
import type { BrowseCommand, BrowseMessage, BrowseRequest } from '../worker/browseSearchProtocol.ts';

/** What reaches the screen: views, progress, the decks and failures that answer no question. */
export type BrowseNews = Exclude<BrowseMessage, { type: 'selectionFacts' | 'targets' }>;

type Question = { type: 'selectionFacts' } | { type: 'targets'; wholeNotes: boolean };

export class BrowseSearch {
  private readonly worker = new Worker(new URL('../worker/browseSearch.ts', import.meta.url), { type: 'module', name: 'browse-search' });
  private seq = 0;
  private questions = 0;
  private readonly answers = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private screen?: (news: BrowseNews) => void;
  /** The decks as last heard, for a screen shown again. */
  decks: { id: string; title: string }[] = [];

  constructor() {
    this.worker.addEventListener('message', (event: MessageEvent<BrowseMessage>) => {
      const message = event.data;
      if (message.type === 'decks') this.decks = message.decks;
      if (message.type !== 'selectionFacts' && message.type !== 'targets' && !(message.type === 'failed' && message.id !== undefined)) return this.screen?.(message);
      const waiting = this.answers.get(message.id!);
      this.answers.delete(message.id!);
      if (message.type === 'failed') waiting?.reject(new Error(message.message));
      else waiting?.resolve(message.type === 'targets' ? message.targets : message.facts);
    });
    this.worker.addEventListener('error', (event) => {
      const message = event.message || 'the search could not start';
      for (const waiting of this.answers.values()) waiting.reject(new Error(message));
      this.answers.clear();
      this.screen?.({ type: 'failed', message });
    });
  }

  /** The screen showing Browse hears the news until the function returned is called. */
  listen(screen: (news: BrowseNews) => void): () => void {
    this.screen = screen;
    return () => {
      if (this.screen === screen) this.screen = undefined;
      this.post({ type: 'hide' });
    };
  }

  private post(command: BrowseCommand): void {
    this.worker.postMessage(command);
  }

  /** Asks for the view of `request`; returns the command's number, which the view will name. */
  show(request: BrowseRequest, newSelection: boolean): number {
    this.post({ type: 'show', seq: ++this.seq, request, newSelection });
    return this.seq;
  }

  select(ids: string[], selected: boolean): number {
    this.post({ type: 'select', seq: ++this.seq, ids, selected });
    return this.seq;
  }

  selectAll(): number {
    this.post({ type: 'selectAll', seq: ++this.seq });
    return this.seq;
  }

  selectNone(): number {
    this.post({ type: 'selectNone', seq: ++this.seq });
    return this.seq;
  }

  private ask<T>(question: Question): Promise<T> {
    const id = ++this.questions;
    return new Promise<T>((resolve, reject) => {
      this.answers.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.post({ ...question, id });
    });
  }

  selectionFacts(): Promise<SelectionFacts> {
    return this.ask({ type: 'selectionFacts' });
  }

  /** The selected cards (`wholeNotes`: with the other cards of their notes) at the revisions the worker holds. */
  targets(wholeNotes: boolean): Promise<CardRevision[]> {
    return this.ask({ type: 'targets', wholeNotes });
  }
}

let shared: BrowseSearch | undefined;

export function browseSearch(): BrowseSearch {
  return (shared ??= new BrowseSearch());
}
