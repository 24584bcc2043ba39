import './stats.css';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { schedulerFor } from '../../app/schedulers.ts';
import type { Session } from '../../app/session.ts';
import type { Exam, ExamGoal } from '../../domain/exams.ts';
import { examReadiness } from '../../domain/readiness.ts';
import { answerButtons, cardStateCounts, futureDue, histogram, rate, reviewsPerDay, trueRetention, type RetentionCount } from '../../domain/stats.ts';
import type { AnswerLogRow, CardRecord } from '../../domain/types.ts';
import { errorText } from '../common/UndoButton.tsx';
import { BarChart, Heatmap } from './charts.tsx';
import { ExamPlanSection } from './ExamPlan.tsx';
import { formatDay, percent } from './format.ts';

const periods = [
  ['Today', 1],
  ['Week', 7],
  ['Month', 30],
  ['Year', 365],
] as const;
const retentionCell = (count: RetentionCount) => `${percent(rate(count))} (${count.passed}/${count.passed + count.failed})`;

/** The target recall as typed, in percent; undefined unless a whole number from 50 to 99. */
function targetRecallOf(text: string): number | undefined {
  const value = Number(text.trim());
  return /^\d+$/.test(text.trim()) && value >= 50 && value <= 99 ? value / 100 : undefined;
}

function buckets(values: number[], edges: number[], unit: string) {
  return histogram(values, edges).map((value, index) => ({ label: `${edges[index]}${index === edges.length - 1 ? '+' : ''} ${unit}`, value }));
}

/** Statistics (loaded only when opened) and exam readiness, all from the log and card states. */
export function StatsScreen({ session }: { session: Session }) {
  const [data, setData] = useState<{ cards: CardRecord[]; log: AnswerLogRow[] }>();
  // The exam, its date and the target as the fields hold them; kept (examGoal) whenever they change.
  const [goalForm, setGoalForm] = useState({ exam: 'KCNA' as Exam, date: '', target: '90' });
  const [goalError, setGoalError] = useState<string>();
  const [loadError, setLoadError] = useState<string>();
  useEffect(() => {
    Promise.all([session.storage.allCards(), session.storage.allAnswers(), session.storage.examGoal()]).then(
      ([cards, log, goal]) => {
        if (goal) setGoalForm({ exam: goal.exam, date: goal.date, target: String(Math.round(goal.targetRecall * 100)) });
        setData({ cards, log });
      },
      (cause: unknown) => setLoadError(`The statistics could not be loaded: ${errorText(cause)}.`),
    );
  }, [session]);
  const { exam, date: examDate } = goalForm;
  const targetRecall = targetRecallOf(goalForm.target);
  const changeGoal = (change: Partial<typeof goalForm>) => {
    const next = { ...goalForm, ...change };
    setGoalForm(next);
    const target = targetRecallOf(next.target);
    if (target === undefined) return;
    const goal: ExamGoal = { exam: next.exam, date: next.date, targetRecall: target };
    session.storage.saveExamGoal(goal).then(
      () => setGoalError(undefined),
      (cause: unknown) => setGoalError(`The exam, its date and target could not be saved: ${errorText(cause)}.`),
    );
  };

  const hour = session.settings.dayStartHour;
  const now = useMemo(() => new Date(), [data]);
  const readiness = useMemo(() => {
    if (!data) return undefined;
    const target = examDate ? new Date(`${examDate}T09:00`) : now;
    return examReadiness(exam, data.cards, now, target, (card, at) => schedulerFor(session, card.deckId).get_retrievability(card, at, false));
  }, [data, exam, examDate]);
  // The same element while the log is the same: Preact then leaves the charts alone when only the exam goal changes.
  const reviewCharts = useMemo(() => data && <ReviewCharts cards={data.cards} log={data.log} now={now} hour={hour} />, [data, now, hour]);
  if (loadError) {
    return (
      <main class="screen">
        <a class="back" href="#/" aria-label="Back to decks">
          ‹
        </a>
        <p class="error" role="alert">
          {loadError}
        </p>
      </main>
    );
  }
  if (!data || !readiness) return <main class="screen" aria-busy="true" />;

  return (
    <main class="screen stats">
      <header class="bar">
        <a class="back" href="#/" aria-label="Back to decks">
          ‹
        </a>
        <h1>Statistics</h1>
      </header>

      <section aria-labelledby="readiness-title">
        <h2 id="readiness-title">Exam readiness</h2>
        <div class="readiness-controls">
          <label>
            Exam
            <select value={exam} onChange={(event) => changeGoal({ exam: (event.target as HTMLSelectElement).value as Exam })}>
              <option value="KCNA">KCNA</option>
              <option value="CKA">CKA</option>
            </select>
          </label>
          <label>
            Exam date (optional)
            <input type="date" value={examDate} onInput={(event) => changeGoal({ date: (event.target as HTMLInputElement).value })} />
          </label>
          <label>
            Target recall (%)
            <input
              type="text"
              inputMode="numeric"
              value={goalForm.target}
              aria-invalid={targetRecall === undefined}
              aria-describedby={targetRecall === undefined ? 'target-error' : undefined}
              onInput={(event) => changeGoal({ target: (event.target as HTMLInputElement).value })}
            />
          </label>
        </div>
        {targetRecall === undefined && (
          <p class="error" id="target-error">
            The target recall must be a whole number from 50 to 99.
          </p>
        )}
        {goalError && (
          <p class="error" role="alert">
            {goalError}
          </p>
        )}
        <p class="readiness-figure" data-testid="readiness">
          {readiness.overallOnExam === undefined ? 'No cards here cover this exam yet.' : `${percent(readiness.overallOnExam)} predicted recall${examDate ? ' on the exam date' : ' today'}`}
        </p>
        <p class="muted">
          What this means: the weighted average, over the exam's domains that this app has cards for, of the chance FSRS gives you to recall each card (a card
          you have not studied counts as not recalled). What it does not mean: a pass mark. It covers this app's cards only, not everything the exam asks.
        </p>
        <table class="readiness">
          <thead>
            <tr>
              <th scope="col">Domain (weight)</th>
              <th scope="col">Studied</th>
              <th scope="col">Recall now</th>
              {examDate && <th scope="col">On exam day</th>}
            </tr>
          </thead>
          <tbody>
            {readiness.domains.map((domain) => (
              <tr key={domain.domain} data-domain={domain.domain}>
                <th scope="row">
                  {domain.domain} ({domain.weight} %)
                </th>
                <td>{domain.cards ? `${domain.studied} of ${domain.cards}` : 'no cards here'}</td>
                <td>{domain.cards ? percent(domain.recallNow) : '–'}</td>
                {/* Without an exam date the exam is today: the same figures, shown once. */}
                {examDate && <td>{domain.cards ? percent(domain.recallOnExam) : '–'}</td>}
              </tr>
            ))}
          </tbody>
        </table>
        {readiness.suggested && (
          <p>
            Study next:{' '}
            <a class="button" data-testid="suggested" href={`#/study/${encodeURIComponent(`${exam} ${readiness.suggested}`)}`}>
              {readiness.suggested}
            </a>{' '}
            where the weight of the domain times what you would not recall is largest.
          </p>
        )}
        {examDate && targetRecall !== undefined && <ExamPlanSection session={session} goal={{ exam, date: examDate, targetRecall }} />}
      </section>

      {reviewCharts}
    </main>
  );
}

