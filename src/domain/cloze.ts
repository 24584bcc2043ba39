// Anki cloze markup: {{c1::answer}} or {{c1::answer::hint}}; one card per cloze number.
import type { CardRecord } from './types.ts';

/**
 * Private-use characters around a deletion in a card's expanded text. The renderer shows
 * what is between them as a cloze mark wherever it is, in text or in code, which Markdown
 * markup such as "**" could not do inside a code span.
 */
export const clozeOpen = '\uE000';
export const clozeClose = '\uE001';
const clozeMarks = /[\uE000\uE001]/g;

/** Text as typed or shipped, without characters that would pose as cloze marks. */
export function withoutClozeMarks(text: string): string {
  return text.replace(clozeMarks, '');
}

/** A built-in cloze card's side as the editor shows it: the deletion in bold Markdown. */
export function clozeMarksAsBold(text: string): string {
  return text.replace(clozeMarks, '**');
}

/** A note makes one card per number, each holding the whole text: keep that bounded. */
const clozeNumberLimit = 100;

const clozePattern = /\{\{c(\d+)::([\s\S]*?)(?:::([\s\S]*?))?\}\}/g;

export interface ClozeCard {
  number: number;
  front: string;
  back: string;
}

/** Why the markup is malformed, and at which character, or undefined when it is fine. */
export function clozeProblem(text: string): { message: string; index: number } | undefined {
  let depth = 0;
  let openedAt = -1;
  for (let i = 0; i < text.length - 1; i++) {
    const pair = text.slice(i, i + 2);
    if (pair === '{{') {
      if (depth > 0) return { message: 'a cloze opens inside another cloze', index: i };
      depth = 1;
      openedAt = i;
      i++;
    } else if (pair === '}}') {
      if (depth === 0) return { message: 'unbalanced cloze: "}}" without "{{"', index: i };
      const inner = text.slice(openedAt, i + 2);
      if (!/^\{\{c[1-9]\d*::[\s\S]+\}\}$/.test(inner)) {
        return { message: `malformed cloze ${inner.slice(0, 40)}: expected {{c1::answer}}`, index: openedAt };
      }
      depth = 0;
      i++;
    }
  }
  if (depth > 0) return { message: 'unbalanced cloze: "{{" is never closed with "}}"', index: openedAt };
  if (!new RegExp(clozePattern.source).test(text)) return { message: 'no cloze deletion such as {{c1::answer}}', index: 0 };
  if (clozeNumbers(text).length > clozeNumberLimit) {
    return { message: `more than ${clozeNumberLimit} cloze numbers: each number makes a card of the whole text`, index: 0 };
  }
  return undefined;
}

export function clozeNumbers(text: string): number[] {
  const numbers = new Set<number>();
  for (const match of text.matchAll(clozePattern)) numbers.add(Number(match[1]));
  return [...numbers].sort((a, b) => a - b);
}

export function expandCloze(markup: string): ClozeCard[] {
  const text = withoutClozeMarks(markup);
  return clozeNumbers(text).map((number) => ({
    number,
    front: text.replace(clozePattern, (_, n: string, answer: string, hint?: string) =>
      Number(n) === number ? `${clozeOpen}[${hint ?? '…'}]${clozeClose}` : answer,
    ),
    back: text.replace(clozePattern, (_, n: string, answer: string) => (Number(n) === number ? `${clozeOpen}${answer}${clozeClose}` : answer)),
  }));
}

/**
 * A user's cloze card with its sides expanded again from its note's text, for cards stored
 * before deletions were marked with clozeOpen/clozeClose (they held "**[…]**"). Other cards,
 * and a card whose number is no longer in the text, come back unchanged.
 */
export function withClozeSidesExpanded(card: CardRecord): CardRecord {
  if (!card.cloze) return card;
  const sides = expandCloze(card.cloze.text).find(({ number }) => number === card.cloze!.number);
  return sides && (sides.front !== card.front || sides.back !== card.back) ? { ...card, front: sides.front, back: sides.back } : card;
}
