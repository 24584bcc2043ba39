import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from '../../src/domain/markdown.ts';

describe('card Markdown', () => {
  it('reads bold, emphasis, inline code and links', () => {
    expect(parseInline('**Steering** is *not* technical: `kubectl get ns`, see [docs](https://kubernetes.io/docs/)')).toEqual([
      { type: 'strong', children: [{ type: 'text', text: 'Steering' }] },
      { type: 'text', text: ' is ' },
      { type: 'em', children: [{ type: 'text', text: 'not' }] },
      { type: 'text', text: ' technical: ' },
      { type: 'code', text: 'kubectl get ns' },
      { type: 'text', text: ', see ' },
      { type: 'link', href: 'https://kubernetes.io/docs/', children: [{ type: 'text', text: 'docs' }] },
    ]);
  });

  it('leaves snake_case, lone asterisks and escaped markers as written', () => {
    expect(parseInline('pod_security_admission * 2 \\*not em\\*')).toEqual([{ type: 'text', text: 'pod_security_admission * 2 *not em*' }]);
  });

  it('keeps HTML as text, so nothing in a card can run script', () => {
    const blocks = parseMarkdown('<img src=x onerror="alert(1)"> and <script>alert(2)</script>');
    expect(blocks).toEqual([{ type: 'paragraph', children: [{ type: 'text', text: '<img src=x onerror="alert(1)"> and <script>alert(2)</script>' }] }]);
  });

  it('only links to web and mail addresses', () => {
    expect(parseInline('[click](javascript:alert(1))')).toEqual([{ type: 'text', text: '[click](javascript:alert(1))' }]);
    expect(parseInline('[mail](mailto:a@b.c)')[0]).toMatchObject({ type: 'link', href: 'mailto:a@b.c' });
  });

  it('reads fenced code blocks verbatim, with their language', () => {
    expect(parseMarkdown('Apply this:\n\n```yaml\nspec:\n  podSelector: {}\n  # **not bold**\n```\nThen check.')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'Apply this:' }] },
      { type: 'code', language: 'yaml', text: 'spec:\n  podSelector: {}\n  # **not bold**' },
      { type: 'paragraph', children: [{ type: 'text', text: 'Then check.' }] },
    ]);
  });

  it('reads lists and keeps line breaks inside a paragraph', () => {
    expect(parseMarkdown('Levels:\n- privileged\n- baseline\n  (the default)\n\n1. first\n2. second')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'Levels:' }] },
      {
        type: 'list',
        ordered: false,
        items: [[{ type: 'text', text: 'privileged' }], [{ type: 'text', text: 'baseline' }, { type: 'break' }, { type: 'text', text: '(the default)' }]],
      },
      { type: 'list', ordered: true, items: [[{ type: 'text', text: 'first' }], [{ type: 'text', text: 'second' }]] },
    ]);
    expect(parseMarkdown('line one\nline two')).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'line one' }, { type: 'break' }, { type: 'text', text: 'line two' }] },
    ]);
  });
});
