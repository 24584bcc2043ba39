import '../common/card.css';
import '../common/forms.css';
import './cards.css';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import { clozeMarksAsBold, clozeProblem, expandCloze, withoutClozeMarks } from '../../domain/cloze.ts';
import { allExamDomains, type ExamDomain } from '../../domain/exams.ts';
import type { CardRecord } from '../../domain/types.ts';
import { cardsForNewNote, editNote, noteProblem, parseTags, type NoteInput } from '../../domain/userCards.ts';
import { Markdown } from '../common/Markdown.tsx';
import { StaleRecordError } from '../../storage/staleRecord.ts';
import { showStatus, statusRegion } from '../common/statusMessage.ts';
import { errorText } from '../common/UndoButton.tsx';

type Form = { kind: 'basic' | 'cloze'; front: string; back: string; text: string; tags: string; note: string; exam: ExamDomain[] };

/**
 * A cloze card (the user's or built in) is edited as its note's one text. Only a built-in
 * cloze card the user edited before its note's text was kept with it has none: it shows
 * its two sides, the deletion as bold.
 */
function formOf(card: CardRecord | undefined): Form {
  if (!card) return { kind: 'basic', front: '', back: '', text: '', tags: '', note: '', exam: [] };
  const text = card.cloze?.text ?? card.front;
  return {
    kind: card.cloze ? 'cloze' : 'basic',
    front: clozeMarksAsBold(card.front),
    back: clozeMarksAsBold(card.back),
    text,
    tags: card.tags.join(' '),
    note: card.note,
    exam: card.exam,
  };
}

/** The note as typed; characters that would pose as cloze marks are dropped. */
function inputOf(form: Form): NoteInput {
  const typed = (text: string) => withoutClozeMarks(text).trim();
  const common = { tags: parseTags(form.tags), note: typed(form.note), exam: form.exam };
  return form.kind === 'basic' ? { kind: 'basic', front: typed(form.front), back: typed(form.back), ...common } : { kind: 'cloze', text: typed(form.text), ...common };
}

/** Long enough to skip the keystrokes of a word, short enough to feel live. */
const previewDelayMs = 150;
/** Up to this many characters of card text, rendering takes well under a frame: no delay. */
const previewAtOnceLimit = 4096;

/** Each card the note will make, as the review screen shows its sides. */
function NotePreview({ sides, text }: { sides: 'basic' | 'cloze'; text: { front: string; back: string; cloze: string } }) {
  if (sides === 'basic') {
    return (
      <>
        <Markdown text={text.front} />
        <hr />
        <Markdown text={text.back} />
      </>
    );
  }
  if (!text.cloze.trim()) return null;
  const problem = clozeProblem(text.cloze);
  if (problem) return <p>No cards yet: {problem.message}.</p>;
  return (
    <>
      {expandCloze(text.cloze).map(({ number, front, back }) => (
        <section key={number} aria-label={`Card ${number}`}>
          <h3>Card {number}</h3>
          <Markdown text={front} />
          <hr />
          <Markdown text={back} />
        </section>
      ))}
    </>
  );
}

function cardsText(count: number): string {
  return count === 1 ? 'a card' : `${count} cards`;
}

/** The confirmation of a saved edit, with the cards a cloze note gained or lost. */
function savedText(added: number, retired: number): string {
  const changes = [added && `added ${cardsText(added)}`, retired && `removed ${cardsText(retired)} (${retired === 1 ? 'its' : 'their'} reviews are kept)`].filter(Boolean);
  return changes.length > 0 ? `Saved: ${changes.join(', ')}.` : 'Saved.';
}

function newNoteId(): string {
  return `user-${crypto.randomUUID()}`;
}

/**
 * Adds a note to a deck (`deckId`) or edits a card (`cardId`), with a live preview of each
 * card the note makes: a cloze note makes one card per {{c1::…}} number.
 */
