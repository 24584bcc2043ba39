// Anki's card templates, rendered as Anki renders them for its reviewer (its Rust template
// engine, the Python filter pass and the reviewer's type-answer pass), read from Anki's source
// for semantics. Templates and field HTML come from untrusted packages, so every scan below
// moves forward only (linear in its input) and nothing recurses more deeply than cloze nesting,
// which Anki itself caps at 10. The output is HTML for the screen to sanitise.

export interface TemplateNoteType {
  kind: 'standard' | 'cloze';
  fields: string[];
  templates: { name: string; front: string; back: string }[];
  name: string;
}

export interface CardContext {
  tags: string[];
  /** The full deck name, "::" between a parent and its child. */
  deckName: string;
}

export interface RenderedCard {
  /** Template index, or cloze number - 1. */
  ord: number;
  question: string;
  answer: string;
  /** Anki's blank card: the front renders no field, or the cloze number is not in the note; both sides then say so. */
  empty: boolean;
}

/** Anki makes at most this many cloze cards per note: higher numbers all land on the last. */
const maxClozeOrd = 499;
/** Anki ignores cloze openings nested deeper than this. */
const maxClozeDepth = 10;

// Scanning
//----------------------------------------

/**
 * Successive occurrences of one needle. A search from where the last one started or later
 * reuses its answer while that still lies ahead, so a scan that only moves forward costs one
 * pass over the text however often it asks.
 */
class Finder {
  private readonly text: string;
  private readonly needle: string;
  private from = Infinity;
  private found = -1;

  constructor(text: string, needle: string) {
    this.text = text;
    this.needle = needle;
  }

  next(from: number): number {
    if (from < this.from || (this.found !== -1 && this.found < from)) {
      this.found = this.text.indexOf(this.needle, from);
      this.from = from;
    }
    return this.found;
  }
}

/** ASCII letters in lower case, every other character kept, so indexes stay as they are. */
function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

const minimalEntities: Record<string, string> = { '"': '&quot;', '&': '&amp;', "'": '&#x27;', '<': '&lt;', '>': '&gt;' };

