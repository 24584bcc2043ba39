import { describe, expect, it } from 'vitest';
import { expandCloze } from '../../src/domain/cloze.ts';
import { cardFieldLimit } from '../../src/domain/deckFile.ts';
import { parseMarkdown } from '../../src/domain/markdown.ts';
import { markdownElements } from '../../src/ui/common/Markdown.tsx';

const paragraph = (text: string) => parseMarkdown(text)[0];

describe('card Markdown', () => {
  it('reads bold, emphasis, inline code and links', () => {
    expect(paragraph('**Steering** is *not* technical: `kubectl get ns`, see [docs](https://kubernetes.io/docs/)')).toEqual({
      type: 'paragraph',
      children: [
        { type: 'strong', children: [{ type: 'text', text: 'Steering' }] },
        { type: 'text', text: ' is ' },
        { type: 'em', children: [{ type: 'text', text: 'not' }] },
        { type: 'text', text: ' technical: ' },
        { type: 'code', children: [{ type: 'text', text: 'kubectl get ns' }] },
        { type: 'text', text: ', see ' },
        { type: 'link', href: 'https://kubernetes.io/docs/', children: [{ type: 'text', text: 'docs' }] },
      ],
    });
  });

  it('leaves snake_case, lone asterisks and escaped markers as written', () => {
    expect(paragraph('pod_security_admission * 2 \\*not em\\* _x _y')).toEqual({
      type: 'paragraph',
      children: [{ type: 'text', text: 'pod_security_admission * 2 *not em* _x _y' }],
    });
  });

  it('keeps HTML as text, so nothing in a card can run script', () => {
    expect(parseMarkdown('<img src=x onerror="alert(1)"> and <script>alert(2)</script>\n\n<div>\nblock\n</div>')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: '<img src=x onerror="alert(1)"> and <script>alert(2)</script>' }] },
      {
        type: 'paragraph',
        children: [{ type: 'text', text: '<div>' }, { type: 'break' }, { type: 'text', text: 'block' }, { type: 'break' }, { type: 'text', text: '</div>' }],
      },
    ]);
  });

  it('only links to web and mail addresses, and never loads an image', () => {
    expect(paragraph('[click](javascript:alert(1)) [here](page.html) [data](data:text/html,x)')).toEqual({
      type: 'paragraph',
      children: [{ type: 'text', text: '[click](javascript:alert(1)) [here](page.html) [data](data:text/html,x)' }],
    });
    expect(paragraph('[mail](mailto:a@b.c)')).toMatchObject({ children: [{ type: 'link', href: 'mailto:a@b.c' }] });
    expect(paragraph('![a *diagram*](https://example.com/x.png)')).toEqual({
      type: 'paragraph',
      children: [{ type: 'text', text: 'a ' }, { type: 'em', children: [{ type: 'text', text: 'diagram' }] }],
    });
  });

  it('reads fenced code blocks verbatim, with their language', () => {
    expect(parseMarkdown('Apply this:\n\n```yaml\nspec:\n  podSelector: {}\n  # **not bold**\n```\nThen check.')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'Apply this:' }] },
      { type: 'code', language: 'yaml', children: [{ type: 'text', text: 'spec:\n  podSelector: {}\n  # **not bold**' }] },
      { type: 'paragraph', children: [{ type: 'text', text: 'Then check.' }] },
    ]);
  });

  it('reads lists and keeps line breaks inside a paragraph', () => {
    const item = (...children: object[]) => [{ type: 'paragraph', tight: true, children }];
    expect(parseMarkdown('Levels:\n- privileged\n- baseline\n  (the default)\n\n1. first\n2. second')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'Levels:' }] },
      {
        type: 'list',
        ordered: false,
        start: 1,
        items: [item({ type: 'text', text: 'privileged' }), item({ type: 'text', text: 'baseline' }, { type: 'break' }, { type: 'text', text: '(the default)' })],
      },
      { type: 'list', ordered: true, start: 1, items: [item({ type: 'text', text: 'first' }), item({ type: 'text', text: 'second' })] },
    ]);
    expect(parseMarkdown('line one\nline two')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'line one' }, { type: 'break' }, { type: 'text', text: 'line two' }] },
    ]);
  });

  it('shows text longer than a card field as plain text', () => {
    const long = `**a** ${'x'.repeat(cardFieldLimit)}\nnext \uE000[…]\uE001\n\nlast`;
    expect(parseMarkdown(long)).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: `**a** ${'x'.repeat(cardFieldLimit)}` },
          { type: 'break' },
          { type: 'text', text: 'next […]' },
        ],
      },
      { type: 'paragraph', children: [{ type: 'text', text: 'last' }] },
    ]);
  });

  it('parses the same text once while it is recent', () => {
    const text = 'Cached **text**';
    expect(parseMarkdown(text)).toBe(parseMarkdown(text));
  });
});

