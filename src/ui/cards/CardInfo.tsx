import './cards.css';
import { useEffect, useState } from 'preact/hooks';
import { Rating, State, type Grade } from 'ts-fsrs';
import { schedulerFor } from '../../app/schedulers.ts';
import type { Session } from '../../app/session.ts';
import { intervalLabel } from '../../domain/intervalLabel.ts';
import { errorText } from '../common/UndoButton.tsx';
import { isAnswer, type CardRecord, type ReviewLogRow } from '../../domain/types.ts';

const stateNames: Record<State, string> = { [State.New]: 'New', [State.Learning]: 'Learning', [State.Review]: 'Review', [State.Relearning]: 'Relearning' };
const ratingNames: Record<Grade, string> = { [Rating.Again]: 'Again', [Rating.Hard]: 'Hard', [Rating.Good]: 'Good', [Rating.Easy]: 'Easy' };
const manualNames = { reset: 'Reset to new', reschedule: 'Rescheduled', import: 'Imported' };
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Anki's card info: where the card stands in FSRS terms, and every answer given to it. */
export function CardInfo({ session, card }: { session: Session; card: CardRecord }) {
  const [log, setLog] = useState<ReviewLogRow[]>();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    session.storage.reviewLog(card.id).then(setLog, (cause: unknown) => setFailure(`The history could not be loaded: ${errorText(cause)}.`));
  }, [session, card]);
  const now = new Date();
  const studied = card.state !== State.New;
  const retrievability = studied ? schedulerFor(session, card.deckId).get_retrievability(card, now, false) : undefined;

  return (
    <section class="card-info" aria-label="Card info">
      <dl class="facts">
        <dt>State</dt>
        <dd>{stateNames[card.state]}</dd>
        <dt>Due</dt>
        <dd>{studied ? dateTime.format(card.due) : 'New: not studied yet'}</dd>
        {studied && (
          <>
            <dt>Interval</dt>
            <dd>{card.last_review ? intervalLabel(card.due.getTime() - card.last_review.getTime()) : '–'}</dd>
            <dt>Stability</dt>
            <dd>{card.stability.toFixed(2)} days</dd>
            <dt>Difficulty</dt>
            <dd>{card.difficulty.toFixed(2)} of 10</dd>
            <dt>Retrievability now</dt>
            <dd>{((retrievability ?? 0) * 100).toFixed(1)} %</dd>
          </>
        )}
        <dt>Reviews / lapses</dt>
        <dd>
          {card.reps} / {card.lapses}
        </dd>
        <dt>Exam domains</dt>
        <dd data-testid="exam-domains">{card.exam.length > 0 ? card.exam.join('; ') : 'None: it does not count toward exam readiness'}</dd>
        <dt>Card id</dt>
        <dd>{card.id}</dd>
      </dl>
      {failure && (
        <p class="error" role="alert">
          {failure}
        </p>
      )}
      <div class="history-scroll">
        <table class="history">
        <caption>Review history</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Answer</th>
            <th scope="col">Interval</th>
            <th scope="col">Stability</th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          {log?.map((row) =>
            isAnswer(row) ? (
              <tr key={row.id} data-log-row>
                <td>{dateTime.format(row.reviewedAt)}</td>
                <td>{ratingNames[row.rating]}</td>
                <td>{intervalLabel(row.due.getTime() - row.reviewedAt.getTime())}</td>
                <td>{row.stability.toFixed(1)}</td>
                <td>{(row.durationMs / 1000).toFixed(1)} s</td>
              </tr>
            ) : (
              // Like Anki's "Manual" and "Rescheduled" entries: in the history, not an answer.
              <tr key={row.id} data-log-row data-manual>
                <td>{dateTime.format(row.reviewedAt)}</td>
                <td>{manualNames[row.kind]}</td>
                <td>{row.schedule.state === State.New ? '–' : intervalLabel(row.schedule.due.getTime() - row.reviewedAt.getTime())}</td>
                <td>{row.schedule.state === State.New ? '–' : row.schedule.stability.toFixed(1)}</td>
                <td>–</td>
              </tr>
            ),
          )}
          {log?.length === 0 && (
            <tr>
              <td colSpan={5}>No answers yet.</td>
            </tr>
          )}
        </tbody>
        </table>
      </div>
    </section>
  );
}