/** Text made safe inside HTML: the five characters htmlescape's encode_minimal replaces. */
function escapeMinimal(text: string): string {
  return text.replace(/["&'<>]/g, (c) => minimalEntities[c]);
}

/** How encode_attribute writes each Latin-1 character that is not a letter or digit. */
const latin1AttributeEntities = Array.from({ length: 256 }, (_, code) => {
  const c = String.fromCharCode(code);
  return minimalEntities[c] ?? `&#x${code.toString(16).toUpperCase().padStart(2, '0')};`;
});

/** htmlescape's encode_attribute, as Anki fills data-cloze: also every other non-alphanumeric Latin-1 character as &#xHH;. */
function encodeAttribute(text: string): string {
  return text.replace(/[^A-Za-z0-9\u0100-\uffff]+/g, (run) => {
    const out: string[] = [];
    for (let i = 0; i < run.length; i++) out.push(latin1AttributeEntities[run.charCodeAt(i)]);
    return out.join('');
  });
}

// HTML to text (Anki's strip_html)
//----------------------------------------

/**
 * Anki's HTML pattern, replaced by nothing: a comment, a style or script element, or any
 * tag, tried in that order at each "<", each alternative as short as it can be.
 */
function stripHtmlPreservingEntities(html: string): string {
  const lower = asciiLowerCase(html);
  const tagStarts = new Finder(html, '<');
  const tagEnds = new Finder(html, '>');
  const commentEnds = new Finder(html, '-->');
  const styleEnds = new Finder(lower, '</style>');
  const scriptEnds = new Finder(lower, '</script>');
  const kept: string[] = [];
  let pos = 0;
  for (;;) {
    const start = tagStarts.next(pos);
    if (start === -1) break;
    const tagEnd = tagEnds.next(start + 1);
    // Without a later ">" neither a tag nor a comment can close from here on.
    if (tagEnd === -1) break;
    let end = tagEnd + 1;
    if (html.startsWith('<!--', start) && commentEnds.next(start + 4) !== -1) {
      end = commentEnds.next(start + 4) + 3;
    } else if (lower.startsWith('<style', start) && styleEnds.next(tagEnd + 1) !== -1) {
      end = styleEnds.next(tagEnd + 1) + '</style>'.length;
    } else if (lower.startsWith('<script', start) && scriptEnds.next(tagEnd + 1) !== -1) {
      end = scriptEnds.next(tagEnd + 1) + '</script>'.length;
    }
    kept.push(html.slice(pos, start));
    pos = end;
  }
  kept.push(html.slice(pos));
  return kept.join('');
}

/**
 * The HTML 4 named entities, which are those htmlescape knows (no &apos;): the Latin-1 ones
 * in code point order from U+00A0, then runs of names with the hex code point of the first.
 */
const latin1EntityNames =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
const otherEntityRuns = [
  '22 quot', '26 amp', '3C lt', '3E gt', '152 OElig oelig', '160 Scaron scaron', '178 Yuml', '192 fnof', '2C6 circ', '2DC tilde',
  '391 Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho', '3A3 Sigma Tau Upsilon Phi Chi Psi Omega',
  '3B1 alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon phi chi psi omega',
  '3D1 thetasym upsih', '3D6 piv', '2002 ensp emsp', '2009 thinsp', '200C zwnj zwj lrm rlm', '2013 ndash mdash', '2018 lsquo rsquo sbquo',
  '201C ldquo rdquo bdquo', '2020 dagger Dagger bull', '2026 hellip', '2030 permil', '2032 prime Prime', '2039 lsaquo rsaquo', '203E oline',
  '2044 frasl', '20AC euro', '2111 image', '2118 weierp', '211C real', '2122 trade', '2135 alefsym', '2190 larr uarr rarr darr harr', '21B5 crarr',
  '21D0 lArr uArr rArr dArr hArr', '2200 forall', '2202 part exist', '2205 empty', '2207 nabla isin notin', '220B ni', '220F prod', '2211 sum minus',
  '2217 lowast', '221A radic', '221D prop infin', '2220 ang', '2227 and or cap cup int', '2234 there4', '223C sim', '2245 cong', '2248 asymp',
  '2260 ne equiv', '2264 le ge', '2282 sub sup nsub', '2286 sube supe', '2295 oplus', '2297 otimes', '22A5 perp', '22C5 sdot',
  '2308 lceil rceil lfloor rfloor', '2329 lang rang', '25CA loz', '2660 spades', '2663 clubs', '2665 hearts diams',
];
const namedEntities: ReadonlyMap<string, string> = new Map([
  ...latin1EntityNames.split(' ').map((name, index): [string, string] => [name, String.fromCharCode(0xa0 + index)]),
  ...otherEntityRuns.flatMap((run) => {
    const [first, ...names] = run.split(' ');
    return names.map((name, index): [string, string] => [name, String.fromCodePoint(parseInt(first, 16) + index)]);
  }),
]);

/** One entity's text (between "&" and ";"), or undefined where htmlescape would fail. */
function decodeEntity(entity: string): string | undefined {
  if (!entity.startsWith('#')) return namedEntities.get(entity);
  const hex = entity[1] === 'x';
  const digits = entity.slice(hex ? 2 : 1);
  if (digits === '' || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return undefined;
  const code = parseInt(digits, hex ? 16 : 10);
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return String.fromCodePoint(code);
}

/**
 * htmlescape's decode_html as Anki uses it: all or nothing, so one "&" that starts no valid
 * entity leaves the whole text as it was; decoded no-break spaces become plain spaces.
 */
function decodeEntities(html: string): string {
  if (!html.includes('&')) return html;
  const out: string[] = [];
  let pos = 0;
  for (;;) {
    const amp = html.indexOf('&', pos);
    if (amp === -1) break;
    const semicolon = html.indexOf(';', amp + 1);
    if (semicolon === -1) return html;
    const decoded = decodeEntity(html.slice(amp + 1, semicolon));
    if (decoded === undefined) return html;
    out.push(html.slice(pos, amp), decoded);
    pos = semicolon + 1;
  }
  out.push(html.slice(pos));
  return out.join('').replaceAll('\u00a0', ' ');
}

function stripHtml(html: string): string {
  return decodeEntities(stripHtmlPreservingEntities(html));
}

/** Anki's field_is_empty: nothing but ASCII white space and bare <br>/<div> tags. */
function fieldIsEmpty(html: string): boolean {
  let i = 0;
  while (i < html.length) {
    const c = html[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r') {
      i++;
      continue;
    }
    if (c !== '<') return false;
    let j = i + 1;
    if (html[j] === '/') j++;
    const name = html.slice(j, j + 3).toLowerCase();
    if (name === 'div') j += 3;
    else if (name.startsWith('br')) j += 2;
    else return false;
    if (html[j] === ' ') j++;
    if (html[j] === '/') j++;
    if (html[j] !== '>') return false;
    i = j + 1;
  }
  return true;
}

// Clozes
//----------------------------------------

interface Cloze {
  /** The numbers as written, deduplicated and sorted; 0 may be among them. */
  ordinals: number[];
  nodes: ClozeNode[];
  hint: string | undefined;
}
type ClozeNode = string | Cloze;

interface ClozeOpening {
  at: number;
  end: number;
  ordinals: number[];
}

/** The first "{{c1,2::" at or after `from`; a number that does not fit 16 bits is dropped, as Anki's parse drops it. */
function nextClozeOpening(text: string, openings: Finder, from: number): ClozeOpening | undefined {
  for (let at = openings.next(from); at !== -1; at = openings.next(at + 1)) {
    let end = at + 3;
    while (end < text.length && ((text[end] >= '0' && text[end] <= '9') || text[end] === ',')) end++;
    if (!text.startsWith('::', end)) continue;
    const ordinals: number[] = [];
    let number = 0;
    let digits = 0;
    for (let i = at + 3; i <= end; i++) {
      if (i < end && text[i] !== ',') {
        // Past 16 bits a number only grows: it stays Infinity, too large for Anki's parse.
        number = number * 10 + text.charCodeAt(i) - 48;
        if (number > 0xffff) number = Infinity;
        digits++;
        continue;
      }
      if (digits > 0 && number !== Infinity) ordinals.push(number);
      number = digits = 0;
    }
    if (ordinals.length > 0) {
      ordinals.sort((a, b) => a - b);
      return { at, end: end + 2, ordinals: ordinals.filter((ordinal, index) => ordinal !== ordinals[index - 1]) };
    }
  }
  return undefined;
}

/**
 * Anki's cloze tree: openings and "}}" pair up innermost first; openings beyond the tenth
 * level vanish, a stray "}}" stays as text, and deletions still open at the end are dropped
 * with their text. In a deletion, text after its first "::" is its hint.
 */
function parseClozes(text: string): ClozeNode[] {
  const openings = new Finder(text, '{{c');
  const closings = new Finder(text, '}}');
  const output: ClozeNode[] = [];
  const open: Cloze[] = [];
  let opening = nextClozeOpening(text, openings, 0);
  let pos = 0;
  const addText = (segment: string) => {
    const cloze = open.at(-1);
    if (!cloze) {
      output.push(segment);
      return;
    }
    const hintAt = segment.startsWith('image-occlusion:') ? -1 : segment.indexOf('::');
    if (hintAt !== -1) cloze.hint = segment.slice(hintAt + 2);
    cloze.nodes.push(hintAt === -1 ? segment : segment.slice(0, hintAt));
  };
  while (pos < text.length) {
    if (opening && opening.at < pos) opening = nextClozeOpening(text, openings, pos);
    const closing = closings.next(pos);
    const next = Math.min(opening?.at ?? Infinity, closing === -1 ? Infinity : closing);
    if (next === Infinity) break;
    if (next > pos) addText(text.slice(pos, next));
    if (opening && next === opening.at) {
      if (open.length < maxClozeDepth) open.push({ ordinals: opening.ordinals, nodes: [], hint: undefined });
      pos = opening.end;
    } else {
      const cloze = open.pop();
      if (cloze) (open.at(-1)?.nodes ?? output).push(cloze);
      else output.push('}}');
      pos = closing + 2;
    }
  }
  if (pos < text.length) addText(text.slice(pos));
  return output;
}

/** Cloze trees parsed during one call, by text: a note's cards all read the same fields. */
type ClozeTrees = Map<string, ClozeNode[]>;

function clozeTree(text: string, trees: ClozeTrees): ClozeNode[] {
  let tree = trees.get(text);
  if (!tree) {
    tree = parseClozes(text);
    trees.set(text, tree);
  }
  return tree;
}

function addClozeNumbers(nodes: ClozeNode[], numbers: Set<number>): void {
  for (const node of nodes) {
    if (typeof node === 'string') continue;
    for (const ordinal of node.ordinals) if (ordinal !== 0) numbers.add(ordinal);
    addClozeNumbers(node.nodes, numbers);
  }
}

/** A deletion's answer: its text and that of the deletions inside it, without hints or markup. */
function clozedText(cloze: Cloze): string {
  return cloze.nodes.map((node) => (typeof node === 'string' ? node : clozedText(node))).join('');
}

function revealCloze(cloze: Cloze, number: number, question: boolean, insideHiddenCloze: boolean, out: string[]): boolean {
  const active = cloze.ordinals.includes(number);
  const ordinals = cloze.ordinals.join(',');
  const hint = `[${cloze.hint ?? '...'}]`;
  if (question && active && insideHiddenCloze) {
    // Anki would encode this deletion's text into its own data-cloze again inside the outer
    // one's, growing the output geometrically with depth; what shows is the same.
    out.push(`<span class="cloze" data-ordinal="${ordinals}">${hint}</span>`);
    return true;
  }
  const inner: string[] = [];
  let found = active;
  for (const node of cloze.nodes) {
    if (typeof node === 'string') inner.push(node);
    else found = revealCloze(node, number, question, insideHiddenCloze || (question && active), inner) || found;
  }
  if (question && active) {
    out.push(`<span class="cloze" data-cloze="${encodeAttribute(inner.join(''))}" data-ordinal="${ordinals}">${hint}</span>`);
  } else {
    out.push(`<span class="${active ? 'cloze' : 'cloze-inactive'}" data-ordinal="${ordinals}">${inner.join('')}</span>`);
  }
  return found;
}

/** The text with cloze `number` hidden (question) or shown (answer), others shown; empty if the text has no such cloze. */
function revealClozeText(tree: ClozeNode[], number: number, question: boolean): string {
  const out: string[] = [];
  let found = false;
  for (const node of tree) {
    if (typeof node === 'string') out.push(node);
    else found = revealCloze(node, number, question, false, out) || found;
  }
  return found ? out.join('') : '';
}

/** The hints (question) or answers of cloze `number`, outermost first, as Anki's cloze-only filter and type-answer list them. */
function activeClozeTexts(nodes: ClozeNode[], number: number, question: boolean, out: string[]): string[] {
  for (const node of nodes) {
    if (typeof node === 'string') continue;
    if (node.ordinals.includes(number)) out.push(question ? (node.hint ?? '...') : clozedText(node));
    activeClozeTexts(node.nodes, number, question, out);
  }
  return out;
}

/** The answer to type for cloze `number`: one if all its deletions say the same, else all, comma-separated. */
function clozeForTyping(tree: ClozeNode[], number: number): string {
  const answers = activeClozeTexts(tree, number, false, []);
  return answers.every((answer) => answer === answers[0]) ? (answers[0] ?? '') : answers.join(', ');
}

/** Anki's MathJax pattern, \( or \[ to the nearest \) or \]: HTML tags inside are removed so MathJax sees plain TeX. */
function stripHtmlInsideMathjax(text: string): string {
  const out: string[] = [];
  let pos = 0;
  const delimiter = (from: number, chars: string): number => {
    for (let at = text.indexOf('\\', from); at !== -1; at = text.indexOf('\\', at + 1)) {
      if (chars.includes(text[at + 1] ?? '')) return at;
    }
    return -1;
  };
  for (;;) {
    const open = delimiter(pos, '([');
    if (open === -1) break;
    const close = delimiter(open + 2, ')]');
    if (close === -1) break;
    out.push(text.slice(pos, open + 2), stripHtmlPreservingEntities(text.slice(open + 2, close)), text.slice(close, close + 2));
    pos = close + 2;
  }
  out.push(text.slice(pos));
  return out.join('');
}

// Ruby filters
//----------------------------------------

/**
 * Anki's furigana pattern ` ?([^ >]+?)\[(.+?)\]`, one match at a time: base text (no space or
 * ">") running up to a "[" that some "]" closes on the same line. `replace` gets the whole
 * match, the base and the reading.
 */
function replaceRuby(html: string, replace: (match: string, base: string, reading: string) => string): string {
  const text = html.replaceAll('&nbsp;', ' ');
  const closings = new Finder(text, ']');
  const newlines = new Finder(text, '\n');
  const out: string[] = [];
  let copied = 0;
  let runStart = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '>') {
      runStart = i + 1;
      i++;
      continue;
    }
    const close = c === '[' && i > runStart ? closings.next(i + 2) : -1;
    const newline = close === -1 ? -1 : newlines.next(i + 1);
    if (close === -1 || (newline !== -1 && newline < close)) {
      i++;
      continue;
    }
    const matchStart = runStart > 0 && text[runStart - 1] === ' ' && runStart - 1 >= copied ? runStart - 1 : runStart;
    out.push(text.slice(copied, matchStart), replace(text.slice(matchStart, close + 1), text.slice(runStart, i), text.slice(i + 1, close)));
    copied = close + 1;
    runStart = close + 1;
    i = close + 1;
  }
  out.push(text.slice(copied));
  return out.join('');
}

const rubyFilters: Record<string, (base: string, reading: string) => string> = {
  furigana: (base, reading) => `<ruby><rb>${base}</rb><rt>${reading}</rt></ruby>`,
  kanji: (base) => base,
  kana: (_base, reading) => reading,
};

// Templates
//----------------------------------------

type TemplateNode =
  | { type: 'text'; text: string }
  /** Filters in the order they apply: the one nearest the field name first. */
  | { type: 'replacement'; key: string; filters: string[] }
  /** `close` is the index of the matching close node. */
  | { type: 'open'; key: string; negated: boolean; close: number }
  | { type: 'close' };

/** The template as a flat node list, or Anki's words for why it cannot be used. */
function parseTemplate(source: string): TemplateNode[] | { problem: string } {
  let text = source;
  let [openTag, closeTag] = ['{{', '}}'];
  const altSyntax = '{{=<% %>=}}';
  if (source.trimStart().startsWith(altSyntax)) {
    text = source.trimStart();
    while (text.startsWith(altSyntax)) text = text.slice(altSyntax.length);
    [openTag, closeTag] = ['<%', '%>'];
  }
  const opens = new Finder(text, openTag);
  const closes = new Finder(text, closeTag);
  const comments = new Finder(text, '<!--');
  const commentEnds = new Finder(text, '-->');
  const nodes: TemplateNode[] = [];
  const openSections: number[] = [];
  let pos = 0;
  let textStart = 0;
  for (;;) {
    let tag = opens.next(pos);
    if (tag !== -1 && closes.next(tag + 2) === -1) tag = -1;
    let comment = comments.next(pos);
    if (comment !== -1 && commentEnds.next(comment + 4) === -1) comment = -1;
    if (tag === -1 && comment === -1) break;
    if (comment !== -1 && (tag === -1 || comment < tag)) {
      // Comments stay in the output as they are, tags inside them untouched.
      pos = commentEnds.next(comment + 4) + 3;
      continue;
    }
    const tagEnd = closes.next(tag + 2);
    if (tag > textStart) nodes.push({ type: 'text', text: text.slice(textStart, tag) });
    pos = textStart = tagEnd + 2;
    const inner = text.slice(tag + 2, tagEnd).replace(/^\{+/, '').trim();
    const sigil = inner.length >= 2 ? inner[0] : '';
    const key = inner.slice(1).trimStart();
    if (sigil === '#' || sigil === '^') {
      openSections.push(nodes.length);
      nodes.push({ type: 'open', key, negated: sigil === '^', close: -1 });
    } else if (sigil === '/') {
      const open = nodes[openSections.at(-1) ?? -1];
      if (open?.type !== 'open' || open.key !== key) {
        return {
          problem: open?.type === 'open' ? `Found '{{/${key}}}', but expected '{{/${open.key}}}'` : `Found '{{/${key}}}', but missing '{{#${key}}}' or '{{^${key}}}'`,
        };
      }
      open.close = nodes.length;
      openSections.pop();
      nodes.push({ type: 'close' });
    } else {
      const parts = inner.split(':');
      nodes.push({ type: 'replacement', key: parts.pop() ?? '', filters: parts.reverse() });
    }
  }
  const unclosed = nodes[openSections.at(-1) ?? -1];
  if (unclosed?.type === 'open') return { problem: `Missing '{{/${unclosed.key}}}'` };
  if (textStart < text.length) nodes.push({ type: 'text', text: text.slice(textStart) });
  return nodes;
}

/** Anki's rule for a blank front: no field it would show is non-empty, sections taken as the fields say. */
function rendersAField(nodes: TemplateNode[], nonempty: ReadonlySet<string>): boolean {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.type === 'replacement' && nonempty.has(node.key)) return true;
    if (node.type === 'open' && nonempty.has(node.key) === node.negated) i = node.close;
  }
  return false;
}

