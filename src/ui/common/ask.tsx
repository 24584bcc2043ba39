// In-app questions in place of the browser's prompt() and confirm(): a modal sheet within
// thumb reach, focus on its first field or on its answer, Escape or Cancel to say no, and
// focus back where it was when it closes (as the platform does for modal dialogs).
import '../cards/cards.css';
import './forms.css';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

interface Question {
  title: string;
  message?: string;
  confirmLabel: string;
  danger?: boolean;
  /** With a text field: its label and first value, and what is wrong with a value, if anything. */
  field?: { label: string; initial: string; problem?: (value: string) => string | undefined };
}

function QuestionSheet({ question, onDone }: { question: Question; onDone(answer: string | undefined): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const answer = useRef<string | undefined>(undefined);
  const [value, setValue] = useState(question.field?.initial ?? '');
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const dialog = ref.current!;
    dialog.showModal();
    const closed = () => onDone(answer.current);
    dialog.addEventListener('close', closed);
    return () => dialog.removeEventListener('close', closed);
  }, []);
  const submit = (event: Event) => {
    event.preventDefault();
    const text = value.trim();
    const wrong = question.field && (text === '' ? `${question.field.label} is empty` : question.field.problem?.(text));
    if (wrong) return setProblem(wrong);
    answer.current = question.field ? text : 'yes';
    ref.current?.close();
  };
  return (
    <dialog ref={ref} class="sheet question" aria-labelledby="question-title" aria-describedby={question.message ? 'question-message' : undefined}>
      <form onSubmit={submit} noValidate>
        <h2 id="question-title">{question.title}</h2>
        {question.message && <p id="question-message">{question.message}</p>}
        {question.field && (
          <label>
            {question.field.label}
            <input
              type="text"
              value={value}
              autoFocus
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? 'question-problem' : undefined}
              onInput={(event) => setValue((event.target as HTMLInputElement).value)}
            />
          </label>
        )}
        {problem && (
          <p id="question-problem" class="warning" role="alert">
            {problem}
          </p>
        )}
        <div class="question-actions">
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" class={question.danger ? 'danger' : 'primary'} autoFocus={!question.field}>
            {question.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

function ask(question: Question): Promise<string | undefined> {
  const host = document.body.appendChild(document.createElement('div'));
  return new Promise((resolve) => {
    render(
      <QuestionSheet
        question={question}
        onDone={(answer) => {
          render(null, host);
          host.remove();
          resolve(answer);
        }}
      />,
      host,
    );
  });
}

/** Asks a yes-or-no question; true when the user confirms. */
export async function askToConfirm(question: Omit<Question, 'field'>): Promise<boolean> {
  return (await ask(question)) !== undefined;
}

/** Asks for a line of text; undefined when the user cancels. Never returns an empty or refused value. */
export function askForText(question: Omit<Question, 'field'> & { field: NonNullable<Question['field']> }): Promise<string | undefined> {
  return ask(question);
}