/** The charts of the reviews: they depend on the log only, so an exam goal's change leaves them as they are. */
function ReviewCharts({ cards, log, now, hour }: { cards: CardRecord[]; log: AnswerLogRow[]; now: Date; hour: number }) {
  const studied = cards.filter((card) => card.state !== 0);
  const counts = cardStateCounts(cards);
  const forecast = futureDue(cards, now, hour, 30);
  const buttons = answerButtons(log);
  return (
    <section aria-labelledby="charts-title">
      <h2 id="charts-title">Your reviews</h2>
      <Heatmap days={reviewsPerDay(log, now, hour, 365)} labelOf={formatDay} />
      <BarChart
        title="Future due"
        summary={`${forecast.reduce((a, b) => a + b, 0)} cards in the next 30 days, ${forecast[0]} today`}
        bars={forecast.map((value, index) => ({ label: index === 0 ? 'today' : `+${index} d`, value }))}
      />
      <table class="retention">
        <caption>True retention (first answer per card per day; Again = fail)</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Young (&lt; 21 d)</th>
            <th scope="col">Mature</th>
          </tr>
        </thead>
        <tbody>
          {periods.map(([name, days]) => {
            const retention = trueRetention(log, now, hour, days);
            return (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{retentionCell(retention.young)}</td>
                <td>{retentionCell(retention.mature)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <BarChart
        title="Card counts"
        summary={Object.entries(counts)
          .map(([state, count]) => `${count} ${state}`)
          .join(', ')}
        bars={Object.entries(counts).map(([state, count]) => ({ label: state, value: count }))}
      />
      <BarChart
        title="Intervals"
        summary={`${studied.length} studied cards`}
        bars={buckets(
          studied.map((card) => card.scheduled_days),
          [0, 1, 3, 7, 14, 21, 60, 180, 365],
          'd',
        )}
      />
      <BarChart title="Stability" summary="days until recall falls to 90 %" bars={buckets(studied.map((card) => card.stability), [0, 1, 3, 7, 21, 60, 180, 365], 'd')} />
      <BarChart title="Difficulty" summary="1 easiest, 10 hardest" bars={buckets(studied.map((card) => card.difficulty), [1, 2, 3, 4, 5, 6, 7, 8, 9], '')} />
      <BarChart
        title="Answer buttons"
        summary={`Again ${buttons.again}, Hard ${buttons.hard}, Good ${buttons.good}, Easy ${buttons.easy}`}
        bars={[
          { label: 'Again', value: buttons.again },
          { label: 'Hard', value: buttons.hard },
          { label: 'Good', value: buttons.good },
          { label: 'Easy', value: buttons.easy },
        ]}
      />
    </section>
  );
}