interface SideContext {
  fields: ReadonlyMap<string, string>;
  nonempty: ReadonlySet<string>;
  cardOrd: number;
  /** The rendered question, while rendering the answer. */
  frontSide: string | undefined;
  clozeTrees: ClozeTrees;
}

/** A filter's output, or undefined for one Anki does not know. */
function applyFilter(filter: string, text: string, fieldName: string, side: SideContext): string | undefined {
  const question = side.frontSide === undefined;
  switch (filter) {
    case 'text':
      return stripHtml(text);
    case 'furigana':
    case 'kanji':
    case 'kana': {
      const ruby = rubyFilters[filter];
      return replaceRuby(text, (match, base, reading) => (reading.startsWith('sound:') ? match : ruby(base, reading)));
    }
    // The reviewer's type-answer pass replaces these markers once the side is complete.
    case 'type':
      return `[[type:${fieldName}]]`;
    case 'type-cloze':
      return `[[type:cloze:${fieldName}]]`;
    case 'type-nc':
      return `[[type:nc:${fieldName}]]`;
    case 'hint':
      // Anki's hint is a link revealing the text by script; <details> does the same without.
      return text.trim() === '' ? text : `<details class="hint"><summary>${escapeMinimal(fieldName)}</summary>${text}</details>`;
    case 'cloze':
      return stripHtmlInsideMathjax(revealClozeText(clozeTree(text, side.clozeTrees), side.cardOrd + 1, question));
    case 'cloze-only':
      return activeClozeTexts(clozeTree(text, side.clozeTrees), side.cardOrd + 1, question, []).join(', ');
    case '':
      return text;
    default:
      return filter.startsWith('tts ') ? `[anki:tts lang=${filter.slice(4)}]${text}[/anki:tts]` : undefined;
  }
}

