import { describe, expect, it } from 'vitest';
import { renderCard, renderNoteCards, templateProblems, type CardContext, type TemplateNoteType } from '../../src/domain/anki/template.ts';

const context: CardContext = { tags: ['k8s', 'storage'], deckName: 'CKA::Storage' };

// Anki's stock note types, as rslib/src/notetype/stock.rs builds them in English.
const basic: TemplateNoteType = {
  kind: 'standard',
  name: 'Basic',
  fields: ['Front', 'Back'],
  templates: [{ name: 'Card 1', front: '{{Front}}', back: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' }],
};
const basicAndReversed: TemplateNoteType = {
  ...basic,
  name: 'Basic (and reversed card)',
  templates: [...basic.templates, { name: 'Card 2', front: '{{Back}}', back: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}' }],
};
const basicOptionalReversed: TemplateNoteType = {
  ...basic,
  name: 'Basic (optional reversed card)',
  fields: ['Front', 'Back', 'Add Reverse'],
  templates: [...basic.templates, { name: 'Card 2', front: '{{#Add Reverse}}{{Back}}{{/Add Reverse}}', back: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}' }],
};
const basicTyping: TemplateNoteType = {
  ...basic,
  name: 'Basic (type in the answer)',
  templates: [{ name: 'Card 1', front: '{{Front}}\n\n{{type:Back}}', back: '{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}' }],
};
const cloze: TemplateNoteType = {
  kind: 'cloze',
  name: 'Cloze',
  fields: ['Text', 'Back Extra'],
  templates: [{ name: 'Cloze', front: '{{cloze:Text}}', back: '{{cloze:Text}}<br>\n{{Back Extra}}' }],
};

/** A one-template standard note type with fields A, B and C. */
function standard(front: string, back = '{{FrontSide}}'): TemplateNoteType {
  return { kind: 'standard', name: 'Test', fields: ['A', 'B', 'C'], templates: [{ name: 'Card 1', front, back }] };
}

function question(noteType: TemplateNoteType, fields: string[], ord = 0): string | undefined {
  return renderCard(noteType, fields, ord, context)?.question;
}

describe('stock note types', () => {
  it('Basic: the field on the front, the front again with the answer on the back', () => {
    expect(renderNoteCards(basic, ['What runs pods?', 'The <b>kubelet</b>'], context)).toEqual([
      { ord: 0, question: 'What runs pods?', answer: 'What runs pods?\n\n<hr id=answer>\n\nThe <b>kubelet</b>', empty: false },
    ]);
  });

  it('Basic (and reversed card): a card per side, none for a side whose field is empty', () => {
    const both = renderNoteCards(basicAndReversed, ['kubelet', 'node agent'], context);
    expect(both.map((card) => [card.ord, card.question])).toEqual([
      [0, 'kubelet'],
      [1, 'node agent'],
    ]);
    expect(both[1].answer).toBe('node agent\n\n<hr id=answer>\n\nkubelet');
    expect(renderNoteCards(basicAndReversed, ['kubelet', '<div><br></div>'], context).map((card) => card.ord)).toEqual([0]);
  });

  it('Basic (optional reversed card): the reverse only when "Add Reverse" has content', () => {
    expect(renderNoteCards(basicOptionalReversed, ['kubelet', 'node agent', ''], context).map((card) => card.ord)).toEqual([0]);
    expect(renderNoteCards(basicOptionalReversed, ['kubelet', 'node agent', ' <br /> '], context).map((card) => card.ord)).toEqual([0]);
    const cards = renderNoteCards(basicOptionalReversed, ['kubelet', 'node agent', 'y'], context);
    expect(cards.map((card) => [card.ord, card.question])).toEqual([
      [0, 'kubelet'],
      [1, 'node agent'],
    ]);
  });

  it('Basic (type in the answer): no box on the front, the expected answer as text after the rule on the back', () => {
    const [card] = renderNoteCards(basicTyping, ['Port of the API server?', '<b>6443</b> &amp; [sound:port.mp3]<br>TCP'], context);
    expect(card.question).toBe('Port of the API server?\n\n');
    expect(card.answer).toBe('Port of the API server?\n\n\n\n<hr id=answer><div class="type-answer">6443 &amp;  TCP</div>');
  });

  it('Cloze: one card per number with the active deletion hidden, hints shown, the others as text', () => {
    const text = 'The {{c1::kubelet}} talks to the {{c2::API server::component}} on {{c3::6443}}.';
    const cards = renderNoteCards(cloze, [text, 'extra'], context);
    expect(cards.map((card) => card.ord)).toEqual([0, 1, 2]);
    expect(cards[1].question).toBe(
      'The <span class="cloze-inactive" data-ordinal="1">kubelet</span> talks to the ' +
        '<span class="cloze" data-cloze="API&#x20;server" data-ordinal="2">[component]</span> on ' +
        '<span class="cloze-inactive" data-ordinal="3">6443</span>.',
    );
    expect(cards[1].answer).toBe(
      'The <span class="cloze-inactive" data-ordinal="1">kubelet</span> talks to the ' +
        '<span class="cloze" data-ordinal="2">API server</span> on ' +
        '<span class="cloze-inactive" data-ordinal="3">6443</span>.<br>\nextra',
    );
    expect(cards[0].question).toContain('<span class="cloze" data-cloze="kubelet" data-ordinal="1">[...]</span>');
  });

  it('Cloze: nested deletions as Anki 2.1.56 and later render them', () => {
    const nested = 'foo {{c1::bar {{c2::baz}}::qux}}';
    const [first, second] = renderNoteCards(cloze, [nested, ''], context);
    expect(first.question).toBe(
      'foo <span class="cloze" data-cloze="bar&#x20;&lt;span&#x20;class&#x3D;&quot;cloze&#x2D;inactive&quot;&#x20;data&#x2D;ordinal&#x3D;&quot;2&quot;&gt;baz&lt;&#x2F;span&gt;" data-ordinal="1">[qux]</span>',
    );
    expect(first.answer).toBe('foo <span class="cloze" data-ordinal="1">bar <span class="cloze-inactive" data-ordinal="2">baz</span></span><br>\n');
    expect(second.question).toBe('foo <span class="cloze-inactive" data-ordinal="1">bar <span class="cloze" data-cloze="baz" data-ordinal="2">[...]</span></span>');
    expect(second.answer).toBe('foo <span class="cloze-inactive" data-ordinal="1">bar <span class="cloze" data-ordinal="2">baz</span></span><br>\n');
  });
});

describe('cloze card generation', () => {
  it('numbers the cards by cloze number - 1, ignoring c0, counting each number of "c1,2" and every field', () => {
    const ords = (fields: string[]) => renderNoteCards(cloze, fields, context).map((card) => card.ord);
    expect(ords(['{{c3::a}} {{c1::b}} {{c0::z}} {{c1::again}}', ''])).toEqual([0, 2]);
    expect(ords(['{{c1,2::shared}} and {{c002::padded}}', ''])).toEqual([0, 1]);
    // Anki gathers numbers from all fields, not only those the template uses with cloze:.
    expect(ords(['{{c1::a}}', '{{c5::extra}}'])).toEqual([0, 4]);
    expect(ords(['{{c600::far}} {{c700::further}}', ''])).toEqual([499]);
  });

  it('still makes card 0 for a note without deletions, shown as Anki shows a blank cloze card', () => {
    expect(renderNoteCards(cloze, ['no deletions here', ''], context)).toEqual([
      { ord: 0, question: '<div class="card-blank">No cloze 1 found on card.</div>', answer: '<div class="card-blank">No cloze 1 found on card.</div>', empty: true },
    ]);
  });

  it('renders a stored card whose number has gone as blank, and a shared deletion on each of its cards', () => {
    expect(renderCard(cloze, ['{{c1::a}}', ''], 3, context)?.empty).toBe(true);
    const text = '{{c1,2::shared}} word and {{c1::first}} vs {{c2::second}}';
    expect(question(cloze, [text, ''], 1)).toBe(
      '<span class="cloze" data-cloze="shared" data-ordinal="1,2">[...]</span> word and ' +
        '<span class="cloze-inactive" data-ordinal="1">first</span> vs <span class="cloze" data-cloze="second" data-ordinal="2">[...]</span>',
    );
  });

  it('keeps a stray "}}", drops a deletion left open, and keeps the first "::" as the hint start', () => {
    expect(question(cloze, ['a }} {{c1::b::c::d}} {{c2::open', ''])).toBe('a }} <span class="cloze" data-cloze="b" data-ordinal="1">[c::d]</span> ');
  });

  it('strips tags inside MathJax in a deletion, so TeX stays plain', () => {
    expect(renderCard(cloze, ['\\(x^{<b>2</b>}\\) {{c1::y}}', ''], 0, context)?.answer).toBe('\\(x^{2}\\) <span class="cloze" data-ordinal="1">y</span><br>\n');
  });
});

describe('standard card generation', () => {
  it('makes a card when the front shows a non-empty field, sections decided by their fields', () => {
    const ords = (noteType: TemplateNoteType, fields: string[]) => renderNoteCards(noteType, fields, context).map((card) => [card.ord, card.empty]);
    const twoCards: TemplateNoteType = { ...standard('{{A}}'), templates: [{ name: 'One', front: 'Q: {{A}}', back: '' }, { name: 'Two', front: '{{#A}}{{B}}{{/A}}', back: '' }] };
    expect(ords(twoCards, ['a', 'b', ''])).toEqual([
      [0, false],
      [1, false],
    ]);
    expect(ords(twoCards, ['a', '', ''])).toEqual([[0, false]]);
    expect(ords(twoCards, ['', 'b', ''])).toEqual([[0, true]]);
    expect(ords(standard('{{^A}}{{B}}{{/A}}'), ['', 'b', ''])).toEqual([[0, false]]);
  });

  it('counts special fields as filled (Tags only when there are tags) but never FrontSide', () => {
    const generated = (front: string, tags: string[]) => renderNoteCards(standard(front), ['', '', ''], { ...context, tags })[0].empty;
    expect(generated('{{Deck}}', [])).toBe(false);
    expect(generated('{{Tags}}', [])).toBe(true);
    expect(generated('{{Tags}}', ['x'])).toBe(false);
    expect(generated('{{FrontSide}}', ['x'])).toBe(true);
  });

  it("shows Anki's blank-front message for a card whose front renders no field", () => {
    expect(renderCard(standard('Q: {{A}}'), ['', 'b', ''], 0, context)).toEqual({
      ord: 0,
      question: 'Q: <div class="card-blank">The front of this card is blank.</div>',
      answer: '<div class="card-blank">The front of this card is blank.</div>',
      empty: true,
    });
  });

  it('has no card for an ord without a template', () => {
    expect(renderCard(basic, ['a', 'b'], 1, context)).toBeUndefined();
    expect(renderCard(basic, ['a', 'b'], -1, context)).toBeUndefined();
  });
});

describe('replacements and sections', () => {
  it('inserts field HTML as it is, [sound:] tags included, in names with spaces and matched by exact case', () => {
    const noteType: TemplateNoteType = { ...standard('{{Back Extra}}|{{ A }}'), fields: ['A', 'Back Extra'] };
    expect(question(noteType, ['<i>a</i>', 'x [sound:pod.mp3] <img src="p.png">'])).toBe('x [sound:pod.mp3] <img src="p.png">|<i>a</i>');
    expect(question(standard('{{a}}'), ['x', '', ''])).toContain("there is no field called &#x27;a&#x27;");
  });

  it('shows {{#A}} when A has content by the field_is_empty rule, {{^A}} when it has none', () => {
    const template = standard('[{{#A}}yes {{B}}{{/A}}{{^A}}no {{B}}{{/A}}]');
    expect(question(template, ['x', 'b', ''])).toBe('[yes b]');
    expect(question(template, [' <BR> <div></div>\n', 'b', ''])).toBe('[no b]');
    expect(question(template, ['&nbsp;', 'b', ''])).toBe('[yes b]');
  });

  it('renders {{FrontSide}} as nothing on the front and as the rendered front on the back', () => {
    const card = renderCard(standard('{{FrontSide}}{{A}}', '{{FrontSide}}<hr>{{B}}'), ['a', 'b', ''], 0, context);
    expect([card?.question, card?.answer]).toEqual(['a', 'a<hr>b']);
  });

  it('fills the special fields unless a note field has the name', () => {
    const template = standard('{{A}}|{{Tags}}|{{Type}}|{{Deck}}|{{Subdeck}}|{{Card}}|{{CardFlag}}|{{c1}}');
    expect(question(template, ['a', '', ''])).toBe('a|k8s storage|Test|CKA::Storage|Storage|Card 1||1');
    const own: TemplateNoteType = { ...template, fields: ['A', 'Tags'] };
    expect(question(own, ['a', 'mine'])).toBe('a|mine|Test|CKA::Storage|Storage|Card 1||1');
  });

  it('takes {{#c2}} sections by the card number', () => {
    const template = '{{cloze:Text}}{{#c1}} one{{/c1}}{{#c2}} two{{/c2}}{{^c3}} not three{{/c3}}';
    const noteType: TemplateNoteType = { ...cloze, templates: [{ name: 'Cloze', front: template, back: '' }] };
    expect(question(noteType, ['{{c2::x}}', ''], 1)).toBe('<span class="cloze" data-cloze="x" data-ordinal="2">[...]</span> two not three');
  });

  it('keeps comments as they are, fields inside them untouched', () => {
    expect(question(standard('<!-- {{Nope}} -->{{A}}<!-- open'), ['a', '', ''])).toBe('<!-- {{Nope}} -->a<!-- open');
  });

  it('reads the legacy <% %> syntax', () => {
    expect(question(standard(' {{=<% %>=}}<%A%> {{B}} <%#B%>b<%/B%>'), ['a', 'x', ''])).toBe('a {{B}} b');
  });
});

describe('filters', () => {
  it('{{text:}} strips tags, styles, scripts and comments and decodes entities', () => {
    const html = '<style>p{}</style><b>A</b>&lt;b&gt; &eacute;&nbsp;<!-- c --><script>x()</script><br>';
    expect(question(standard('{{text:A}}'), [html, '', ''])).toBe('A<b> é ');
  });

  it('{{text:}} leaves every entity alone when one is not valid, as htmlescape does, and takes "<" to the nearest ">" as a tag', () => {
    expect(question(standard('{{text:A}}'), ['<i>a</i> &amp; &apos; b', '', ''])).toBe('a &amp; &apos; b');
    expect(question(standard('{{text:A}}'), ['1 &lt; 2 & 3', '', ''])).toBe('1 &lt; 2 & 3');
    expect(question(standard('{{text:A}}'), ['1 < 2 &amp; 3 > 2', '', ''])).toBe('1  2');
    expect(question(standard('{{text:A}}'), ['&#x1F600; &#65;', '', ''])).toBe('😀 A');
  });

  it('{{hint:}} folds the text into a <details> labelled with the field name, and nothing for an empty field', () => {
    expect(question(standard('{{hint:B}}|{{hint:C}}'), ['a', 'The <i>node</i>', ' '])).toBe('<details class="hint"><summary>B</summary>The <i>node</i></details>| ');
  });

  it('chains filters nearest the field first: {{text:cloze:Text}}', () => {
    const noteType: TemplateNoteType = { ...cloze, templates: [{ name: 'Cloze', front: '{{text:cloze:Text}}', back: '{{cloze:Text}}' }] };
    expect(question(noteType, ['<b>{{c1::a}}</b> {{c2::b}}', ''])).toBe('[...] b');
  });

  it('passes text through an unknown filter, and through every filter after it as the reviewer does', () => {
    expect(question(standard('{{mystery:A}}|{{mystery:text:A}}|{{text:mystery:A}}|{{mystery:}}'), ['<b>a</b>', '', ''])).toBe('<b>a</b>|a|<b>a</b>|');
  });

  it('furigana, kanji and kana read "base[reading]", leaving sound tags alone', () => {
    const field = '日本[にほん]語[ご] [sound:a.mp3]';
    expect(question(standard('{{furigana:A}}|{{kanji:A}}|{{kana:A}}'), [field, '', ''])).toBe(
      '<ruby><rb>日本</rb><rt>にほん</rt></ruby><ruby><rb>語</rb><rt>ご</rt></ruby> [sound:a.mp3]|日本語 [sound:a.mp3]|にほんご [sound:a.mp3]',
    );
    expect(question(standard('{{kana:A}}'), ['x 漢[かん]&nbsp;字[じ]', '', ''])).toBe('xかんじ');
  });

  it('{{cloze-only:}} lists the active hints or answers', () => {
    const noteType: TemplateNoteType = { ...cloze, templates: [{ name: 'Cloze', front: '{{cloze-only:Text}}', back: '{{cloze-only:Text}}' }] };
    const card = renderCard(noteType, ['{{c1,2::shared}} and {{c1::first::h}} vs {{c2::second}}', ''], 0, context);
    expect([card?.question, card?.answer]).toEqual(['..., h', 'shared, first']);
  });

  it('{{type:cloze:Text}} expects the active deletion, once when all say the same', () => {
    const noteType: TemplateNoteType = { ...cloze, templates: [{ name: 'Cloze', front: '{{cloze:Text}}{{type:cloze:Text}}', back: '{{cloze:Text}}<hr id=answer>{{type:cloze:Text}}' }] };
    const card = renderCard(noteType, ['{{c1::pod}} {{c1::pod}} {{c2::node}}', ''], 0, context);
    const hidden = '<span class="cloze" data-cloze="pod" data-ordinal="1">[...]</span>';
    expect(card?.question).toBe(`${hidden} ${hidden} <span class="cloze-inactive" data-ordinal="2">node</span>`);
    expect(card?.answer).toMatch(/<\/span><hr id=answer><div class="type-answer">pod<\/div>$/);
    const different = renderCard(noteType, ['{{c1::a}} {{c1::b}}', ''], 0, context);
    expect(different?.answer).toContain('<div class="type-answer">a, b</div>');
  });

  it('shows no type answer for an empty field, nor on a back whose front asks for none, and warns of a field it cannot find', () => {
    expect(renderCard(standard('{{A}}{{type:B}}', '{{type:B}}'), ['a', '', ''], 0, context)?.answer).toBe('');
    expect(renderCard(standard('{{A}}', '{{type:B}}'), ['a', 'b', ''], 0, context)?.answer).toBe('');
    expect(question(standard('{{A}}{{type:Tags}}'), ['a', '', ''])).toBe('aType answer: unknown field Tags');
  });
});

describe('broken templates', () => {
  it('shows the problem on both sides instead of the card, in Anki words', () => {
    expect(renderCard(standard('{{#A}}{{B}}'), ['a', 'b', ''], 0, context)).toEqual({
      ord: 0,
      question: '<div class="template-error">Front template has a problem:<br>Missing &#x27;{{/A}}&#x27;</div>',
      answer: '<div class="template-error">Front template has a problem:<br>Missing &#x27;{{/A}}&#x27;</div>',
      empty: false,
    });
    expect(question(standard('{{#A}}{{/B}}'), ['a', '', ''])).toContain('Found &#x27;{{/B}}&#x27;, but expected &#x27;{{/A}}&#x27;');
    expect(question(standard('{{A}}{{/B}}'), ['a', '', ''])).toContain('Found &#x27;{{/B}}&#x27;, but missing &#x27;{{#B}}&#x27; or &#x27;{{^B}}&#x27;');
    expect(renderCard(standard('{{A}}', '{{B}}{{text:Nope}}'), ['a', '', ''], 0, context)?.question).toBe(
      '<div class="template-error">Back template has a problem:<br>Found &#x27;{{text:Nope}}&#x27;, but there is no field called &#x27;Nope&#x27;</div>',
    );
  });

  it('finds unknown fields in sections that are hidden too', () => {
    expect(question(standard('{{A}}{{#B}}{{Nope}}{{/B}}'), ['a', '', ''])).toContain('there is no field called &#x27;Nope&#x27;');
    expect(question(standard('{{A}}{{#B}}{{^Gone}}x{{/Gone}}{{/B}}'), ['a', '', ''])).toContain('Found &#x27;{{^Gone}}&#x27;');
  });

  it('leaves a stray "}}" and an unclosed "{{" as text', () => {
    expect(question(standard('a }} {{A}} {{b'), ['x', '', ''])).toBe('a }} x {{b');
    expect(question(standard('{{{A}}}'), ['x', '', ''])).toBe('x}');
  });

  it('lists each template problem with the template name', () => {
    const noteType: TemplateNoteType = {
      ...standard(''),
      templates: [
        { name: 'Good', front: '{{A}}{{#c7}}{{/c7}}', back: '{{FrontSide}}{{Tags}}' },
        { name: 'Recto', front: '{{#A}}', back: '{{Missing}}' },
      ],
    };
    expect(templateProblems(noteType)).toEqual([
      "Recto: Front template has a problem: Missing '{{/A}}'",
      "Recto: Back template has a problem: Found '{{Missing}}', but there is no field called 'Missing'",
    ]);
  });
});

describe('hostile input', () => {
  const megabyte = 1 << 20;
  // A quadratic pass over 1 MB would take hours; a linear one takes well under a second on an
  // idle machine. The limit leaves room for a busy one (2 cores, other tests running) without
  // losing what it tells apart.
  const limitMs = 5000;
  const linear = (run: () => unknown) => {
    const start = performance.now();
    const result = run();
    expect(performance.now() - start).toBeLessThan(limitMs);
    return result;
  };

  it('renders a 1 MB field of "{{" or "{{c1::" in linear time', () => {
    const braces = '{{'.repeat(megabyte / 2);
    const [plain] = linear(() => renderNoteCards(basic, [braces, braces], context)) as ReturnType<typeof renderNoteCards>;
    expect(plain.question).toBe(braces);
    const openings = '{{c1::'.repeat(megabyte / 6);
    const cards = linear(() => renderNoteCards(cloze, [openings + 'x}}', openings], context)) as ReturnType<typeof renderNoteCards>;
    // The innermost of the ten openings Anki keeps closes inside the others, which stay open and vanish.
    expect(cards.map((card) => [card.ord, card.empty])).toEqual([[0, true]]);
  });

  it('renders a template of 10,000 nested sections in linear time', () => {
    const nested = '{{#A}}'.repeat(10_000) + '{{B}}' + '{{/A}}'.repeat(10_000);
    expect(linear(() => question(standard(nested), ['a', 'b', '']))).toBe('b');
    expect(linear(() => question(standard('{{A}}' + '{{#A}}'.repeat(10_000)), ['a', '', '']))).toContain('Missing');
  });

  it('filters 1 MB of half-open markup in linear time', () => {
    const fields = ['<', '<style', '<!--', '&', '[sound:', '[[type:', '\\(', 'a[', '{{c1,', '{{c1::a::'].map((piece) => piece.repeat(Math.ceil(megabyte / piece.length)));
    const noteType: TemplateNoteType = {
      ...cloze,
      fields: ['Text', 'Extra'],
      templates: [{ name: 'Cloze', front: '{{cloze:Text}}{{text:Extra}}{{furigana:Extra}}{{type:Extra}}', back: '{{cloze-only:Text}}{{type:Extra}}' }],
    };
    for (const field of fields) {
      linear(() => renderCard(noteType, [`{{c1::${field}}}`, field], 0, context));
      linear(() => renderCard(noteType, [field, field], 0, context));
    }
  }, 30_000);

  it('keeps deeply nested active deletions linear in size', () => {
    const nest = '{{c1::'.repeat(10) + 'x' + '}}'.repeat(10);
    const [card] = renderNoteCards(cloze, [nest.repeat(1000), ''], context);
    expect(card.question.length).toBeLessThan(1000 * 2000);
  });
});
