// Exam plan: how many new cards a day each deck should introduce so that the predicted recall
// on the exam day reaches the user's target, and what daily reviews that costs. Every day from
// today to the day before the exam is simulated with ts-fsrs's own formulas under each deck's
// settings. Pure: the clock, the cards and the settings are inputs; it runs in a worker.
import { ConvertStepUnitToMinutes, fsrs, generatorParameters, Rating, S_MIN, State, type FSRS, type FSRSState, type StepUnit } from 'ts-fsrs';
import { examDomains, type Exam, type ExamGoal } from './exams.ts';
import { studyDay } from './studyDay.ts';
import { Queue, type CardRecord, type StudySettings } from './types.ts';

export interface PlanDeck {
  id: string;
  title: string;
  /** The settings the deck studies with (the global ones with its own on top). */
  settings: StudySettings;
  /** New cards it introduced today already: they count against today's limit. */
  newDoneToday: number;
}

export interface ExamPlanInput {
  goal: ExamGoal;
  /** Today's study day number (studyDay(now, dayStartHour).number): the plan's first day. */
  today: number;
  dayStartHour: number;
  decks: PlanDeck[];
  /** The decks' cards. */
  cards: CardRecord[];
}

export interface DayLoad {
  /** Study day number. */
  day: number;
  newCards: number;
  /** Answers to cards introduced before that day: their reviews and the relearning steps after a lapse. */
  reviews: number;
  /** Every answer of the day, new cards' first answers and learning steps included. */
  answers: number;
}

export interface DomainForecast {
  domain: string;
  weight: number;
  cards: number;
  /** Mean predicted recall of the domain's cards on the exam day (a card never studied: 0). */
  recall: number;
}

/** What a set of new-card limits gives on the exam day, and what it costs on the way. */
export interface Forecast {
  domains: DomainForecast[];
  /** Weighted over the domains that have cards, as readiness is; undefined when none has. */
  overall?: number;
  /** One entry per study day from today to the day before the exam. */
  load: DayLoad[];
  meanReviews: number;
  peakReviews: number;
  meanAnswers: number;
  lapses: number;
}

export interface DeckPlan {
  deckId: string;
  title: string;
  /** New cards waiting in the deck (suspended ones left out). */
  newCards: number;
  currentLimit: number;
  plannedLimit: number;
  /** New cards the planned limit introduces before the exam. */
  introduced: number;
}

export interface ExamPlan {
  exam: Exam;
  today: number;
  examDay: number;
  /** Study days before the exam (today included). */
  days: number;
  target: number;
  /** False: even every new card in time falls short; the plan is the best it found. */
  reached: boolean;
  decks: DeckPlan[];
  planned: Forecast;
  /** The same days with the limits set now, to compare. */
  current: Forecast;
  assumptions: string[];
}

export type ExamPlanOutcome =
  | { kind: 'plan'; plan: ExamPlan }
  /** The exam is today or past: no day is left to plan. */
  | { kind: 'too-late' }
  | { kind: 'no-cards' };

export interface PlanOptions {
  /**
   * A review of a card is recalled when draw(card id, its k-th review in the plan) is below
   * the predicted recall. The default is a hash of both: every plan compared draws the same
   * numbers for the same review (common random numbers), so they differ by their limits only.
   */
  draw?: (cardId: string, review: number) => number;
  /** The search's progress, 0 to 1. */
  onProgress?: (fraction: number) => void;
}

