// A small Markdown subset for card text, parsed to a tree that the UI renders as elements
// and text nodes. There is no HTML pass-through at all: "<script>" in a card is shown as
// text, so neither a deck file nor an imported card can run script.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'break' };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'code'; language: string; text: string }
  | { type: 'list'; ordered: boolean; items: Inline[][] };

const fence = /^\s*(```|~~~)\s*([\w+-]*)\s*$/;
const listItem = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/;
const safeLink = /^(https?:\/\/|mailto:)/i;

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  const flushParagraph = () => {
    if (paragraph.length > 0) blocks.push({ type: 'paragraph', children: parseLines(paragraph) });
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const opening = fence.exec(line);
    if (opening) {
      flushParagraph();
      const code: string[] = [];
      while (++i < lines.length && !new RegExp(`^\\s*${opening[1]}\\s*$`).test(lines[i])) code.push(lines[i]);
      blocks.push({ type: 'code', language: opening[2], text: code.join('\n') });
      continue;
    }
    const item = listItem.exec(line);
    if (item) {
      flushParagraph();
      const ordered = item[2] !== undefined;
      const items: string[][] = [[item[3]]];
      // Following items of the same kind, and indented continuation lines, join the list.
      while (i + 1 < lines.length) {
        const next = listItem.exec(lines[i + 1]);
        if (next && (next[2] !== undefined) === ordered) items.push([next[3]]);
        else if (!next && /^\s{2,}\S/.test(lines[i + 1])) items[items.length - 1].push(lines[i + 1].trim());
        else break;
        i++;
      }
      blocks.push({ type: 'list', ordered, items: items.map(parseLines) });
      continue;
    }
    if (line.trim() === '') flushParagraph();
    else paragraph.push(line.trim());
  }
  flushParagraph();
  return blocks;
}

/** Lines of one paragraph or list item; line breaks written in a card are kept. */
function parseLines(lines: string[]): Inline[] {
  return lines.flatMap((line, index) => (index === 0 ? parseInline(line) : [{ type: 'break' } as const, ...parseInline(line)]));
}

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const pushText = () => {
    if (plain) out.push({ type: 'text', text: plain });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const char = text[i];
    if (char === '\\' && i + 1 < text.length && /[\\`*_[\]()#+\-.!{}<>~]/.test(text[i + 1])) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (char === '`') {
      const ticks = /^`+/.exec(rest)![0];
      const end = text.indexOf(ticks, i + ticks.length);
      if (end > 0) {
        pushText();
        out.push({ type: 'code', text: text.slice(i + ticks.length, end).replace(/^ (.*) $/, '$1') });
        i = end + ticks.length;
        continue;
      }
    }
    if (rest.startsWith('**') || rest.startsWith('__')) {
      const marker = rest.slice(0, 2);
      const end = text.indexOf(marker, i + 2);
      if (end > i + 2) {
        pushText();
        out.push({ type: 'strong', children: parseInline(text.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    // "_" only emphasises at word edges, so snake_case names stay as written.
    if ((char === '*' || (char === '_' && !/\w/.test(text[i - 1] ?? ''))) && text[i + 1] !== ' ') {
      let end = text.indexOf(char, i + 1);
      while (end > 0 && char === '_' && /\w/.test(text[end + 1] ?? '')) end = text.indexOf(char, end + 1);
      if (end > i + 1) {
        pushText();
        out.push({ type: 'em', children: parseInline(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (char === '[') {
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(rest);
      if (link && safeLink.test(link[2])) {
        pushText();
        out.push({ type: 'link', href: link[2], children: parseInline(link[1]) });
        i += link[0].length;
        continue;
      }
    }
    plain += char;
    i++;
  }
  pushText();
  return out;
}