function applyFilters(text: string, filters: string[], fieldName: string, side: SideContext): string {
  let chain = filters;
  if (filters.at(-1) === 'type') {
    const [inner] = filters;
    chain = filters.length === 2 && (inner === 'cloze' || inner === 'nc') ? [`type-${inner}`] : ['type'];
  }
  let output = text;
  for (const filter of chain) {
    const filtered = applyFilter(filter, output, fieldName, side);
    // Anki hands an unknown filter and all after it to add-ons; without one they change nothing.
    if (filtered === undefined) return output;
    output = filtered;
  }
  return output;
}

/** Cloze conditionals such as {{#c2}} are valid on every card, the number being Rust's u32. */
function isClozeConditional(key: string): boolean {
  return /^c\+?[0-9]+$/.test(key) && Number(key.slice(1)) <= 0xffffffff;
}

/**
 * One side's HTML, or Anki's words for a field it cannot find. Hidden sections are still
 * checked for unknown fields, as Anki checks them.
 */
function renderSide(nodes: TemplateNode[], side: SideContext): string | { problem: string } {
  const out: string[] = [];
  let hiddenDepth = 0;
  for (const node of nodes) {
    if (node.type === 'close') {
      if (hiddenDepth > 0) hiddenDepth--;
    } else if (node.type === 'open') {
      const known = side.fields.has(node.key) || isClozeConditional(node.key);
      if (!side.nonempty.has(node.key) && !known) {
        return { problem: `Found '{{${node.negated ? '^' : '#'}${node.key}}}', but there is no field called '${node.key}'` };
      }
      if (hiddenDepth > 0 || side.nonempty.has(node.key) === node.negated) hiddenDepth++;
    } else if (node.type === 'text') {
      if (hiddenDepth === 0) out.push(node.text);
    } else if (node.key === 'FrontSide') {
      if (hiddenDepth === 0) out.push(side.frontSide ?? '');
    } else if (node.key !== '' || node.filters.length === 0) {
      const value = side.fields.get(node.key);
      if (value === undefined) {
        const written = [...node.filters].reverse().map((filter) => `${filter}:`).join('');
        return { problem: `Found '{{${written}${node.key}}}', but there is no field called '${node.key}'` };
      }
      if (hiddenDepth === 0) out.push(applyFilters(value, node.filters, node.key, side));
    }
  }
  return out.join('');
}