/** The study day number of a date written YYYY-MM-DD (NaN if it is none). */
export function dayNumberOf(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/** A number in [0, 1) from a card id and a review count: a hash, so the same for every plan. */
export function reviewDraw(cardId: string, review: number): number {
  let hash = 0x811c9dc5;
  const text = `${cardId}#${review}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  // FNV-1a, then murmur3's finaliser: ids that differ in one character draw unrelated numbers.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return ((hash ^ (hash >>> 16)) >>> 0) / 2 ** 32;
}

const dayMinutes = 1440;
/** How far a search step raises a limit, as a part of it: steps stay few for decks of thousands of cards. */
const stepFraction = 1 / 8;
/** Kubecards' largest new-card limit (the settings form's). */
const largestLimit = 9999;

/** A card as the plan counts it: its part of the weighted exam recall, and its domains. */
interface PlanCard {
  card: CardRecord;
  /** d(overall recall)/d(this card's recall). */
  factor: number;
  domains: number[];
}

interface DeckModel {
  deck: PlanDeck;
  fsrs: FSRS;
  learningSteps: number[];
  relearningSteps: number[];
  /** Cards studied or held: what they do does not depend on the limit, so it is simulated once. */
  others: PlanCard[];
  othersRecall: Float64Array;
  othersValue: number;
  othersTally: Tally;
  /** New cards in the order the deck introduces them. */
  fresh: PlanCard[];
  /** The smallest limit that introduces every new card before the exam. */
  cap: number;
}

interface Tally {
  newCards: Int32Array;
  reviews: Int32Array;
  answers: Int32Array;
  lapses: number;
}

/** A deck's new cards at one limit. */
interface Run {
  limit: number;
  /** Their part of the weighted exam recall. */
  value: number;
  answers: number;
  introduced: number;
  /** Each new card's recall on the exam day. */
  recall: Float64Array;
  tally: Tally;
}

/** What the card does next: a review (recalled or not), or a (re)learning step, answered Good. */
type Next = { kind: 'review'; day: number } | { kind: 'step'; day: number; step: number; relearning: boolean };

interface Simulation {
  today: number;
  examDay: number;
  draw: (cardId: string, review: number) => number;
}

function newTally(days: number): Tally {
  return { newCards: new Int32Array(days), reviews: new Int32Array(days), answers: new Int32Array(days), lapses: 0 };
}

function schedulerOf(settings: StudySettings): FSRS {
  // As createScheduler builds it (the step lists decide how ts-fsrs clips the weights), without fuzz.
  return fsrs(
    generatorParameters({
      request_retention: settings.desiredRetention,
      maximum_interval: settings.maximumIntervalDays,
      enable_fuzz: false,
      enable_short_term: true,
      learning_steps: settings.learningSteps as StepUnit[],
      relearning_steps: settings.relearningSteps as StepUnit[],
      ...(settings.fsrsParameters ? { w: settings.fsrsParameters } : {}),
    }),
  );
}

/** Where a card goes when it reaches step `step` of its (re)learning steps, as ts-fsrs schedules it. */
function enterStep(model: DeckModel, memory: FSRSState, day: number, step: number, relearning: boolean): Next {
  const steps = relearning ? model.relearningSteps : model.learningSteps;
  if (step >= steps.length) return { kind: 'review', day: day + model.fsrs.next_interval(memory.stability, 0) };
  // A step of a day or more makes it a review card due that many days later.
  if (steps[step] >= dayMinutes) return { kind: 'review', day: day + Math.floor(steps[step] / dayMinutes) };
  return { kind: 'step', day, step, relearning };
}

/** Studies one card until the day before the exam; returns its predicted recall on the exam day. */
function studyCard(model: DeckModel, simulation: Simulation, tally: Tally, id: string, memory: FSRSState | undefined, lastDay: number, next: Next | undefined): number {
  const { fsrs: scheduler } = model;
  const { today, examDay, draw } = simulation;
  let reviews = 0;
  while (next && next.day < examDay) {
    const { day } = next;
    const index = day - today;
    const elapsed = day - lastDay;
    tally.answers[index]++;
    if (next.kind === 'step') {
      if (memory === undefined) tally.newCards[index]++;
      else if (next.relearning) tally.reviews[index]++;
      memory = scheduler.next_state(memory ?? null, elapsed, Rating.Good);
      next = enterStep(model, memory, day, next.step + 1, next.relearning);
    } else {
      // Only a card studied before has a review: its memory is known.
      const known = memory!;
      tally.reviews[index]++;
      const recall = scheduler.forgetting_curve(elapsed, known.stability);
      if (draw(id, reviews++) < recall) {
        const good = scheduler.next_state(known, elapsed, Rating.Good, recall);
        const hard = scheduler.next_state(known, elapsed, Rating.Hard, recall);
        const goodDays = scheduler.next_interval(good.stability, elapsed);
        // As ts-fsrs schedules a review: Good always waits at least a day longer than Hard.
        const days = Math.max(goodDays, Math.min(scheduler.next_interval(hard.stability, elapsed), goodDays) + 1);
        memory = good;
        next = { kind: 'review', day: day + days };
      } else {
        memory = scheduler.next_state(known, elapsed, Rating.Again, recall);
        tally.lapses++;
        next = enterStep(model, memory, day, 0, true);
      }
    }
    lastDay = day;
  }
  return memory ? scheduler.forgetting_curve(examDay - lastDay, memory.stability) : 0;
}

/** A studied or held card from where it stands now. */
function studyCurrent(model: DeckModel, simulation: Simulation, tally: Tally, card: CardRecord, dayOf: (date: Date) => number): number {
  if (card.state === State.New) return 0;
  const memory = { stability: Math.max(card.stability, S_MIN), difficulty: Math.min(Math.max(card.difficulty, 1), 10) };
  const lastDay = Math.min(dayOf(card.last_review ?? card.due), simulation.today);
  if (card.queue === Queue.Suspended) return studyCard(model, simulation, tally, card.id, memory, lastDay, undefined);
  // A buried card comes back tomorrow; an overdue one is studied today.
  const day = Math.max(dayOf(card.due), simulation.today + (card.queue === Queue.Buried ? 1 : 0));
  const next: Next =
    card.state === State.Review ? { kind: 'review', day } : { kind: 'step', day, step: card.learning_steps, relearning: card.state === State.Relearning };
  return studyCard(model, simulation, tally, card.id, memory, lastDay, next);
}

/** The deck's new cards under `limit` new cards a day (less, today, what was introduced already). */
function runFresh(model: DeckModel, simulation: Simulation, limit: number): Run {
  const days = simulation.examDay - simulation.today;
  const tally = newTally(days);
  const recall = new Float64Array(model.fresh.length);
  const roomToday = Math.max(0, limit - model.deck.newDoneToday);
  let value = 0;
  let introduced = 0;
  for (const [index, { card, factor }] of model.fresh.entries()) {
    const day = index < roomToday ? simulation.today : limit === 0 ? Infinity : simulation.today + 1 + Math.floor((index - roomToday) / limit);
    // Cards come in order: once one is too late, so are the rest.
    if (day >= simulation.examDay) break;
    recall[index] = studyCard(model, simulation, tally, card.id, undefined, day, { kind: 'step', day, step: 0, relearning: false });
    value += factor * recall[index];
    introduced++;
  }
  return { limit, value, answers: sum(tally.answers), introduced, recall, tally };
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/** New cards `limit` a day introduces in `days` days, today's room less what was introduced today. */
function capacity(limit: number, days: number, doneToday: number): number {
  return Math.max(0, limit - doneToday) + limit * (days - 1);
}

function smallestLimitFor(count: number, days: number, doneToday: number): number {
  let [low, high] = [0, Math.min(largestLimit, count + doneToday)];
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (capacity(middle, days, doneToday) >= count) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The raise of a deck's limit that adds recall, looking further while a raise adds none (cards of no exam domain first in the queue). */
function nextRaise(model: DeckModel, simulation: Simulation, run: Run): Run | undefined {
  let step = Math.max(1, Math.floor(run.limit * stepFraction));
  for (;;) {
    const limit = Math.min(model.cap, run.limit + step);
    if (limit <= run.limit) return undefined;
    const raised = runFresh(model, simulation, limit);
    if (raised.value > run.value) return raised;
    if (limit === model.cap) return undefined;
    step *= 2;
  }
}

function stepsToCap(cap: number): number {
  let steps = 0;
  for (let limit = 0; limit < cap; limit += Math.max(1, Math.floor(limit * stepFraction))) steps++;
  return steps;
}

interface Setup {
  simulation: Simulation;
  models: DeckModel[];
  domains: { domain: string; weight: number; cards: number }[];
}

function setUp(input: ExamPlanInput, examDay: number, draw: Simulation['draw']): Setup {
  const { exam } = input.goal;
  const simulation: Simulation = { today: input.today, examDay, draw };
  const days = examDay - input.today;
  const dayOf = (date: Date) => studyDay(date, input.dayStartHour).number;
  const live = input.cards.filter((card) => card.queue !== Queue.Retired);
  const domainsOf = (card: CardRecord) => card.exam.filter((domain) => domain.startsWith(`${exam} `)).map((domain) => domain.slice(exam.length + 1));
  const domains = Object.entries(examDomains[exam]).map(([domain, weight]) => ({
    domain,
    weight,
    cards: live.filter((card) => domainsOf(card).includes(domain)).length,
  }));
  const coveredWeight = domains.reduce((total, domain) => total + (domain.cards > 0 ? domain.weight : 0), 0);
  const planCard = (card: CardRecord): PlanCard => {
    const indexes = domainsOf(card)
      .map((name) => domains.findIndex((domain) => domain.domain === name))
      .filter((index) => index >= 0);
    return { card, domains: indexes, factor: indexes.reduce((total, index) => total + domains[index].weight / coveredWeight / domains[index].cards, 0) };
  };
  const byDeck = new Map(input.decks.map((deck) => [deck.id, [] as PlanCard[]]));
  for (const card of live) byDeck.get(card.deckId)?.push(planCard(card));
  const models = input.decks.map((deck): DeckModel => {
    const cards = byDeck.get(deck.id)!;
    const isFresh = ({ card }: PlanCard) => card.state === State.New && card.queue !== Queue.Suspended;
    const fresh = cards.filter(isFresh).sort((a, b) => a.card.position - b.card.position || (a.card.id < b.card.id ? -1 : 1));
    const minutes = (steps: string[]) => steps.map((step) => ConvertStepUnitToMinutes(step as StepUnit));
    const others = cards.filter((card) => !isFresh(card));
    const model: DeckModel = {
      deck,
      fsrs: schedulerOf(deck.settings),
      learningSteps: minutes(deck.settings.learningSteps),
      relearningSteps: minutes(deck.settings.relearningSteps),
      others,
      othersRecall: new Float64Array(others.length),
      othersValue: 0,
      othersTally: newTally(days),
      fresh,
      cap: smallestLimitFor(fresh.length, days, deck.newDoneToday),
    };
    others.forEach(({ card, factor }, index) => {
      model.othersRecall[index] = studyCurrent(model, simulation, model.othersTally, card, dayOf);
      model.othersValue += factor * model.othersRecall[index];
    });
    return model;
  });
  return { simulation, models, domains };
}

/** A deck's reviews on its busiest day. */
function peakReviews(model: DeckModel, run: Run): number {
  let peak = 0;
  for (let day = 0; day < run.tally.reviews.length; day++) peak = Math.max(peak, model.othersTally.reviews[day] + run.tally.reviews[day]);
  return peak;
}

function forecastOf(setup: Setup, runs: Run[]): Forecast {
  const { simulation, domains } = setup;
  const sums = domains.map(() => 0);
  const add = (cards: PlanCard[], recall: Float64Array) =>
    cards.forEach((card, index) => {
      for (const domain of card.domains) sums[domain] += recall[index];
    });
  runs.forEach((run, deck) => {
    add(setup.models[deck].others, setup.models[deck].othersRecall);
    add(setup.models[deck].fresh, run.recall);
  });
  const forecasts = domains.map((domain, index): DomainForecast => ({ ...domain, recall: domain.cards === 0 ? 0 : sums[index] / domain.cards }));
  const covered = forecasts.filter((domain) => domain.cards > 0);
  const coveredWeight = covered.reduce((total, domain) => total + domain.weight, 0);
  const tallies = [...setup.models.map((model) => model.othersTally), ...runs.map((run) => run.tally)];
  const load = Array.from({ length: simulation.examDay - simulation.today }, (_, index): DayLoad => ({
    day: simulation.today + index,
    newCards: sum(tallies.map((tally) => tally.newCards[index])),
    reviews: sum(tallies.map((tally) => tally.reviews[index])),
    answers: sum(tallies.map((tally) => tally.answers[index])),
  }));
  return {
    domains: forecasts,
    overall: coveredWeight === 0 ? undefined : covered.reduce((total, domain) => total + domain.weight * domain.recall, 0) / coveredWeight,
    load,
    meanReviews: sum(load.map((day) => day.reviews)) / load.length,
    peakReviews: Math.max(...load.map((day) => day.reviews)),
    meanAnswers: sum(load.map((day) => day.answers)) / load.length,
    lapses: sum(tallies.map((tally) => tally.lapses)),
  };
}

/** What the given new-card limits (deck id to cards a day; a deck not named: its own limit) give on the exam day. */
export function forecastLimits(input: ExamPlanInput, limits: Record<string, number>, options: PlanOptions = {}): Forecast | undefined {
  const examDay = dayNumberOf(input.goal.date);
  if (!(examDay > input.today)) return undefined;
  const setup = setUp(input, examDay, options.draw ?? reviewDraw);
  return forecastOf(
    setup,
    setup.models.map((model) => runFresh(model, setup.simulation, limits[model.deck.id] ?? model.deck.settings.newCardsPerDay)),
  );
}

/**
 * The plan: per deck, the fewest new cards a day that bring the weighted predicted recall on
 * the exam day to the target. A greedy search from no new cards at all: each step raises the
 * limit of the deck whose raise adds the most recall per answer it costs, until the target is
 * reached or every deck introduces all its new cards in time. The decks' cards do not meet in
 * the simulation, so a step simulates again only the deck it raised.
 */
export function planExam(input: ExamPlanInput, options: PlanOptions = {}): ExamPlanOutcome {
  const examDay = dayNumberOf(input.goal.date);
  if (!(examDay > input.today)) return { kind: 'too-late' };
  const setup = setUp(input, examDay, options.draw ?? reviewDraw);
  if (setup.domains.every((domain) => domain.cards === 0)) return { kind: 'no-cards' };
  const { simulation, models } = setup;
  const target = input.goal.targetRecall;
  const runs = models.map((model) => runFresh(model, simulation, 0));
  const others = sum(models.map((model) => model.othersValue));
  const total = () => others + sum(runs.map((run) => run.value));
  const raises: (Run | undefined | null)[] = models.map(() => null);
  const start = total();
  const totalSteps = Math.max(1, sum(models.map((model) => stepsToCap(model.cap))));
  let steps = 0;
  let progress = 0;
  const report = (fraction: number) => {
    progress = Math.max(progress, Math.min(1, fraction));
    options.onProgress?.(progress);
  };
  let overall = start;
  while (overall < target) {
    let best: { deck: number; score: number } | undefined;
    for (const [deck, model] of models.entries()) {
      if (raises[deck] === null) raises[deck] = nextRaise(model, simulation, runs[deck]);
      const raise = raises[deck];
      if (!raise) continue;
      const cost = raise.answers - runs[deck].answers;
      const score = cost > 0 ? (raise.value - runs[deck].value) / cost : Infinity;
      if (!best || score > best.score) best = { deck, score };
    }
    if (!best) break;
    const before = runs[best.deck];
    runs[best.deck] = raises[best.deck]!;
    raises[best.deck] = null;
    overall = total();
    if (overall >= target) runs[best.deck] = fewestReaching(models[best.deck], simulation, before, runs[best.deck], overall - runs[best.deck].value, target);
    overall = total();
    steps++;
    report(Math.max(steps / totalSteps, (overall - start) / (target - start)));
  }
  report(1);
  const current = models.map((model) => runFresh(model, simulation, Math.min(model.deck.settings.newCardsPerDay, largestLimit)));
  const planned = forecastOf(setup, runs);
  return {
    kind: 'plan',
    plan: {
      exam: input.goal.exam,
      today: input.today,
      examDay,
      days: examDay - input.today,
      target,
      reached: overall >= target,
      decks: models.map((model, deck) => ({
        deckId: model.deck.id,
        title: model.deck.title,
        newCards: model.fresh.length,
        currentLimit: model.deck.settings.newCardsPerDay,
        plannedLimit: runs[deck].limit,
        introduced: runs[deck].introduced,
      })),
      planned,
      current: forecastOf(setup, current),
      assumptions: assumptionsOf(input, models, runs),
    },
  };
}

/** The smallest limit between `below` (short of the target) and `reaching` that still reaches it, the rest's recall being `rest`. */
function fewestReaching(model: DeckModel, simulation: Simulation, below: Run, reaching: Run, rest: number, target: number): Run {
  let [low, high] = [below, reaching];
  while (high.limit - low.limit > 1) {
    const middle = runFresh(model, simulation, Math.floor((low.limit + high.limit) / 2));
    if (rest + middle.value >= target) high = middle;
    else low = middle;
  }
  return high;
}

function assumptionsOf(input: ExamPlanInput, models: DeckModel[], runs: Run[]): string[] {
  const cards = sum(models.map((model) => model.fresh.length + model.others.length));
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const overLimit = models.filter((model, deck) => peakReviews(model, runs[deck]) > model.deck.settings.reviewsPerDay);
  return [
    `Every day from today to the day before the exam you answer every card that falls due and the new cards the limits allow; on the exam day itself, nothing.`,
    `The first answer to a new card, and each of its learning steps, is Good.`,
    `A review is recalled as often as FSRS predicts for that day (then Good); otherwise it is Again: a lapse, with the relearning steps the same day. The same chances are drawn for every plan compared.`,
    `Each deck keeps its own FSRS parameters, desired retention, maximum interval and steps; no fuzz.`,
    `Recall on the exam day is FSRS's predicted recall of each card that day; a card not studied by then counts as not recalled; the domains count as the ${input.goal.exam} curriculum weights them.`,
    `Suspended cards stay suspended; new cards already studied today count against today's limit.`,
    overLimit.length === 0
      ? `No deck's maximum reviews per day stops a review.`
      : `On its busiest day ${overLimit.map((model) => `"${model.deck.title}"`).join(', ')} would have more reviews than its maximum reviews per day: the plan assumes you do them all.`,
    `It covers this app's ${plural(cards, 'card')} in ${plural(models.length, 'deck')} that hold ${input.goal.exam} cards, not everything the exam asks.`,
  ];
}
