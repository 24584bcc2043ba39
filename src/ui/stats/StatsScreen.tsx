import './stats.css';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Session } from '../../app/session.ts';
import { startStats, type StatsTask } from '../../app/stats.ts';
import type { Exam, ExamGoal } from '../../domain/exams.ts';
import type { Readiness } from '../../domain/readiness.ts';
import { cardChartEdges, rate, type AnswerButtons, type CardCharts, type DayCount, type RetentionCount, type TrueRetention } from '../../domain/stats.ts';
import { retentionPeriods, type ReadinessGoal, type StatsMessage } from '../../worker/statsProtocol.ts';
import { errorText } from '../common/UndoButton.tsx';
import { BarChart, Heatmap } from './charts.tsx';
import { ExamPlanSection } from './ExamPlan.tsx';
import { formatDay, percent } from './format.ts';

const periodNames: Record<(typeof retentionPeriods)[number], string> = { 1: 'Today', 7: 'Week', 30: 'Month', 365: 'Year' };
const retentionCell = (count: RetentionCount) => `${percent(rate(count))} (${count.passed}/${count.passed + count.failed})`;
/** Work that takes longer than this shows its progress. */
const progressAfterMs = 1000;

/** The target recall as typed, in percent; undefined unless a whole number from 50 to 99. */
function targetRecallOf(text: string): number | undefined {
  const value = Number(text.trim());
  return /^\d+$/.test(text.trim()) && value >= 50 && value <= 99 ? value / 100 : undefined;
}

/** Bars of counts in buckets that start at `edges`, the last open-ended. */
function buckets(counts: number[], edges: readonly number[], unit: string) {
  return counts.map((value, index) => ({ label: `${edges[index]}${index === edges.length - 1 ? '+' : ''} ${unit}`, value }));
}

/** The figures as the worker has posted them so far; each chart shows once its part is in. */
interface Figures {
  forecast?: number[];
  cards?: CardCharts;
  answers?: { days: DayCount[]; buttons: AnswerButtons };
  /** The last to come; `computeMs`: how long the worker took for everything. */
  retention?: { retention: TrueRetention[]; computeMs: number };
  /** How much of the cards and the log has been read, 0 to 1. */
  fraction: number;
}

/**
 * Statistics (loaded only when opened) and exam readiness, all from the log and card states.
 * A worker reads the cards and the log and posts each figure as it has it: the page only
 * draws them, however large the collection.
 */
export function StatsScreen({ session }: { session: Session }) {
  // The exam, its date and the target as the fields hold them; kept (examGoal) whenever they change.
  const [goalForm, setGoalForm] = useState<{ exam: Exam; date: string; target: string }>();
  const [goalError, setGoalError] = useState<string>();
  const [loadError, setLoadError] = useState<string>();
  const [figures, setFigures] = useState<Figures>({ fraction: 0 });
  // The last readiness the worker gave, with the goal it is for: shown, marked busy, until the one for a new goal comes.
  const [readiness, setReadiness] = useState<{ goal: ReadinessGoal; readiness: Readiness }>();
  const [slow, setSlow] = useState(false);
  const task = useRef<StatsTask | undefined>(undefined);
  const failed = (message: string) => setLoadError(`The statistics could not be loaded: ${message}.`);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => setSlow(true), progressAfterMs);
    // The worker starts at once; the readiness it works out once the goal is read (below).
    task.current = startStats(new Date(), (message: StatsMessage) => {
      if (message.type === 'progress') setFigures((shown) => ({ ...shown, fraction: message.fraction }));
      else if (message.type === 'forecast') setFigures((shown) => ({ ...shown, forecast: message.forecast }));
      else if (message.type === 'cards') setFigures((shown) => ({ ...shown, cards: message.charts }));
      else if (message.type === 'answers') setFigures((shown) => ({ ...shown, answers: message }));
      else if (message.type === 'retention') setFigures((shown) => ({ ...shown, retention: message }));
      else if (message.type === 'readiness') setReadiness(message);
      else failed(message.message);
    });
    session.storage.examGoal().then(
      (goal) =>
        current &&
        setGoalForm(goal ? { exam: goal.exam, date: goal.date, target: String(Math.round(goal.targetRecall * 100)) } : { exam: 'KCNA', date: '', target: '90' }),
      (cause: unknown) => current && failed(errorText(cause)),
    );
    return () => {
      current = false;
      clearTimeout(timer);
      task.current?.close();
    };
  }, [session]);
  useEffect(() => {
    if (goalForm) task.current?.askReadiness({ exam: goalForm.exam, date: goalForm.date });
  }, [goalForm?.exam, goalForm?.date]);
  // The same element while the figures are the same: Preact then leaves the charts alone when only the exam goal or the progress changes.
  const { forecast, cards, answers, retention } = figures;
  const reviewCharts = useMemo(
    () => <ReviewCharts forecast={forecast} cards={cards} answers={answers} retention={retention} />,
    [forecast, cards, answers, retention],
  );

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
  if (!goalForm) return <main class="screen" aria-busy="true" />;
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
  const readinessCurrent = readiness?.goal.exam === exam && readiness.goal.date === examDate;
  const complete = retention !== undefined && readinessCurrent;

  return (
    <main class="screen stats" aria-busy={!complete} data-compute-ms={retention?.computeMs}>
      <header class="bar">
        <a class="back" href="#/" aria-label="Back to decks">
          ‹
        </a>
        <h1>Statistics</h1>
      </header>

      {slow && !retention && (
        <div class="stats-progress">
          <p id="stats-progress-label">Reading your cards and reviews…</p>
          <progress max={1} value={figures.fraction} aria-labelledby="stats-progress-label" />
        </div>
      )}

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
        {readiness ? (
          <ReadinessFigures goal={readiness.goal} readiness={readiness.readiness} busy={!readinessCurrent} />
        ) : (
          <p class="muted">Working out what you would recall…</p>
        )}
        {examDate && targetRecall !== undefined && <ExamPlanSection session={session} goal={{ exam, date: examDate, targetRecall }} />}
      </section>

      {reviewCharts}
    </main>
  );
}