// The reviewer's type-answer pass
//----------------------------------------

interface TypeMarker {
  start: number;
  end: number;
  spec: string;
}

/** The reviewer's pattern \[\[type:(.+?)\]\]: the nearest "]]" on the same line. */
function typeMarkers(html: string): TypeMarker[] {
  const starts = new Finder(html, '[[type:');
  const ends = new Finder(html, ']]');
  const newlines = new Finder(html, '\n');
  const markers: TypeMarker[] = [];
  let pos = 0;
  for (let start = starts.next(pos); start !== -1; start = starts.next(pos)) {
    const end = ends.next(start + 8);
    if (end === -1) break;
    const newline = newlines.next(start + 7);
    if (newline !== -1 && newline < end) {
      pos = start + 1;
      continue;
    }
    markers.push({ start, end: end + 2, spec: html.slice(start + 7, end) });
    pos = end + 2;
  }
  return markers;
}

function replaceMarkers(html: string, markers: TypeMarker[], replacement: string): string {
  const out: string[] = [];
  let pos = 0;
  for (const marker of markers) {
    out.push(html.slice(pos, marker.start), replacement);
    pos = marker.end;
  }
  out.push(html.slice(pos));
  return out.join('');
}

/** The text without [sound:…] tags (a name of at least one character up to the nearest "]"). */
function withoutSoundTags(html: string): string {
  const starts = new Finder(html, '[sound:');
  const ends = new Finder(html, ']');
  const out: string[] = [];
  let pos = 0;
  for (let start = starts.next(pos); start !== -1; start = starts.next(pos)) {
    const end = ends.next(start + 7);
    if (end === -1) break;
    if (end === start + 7) {
      out.push(html.slice(pos, start + 1));
      pos = start + 1;
      continue;
    }
    out.push(html.slice(pos, start));
    pos = end + 1;
  }
  out.push(html.slice(pos));
  return out.join('');
}

