/// <reference types="vite-plugin-pwa/client" />

declare module 'virtual:built-in-decks' {
  const decks: import('./domain/deckFile.ts').BuiltInDeck[];
  export default decks;
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
