import '../common/forms.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import type { CardRecord } from '../../domain/types.ts';
import { cardsForNewNote, editNote, noteProblem, parseTags, type NoteInput } from '../../domain/userCards.ts';
import { Markdown } from '../common/Markdown.tsx';
import { errorText } from '../common/UndoButton.tsx';

type Form = { kind: 'basic' | 'cloze'; front: string; back: string; text: string; tags: string; note: string };

function formOf(card: CardRecord | undefined): Form {
  if (!card) return { kind: 'basic', front: '', back: '', text: '', tags: '', note: '' };
  const text = card.cloze?.text ?? card.front;
  return { kind: card.cloze ? 'cloze' : 'basic', front: card.front, back: card.back, text, tags: card.tags.join(' '), note: card.note };
}

function inputOf(form: Form): NoteInput {
  const common = { tags: parseTags(form.tags), note: form.note.trim() };
  return form.kind === 'basic' ? { kind: 'basic', front: form.front.trim(), back: form.back.trim(), ...common } : { kind: 'cloze', text: form.text.trim(), ...common };
}

function newNoteId(): string {
  return `user-${crypto.randomUUID()}`;
}

/**
 * Adds a note to a deck (`deckId`) or edits a card (`cardId`), with a live preview of the
 * Markdown. A cloze note makes one card per {{c1::…}} number.
 */
export function CardEditor({ session, deckId, cardId }: { session: Session; deckId?: string; cardId?: string }) {
  const [card, setCard] = useState<CardRecord | null>();
  const [form, setForm] = useState<Form>(formOf(undefined));
  const [problem, setProblem] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const saving = useRef(false);

  useEffect(() => {
    if (!cardId) return setCard(undefined);
    session.storage.card(cardId).then((found) => {
      setCard(found ?? null);
      setForm(formOf(found));
    });
  }, [session, cardId]);

  if (card === null) return <main class="screen">This card does not exist.</main>;
  const targetDeck = card?.deckId ?? deckId!;
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
        step = await storage.saveNote(before, editNote(input, before, await storage.nextPosition(card.deckId), now), card);
      } else {
        step = await storage.addCards(cardsForNewNote(input, targetDeck, newNoteId(), await storage.nextPosition(targetDeck), now));
      }
      session.undo.push(step);
      if (card) history.back();
      else {
        setSaved(`Added ${step.addedCardIds.length === 1 ? 'a card' : `${step.addedCardIds.length} cards`}.`);
        setForm({ ...formOf(undefined), kind: form.kind, tags: form.tags });
      }
    } catch (error) {
      setProblem(`Not saved: ${errorText(error)}`);
    } finally {
      saving.current = false;
    }
  };

  return (
    <main class="screen editor">
      <header class="bar">
        <a class="back" href={`#/deck/${encodeURIComponent(targetDeck)}`} aria-label="Back to the deck">
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
        {form.kind === 'basic' || (card && !card.cloze) ? (
          <>
            <Markdown text={form.front} />
            <hr />
            <Markdown text={form.back} />
          </>
        ) : (
          <Markdown text={form.text} />
        )}
      </section>
    </main>
  );
}
