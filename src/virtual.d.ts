declare module 'virtual:built-in-decks' {
  const decks: import('./domain/deckFile.ts').BuiltInDeck[];
  export default decks;
}
declare module 'virtual:built-in-decks-version' {
  const version: string;
  export default version;
}
