// The statistics worker: reads the cards and the log itself, a part at a time, and works out
// every figure of the statistics screen off the main thread (src/domain/stats.ts and
// readiness.ts), posting each as soon as it is known: the cards due per day first (counted on
// an index), then what the cards give, then what the log gives, true retention last (it sorts
// the log). It keeps what readiness needs of each card, so that another exam or date is
// answered without reading again. One worker per visit of the screen; the page ends it when
// the screen closes.
import type { FSRS } from 'ts-fsrs';
import { effectiveSettings } from '../domain/deckSettings.ts';
import type { ExamDomain } from '../domain/exams.ts';
import { examReadiness } from '../domain/readiness.ts';
import { scheduleOf } from '../domain/schedule.ts';
import { schedulerForSettings } from '../domain/scheduler.ts';
import { addCardCharts, addDayCounts, addNamedCounts, answerButtons, cardCharts, futureDueEnds, RetentionHistory, reviewsPerDay, trueRetentions } from '../domain/stats.ts';
import type { CardRecord, Schedule } from '../domain/types.ts';
import { StatsInputStorage } from '../storage/statsInput.ts';
import { forecastDays, heatmapDays, retentionPeriods, type ReadinessGoal, type StatsCommand, type StatsMessage } from './statsProtocol.ts';

/** Progress at most this often: each message is a render of the page. */
const progressEveryMs = 100;

/** What readiness needs of a card: its exam domains and what FSRS's recall reads. */
type RecallCard = Schedule & Pick<CardRecord, 'queue' | 'exam' | 'deckId'>;

const storage = new StatsInputStorage();
const post = (message: StatsMessage) => postMessage(message);

/** The goal asked for last; answered once the cards are read, and at once after that. */
let latestGoal: ReadinessGoal | undefined;
let answerReadiness: ((goal: ReadinessGoal) => void) | undefined;

async function run(now: Date): Promise<void> {
  const started = performance.now();
  const { global, decks } = await storage.settings();
  const hour = global.dayStartHour;
  post({ type: 'forecast', forecast: await storage.dueForecast(futureDueEnds(now, hour, forecastDays)) });

  const sizes = await storage.sizes();
  let postedAt = -Infinity;
  const progress = (done: number) => {
    const at = performance.now();
    if (at - postedAt < progressEveryMs) return;
    postedAt = at;
    post({ type: 'progress', fraction: Math.min(1, done / Math.max(1, sizes.cards + sizes.logRows)) });
  };

  let charts = cardCharts([]);
  const recallCards: RecallCard[] = [];
  // Cards share a few lists of domains: one array for each, not one per card.
  const domainLists = new Map<string, ExamDomain[]>();
  let cardsRead = 0;
  for await (const part of storage.cards()) {
    charts = addCardCharts(charts, cardCharts(part));
    for (const card of part) {
      if (card.exam.length === 0) continue;
      const key = card.exam.join('\n');
      let exam = domainLists.get(key);
      if (!exam) domainLists.set(key, (exam = card.exam));
      recallCards.push({ ...scheduleOf(card), queue: card.queue, exam, deckId: card.deckId });
    }
    cardsRead += part.length;
    progress(cardsRead);
  }
  post({ type: 'cards', charts });

  const schedulers = new Map<string, FSRS>();
  const schedulerOf = (deckId: string) => {
    let scheduler = schedulers.get(deckId);
    if (!scheduler) schedulers.set(deckId, (scheduler = schedulerForSettings(effectiveSettings(global, decks.get(deckId)))));
    return scheduler;
  };
  answerReadiness = (goal) => {
    // Without a date the exam is today.
    const examDate = goal.date ? new Date(`${goal.date}T09:00`) : now;
    const readiness = examReadiness(goal.exam, recallCards, now, examDate, (card, at) => schedulerOf(card.deckId).get_retrievability(card, at, false));
    post({ type: 'readiness', goal, readiness });
  };
  if (latestGoal) answerReadiness(latestGoal);

  let days = reviewsPerDay([], now, hour, heatmapDays);
  let buttons = answerButtons([]);
  const history = new RetentionHistory(now, hour, Math.max(...retentionPeriods));
  for await (const { answers, lastId } of storage.answers()) {
    days = addDayCounts(days, reviewsPerDay(answers, now, hour, heatmapDays));
    buttons = addNamedCounts(buttons, answerButtons(answers));
    for (const row of answers) history.add(row);
    progress(sizes.cards + lastId);
  }
  post({ type: 'answers', days, buttons });
  const retention = trueRetentions(history.inLogOrder(), now, hour, retentionPeriods);
  post({ type: 'retention', retention, computeMs: Math.round(performance.now() - started) });
}

addEventListener('message', (event: MessageEvent<StatsCommand>) => {
  const command = event.data;
  if (command.type === 'readiness') {
    latestGoal = command.goal;
    answerReadiness?.(command.goal);
  } else run(new Date(command.now)).catch((error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }));
});