describe('cloze deletions in Markdown', () => {
  it('mark the deletion in text, in code spans and in code blocks', () => {
    const [card] = expandCloze('Drain with `kubectl {{c1::drain}} node-1`:\n\n```sh\nkubectl {{c1::drain::verb}} node-1\n```');
    const mark = (text: string) => ({ type: 'cloze', children: [{ type: 'text', text }] });
    expect(parseMarkdown(card.front)).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'Drain with ' },
          { type: 'code', children: [{ type: 'text', text: 'kubectl ' }, mark('[…]'), { type: 'text', text: ' node-1' }] },
          { type: 'text', text: ':' },
        ],
      },
      { type: 'code', language: 'sh', children: [{ type: 'text', text: 'kubectl ' }, mark('[verb]'), { type: 'text', text: ' node-1' }] },
    ]);
    expect(JSON.stringify(parseMarkdown(card.back))).not.toContain('**');
    expect(parseMarkdown(card.back)[1]).toMatchObject({ children: [{ text: 'kubectl ' }, mark('drain'), { text: ' node-1' }] });
  });

  it('mark an answer that holds Markdown, and drop a mark cut by other markup', () => {
    const [card] = expandCloze('The {{c1::**kubelet** agent}} runs; **a {{c1::b** c}} d');
    expect(parseMarkdown(card.back)).toEqual([
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'The ' },
          { type: 'cloze', children: [{ type: 'strong', children: [{ type: 'text', text: 'kubelet' }] }, { type: 'text', text: ' agent' }] },
          { type: 'text', text: ' runs; ' },
          { type: 'strong', children: [{ type: 'text', text: 'a ' }, { type: 'cloze', children: [{ type: 'text', text: 'b' }] }] },
          { type: 'text', text: ' c d' },
        ],
      },
    ]);
  });
});

// Card text comes from deck files, the user and, later, imports: no text may freeze the tab.
describe('card Markdown on hostile text', () => {
  const repeat = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const growing = (size: number, line: (depth: number) => string) => {
    let text = '';
    for (let depth = 0; text.length < size; depth++) text += line(depth);
    return text.slice(0, size);
  };
  const patterns: Record<string, (size: number) => string> = {
    'underscore words': (size) => repeat('_x ', size),
    'asterisk words': (size) => repeat('*a ', size),
    'nested quotes': (size) => growing(size, (depth) => `${'>'.repeat(depth)} a\n`),
    'quote markers on one line': (size) => repeat('> ', size),
    'nested lists': (size) => growing(size, (depth) => `${'  '.repeat(depth)}- a\n`),
    'list markers on one line': (size) => repeat('- ', size),
    'cloze deletions, front': (size) => expandCloze(repeat('{{c1::a}} ', size))[0].front,
    'cloze deletions, back': (size) => expandCloze(repeat('{{c1::a}} ', size))[0].back,
    'backtick runs': (size) => growing(size, (depth) => `e${'`'.repeat(depth + 1)}`),
    'one backtick run': (size) => repeat('`', size),
    'nested brackets': (size) => `${'['.repeat(size / 2)}a${']'.repeat(size / 2)}`,
    'link openers and emphasis closers': (size) => repeat('[ a_', size),
    'mismatched emphasis': (size) => repeat('*a_ ', size),
    'nested strong and emphasis': (size) => `${'*a **a '.repeat(size / 16)}b${' a** a*'.repeat(size / 16)}`,
    'underscore run': (size) => repeat('_', size),
  };

  /** Fastest of three runs of parsing and building the elements, in ms; each run a new text. */
  function renderMs(text: string): number {
    let fastest = Infinity;
    for (let run = 0; run < 3; run++) {
      const fresh = `${run}${text.slice(1)}`; // the parse cache must not answer
      const started = performance.now();
      markdownElements(parseMarkdown(fresh));
      fastest = Math.min(fastest, performance.now() - started);
    }
    return fastest;
  }

  it.each(Object.entries(patterns))('%s: 1 MB and a full card field each render within 200 ms', (_, make) => {
    expect(renderMs(make(1_000_000))).toBeLessThan(200);
    expect(renderMs(make(cardFieldLimit))).toBeLessThan(200);
  });

  it('take time in proportion to the length', () => {
    const total = (size: number) => Object.values(patterns).reduce((sum, make) => sum + renderMs(make(size)), 0);
    expect(total(1_000_000) / total(250_000)).toBeLessThan(8);
    expect(total(cardFieldLimit) / total(cardFieldLimit / 4)).toBeLessThan(8);
  });
});
