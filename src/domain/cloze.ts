// Anki cloze markup: {{c1::answer}} or {{c1::answer::hint}}; one card per cloze number.

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
  return undefined;
}

export function clozeNumbers(text: string): number[] {
  const numbers = new Set<number>();
  for (const match of text.matchAll(clozePattern)) numbers.add(Number(match[1]));
  return [...numbers].sort((a, b) => a - b);
}

export function expandCloze(text: string): ClozeCard[] {
  return clozeNumbers(text).map((number) => ({
    number,
    front: text.replace(clozePattern, (_, n: string, answer: string, hint?: string) =>
      Number(n) === number ? `**[${hint ?? '…'}]**` : answer,
    ),
    back: text.replace(clozePattern, (_, n: string, answer: string) => (Number(n) === number ? `**${answer}**` : answer)),
  }));
}
