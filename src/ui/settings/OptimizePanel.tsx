import './optimize.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { startOptimizer, type OptimizeTask } from '../../app/optimizer.ts';
import type { Session } from '../../app/session.ts';
import { deckPart } from '../../domain/deckSettings.ts';
import type { ModelEvaluation } from '../../domain/optimizer/evaluation.ts';
import type { SettingsChange, UndoStep } from '../../storage/index.ts';
import type { OptimizeResult, OptimizerPhase } from '../../worker/optimizerProtocol.ts';
import { errorText, UndoButton } from '../common/UndoButton.tsx';
import { offerReschedule } from './reschedule.ts';

/** Anki 24.06 dropped its hard minimum; below about this many reviews FSRS's defaults usually predict better. */
const fewReviews = 400;

const phaseLabels: Record<OptimizerPhase, string> = {
  reading: 'Reading your reviews',
  loading: 'Loading the optimiser',
  fitting: 'Fitting the parameters',
  evaluating: 'Comparing with the current parameters',
};

/** Which options preset Optimize fits: the global settings, or one deck's own. */
export type Preset = { kind: 'global' } | { kind: 'deck'; deckId: string };

type Run =
  | { state: 'idle' }
  | { state: 'running'; phase: OptimizerPhase; done: number; total: number }
  | { state: 'done'; result: OptimizeResult; applied: boolean; reschedule?: string }
  | { state: 'message'; text: string; error?: boolean };

const appliedLabel = 'New FSRS parameters';

const percent = (value: number) => `${(value * 100).toFixed(2)} %`;

function Figures({ label, figures }: { label: string; figures: ModelEvaluation }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{figures.logLoss.toFixed(4)}</td>
      <td>{percent(figures.rmseBins)}</td>
    </tr>
  );
}

/**
 * Deck options → Optimize, as in Anki: fits FSRS to the preset's own reviews in a worker,
 * shows log loss and RMSE(bins) of the current and the fitted parameters on them, and
 * applies the fitted ones only when they predict better (one undoable step), then offers
 * to reschedule. `onChanged`: the preset's settings changed (applied or undone).
 */
