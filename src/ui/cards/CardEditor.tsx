import '../common/card.css';
import '../common/forms.css';
import './cards.css';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import { clozeMarksAsBold, clozeProblem, expandCloze, withoutClozeMarks } from '../../domain/cloze.ts';
import type { CardRecord } from '../../domain/types.ts';
import { cardsForNewNote, editNote, noteProblem, parseTags, type NoteInput } from '../../domain/userCards.ts';
import { Markdown } from '../common/Markdown.tsx';
import { StaleRecordError } from '../../storage/staleRecord.ts';
import { errorText } from '../common/UndoButton.tsx';

type Form = { kind: 'basic' | 'cloze'; front: string; back: string; text: string; tags: string; note: string };

function formOf(card: CardRecord | undefined): Form {
  if (!card) return { kind: 'basic', front: '', back: '', text: '', tags: '', note: '' };
  const text = card.cloze?.text ?? card.front;
  return { kind: card.cloze ? 'cloze' : 'basic', front: clozeMarksAsBold(card.front), back: clozeMarksAsBold(card.back), text, tags: card.tags.join(' '), note: card.note };
}

/** The note as typed; characters that would pose as cloze marks are dropped. */
function inputOf(form: Form): NoteInput {
  const typed = (text: string) => withoutClozeMarks(text).trim();
  const common = { tags: parseTags(form.tags), note: typed(form.note) };
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
  const field = (key: keyof Form) => ({
    value: form[key],
    onInput: (event: Event) => setForm({ ...form, [key]: (event.target as HTMLInputElement).value }),
  });
  // Built-in cloze cards keep their two sides; only the user's own cloze notes are re-expanded.
  const kindFixed = card !== undefined;

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
      let step;
      if (card) {
        const before = await storage.noteCards(card);
        step = await storage.saveNote(before, editNote(input, before, await storage.nextPosition(card.deckId), now, card.id), card);
      } else {
        step = await storage.addCards(cardsForNewNote(input, targetDeck, newNoteId(), await storage.nextPosition(targetDeck), now));
      }
      session.undo.push(step);
      // Replaced, so that Back from there does not come back into the editor.
      if (card) location.replace(returnHref);
      else {
        setSaved(`Added ${step.addedCardIds.length === 1 ? 'a card' : `${step.addedCardIds.length} cards`}.`);
        setForm({ ...formOf(undefined), kind: form.kind, tags: form.tags });
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
              <textarea rows={3} {...field('front')} />
            </label>
            <label>
              Back
              <textarea rows={3} {...field('back')} />
            </label>
          </>
        ) : (
          <label>
            Text, with deletions such as {'{{c1::kubelet}}'}
            <textarea rows={4} {...field('text')} />
          </label>
        )}
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