/** The readiness for `goal`: marked busy while the one for the goal now in the fields is being worked out. */
function ReadinessFigures({ goal, readiness, busy }: { goal: ReadinessGoal; readiness: Readiness; busy: boolean }) {
  const { exam, date: examDate } = goal;
  return (
    <div class="readiness-figures" aria-busy={busy}>
      <p class="readiness-figure" data-testid="readiness">
        {readiness.overallOnExam === undefined ? 'No cards here cover this exam yet.' : `${percent(readiness.overallOnExam)} predicted recall${examDate ? ' on the exam date' : ' today'}`}
      </p>
      <p class="muted">
        What this means: the weighted average, over the exam's domains that this app has cards for, of the chance FSRS gives you to recall each card (a card you
        have not studied counts as not recalled). What it does not mean: a pass mark. It covers this app's cards only, not everything the exam asks.
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
    </div>
  );
}

/** A chart's place while its figures are still being worked out. */
function Pending({ title }: { title: string }) {
  return (
    <div class="chart-pending">
      <strong>{title}</strong> <span class="muted">…</span>
    </div>
  );
}

/** The charts of the reviews and the cards, each as soon as its figures are in. */
function ReviewCharts({ forecast, cards, answers, retention }: Omit<Figures, 'fraction'>) {
  return (
    <section aria-labelledby="charts-title">
      <h2 id="charts-title">Your reviews</h2>
      {answers ? <Heatmap days={answers.days} labelOf={formatDay} /> : <Pending title="Reviews per day" />}
      {forecast ? (
        <BarChart
          title="Future due"
          summary={`${forecast.reduce((a, b) => a + b, 0)} cards in the next ${forecast.length} days, ${forecast[0]} today`}
          bars={forecast.map((value, index) => ({ label: index === 0 ? 'today' : `+${index} d`, value }))}
        />
      ) : (
        <Pending title="Future due" />
      )}
      {retention ? (
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
            {retentionPeriods.map((days, index) => (
              <tr key={days}>
                <th scope="row">{periodNames[days]}</th>
                <td>{retentionCell(retention.retention[index].young)}</td>
                <td>{retentionCell(retention.retention[index].mature)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Pending title="True retention" />
      )}
      {cards ? <CardChartList charts={cards} /> : ['Card counts', 'Intervals', 'Stability', 'Difficulty'].map((title) => <Pending key={title} title={title} />)}
      {answers ? <AnswerButtonChart buttons={answers.buttons} /> : <Pending title="Answer buttons" />}
    </section>
  );
}

function CardChartList({ charts }: { charts: CardCharts }) {
  return (
    <>
      <BarChart
        title="Card counts"
        summary={Object.entries(charts.counts)
          .map(([state, count]) => `${count} ${state}`)
          .join(', ')}
        bars={Object.entries(charts.counts).map(([state, count]) => ({ label: state, value: count }))}
      />
      <BarChart title="Intervals" summary={`${charts.studied} studied cards`} bars={buckets(charts.intervals, cardChartEdges.intervals, 'd')} />
      <BarChart title="Stability" summary="days until recall falls to 90 %" bars={buckets(charts.stability, cardChartEdges.stability, 'd')} />
      <BarChart title="Difficulty" summary="1 easiest, 10 hardest" bars={buckets(charts.difficulty, cardChartEdges.difficulty, '')} />
    </>
  );
}

function AnswerButtonChart({ buttons }: { buttons: AnswerButtons }) {
  return (
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
  );
}