/** Sound tags out, then Anki's strip_expected: line breaks as spaces, HTML as text, trimmed. */
function expectedAnswerText(html: string): string {
  const lines = withoutSoundTags(html).replace(/(?:\n|<br\s?\/?>|<\/?div>)+/gi, ' ');
  return stripHtml(lines).trim();
}

/**
 * The question with its type-answer markers done: no input box here, so they vanish, or
 * become Anki's warning when the field is unknown. Returns the answer to expect, as the first
 * marker names it.
 */
function typeAnswerQuestion(html: string, noteType: TemplateNoteType, fields: string[], side: SideContext): { html: string; expected: string } {
  const markers = typeMarkers(html);
  if (markers.length === 0) return { html, expected: '' };
  let name = markers[0].spec;
  const cloze = name.startsWith('cloze:');
  if (cloze) name = name.split(':')[1];
  if (name.startsWith('nc:')) name = name.split(':')[1];
  const index = noteType.fields.indexOf(name);
  const field = index === -1 ? undefined : (fields[index] ?? '');
  const expected = field !== undefined && cloze ? clozeForTyping(clozeTree(field, side.clozeTrees), side.cardOrd + 1) || undefined : field;
  if (expected === undefined) {
    const warning = cloze ? 'Please run Tools>Empty Cards' : `Type answer: unknown field ${escapeMinimal(name)}`;
    return { html: replaceMarkers(html, markers, warning), expected: '' };
  }
  return { html: replaceMarkers(html, markers, ''), expected };
}

