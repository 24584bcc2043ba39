// Card text Markdown, read by markdown-it (CommonMark, made for untrusted input, with its
// HTML rules off) into a small tree that the UI renders as elements and text nodes. There is
// no HTML pass-through at all: "<script>" in a card is shown as text.
// This module is loaded lazily: markdown-it does not fit in the first screen's budget. Its
// self-contained "browser" build, because with the modular one the bundler moves its module
// helpers, shared with the first screen's code, into one more file of the first screen.
import MarkdownIt, { type Token } from 'markdown-it/browser';
import { cardFieldLimit } from './deckFile.ts';
import { markClozes, plainText, pushText } from './plainText.ts';

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; children: Inline[] }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  /** A cloze deletion: the "[…]" on a front, the answer on a back. */
  | { type: 'cloze'; children: Inline[] }
  | { type: 'break' };

export type Block =
  /** `tight`: a paragraph of a tight list item, shown without its own paragraph box. */
  | { type: 'paragraph'; children: Inline[]; tight?: boolean }
  | { type: 'code'; language: string; children: Inline[] }
  | { type: 'list'; ordered: boolean; start: number; items: Block[][] };

const safeLink = /^(https?:\/\/|mailto:)/i;

// Only what cards use: paragraphs, fenced code, lists, code spans, emphasis, links (images
// show their alt text). No HTML, headings, quotes, tables, references or entities.
const markdown = new MarkdownIt('zero').enable([
  'fence',
  'list',
  'newline',
  'escape',
  'backticks',
  'emphasis',
  'link',
  'image',
]);
// A link to anything else stays text: no javascript:, data: or relative addresses.
markdown.validateLink = (url) => safeLink.test(url);

/** Code text, in which a cloze deletion shows too. */
function textOf(text: string): Inline[] {
  return markClozes([{ type: 'text', text }]);
}

/**
 * How deep emphasis and links may nest; deeper ones add their words only. markdown-it does
 * not bound emphasis, and thousands of levels would overflow the stack when rendered.
 */
const nestingLimit = 20;

/** markdown-it's flat inline tokens (`*_open` … `*_close`) as a tree. */
function inlineTree(tokens: Token[]): Inline[] {
  // `node` is undefined for an element too deep to keep.
  const stack: { node?: Extract<Inline, { children: Inline[] }>; children: Inline[] }[] = [];
  const open = (node: Extract<Inline, { children: Inline[] }>) => stack.push({ node: stack.length < nestingLimit ? node : undefined, children: [] });
  const root: Inline[] = [];
  for (const token of tokens) {
    const children = stack.length > 0 ? stack[stack.length - 1].children : root;
    switch (token.type) {
      case 'text':
        pushText(children, token.content);
        break;
      case 'code_inline':
        children.push({ type: 'code', children: textOf(token.content) });
        break;
      case 'softbreak':
      case 'hardbreak':
        children.push({ type: 'break' });
        break;
      case 'image':
        // Never fetched: the alt text stands in for the image.
        for (const node of inlineTree(token.children ?? [])) {
          if (node.type === 'text') pushText(children, node.text);
          else children.push(node);
        }
        break;
      case 'strong_open':
        open({ type: 'strong', children: [] });
        break;
      case 'em_open':
        open({ type: 'em', children: [] });
        break;
      case 'link_open':
        // validateLink let only web and mail addresses through.
        open({ type: 'link', href: String(token.attrGet('href')), children: [] });
        break;
      case 'strong_close':
      case 'em_close':
      case 'link_close': {
        const { node, children: inside } = stack.pop()!;
        const parent = stack.length > 0 ? stack[stack.length - 1].children : root;
        if (node) parent.push({ ...node, children: markClozes(inside) });
        else for (const child of inside) if (child.type === 'text') pushText(parent, child.text); else parent.push(child);
        break;
      }
    }
  }
  return markClozes(root);
}

/** markdown-it's flat block tokens as a tree of paragraphs, code blocks and lists. */
function blockTree(tokens: Token[]): Block[] {
  const root: Block[] = [];
  const stack: Block[][] = [root];
  const lists: Extract<Block, { type: 'list' }>[] = [];
  for (const token of tokens) {
    const blocks = stack[stack.length - 1];
    switch (token.type) {
      case 'inline':
        blocks.push({ type: 'paragraph', children: inlineTree(token.children ?? []) });
        break;
      case 'paragraph_open':
        break;
      case 'paragraph_close':
        if (token.hidden) (blocks[blocks.length - 1] as Extract<Block, { type: 'paragraph' }>).tight = true;
        break;
      case 'fence':
        blocks.push({ type: 'code', language: token.info.trim().split(/\s/)[0], children: textOf(token.content.replace(/\n$/, '')) });
        break;
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const list: Extract<Block, { type: 'list' }> = {
          type: 'list',
          ordered: token.type === 'ordered_list_open',
          start: Number(token.attrGet('start') ?? 1),
          items: [],
        };
        blocks.push(list);
        lists.push(list);
        break;
      }
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open': {
        const item: Block[] = [];
        lists[lists.length - 1].items.push(item);
        stack.push(item);
        break;
      }
      case 'list_item_close':
        stack.pop();
        break;
    }
  }
  return root;
}

const parsed = new Map<string, Block[]>();
/** Enough for a review session's recent cards and the editor's previews. */
const parsedLimit = 64;

/** Card text as a tree; the same text is parsed once while it is among the recent ones. */
export function parseMarkdown(source: string): Block[] {
  const known = parsed.get(source);
  if (known) {
    // A Map keeps insertion order: moved to the end, the entry is the last to go.
    parsed.delete(source);
    parsed.set(source, known);
    return known;
  }
  const text = source.replace(/\r\n?/g, '\n');
  // Text longer than a card field may be (older data) is shown as plain text: markdown-it
  // too takes seconds on a megabyte of hostile emphasis, and no card needs that much.
  if (text.length > cardFieldLimit) return plainText(text);
  const blocks = blockTree(markdown.parse(text, {}));
  parsed.set(source, blocks);
  if (parsed.size > parsedLimit) parsed.delete(parsed.keys().next().value!);
  return blocks;
}
