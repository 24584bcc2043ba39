/// <reference types="vite-plugin-pwa/client" />

declare module 'virtual:built-in-decks' {
  /** The built-in decks' ids, in their order. */
  export const builtInDeckIds: string[];
  /** One deck's cards (each deck is a file of its own). */
  export function loadBuiltInDeck(id: string): Promise<import('./domain/deckFile.ts').BuiltInDeck>;
  export function loadBuiltInDecks(): Promise<import('./domain/deckFile.ts').BuiltInDeck[]>;
}
declare module 'virtual:built-in-decks-version' {
  const version: string;
  export default version;
}
/** Build label (package version, or KUBECARDS_BUILD), set in vite.config.ts. */
declare const __APP_BUILD__: string;
declare module 'pouchdb-browser' {
  const PouchDB: new (name: string, options?: import('./worker/replica.ts').ReplicaOptions) => import('./worker/replica.ts').ReplicaDatabase;
  export default PouchDB;
}
