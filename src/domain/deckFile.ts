// Reads the human-written deck files of decks/ (format in decks/README.md). Every problem is
// reported as "file:line: what is wrong" so a broken deck fails the build with a clear pointer.
import { clozeProblem, expandCloze, withoutClozeMarks } from './cloze.ts';
import { isExamDomain, type ExamDomain } from './exams.ts';
import type { CardContent, CardRecord } from './types.ts';

export interface DeckSource {
  file: string;
  text: string;
}

export interface BuiltInCard extends CardContent {
  id: string;
  /** Order of introduction within the deck. */
  position: number;
  /** A cloze card's note (its "C:" text, the card block's id), so that the editor edits the note as one text. */
  cloze?: CardRecord['cloze'];
}

export interface BuiltInDeck {
  id: string;
  title: string;
  description: string;
  /** Set by a `companion:` header line: the deck is exam material beyond the talk, and says so. */
  companion?: string;
  cards: BuiltInCard[];
}

export class DeckFormatError extends Error {
  constructor(readonly problems: string[]) {
    super(`Deck files have ${problems.length} problem(s):\n${problems.join('\n')}`);
    this.name = 'DeckFormatError';
  }
}

/** The most characters a card field may hold, in a deck file or in the editor. */
export const cardFieldLimit = 65_536;
const titleLimit = 200;

const requiredHeaderFields = ['deck', 'title', 'description'] as const;
const headerFields = [...requiredHeaderFields, 'companion'] as const;
const cardFields = ['Q', 'A', 'C', 'source', 'exam', 'tags', 'note'] as const;
type HeaderField = (typeof headerFields)[number];
type CardField = (typeof cardFields)[number];

