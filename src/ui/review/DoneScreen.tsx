// The "done" screen of a deck: why it stopped (as Anki says it), when the next card is due,
// and Custom study. Loaded only when a deck is done, apart from the review screen's code.
import '../common/forms.css';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import { doneReasons, doneSentences, type DoneReasons } from '../../domain/doneScreen.ts';
import { studyDay } from '../../domain/studyDay.ts';
import type { CardRecord, StudySettings } from '../../domain/types.ts';
import { errorText } from '../common/UndoButton.tsx';
import { NextDue } from '../common/NextDue.tsx';

type Choice = 'new' | 'ahead' | 'forgotten' | 'unbury';

export interface DoneScreenProps {
  session: Session;
  deckId: string;
  settings: StudySettings;
  nextDueAt?: Date;
  /** Study these cards now, outside the schedule ("Review ahead", "Study forgotten cards"). */
  onStudy(cards: CardRecord[]): void;
  /** Today's limits or the buried cards changed: read the queue again. */
  onChanged(): void;
}

/** Re-renders every 30 s, so that "due in 5 minutes" counts down while the screen is open. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function DoneScreen({ session, deckId, settings, nextDueAt, onStudy, onChanged }: DoneScreenProps) {
  const now = useNow();
  const [reasons, setReasons] = useState<DoneReasons>();
  const [choice, setChoice] = useState<Choice>();
  const [amount, setAmount] = useState('10');
  const [message, setMessage] = useState<{ text: string; error?: boolean }>();
  // Counts up after each change made here, so that the reasons are read again.
  const [changes, setChanges] = useState(0);
  const { storage } = session;

  useEffect(() => {
    storage.doneFacts(deckId, new Date(), settings).then(
      (facts) => setReasons(doneReasons(facts)),
      () => setReasons({ buried: 0 }),
    );
  }, [storage, deckId, settings, nextDueAt?.getTime(), changes]);

  const amountProblem = (max: number) => {
    const value = Number(amount.trim());
    return /^\d+$/.test(amount.trim()) && value >= 1 && value <= max ? undefined : `Enter a whole number from 1 to ${max.toLocaleString('en')}.`;
  };

  const start = async (event: Event) => {
    event.preventDefault();
    setMessage(undefined);
    try {
      const at = new Date();
      if (choice === 'new' || choice === 'ahead') {
        const problem = amountProblem(choice === 'new' ? 9999 : 365);
        if (problem) return setMessage({ text: problem, error: true });
      }
      if (choice === 'new') {
        await storage.extendLimitsToday(deckId, studyDay(at, settings.dayStartHour).number, { newCards: Number(amount) });
        setChanges(changes + 1);
        onChanged();
      } else if (choice === 'ahead' || choice === 'forgotten') {
        const cards = choice === 'ahead' ? await storage.reviewAhead(deckId, at, settings, Number(amount)) : await storage.forgottenToday(deckId, at, settings);
        if (cards.length === 0) return setMessage({ text: choice === 'ahead' ? 'No review cards are due in that many days.' : 'No card was answered Again today.' });
        onStudy(cards);
      } else if (choice === 'unbury') {
        const step = await storage.unburyDeck(deckId);
        if (!step) return setMessage({ text: 'No card of this deck is buried.' });
        session.undo.push(step);
        setChanges(changes + 1);
        setMessage({ text: `${step.cards.length === 1 ? 'One card is' : `${step.cards.length} cards are`} back in the deck today.` });
        onChanged();
      }
    } catch (cause) {
      setMessage({ text: `Custom study could not start: ${errorText(cause)}.`, error: true });
    }
  };

  const sentences = reasons ? doneSentences(reasons) : [];
  const options: { value: Choice; label: string }[] = [
    { value: 'new', label: "Increase today's new card limit" },
    { value: 'ahead', label: 'Review ahead' },
    { value: 'forgotten', label: 'Study forgotten cards' },
    { value: 'unbury', label: 'Unbury' },
  ];
  return (
    <section class="done" aria-live="polite">
      <h2>Congratulations!</h2>
      <p>You have finished this deck for now.</p>
      {sentences.map((sentence) => (
        <p key={sentence} class="done-reason">
          {sentence}
        </p>
      ))}
      <NextDue at={nextDueAt} now={now} />
      <form class="custom-study settings-form" onSubmit={start}>
        <fieldset class="choices">
          <legend>Custom study</legend>
          {options.map(({ value, label }) => (
            <label key={value} class="checkbox">
              <input type="radio" name="custom-study" value={value} checked={choice === value} onChange={() => (setChoice(value), setMessage(undefined))} />
              {label}
            </label>
          ))}
          {(choice === 'new' || choice === 'ahead') && (
            <label>
              {choice === 'new' ? 'Increase today\u2019s limit by (new cards)' : 'Review cards due in the next (days)'}
              <input name="custom-study-amount" type="text" inputMode="numeric" value={amount} onInput={(event) => setAmount((event.target as HTMLInputElement).value)} />
            </label>
          )}
        </fieldset>
        {message && (
          <p class={message.error ? 'error' : 'notice'} role={message.error ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
        <button type="submit" class="primary" disabled={!choice}>
          {choice === 'new' || choice === 'unbury' ? 'Apply' : 'Study'}
        </button>
      </form>
      <a class="button" href="#/">
        Back to decks
      </a>
    </section>
  );
}