/** The answer with each marker showing the expected answer, the answer rule moved before it as the reviewer moves it. */
function typeAnswerAnswer(html: string, expected: string): string {
  if (expected === '') return replaceMarkers(html, typeMarkers(html), '');
  const rule = '<hr id=answer>';
  const withoutRule = html.replaceAll(rule, '');
  const markers = typeMarkers(withoutRule);
  if (markers.length === 0) return html;
  const shown = `<div class="type-answer">${escapeMinimal(expectedAnswerText(expected))}</div>`;
  return replaceMarkers(withoutRule, markers, withoutRule.length === html.length ? shown : rule + shown);
}

// Cards
//----------------------------------------

/** Fields Anki adds to every note's, where no note field has the name. */
function specialFields(noteType: TemplateNoteType, templateName: string, context: CardContext): [string, string][] {
  return [
    ['Tags', context.tags.join(' ')],
    ['Type', noteType.name],
    ['Subdeck', context.deckName.split('::').at(-1) ?? ''],
    ['Deck', context.deckName],
    // Kubecards carries neither flags nor Anki's card ids into a card's text.
    ['CardFlag', ''],
    ['Card', templateName],
    ['CardID', ''],
  ];
}

function noteFieldMap(noteType: TemplateNoteType, fields: string[]): Map<string, string> {
  return new Map(noteType.fields.map((name, index) => [name, fields[index] ?? '']));
}

function templateProblemHeading(side: 'Front' | 'Back'): string {
  return `${side} template has a problem:`;
}

function renderWithTemplate(
  noteType: TemplateNoteType,
  template: TemplateNoteType['templates'][number],
  fields: string[],
  ord: number,
  context: CardContext,
  clozeTrees: ClozeTrees,
): RenderedCard {
  const fieldMap = noteFieldMap(noteType, fields);
  for (const [name, value] of [...specialFields(noteType, template.name, context), [`c${ord + 1}`, '1']]) {
    if (!fieldMap.has(name)) fieldMap.set(name, value);
  }
  const nonempty = new Set([...fieldMap].filter(([, value]) => !fieldIsEmpty(value)).map(([name]) => name));
  const side: SideContext = { fields: fieldMap, nonempty, cardOrd: ord, frontSide: undefined, clozeTrees };
  // A problem on either side shows on both, as Anki's render fails as a whole.
  const failed = (sideName: 'Front' | 'Back', problem: string): RenderedCard => {
    const html = `<div class="template-error">${templateProblemHeading(sideName)}<br>${escapeMinimal(problem)}</div>`;
    return { ord, question: html, answer: html, empty: false };
  };

  const front = parseTemplate(template.front);
  if ('problem' in front) return failed('Front', front.problem);
  const rawQuestion = renderSide(front, side);
  if (typeof rawQuestion !== 'string') return failed('Front', rawQuestion.problem);
  const blank =
    noteType.kind === 'cloze'
      ? !clozeNumbersIn(fieldMap.values(), clozeTrees).has(ord + 1) && `No cloze ${ord + 1} found on card.`
      : !rendersAField(front, nonempty) && 'The front of this card is blank.';
  const question = typeAnswerQuestion(rawQuestion, noteType, fields, side);
  if (blank) {
    const message = `<div class="card-blank">${blank}</div>`;
    return { ord, question: question.html + message, answer: message, empty: true };
  }

  const back = parseTemplate(template.back);
  if ('problem' in back) return failed('Back', back.problem);
  const rawAnswer = renderSide(back, { ...side, frontSide: rawQuestion });
  if (typeof rawAnswer !== 'string') return failed('Back', rawAnswer.problem);
  return { ord, question: question.html, answer: typeAnswerAnswer(rawAnswer, question.expected), empty: false };
}

