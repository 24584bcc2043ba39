// Card text with nothing in it that Markdown reads, as the tree markdown.ts gives, without
// markdown-it: most built-in sides are such text, so the first card need not wait for the
// parser's download. A text that might mean anything else goes to markdown-it (a test
// checks that the two agree on every text this module accepts). Cloze marks are read here,
// for both.
import { clozeClose, clozeOpen, withoutClozeMarks } from './cloze.ts';
import { cardFieldLimit } from './deckFile.ts';
import type { Block, Inline } from './markdown.ts';

/** Adds text, joined to the text before it: markdown-it splits text at every marker. */
export function pushText(children: Inline[], text: string) {
  const last = children[children.length - 1];
  if (last?.type === 'text') last.text += text;
  else if (text) children.push({ type: 'text', text });
}

/** Wraps the text between cloze marks in cloze nodes; stray marks are dropped. Linear. */
export function markClozes(nodes: Inline[]): Inline[] {
  if (!nodes.some((node) => node.type === 'text' && /[\uE000\uE001]/.test(node.text))) return nodes;
  const out: Inline[] = [];
  let cloze: Inline[] | undefined;
  for (const node of nodes) {
    if (node.type !== 'text') {
      (cloze ?? out).push(node);
      continue;
    }
    for (const piece of node.text.split(/([\uE000\uE001])/)) {
      if (piece === clozeOpen) cloze ??= [];
      else if (piece === clozeClose) {
        if (cloze) out.push({ type: 'cloze', children: cloze });
        cloze = undefined;
      } else pushText(cloze ?? out, piece);
    }
  }
  // A deletion cut by other markup, as in "**a {{c1::b** c}}", ends with its container.
  if (cloze) out.push({ type: 'cloze', children: cloze });
  return out;
}


/**
 * What the parser's rules (see markdown.ts) could read: escapes, code, emphasis, fences,
 * links and images ("]("), list markers at a line's start, and space at a
 * line's ends (hard breaks; markdown-it and trim() treat some spaces differently).
 */
const markdownSyntax = /[\\`*_~\r\0]|\]\(|^[-+]|^\d+[.)]|^\s|\s$/m;

/** Paragraphs at blank lines, each its lines' text with a break between two. */
function paragraphs(text: string): Inline[][] {
  const found: Inline[][] = [];
  let lines: string[] = [];
  for (const line of [...text.split('\n'), '']) {
    if (line.trim()) {
      lines.push(line.trim());
      continue;
    }
    if (lines.length > 0) found.push(lines.flatMap((line, index): Inline[] => [...(index ? [{ type: 'break' } as const] : []), { type: 'text', text: line }]));
    lines = [];
  }
  return found;
}

/** Text as paragraphs at blank lines, its line breaks kept and cloze marks dropped. */
export function plainText(source: string): Block[] {
  return paragraphs(withoutClozeMarks(source)).map((children) => ({ type: 'paragraph', children }));
}

/** The tree of a text with no Markdown syntax in it (cloze marks read), or undefined when it may have some. */
export function plainTextBlocks(source: string): Block[] | undefined {
  // Past the field limit parseMarkdown shows the text without its cloze marks: left to it.
  if (source.length > cardFieldLimit || markdownSyntax.test(source)) return undefined;
  return paragraphs(source).map((children) => ({ type: 'paragraph', children: markClozes(children) }));
}
