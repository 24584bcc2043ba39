import '../cards/cards.css';
import type { Session } from '../../app/session.ts';
import { deckNameProblem } from '../../domain/deckName.ts';
import type { Deck } from '../../domain/types.ts';
import { errorText } from '../common/UndoButton.tsx';

/** What can be done with the deck itself: add a card, its options, rename, delete. */
export function DeckMenu({ session, deck, onRenamed }: { session: Session; deck: Deck; onRenamed(deck: Deck): void }) {
  const rename = async () => {
    const title = prompt('Deck name', deck.title)?.trim();
    if (!title || title === deck.title) return;
    const problem = deckNameProblem(title);
    if (problem) {
      alert(`The deck was not renamed: ${problem}.`);
      return;
    }
    try {
      session.undo.push(await session.storage.renameDeck(deck, title, deck.description, new Date()));
      onRenamed({ ...deck, title });
    } catch (error) {
      alert(`The deck was not renamed: ${errorText(error)}.`);
    }
  };
  const remove = async () => {
    if (!confirm(`Delete the deck "${deck.title}" with all its cards and their review history? Undo can bring it back while the app stays open.`)) {
      return;
    }
    try {
      session.undo.push(await session.storage.deleteDeck(deck.id));
      location.hash = '#/';
    } catch (error) {
      alert(`The deck was not deleted: ${errorText(error)}`);
    }
  };
  return (
    <nav class="deck-menu" aria-label="Deck">
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
    </nav>
  );
}
