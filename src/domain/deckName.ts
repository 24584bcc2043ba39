// The rule for deck names the user types: long enough for any real title, short enough that
// every screen can show it.

export const maxDeckNameLength = 200;

/**
 * Why a typed deck name (already trimmed) cannot be used, or undefined when it can. Counted
 * in Unicode characters, so an emoji or an accented letter counts once.
 */
export function deckNameProblem(name: string): string | undefined {
  const length = [...name].length;
  if (length <= maxDeckNameLength) return undefined;
  return `a deck name can have at most ${maxDeckNameLength} characters, and this one has ${length}`;
}