function clozeNumbersIn(texts: Iterable<string>, trees: ClozeTrees): Set<number> {
  const numbers = new Set<number>();
  for (const text of texts) addClozeNumbers(clozeTree(text, trees), numbers);
  return numbers;
}

/** Anki's card generation for a new note: which ords it makes, ascending. */
function generatedOrds(noteType: TemplateNoteType, fields: string[], context: CardContext, clozeTrees: ClozeTrees): number[] {
  let ords: number[];
  if (noteType.kind === 'cloze') {
    ords = [...new Set([...clozeNumbersIn(fields, clozeTrees)].map((number) => Math.min(number - 1, maxClozeOrd)))].sort((a, b) => a - b);
  } else {
    const fieldMap = noteFieldMap(noteType, fields);
    const nonempty = new Set([...fieldMap].filter(([, value]) => !fieldIsEmpty(value)).map(([name]) => name));
    // Special fields count as filled whatever their value, FrontSide never, Tags when there are tags.
    for (const [name] of specialFields(noteType, '', context)) {
      if (!fieldMap.has(name) && (name !== 'Tags' || context.tags.length > 0)) nonempty.add(name);
    }
    ords = noteType.templates.flatMap((template, ord) => {
      const front = parseTemplate(template.front);
      return !('problem' in front) && rendersAField(front, nonempty) ? [ord] : [];
    });
  }
  // A note always keeps at least one card, even a blank one.
  return ords.length > 0 ? ords : [0];
}

/** The cards a note makes, in ord order (Anki's card generation), each side rendered as HTML. */
export function renderNoteCards(noteType: TemplateNoteType, fields: string[], context: CardContext): RenderedCard[] {
  const clozeTrees: ClozeTrees = new Map();
  return generatedOrds(noteType, fields, context, clozeTrees).flatMap((ord) => renderCardWith(noteType, fields, ord, context, clozeTrees) ?? []);
}

/**
 * One card by template ord (cloze number - 1 for a cloze note type); undefined where no
 * template could make it. A card Anki would not generate now (its front blank, its cloze
 * gone) renders as Anki shows such a card, marked `empty`.
 */
export function renderCard(noteType: TemplateNoteType, fields: string[], ord: number, context: CardContext): RenderedCard | undefined {
  return renderCardWith(noteType, fields, ord, context, new Map());
}

function renderCardWith(noteType: TemplateNoteType, fields: string[], ord: number, context: CardContext, clozeTrees: ClozeTrees): RenderedCard | undefined {
  if (!Number.isInteger(ord) || ord < 0) return undefined;
  const template = noteType.templates[noteType.kind === 'cloze' ? 0 : ord];
  return template && renderWithTemplate(noteType, template, fields, ord, context, clozeTrees);
}

/**
 * Why each template that cannot render fails, in Anki's words with the template's name:
 * unclosed or mismatched sections, and fields the note type does not have.
 */
export function templateProblems(noteType: TemplateNoteType): string[] {
  const fieldMap = noteFieldMap(noteType, []);
  return noteType.templates.flatMap((template, ord) => {
    const fields = new Map([...specialFields(noteType, template.name, { tags: [], deckName: '' }), [`c${ord + 1}`, '1'], ...fieldMap]);
    const side: SideContext = { fields, nonempty: new Set(), cardOrd: ord, frontSide: '', clozeTrees: new Map() };
    return (['Front', 'Back'] as const).flatMap((sideName) => {
      const nodes = parseTemplate(sideName === 'Front' ? template.front : template.back);
      const rendered = 'problem' in nodes ? nodes : renderSide(nodes, side);
      return typeof rendered === 'string' ? [] : [`${template.name}: ${templateProblemHeading(sideName)} ${rendered.problem}`];
    });
  });
}
