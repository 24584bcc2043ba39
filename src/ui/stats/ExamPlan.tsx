import { useEffect, useRef, useState } from 'preact/hooks';
import { startExamPlan, type ExamPlanResult, type ExamPlanTask } from '../../app/examPlan.ts';
import type { Session } from '../../app/session.ts';
import { deckPart } from '../../domain/deckSettings.ts';
import { dayNumberOf, type ExamPlan } from '../../domain/examPlan.ts';
import type { ExamGoal } from '../../domain/exams.ts';
import { studyDay } from '../../domain/studyDay.ts';
import { errorText, UndoButton } from '../common/UndoButton.tsx';
import { BarChart } from './charts.tsx';
import { formatDay, percent } from './format.ts';

/** Typing a date or a target changes the goal key by key: the plan starts once it rests. */
const settleMs = 300;
/** Up to this many days the chart has a bar a day; past it, a bar a week. */
const dailyBarsUpTo = 60;
/** The undo step of "Use these limits": while it is the last step, the plan offers to undo it, from wherever the user went in between. */
const stepLabel = 'Exam plan';

type Status = { phase: 'computing'; fraction: number } | { phase: 'done'; result: ExamPlanResult };

/**
 * The exam plan: new cards a day per deck that bring the predicted recall on the exam day to
 * the target, computed in a worker (the main thread only shows its progress) whenever the
 * goal changes.
 */
export function ExamPlanSection({ session, goal }: { session: Session; goal: ExamGoal }) {
  const today = studyDay(new Date(), session.settings.dayStartHour).number;
  const examDay = dayNumberOf(goal.date);
  const [status, setStatus] = useState<Status>({ phase: 'computing', fraction: 0 });
  const [attempt, setAttempt] = useState(0);
  const [restored, setRestored] = useState(false);
  const cancel = useRef(() => {});
  const tooLate = !(examDay > today);
  useEffect(() => setRestored(false), [goal.exam, goal.date, goal.targetRecall]);
  useEffect(() => {
    if (tooLate) return;
    let current = true;
    let task: ExamPlanTask | undefined;
    setStatus({ phase: 'computing', fraction: 0 });
    const timer = setTimeout(() => {
      task = startExamPlan(goal, (fraction) => current && setStatus({ phase: 'computing', fraction }));
      task.result.then((result) => current && setStatus({ phase: 'done', result }));
    }, settleMs);
    cancel.current = () => {
      clearTimeout(timer);
      if (task) task.cancel();
      else setStatus({ phase: 'done', result: { type: 'cancelled' } });
    };
    return () => {
      current = false;
      clearTimeout(timer);
      task?.cancel();
    };
  }, [goal.exam, goal.date, goal.targetRecall, tooLate, attempt]);

  const again = (
    <button type="button" onClick={() => setAttempt(attempt + 1)}>
      Compute the plan again
    </button>
  );
  let body;
  if (tooLate) {
    body = <p>{examDay === today ? 'The exam is today: no study day is left to plan.' : 'That exam date is past: there is nothing left to plan.'}</p>;
  } else if (status.phase === 'computing') {
    body = (
      <div class="plan-progress">
        <p id="plan-progress-label">Simulating every day until {formatDay(examDay)}…</p>
        <progress max={1} value={status.fraction} aria-labelledby="plan-progress-label" />
        <button type="button" onClick={() => cancel.current()}>
          Cancel
        </button>
      </div>
    );
  } else if (status.result.type === 'cancelled') {
    body = (
      <>
        <p>The plan was cancelled.</p>
        {again}
      </>
    );
  } else if (status.result.type === 'failed') {
    body = (
      <>
        <p class="error" role="alert">
          The plan could not be computed: {status.result.message}.
        </p>
        {again}
      </>
    );
  } else if (status.result.outcome.kind === 'plan') {
    body = (
      <>
        {restored && <p role="status">The limits are back as they were.</p>}
        <PlanView
          session={session}
          plan={status.result.outcome.plan}
          computeMs={status.result.computeMs}
          onRestored={() => {
            // The limits "now" changed back: the plan is computed again against them.
            setRestored(true);
            setAttempt(attempt + 1);
          }}
        />
      </>
    );
  } else {
    body = <p>{status.result.outcome.kind === 'no-cards' ? 'No cards here cover this exam yet: there is nothing to plan.' : 'No study day is left before the exam.'}</p>;
  }
  return (
    <section class="exam-plan" aria-labelledby="plan-title">
      <h3 id="plan-title">Exam plan</h3>
      {body}
    </section>
  );
}