/** Fields whose text may run over several lines; the others are one line each. */
const multiLineFields: readonly string[] = ['description', 'Q', 'A', 'C', 'source', 'note'];
const fieldLine = /^(deck|title|description|companion|Q|A|C|source|exam|tags|note):(?:\s(.*)|)$/;
const idPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const fenceLine = /^\s*(```|~~~)/;

interface Field {
  line: number;
  lines: string[];
}

interface Block<F extends string> {
  line: number;
  id: string;
  fields: Partial<Record<F, Field>>;
}

function fieldText(field: Field | undefined): string {
  if (!field) return '';
  const lines = [...field.lines];
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return withoutClozeMarks(lines.join('\n').trim());
}

/** Reports each of `fields` longer than `limit` characters. */
function checkLengths(fields: Partial<Record<string, Field>>, names: readonly string[], limit: number, at: (line: number) => string, problems: string[]) {
  for (const name of names) {
    const field = fields[name];
    const length = fieldText(field).length;
    if (field && length > limit) problems.push(`${at(field.line)}: "${name}:" has ${length.toLocaleString('en')} characters, more than the ${limit.toLocaleString('en')} allowed`);
  }
}

/** Splits a file into its header and card blocks, reporting lines that fit neither. */
function readBlocks(source: DeckSource, problems: string[]) {
  const header: Block<HeaderField> = { line: 1, id: '', fields: {} };
  const cards: Block<CardField>[] = [];
  let current: Block<string> = header;
  let field: Field | undefined;
  let fenceOpenedAt = 0;
  const at = (line: number) => `${source.file}:${line}`;

  source.text.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    if (fenceOpenedAt) {
      field?.lines.push(text);
      if (fenceLine.test(text)) fenceOpenedAt = 0;
      return;
    }
    if (text.startsWith('//')) return;
    const cardStart = /^##\s+(.*)$/.exec(text);
    if (cardStart) {
      const id = cardStart[1].trim();
      if (!idPattern.test(id)) problems.push(`${at(line)}: card id "${id}" must be lower-case letters, digits and "-"`);
      current = { line, id, fields: {} };
      cards.push(current as Block<CardField>);
      field = undefined;
      return;
    }
    const match = fieldLine.exec(text);
    if (match) {
      const name = match[1];
      const allowed: readonly string[] = current === header ? headerFields : cardFields;
      if (!allowed.includes(name)) {
        problems.push(`${at(line)}: "${name}:" does not belong ${current === header ? 'in the deck header' : 'in a card'}`);
      } else if (current.fields[name]) {
        problems.push(`${at(line)}: "${name}:" given twice (first on line ${current.fields[name].line})`);
      }
      const value: Field = { line, lines: [match[2] ?? ''] };
      current.fields[name] = value;
      field = multiLineFields.includes(name) ? value : undefined;
      return;
    }
    if (field) {
      field.lines.push(text);
      if (fenceLine.test(text)) fenceOpenedAt = line;
    } else if (text.trim() !== '') {
      problems.push(`${at(line)}: text outside any field: "${text.trim().slice(0, 40)}"`);
    }
  });
  if (fenceOpenedAt) problems.push(`${at(fenceOpenedAt)}: code block is never closed`);
  return { header, cards };
}

function parseExam(field: Field, at: string, problems: string[]): ExamDomain[] {
  const domains: ExamDomain[] = [];
  for (const name of fieldText(field).split(';').map((part) => part.trim())) {
    if (isExamDomain(name)) domains.push(name);
    else problems.push(`${at}: unknown exam domain "${name}"`);
  }
  return domains;
}

function readCard(block: Block<CardField>, file: string, problems: string[]): Omit<BuiltInCard, 'position'>[] {
  const at = (line: number) => `${file}:${line}`;
  const { Q, A, C, source, exam, tags, note } = block.fields;
  const before = problems.length;
  checkLengths(block.fields, cardFields, cardFieldLimit, at, problems);
  if (!source || !fieldText(source)) problems.push(`${at(block.line)}: card "${block.id}" has no source`);
  if (!exam || !fieldText(exam)) problems.push(`${at(block.line)}: card "${block.id}" has no exam domain`);
  const domains = exam ? parseExam(exam, at(exam.line), problems) : [];
  const common = {
    source: fieldText(source),
    exam: domains,
    tags: fieldText(tags).split(/\s+/).filter(Boolean),
    note: fieldText(note),
  };

  if (C) {
    if (Q || A) problems.push(`${at(block.line)}: card "${block.id}" mixes a cloze (C:) with Q:/A:`);
    const text = fieldText(C);
    const problem = clozeProblem(text);
    if (problem) {
      const line = C.line + text.slice(0, problem.index).split('\n').length - 1;
      problems.push(`${at(line)}: ${problem.message}`);
    }
    if (problems.length > before) return [];
    return expandCloze(text).map(({ number, front, back }) => ({
      id: `${block.id}-c${number}`,
      kind: 'cloze' as const,
      front,
      back,
      ...common,
      cloze: { noteId: block.id, text, number },
    }));
  }
  if (!Q || !fieldText(Q)) problems.push(`${at(block.line)}: card "${block.id}" has no question (Q:) or cloze (C:)`);
  if (!A || !fieldText(A)) problems.push(`${at(block.line)}: card "${block.id}" has no answer (A:)`);
  if (problems.length > before) return [];
  return [{ id: block.id, kind: 'basic', front: fieldText(Q), back: fieldText(A), ...common }];
}

/** The deck, and for each of its cards the line where the card starts. */
function readDeck(source: DeckSource, problems: string[]): { deck: BuiltInDeck; cardLines: number[] } {
  const { header, cards: blocks } = readBlocks(source, problems);
  for (const name of requiredHeaderFields) {
    if (!fieldText(header.fields[name])) problems.push(`${source.file}:1: the deck header has no "${name}:"`);
  }
  const { companion } = header.fields;
  if (companion && !fieldText(companion)) problems.push(`${source.file}:${companion.line}: "companion:" has no text`);
  checkLengths(header.fields, ['title', 'companion'], titleLimit, (line) => `${source.file}:${line}`, problems);
  const id = fieldText(header.fields.deck);
  if (id && !idPattern.test(id)) problems.push(`${source.file}:${header.fields.deck?.line}: deck id "${id}" must be lower-case letters, digits and "-"`);
  const cardLines: number[] = [];
  const cards = blocks.flatMap((block) =>
    readCard(block, source.file, problems).map((card) => {
      cardLines.push(block.line);
      return card;
    }),
  );
  if (blocks.length === 0) problems.push(`${source.file}:1: the deck has no cards`);
  const deck = {
    id,
    title: fieldText(header.fields.title),
    description: fieldText(header.fields.description),
    ...(companion ? { companion: fieldText(companion) } : {}),
    cards: cards.map((card, position) => ({ ...card, position })),
  };
  return { deck, cardLines };
}

/** Compiles all deck files; throws a DeckFormatError listing every problem found. */
export function compileDecks(sources: DeckSource[]): BuiltInDeck[] {
  const problems: string[] = [];
  const cardSeen = new Map<string, string>();
  const deckSeen = new Map<string, string>();
  const decks = sources.map((source) => {
    const { deck, cardLines } = readDeck(source, problems);
    if (deckSeen.has(deck.id)) problems.push(`${source.file}:1: deck id "${deck.id}" is also used by ${deckSeen.get(deck.id)}`);
    deckSeen.set(deck.id, source.file);
    deck.cards.forEach((card, index) => {
      const here = `${source.file}:${cardLines[index]}`;
      if (cardSeen.has(card.id)) problems.push(`${here}: duplicate card id "${card.id}" (also at ${cardSeen.get(card.id)})`);
      else cardSeen.set(card.id, here);
    });
    return deck;
  });
  if (problems.length > 0) throw new DeckFormatError(problems);
  return decks;
}
