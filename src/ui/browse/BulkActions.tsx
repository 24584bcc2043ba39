import { useState } from 'preact/hooks';
import type { SelectionFacts } from '../../domain/browse.ts';
import { askToConfirm } from '../common/ask.tsx';
import { Dialog } from '../common/Dialog.tsx';
import { flagNames } from '../common/flags.ts';

/** What Browse does to the selected cards; `done` words it for the notice afterwards ("Suspended 3 cards."). */
export type BulkAction = { done: string } & (
  | { kind: 'suspend' | 'unsuspend' }
  | { kind: 'flag'; flag: number }
  | { kind: 'addTag' | 'removeTag'; tag: string }
  | { kind: 'move'; deckId: string }
  /** Deletes every card of the selected cards' notes. */
  | { kind: 'delete' }
);

function count(cards: number): string {
  return cards === 1 ? '1 card' : `${cards.toLocaleString()} cards`;
}

/** The selected cards' actions, in a sheet within thumb reach; Delete asks first, in the app. */
export function BulkActions({
  selection,
  decks,
  onAction,
  onClose,
}: {
  selection: SelectionFacts;
  decks: { id: string; title: string }[];
  onAction(action: BulkAction): void;
  onClose(): void;
}) {
  const [tag, setTag] = useState('');
  const [tagProblem, setTagProblem] = useState<string>();
  const [tagToRemove, setTagToRemove] = useState(selection.tags[0] ?? '');
  const [deckId, setDeckId] = useState(decks[0]?.id ?? '');

  const addTag = (event: Event) => {
    event.preventDefault();
    const name = tag.trim();
    // Anki's tags are single words: a space or comma would make two.
    if (!name || /[\s,]/.test(name)) return setTagProblem('A tag is one word, without spaces or commas.');
    onAction({ kind: 'addTag', tag: name, done: `Tagged “${name}” on` });
  };

  const deleteCards = async () => {
    const total = selection.noteCardCount;
    const siblings = total - selection.count;
    onClose();
    const confirmed = await askToConfirm({
      title: `Delete ${count(total)}?`,
      message: `Their review history goes with them${siblings > 0 ? `, and ${siblings === 1 ? 'the other card' : `${siblings.toLocaleString()} other cards`} of the same notes: as in Anki, a note goes whole` : ''}. Undo brings them back.`,
      confirmLabel: 'Delete',
      danger: true,
    });
    if (confirmed) onAction({ kind: 'delete', done: 'Deleted' });
  };

  return (
    <Dialog title={`${count(selection.count)} selected`} onClose={onClose}>
      <div class="bulk-actions">
        <div class="bulk-row">
          <button type="button" onClick={() => onAction({ kind: 'suspend', done: 'Suspended' })}>
            Suspend
          </button>
          <button type="button" onClick={() => onAction({ kind: 'unsuspend', done: 'Unsuspended' })}>
            Unsuspend
          </button>
        </div>
        <fieldset class="flags">
          <legend>Flag</legend>
          {flagNames.map((name, flag) => (
            <button key={name} type="button" class={`flag flag-${flag}`} onClick={() => onAction({ kind: 'flag', flag, done: flag ? `${name} flag on` : 'Flag removed from' })}>
              {name}
            </button>
          ))}
        </fieldset>
        <form class="bulk-row" onSubmit={addTag} noValidate>
          <label class="bulk-field">
            Tag to add
            <input
              type="text"
              value={tag}
              autocapitalize="off"
              spellcheck={false}
              aria-invalid={tagProblem ? true : undefined}
              aria-describedby={tagProblem ? 'tag-problem' : undefined}
              onInput={(event) => {
                setTag((event.target as HTMLInputElement).value);
                setTagProblem(undefined);
              }}
            />
          </label>
          <button type="submit">Add tag</button>
        </form>
        {tagProblem && (
          <p id="tag-problem" class="field-error" role="alert">
            {tagProblem}
          </p>
        )}
        {selection.tags.length > 0 && (
          <div class="bulk-row">
            <label class="bulk-field">
              Tag to remove
              <select value={tagToRemove} onChange={(event) => setTagToRemove((event.target as HTMLSelectElement).value)}>
                {selection.tags.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" onClick={() => onAction({ kind: 'removeTag', tag: tagToRemove, done: `Tag “${tagToRemove}” removed from` })}>
              Remove tag
            </button>
          </div>
        )}
        <div class="bulk-row">
          <label class="bulk-field">
            Deck
            <select value={deckId} onChange={(event) => setDeckId((event.target as HTMLSelectElement).value)}>
              {decks.map((deck) => (
                <option key={deck.id} value={deck.id}>
                  {deck.title}
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={!deckId} onClick={() => onAction({ kind: 'move', deckId, done: 'Moved' })}>
            Move
          </button>
        </div>
        <button type="button" class="danger" onClick={deleteCards}>
          Delete…
        </button>
      </div>
    </Dialog>
  );
}