export function CardEditor({ session, deckId, cardId }: { session: Session; deckId?: string; cardId?: string }) {
  const [card, setCard] = useState<CardRecord | null>();
  const [form, setForm] = useState<Form>(formOf(undefined));
  // A long text is previewed after a pause in typing, so that a keystroke after a long paste
  // does not render it again; a short one as it is typed.
  const [paused, setPaused] = useState<Form>(form);
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const saving = useRef(false);

  // Present before a save speaks through it, so that screen readers announce the confirmation.
  useEffect(() => void statusRegion(), []);
  useEffect(() => {
    if (!cardId) return setCard(undefined);
    session.storage.card(cardId).then((found) => {
      setCard(found ?? null);
      setForm(formOf(found));
      setPaused(formOf(found));
    });
  }, [session, cardId]);
  useEffect(() => {
    const timer = setTimeout(() => setPaused(form), previewDelayMs);
    return () => clearTimeout(timer);
  }, [form]);
  const previewed = form.front.length + form.back.length + form.text.length <= previewAtOnceLimit ? form : paused;
  const basicSides = previewed.kind === 'basic' || (card !== undefined && card !== null && !card.cloze);
  // The same element while the previewed text stands still: typing tags does not render it again.
  const preview = useMemo(
    () => <NotePreview sides={basicSides ? 'basic' : 'cloze'} text={{ front: previewed.front, back: previewed.back, cloze: previewed.text }} />,
    [basicSides, previewed.front, previewed.back, previewed.text],
  );

  if (card === null) return <main class="screen">This card does not exist.</main>;
  const targetDeck = card?.deckId ?? deckId!;
  if (card?.kind === 'html') {
    // Its text is made from an Anki note's fields and templates, which this editor does not edit.
    return (
      <main class="screen editor">
        <p>
          This card was imported from Anki, and its notes cannot be edited here yet. Edit the note in Anki and import the package again: the note is
          updated and your reviews are kept.
        </p>
        <a class="button" href={`#/deck/${encodeURIComponent(targetDeck)}`}>
          Back to the deck
        </a>
      </main>
    );
  }
  // Where the editor was opened from (the card screen says so in the address), never
  // history.back(): a tab opened on the editor has nothing to go back to.
  const fromCardScreen = cardId !== undefined && new URLSearchParams(location.hash.split('?')[1] ?? '').get('from') === 'card';
  const returnHref = fromCardScreen ? `#/card/${encodeURIComponent(cardId)}` : `#/deck/${encodeURIComponent(targetDeck)}`;
  const field = (key: Exclude<keyof Form, 'kind' | 'exam'>) => ({
    value: form[key],
    onInput: (event: Event) => setForm({ ...form, [key]: (event.target as HTMLInputElement).value }),
  });
  // A card stays the type it is: a basic card's text cannot become a note of several cards.
  const kindFixed = card !== undefined;
  const toggleDomain = (domain: ExamDomain, on: boolean) =>
    setForm({ ...form, exam: on ? allExamDomains.filter((known) => known === domain || form.exam.includes(known)) : form.exam.filter((known) => known !== domain) });

  const save = async (event: Event) => {
    event.preventDefault();
    if (saving.current) return; // a double tap must not add the note twice
    const input = inputOf(form);
    const wrong = noteProblem(input);
    setProblem(wrong);
    if (wrong) return;
    saving.current = true;
    try {
      const { storage } = session;
      const now = new Date();
      if (card) {
        const before = await storage.noteCards(card);
        const change = editNote(input, before, await storage.nextPosition(card.deckId), now, card.id);
        session.undo.push(await storage.saveNote(before, change, card));
        // Said on the screen Save returns to, which the editor's own messages do not outlive.
        showStatus(savedText(change.added.length, change.retired.length));
        // Replaced, so that Back from there does not come back into the editor.
        location.replace(returnHref);
      } else {
        const step = await storage.addCards(cardsForNewNote(input, targetDeck, newNoteId(), await storage.nextPosition(targetDeck), now));
        session.undo.push(step);
        setSaved(`Added ${cardsText(step.addedCardIds.length)}.`);
        // What the next note likely shares stays, as Anki keeps the note type and tags.
        setForm({ ...formOf(undefined), kind: form.kind, tags: form.tags, exam: form.exam });
      }
    } catch (error) {
      setProblem(`Not saved: ${errorText(error)}`);
      // Changed in another tab: take the card as stored now, keeping the text typed here,
      // so that Save again applies it to the current card.
      if (card && error instanceof StaleRecordError) setCard((await session.storage.card(card.id)) ?? null);
    } finally {
      saving.current = false;
    }
  };

  return (
    <main class="screen editor">
      <header class="bar">
        <a class="back" href={returnHref} aria-label={fromCardScreen ? 'Back to the card' : 'Back to the deck'}>
          ‹
        </a>
        <h1>{card ? 'Edit card' : 'Add card'}</h1>
      </header>
      <form onSubmit={save} noValidate>
        {!kindFixed && (
          <fieldset class="kind">
            <legend>Type</legend>
            {(['basic', 'cloze'] as const).map((kind) => (
              <label key={kind}>
                <input type="radio" name="kind" checked={form.kind === kind} onChange={() => setForm({ ...form, kind })} />
                {kind === 'basic' ? 'Basic (front and back)' : 'Cloze ({{c1::…}} deletions)'}
              </label>
            ))}
          </fieldset>
        )}
        {form.kind === 'basic' || (card && !card.cloze) ? (
          <>
            <label>
              Front
              <textarea class="card-source" rows={3} {...field('front')} />
            </label>
            <label>
              Back
              <textarea class="card-source" rows={3} {...field('back')} />
            </label>
          </>
        ) : (
          <label>
            Text, with deletions such as {'{{c1::kubelet}}'}
            <textarea class="card-source" rows={4} {...field('text')} />
          </label>
        )}
        <fieldset class="exam-domains">
          <legend>Exam domains (its cards count toward their readiness)</legend>
          {allExamDomains.map((domain) => (
            <label key={domain} class="checkbox">
              <input type="checkbox" checked={form.exam.includes(domain)} onChange={(event) => toggleDomain(domain, (event.target as HTMLInputElement).checked)} />
              {domain}
            </label>
          ))}
        </fieldset>
        <label>
          Tags (separated by spaces)
          <input type="text" {...field('tags')} />
        </label>
        <label>
          Extra note shown after the answer (optional)
          <textarea rows={2} {...field('note')} />
        </label>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        {saved && (
          <p class="notice" role="status">
            {saved}
          </p>
        )}
        <button type="submit" class="primary">
          {card ? 'Save' : 'Add'}
        </button>
      </form>
      <section class="preview" aria-label="Preview">
        <h2>Preview</h2>
        {preview}
      </section>
    </main>
  );
}