export function OptimizePanel({ session, preset, onChanged }: { session: Session; preset: Preset; onChanged(): void }) {
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const task = useRef<OptimizeTask | undefined>(undefined);
  useEffect(() => () => task.current?.cancel(), []);

  const presetDecks = async () =>
    preset.kind === 'deck' ? [preset.deckId] : (await session.storage.decks()).map((deck) => deck.id).filter((id) => !session.deckSettings.has(id));
  const currentParameters = () => (preset.kind === 'deck' ? session.settingsFor(preset.deckId) : session.settings).fsrsParameters;

  const apply = async (parameters: number[], deckIds: string[]): Promise<void> => {
    const change: SettingsChange =
      preset.kind === 'deck'
        ? { decks: [[preset.deckId, { ...deckPart(session.settingsFor(preset.deckId)), fsrsParameters: parameters }]] }
        : { study: { ...session.settings, fsrsParameters: parameters } };
    await session.changeSettings(appliedLabel, change);
    onChanged();
    const reschedule = await offerReschedule(session, deckIds);
    setRun((now) => (now.state === 'done' ? { ...now, reschedule } : now));
  };

  const optimize = async () => {
    const deckIds = await presetDecks();
    if (deckIds.length === 0) return setRun({ state: 'message', text: 'Every deck has options of its own: optimise each in its deck options.' });
    setRun({ state: 'running', phase: 'reading', done: 0, total: 1 });
    task.current = startOptimizer({ deckIds, currentParameters: currentParameters(), dayStartHour: session.settings.dayStartHour }, (phase, done, total) =>
      setRun({ state: 'running', phase, done, total }),
    );
    const outcome = await task.current.outcome;
    task.current = undefined;
    if (outcome.type === 'cancelled') return setRun({ state: 'message', text: 'Cancelled. The parameters are as they were.' });
    if (outcome.type === 'failed') return setRun({ state: 'message', text: `The optimiser failed: ${outcome.message}. The parameters are as they were.`, error: true });
    if (outcome.type === 'too-few') {
      return setRun({
        state: 'message',
        text:
          outcome.reviews === 0
            ? 'No reviews to fit yet: the parameters stay as they are. Optimize after a few weeks of study.'
            : `Only ${outcome.reviews} reviews could be used (${outcome.items} on a later day than the one before): too few to fit anything, so the parameters stay as they are. Optimize again after a few weeks of study.`,
      });
    }
    const { result } = outcome;
    const better = result.fitted.logLoss < result.current.logLoss;
    setRun({ state: 'done', result, applied: better });
    if (better) await apply(result.parameters, deckIds).catch((error: unknown) => setRun({ state: 'message', text: `Not saved: ${errorText(error)}.`, error: true }));
  };

  const undone = (step: UndoStep) => {
    onChanged();
    setRun({ state: 'message', text: step.label === appliedLabel ? 'Undone: the parameters are as they were before Optimize.' : `Undone: ${step.label.toLowerCase()}.` });
  };
  // Undo stays offered until the new parameters are taken back (a reschedule after them comes off first).
  const undoable = session.undo.peek()?.label === appliedLabel || (run.state === 'done' && run.applied);

  return (
    <section class="optimize" aria-labelledby="optimize-title">
      <h2 id="optimize-title">Optimize FSRS parameters</h2>
      <p class="muted">
        Fits the memory model to {preset.kind === 'deck' ? "this deck's reviews; the result becomes this deck's own parameters" : 'the reviews of every deck that uses these settings'}, on this device, and keeps it only if it
        predicts those reviews better than the parameters used now. Below about {fewReviews} reviews, FSRS's defaults are usually better.
      </p>
      {run.state === 'running' ? (
        <div class="optimize-progress" aria-live="polite">
          <span>{phaseLabels[run.phase]}…</span>
          <progress max={run.total} value={run.done} aria-label={phaseLabels[run.phase]} />
          <button type="button" onClick={() => task.current?.cancel()}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" class="primary" onClick={optimize}>
          Optimize
        </button>
      )}
      {run.state === 'message' && (
        <p class={run.error ? 'error' : 'notice'} role={run.error ? 'alert' : 'status'} data-testid="optimize-status">
          {run.text}
        </p>
      )}
      {run.state === 'done' && (
        <div data-testid="optimize-result">
          <table class="optimize-figures">
            <caption>
              On your {run.result.reviews.toLocaleString('en')} reviews ({run.result.items.toLocaleString('en')} predictions checked). Lower is better.
            </caption>
            <thead>
              <tr>
                <th scope="col">Parameters</th>
                <th scope="col">Log loss</th>
                <th scope="col">RMSE (bins)</th>
              </tr>
            </thead>
            <tbody>
              <Figures label="Current" figures={run.result.current} />
              <Figures label="Optimized" figures={run.result.fitted} />
            </tbody>
          </table>
          {run.result.reviews < fewReviews && (
            <p class="warning">
              With {run.result.reviews} reviews, FSRS's defaults are likely better than any fit: they come from millions of reviews by many people, while a fit to so few
              follows chance in them, and a gain measured on these same reviews may not last.
            </p>
          )}
          <p class="notice" role="status" data-testid="optimize-status">
            {run.applied
              ? 'The optimized parameters predict your reviews better: they are now in use.'
              : 'Your current parameters predict your reviews at least as well: they stay.'}
            {run.reschedule && ` ${run.reschedule}`}
          </p>
        </div>
      )}
      {undoable && run.state !== 'running' && <UndoButton session={session} onUndone={undone} onError={(text) => setRun({ state: 'message', text, error: true })} />}
    </section>
  );
}
