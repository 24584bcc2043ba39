import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtInDecksPlugin } from '../../src/build/builtInDecks.ts';
import { compileDecks, DeckFormatError } from '../../src/domain/deckFile.ts';

const broken = (name: string) => ({
  file: `broken-decks/${name}`,
  text: readFileSync(fileURLToPath(new URL(`../fixtures/broken-decks/${name}`, import.meta.url)), 'utf8'),
});

function problemsOf(...sources: { file: string; text: string }[]): string[] {
  try {
    compileDecks(sources);
  } catch (error) {
    if (error instanceof DeckFormatError) return error.problems;
    throw error;
  }
  return [];
}

const header = 'deck: test\ntitle: Test\ndescription: Test deck.\n';

describe('deck files', () => {
  it('read a basic card with its fields', () => {
    const [deck] = compileDecks([
      {
        file: 'test.deck',
        text: `${header}\n## test-basic\nQ: [RBAC] Is a Role namespaced?\nA: Yes.\nsource: Kubernetes docs\nexam: KCNA Container Orchestration; CKA Cluster Architecture, Installation & Configuration\ntags: rbac security\nnote: A ClusterRole is not.\n`,
      },
    ]);
    expect(deck).toEqual({
      id: 'test',
      title: 'Test',
      description: 'Test deck.',
      cards: [
        {
          id: 'test-basic',
          position: 0,
          kind: 'basic',
          front: '[RBAC] Is a Role namespaced?',
          back: 'Yes.',
          source: 'Kubernetes docs',
          exam: ['KCNA Container Orchestration', 'CKA Cluster Architecture, Installation & Configuration'],
          tags: ['rbac', 'security'],
          note: 'A ClusterRole is not.',
        },
      ],
    });
  });

  it('read an exam companion mark from the header, and leave it out of a deck without one', () => {
    const card = '\n## test-card\nQ: q\nA: a\nsource: s\nexam: CKA Storage\n';
    const [companion, plain] = compileDecks([
      { file: 'companion.deck', text: `${header}companion: CKA exam companion, not from the talk\n${card}` },
      { file: 'plain.deck', text: header.replace('deck: test', 'deck: plain') + card.replace('test-card', 'plain-card') },
    ]);
    expect(companion.companion).toBe('CKA exam companion, not from the talk');
    expect('companion' in plain).toBe(false);
    expect(
      problemsOf(
        { file: 'empty.deck', text: `${header}companion:\n${card}` },
        { file: 'long.deck', text: `${header.replace('deck: test', 'deck: long')}companion: ${'c'.repeat(201)}\n${card.replace('test-card', 'long-card')}` },
        { file: 'in-card.deck', text: `${header.replace('deck: test', 'deck: in-card')}${card.replace('test-card', 'in-card')}companion: not here\n` },
      ),
    ).toEqual([
      'empty.deck:4: "companion:" has no text',
      'long.deck:4: "companion:" has 201 characters, more than the 200 allowed',
      'in-card.deck:10: "companion:" does not belong in a card',
    ]);
  });

  it('keep multi-line Markdown and code blocks, never reading fields inside a block', () => {
    const [deck] = compileDecks([
      {
        file: 'test.deck',
        text: `${header}\n## test-code\nQ: What does this do?\n\n\`\`\`yaml\nsource: not a field\nexam: nor this\n\`\`\`\nA: Nothing.\nsource: test\nexam: CKA Troubleshooting\n`,
      },
    ]);
    expect(deck.cards[0].front).toBe('What does this do?\n\n```yaml\nsource: not a field\nexam: nor this\n```');
    expect(deck.cards[0].source).toBe('test');
  });

  it('expand a cloze note into one card per cloze number, with hints', () => {
    const [deck] = compileDecks([
      {
        file: 'test.deck',
        text: `${header}\n## test-cloze\nC: {{c1::Steering}} delegates {{c2::technical::what kind of}} work to {{c3::SIGs}}; {{c1::Steering}} has 7 members.\nsource: test\nexam: KCNA Cloud Native Architecture\n`,
      },
    ]);
    expect(deck.cards.map((card) => card.id)).toEqual(['test-cloze-c1', 'test-cloze-c2', 'test-cloze-c3']);
    // Between the cloze marks, which the renderer shows as a deletion, even inside code.
    const [open, close] = ['\uE000', '\uE001'];
    expect(deck.cards[0].front).toBe(`${open}[…]${close} delegates technical work to SIGs; ${open}[…]${close} has 7 members.`);
    expect(deck.cards[1].front).toBe(`Steering delegates ${open}[what kind of]${close} work to SIGs; Steering has 7 members.`);
    expect(deck.cards[1].back).toBe(`Steering delegates ${open}technical${close} work to SIGs; Steering has 7 members.`);
    expect(deck.cards.every((card) => card.kind === 'cloze')).toBe(true);
  });

  it.each([
    ['missing-answer.deck', ['broken-decks/missing-answer.deck:5: card "broken-no-answer" has no answer (A:)']],
    ['unknown-domain.deck', ['broken-decks/unknown-domain.deck:9: unknown exam domain "CKA Networking"']],
    ['duplicate-id.deck', ['broken-decks/duplicate-id.deck:11: duplicate card id "broken-twice" (also at broken-decks/duplicate-id.deck:5)']],
    ['unbalanced-cloze.deck', ['broken-decks/unbalanced-cloze.deck:7: unbalanced cloze: "{{" is never closed with "}}"']],
    ['missing-source.deck', ['broken-decks/missing-source.deck:11: card "broken-unsourced" has no source']],
    [
      'unclosed-code.deck',
      [
        'broken-decks/unclosed-code.deck:7: code block is never closed',
        'broken-decks/unclosed-code.deck:5: card "broken-code" has no source',
        'broken-decks/unclosed-code.deck:5: card "broken-code" has no exam domain',
        'broken-decks/unclosed-code.deck:5: card "broken-code" has no answer (A:)',
      ],
    ],
  ])('%s fails with file:line and what is wrong', (name, expected) => {
    expect(problemsOf(broken(name))).toEqual(expected);
  });

  it('reject a card id used in two files', () => {
    const card = (id: string) => `\n## ${id}\nQ: q\nA: a\nsource: s\nexam: CKA Storage\n`;
    expect(problemsOf({ file: 'a.deck', text: header + card('same-id') }, { file: 'b.deck', text: header.replace('deck: test', 'deck: other') + card('same-id') })).toEqual([
      'b.deck:5: duplicate card id "same-id" (also at a.deck:5)',
    ]);
  });

  it('reject malformed headers, ids, fields and stray text', () => {
    expect(
      problemsOf({ file: 'x.deck', text: 'deck: Bad Id\ntitle: X\n\n## Upper_Case\nQ: q\nQ: again\nA: a\nsource: s\nexam: KCNA Kubernetes Fundamentals\nstray words\n' }),
    ).toEqual([
      'x.deck:4: card id "Upper_Case" must be lower-case letters, digits and "-"',
      'x.deck:6: "Q:" given twice (first on line 5)',
      'x.deck:10: text outside any field: "stray words"',
      'x.deck:1: the deck header has no "description:"',
      'x.deck:1: deck id "Bad Id" must be lower-case letters, digits and "-"',
    ]);
    expect(problemsOf({ file: 'y.deck', text: `${header}\n## ok\nC: no cloze here\nsource: s\nexam: CKA Storage\nstray words after exam\n` })).toEqual([
      'y.deck:9: text outside any field: "stray words after exam"',
      'y.deck:6: no cloze deletion such as {{c1::answer}}',
    ]);
  });

  it('reject a card field over 65,536 characters and a title over 200, and drop cloze marks typed in', () => {
    const long = 'x'.repeat(65_537);
    expect(
      problemsOf({
        file: 'long.deck',
        text: `deck: long\ntitle: ${'t'.repeat(201)}\ndescription: d\n\n## long-q\nQ: q\n${long}\nA: a\nsource: s\nexam: CKA Storage\n\n## long-note\nC: {{c1::a}}\nsource: s\nexam: CKA Storage\nnote: ${long}\n`,
      }),
    ).toEqual([
      'long.deck:2: "title:" has 201 characters, more than the 200 allowed',
      'long.deck:6: "Q:" has 65,539 characters, more than the 65,536 allowed',
      'long.deck:16: "note:" has 65,537 characters, more than the 65,536 allowed',
    ]);
    const [deck] = compileDecks([{ file: 'ok.deck', text: `${header}\n## ok\nQ: \uE000not a mark\uE001 ${'x'.repeat(65_000)}\nA: a\nsource: s\nexam: CKA Storage\n` }]);
    expect(deck.cards[0].front).toBe(`not a mark ${'x'.repeat(65_000)}`);
  });

  it('make the build fail with the message', () => {
    const plugin = builtInDecksPlugin(fileURLToPath(new URL('../fixtures/broken-decks', import.meta.url)));
    const context = {
      addWatchFile() {},
      error(message: string): never {
        throw new Error(message);
      },
    };
    expect(() => (plugin.buildStart as unknown as (this: typeof context) => void).call(context)).toThrow(
      /tests\/fixtures\/broken-decks\/missing-answer\.deck:5: card "broken-no-answer" has no answer/,
    );
  });
});
