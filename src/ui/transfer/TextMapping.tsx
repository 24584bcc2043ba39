import type { Deck } from '../../domain/types.ts';
import { useState } from 'preact/hooks';
import type { TextFilePreview, TextImportMapping } from '../../worker/protocol.ts';

const noteFields = ['Front', 'Back'];

/** Anki's column mapping for a text import: which column is which field, tags, and the deck. */
export function TextMapping({
  file,
  preview,
  decks,
  onImport,
  onCancel,
}: {
  file: File;
  preview: TextFilePreview;
  decks: Deck[];
  onImport(mapping: TextImportMapping): void;
  onCancel(): void;
}) {
  const [fields, setFields] = useState(preview.mapping.fields);
  const [tags, setTags] = useState(preview.mapping.tags);
  const [deckTitle, setDeckTitle] = useState(preview.deckTitle ?? file.name.replace(/\.[^.]*$/, ''));
  const columnChoice = (value: number | undefined, onChange: (column: number | undefined) => void, label: string) => (
    <label>
      {label}
      <select value={value === undefined ? '' : String(value)} onChange={(event) => onChange(event.currentTarget.value === '' ? undefined : Number(event.currentTarget.value))}>
        <option value="">(nothing)</option>
        {preview.columnNames.map((name, column) => (
          <option key={column} value={String(column)}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <main class="screen data">
      <header class="bar">
        <button type="button" class="back" aria-label="Cancel the import" onClick={onCancel}>
          ‹
        </button>
        <h1>Import {file.name}</h1>
      </header>
      <p class="muted">
        {preview.rowCount.toLocaleString('en')} rows, separated by {preview.separator === '\t' ? 'tabs' : `"${preview.separator}"`}
        {preview.html ? ', with HTML' : ', as plain text'}.
      </p>
      <section aria-labelledby="mapping-title">
        <h2 id="mapping-title">Columns</h2>
        {noteFields.map((name, index) =>
          columnChoice(fields[index], (column) => setFields(fields.map((current, at) => (at === index ? column : current))), name),
        )}
        {columnChoice(tags, setTags, 'Tags')}
        <label>
          Deck
          <input type="text" list="deck-names" value={deckTitle} maxLength={200} onInput={(event) => setDeckTitle(event.currentTarget.value)} />
          <datalist id="deck-names">
            {decks.map((deck) => (
              <option key={deck.id} value={deck.title} />
            ))}
          </datalist>
        </label>
      </section>
      <section aria-labelledby="preview-title">
        <h2 id="preview-title">First rows</h2>
        {/* Scrolls sideways on its own when the rows are wide; focusable, so that keys scroll it too. */}
        <div class="mapping-table" tabIndex={0} role="region" aria-labelledby="preview-title">
          <table>
            <thead>
              <tr>
                {preview.columnNames.map((name, column) => (
                  <th key={column} scope="col">
                    {name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, index) => (
                <tr key={index}>
                  {row.map((cell, column) => (
                    <td key={column}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <div class="button-row">
        <button type="button" class="primary" disabled={fields[0] === undefined || !deckTitle.trim()} onClick={() => onImport({ fields, tags, deckTitle: deckTitle.trim() })}>
          Import
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </main>
  );
}
