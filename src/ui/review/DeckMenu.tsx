import '../cards/cards.css';
import type { Session } from '../../app/session.ts';
import { deckNameProblem } from '../../domain/deckName.ts';
import type { Deck } from '../../domain/types.ts';
import { useState } from 'preact/hooks';
import { askForText, askToConfirm } from '../common/ask.tsx';
import { errorText } from '../common/UndoButton.tsx';

/** What can be done with the deck itself: add a card, its options, rename, delete. */
export function DeckMenu({ session, deck, onRenamed }: { session: Session; deck: Deck; onRenamed(deck: Deck): void }) {
  const [problem, setProblem] = useState<string>();
  const rename = async () => {
    setProblem(undefined);
    const title = await askForText({ title: 'Rename deck', confirmLabel: 'Rename', field: { label: 'Deck name', initial: deck.title, problem: deckNameProblem } });
    if (!title || title === deck.title) return;
    try {
      session.undo.push(await session.storage.renameDeck(deck, title, deck.description, new Date()));
      onRenamed({ ...deck, title });
    } catch (error) {
      setProblem(`The deck was not renamed: ${errorText(error)}.`);
    }
  };
  const remove = async () => {
    setProblem(undefined);
    const message = `All its cards and their review history go with it. Undo can bring it back while the app stays open.`;
    if (!(await askToConfirm({ title: `Delete the deck "${deck.title}"?`, message, confirmLabel: 'Delete deck', danger: true }))) return;
    try {
      session.undo.push(await session.storage.deleteDeck(deck.id));
      location.hash = '#/';
    } catch (error) {
      setProblem(`The deck was not deleted: ${errorText(error)}`);
    }
  };
  return (
    <nav class="deck-menu" aria-label="Deck">
      {/* The header shows two lines of a long name at most: here it is whole. */}
      <h2 class="deck-menu-title" tabIndex={0}>
        {deck.title}
      </h2>
      <a class="button" href={`#/add/${encodeURIComponent(deck.id)}`}>
        Add card
      </a>
      <a class="button" href={`#/options/${encodeURIComponent(deck.id)}`}>
        Deck options
      </a>
      <button type="button" onClick={rename}>
        Rename deck
      </button>
      <button type="button" class="danger" onClick={remove}>
        Delete deck
      </button>
      {problem && (
        <p class="warning" role="alert">
          {problem}
        </p>
      )}
    </nav>
  );
}