function PlanView({ session, plan, computeMs, onRestored }: { session: Session; plan: ExamPlan; computeMs: number; onRestored(): void }) {
  const [, setApplied] = useState(0);
  const [error, setError] = useState<string>();
  // The figures and the button first, the details a task later: each render stays short on a slow phone.
  const [detailed, setDetailed] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setDetailed(true));
    return () => clearTimeout(timer);
  }, []);
  const { planned, current } = plan;
  const changes = plan.decks.filter((deck) => deck.newCards > 0 && deck.plannedLimit !== deck.currentLimit);
  const apply = async () => {
    try {
      // Each deck gets settings of its own: what it studies with now, with the plan's limit.
      await session.changeSettings(stepLabel, {
        decks: changes.map((deck) => [deck.deckId, deckPart({ ...session.settingsFor(deck.deckId), newCardsPerDay: deck.plannedLimit })]),
      });
      setError(undefined);
      setApplied((count) => count + 1);
    } catch (cause) {
      setError(`The limits could not be saved: ${errorText(cause)}.`);
    }
  };

  return (
    <div data-compute-ms={computeMs}>
      <p class="readiness-figure" data-testid="plan-recall">
        {plan.reached ? `${percent(planned.overall)} predicted recall on the exam day with this plan` : `Out of reach: ${percent(planned.overall)} at best`}
      </p>
      <p>
        Target {percent(plan.target)} on {formatDay(plan.examDay)}, {plan.days === 1 ? 'with today the only study day' : `${plan.days} study days from today`}. With your limits now:{' '}
        {percent(current.overall)}, {current.meanReviews.toFixed(1)} reviews a day on average and {current.peakReviews} on the busiest day.
      </p>
      {!plan.reached && (
        <p>
          Even every new card in time falls short: FSRS schedules each review for the recall of the deck's desired retention, so between reviews it stays near that. A
          higher desired retention or a later exam date raises it; this plan is the best these settings give.
        </p>
      )}

      <table class="readiness plan-decks">
        <caption>New cards a day</caption>
        <thead>
          <tr>
            <th scope="col">Deck</th>
            <th scope="col">Now → plan</th>
            <th scope="col">New cards studied by the exam</th>
          </tr>
        </thead>
        <tbody>
          {plan.decks.map((deck) => (
            <tr key={deck.deckId} data-deck={deck.deckId}>
              <th scope="row">{deck.title}</th>
              <td>{deck.newCards === 0 ? 'none left' : `${deck.currentLimit} → ${deck.plannedLimit}`}</td>
              <td>{deck.newCards === 0 ? '–' : `${deck.introduced} of ${deck.newCards}`}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <div class="plan-actions">
        {session.undo.peek()?.label === stepLabel ? (
          <>
            <p role="status">The plan's limits are set.</p>
            <UndoButton session={session} onUndone={onRestored} onError={setError} />
          </>
        ) : changes.length === 0 ? (
          <p>Your limits are the plan's already.</p>
        ) : (
          <button type="button" onClick={apply}>
            Use these limits
          </button>
        )}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}

      {detailed && <PlanDetails plan={plan} />}
    </div>
  );
}

/** What the plan costs day by day, the recall per domain, and what it assumes. */
function PlanDetails({ plan }: { plan: ExamPlan }) {
  const { planned, current } = plan;
  const busiest = planned.load.reduce((peak, day) => (day.reviews > peak.reviews ? day : peak), planned.load[0]);
  const currentDomains = new Map(current.domains.map((domain) => [domain.domain, domain.recall]));
  const weekly = planned.load.length > dailyBarsUpTo;
  const bars = weekly
    ? Array.from({ length: Math.ceil(planned.load.length / 7) }, (_, week) => {
        const days = planned.load.slice(week * 7, week * 7 + 7);
        return { label: week === 0 ? 'this week' : `+${week} wk`, value: Math.round(days.reduce((total, day) => total + day.reviews, 0) / days.length) };
      })
    : planned.load.map((day, index) => ({ label: index === 0 ? 'today' : `+${index} d`, value: day.reviews }));
  return (
    <>
      <p data-testid="plan-reviews">
        Reviews a day with the plan: {planned.meanReviews.toFixed(1)} on average, {planned.peakReviews} on the busiest day ({formatDay(busiest.day)}). All answers, new
        cards and learning steps included: {planned.meanAnswers.toFixed(1)} a day.
      </p>
      <BarChart
        title="Reviews a day with the plan"
        summary={`${planned.meanReviews.toFixed(1)} on average, at most ${planned.peakReviews}${weekly ? " (a bar is a week's average)" : ''}`}
        bars={bars}
      />

      <table class="readiness plan-domains">
        <caption>Predicted recall on the exam day</caption>
        <thead>
          <tr>
            <th scope="col">Domain (weight)</th>
            <th scope="col">Limits now</th>
            <th scope="col">Plan</th>
          </tr>
        </thead>
        <tbody>
          {planned.domains.map((domain) => (
            <tr key={domain.domain} data-domain={domain.domain}>
              <th scope="row">
                {domain.domain} ({domain.weight} %)
              </th>
              <td>{domain.cards ? percent(currentDomains.get(domain.domain)) : '–'}</td>
              <td>{domain.cards ? percent(domain.recall) : 'no cards here'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h4>What the plan assumes</h4>
      <ul class="plan-assumptions">
        {plan.assumptions.map((assumption) => (
          <li key={assumption}>{assumption}</li>
        ))}
      </ul>
    </>
  );
}
