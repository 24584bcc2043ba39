// How well a set of FSRS parameters predicts a training set, as Anki shows it under
// Optimize: log loss and RMSE(bins). A port of fsrs-rs 6.6.1's FSRS::evaluate
// (inference.rs, model.rs step, dataset.rs r_matrix_index), checked against the native
// binding in tests/unit/optimizer.test.ts.
import { default_w, migrateParameters } from 'ts-fsrs';
import type { FsrsItem } from './trainingItems.ts';

export interface ModelEvaluation {
  logLoss: number;
  /** Root mean square of predicted minus actual recall over bins of similar reviews, weighted. */
  rmseBins: number;
}

const [stabilityMin, stabilityMax, difficultyMin, difficultyMax] = [0.001, 36_500, 1, 10];
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** FSRS-6's memory model over parameters w (21 numbers). */
function memoryModel(w: readonly number[]) {
  const decay = -w[20];
  const factor = Math.exp(Math.log(0.9) / decay) - 1;
  const recall = (elapsed: number, stability: number) => (1 + (factor * elapsed) / stability) ** decay;
  const initDifficulty = (rating: number) => w[4] - Math.exp(w[5] * (rating - 1)) + 1;
  const step = (deltaT: number, rating: number, stabilityBefore: number, difficultyBefore: number): [number, number] => {
    const s = clamp(stabilityBefore, stabilityMin, stabilityMax);
    const d = clamp(difficultyBefore, difficultyMin, difficultyMax);
    const r = recall(deltaT, s);
    let stability: number;
    if (deltaT === 0) {
      const increase = Math.exp(w[17] * (rating - 3 + w[18])) * s ** -w[19];
      stability = s * (rating >= 2 ? Math.max(increase, 1) : increase);
    } else if (rating === 1) {
      stability = Math.min(w[11] * d ** -w[12] * ((s + 1) ** w[13] - 1) * Math.exp((1 - r) * w[14]), s / Math.exp(w[17] * w[18]));
    } else {
      const hardPenalty = rating === 2 ? w[15] : 1;
      const easyBonus = rating === 4 ? w[16] : 1;
      stability = s * (Math.exp(w[8]) * (11 - d) * s ** -w[9] * (Math.exp((1 - r) * w[10]) - 1) * hardPenalty * easyBonus + 1);
    }
    const damped = d + ((10 - d) * (-w[6] * (rating - 3))) / 9;
    const difficulty = clamp(w[7] * (initDifficulty(4) - damped) + damped, difficultyMin, difficultyMax);
    return [clamp(stability, stabilityMin, stabilityMax), difficulty];
  };
  /** The chance of recalling the item's last review, from the reviews before it. */
  const predict = (item: FsrsItem): number => {
    const first = clamp(item[0].rating, 1, 4);
    let stability = clamp(w[first - 1], stabilityMin, stabilityMax);
    let difficulty = clamp(initDifficulty(first), difficultyMin, difficultyMax);
    for (let index = 1; index < item.length - 1; index++) [stability, difficulty] = step(item[index].deltaT, item[index].rating, stability, difficulty);
    return recall(item[item.length - 1].deltaT, stability);
  };
  return { predict };
}

/** fsrs-rs's bin of an item: by its last interval, its number of interday reviews and its lapses, each on a log scale. */
function binOf(item: FsrsItem): string {
  const last = item[item.length - 1];
  const deltaBin = Math.round(2.48 * 3.62 ** Math.floor(Math.log(last.deltaT) / Math.log(3.62)) * 100);
  const length = item.filter((review) => review.deltaT > 0).length + 1;
  const lengthBin = Math.round(1.99 * 1.89 ** Math.floor(Math.log(length) / Math.log(1.89)));
  const lapses = item.slice(0, -1).filter((review) => review.rating === 1 && review.deltaT > 0).length;
  const lapseBin = lapses === 0 ? 0 : Math.round(1.65 * 1.73 ** Math.floor(Math.log(lapses) / Math.log(1.73)));
  return `${deltaBin}:${lengthBin}:${lapseBin}`;
}

/**
 * Evaluates `parameters` (17, 19 or 21 numbers; undefined: FSRS's defaults) on `items` in
 * the order they were reviewed, weighting later items more as fsrs-rs does. `onProgress`
 * hears every 4096 items. Undefined for an empty set.
 */
export function evaluateParameters(parameters: readonly number[] | undefined, items: FsrsItem[], onProgress?: (done: number) => void): ModelEvaluation | undefined {
  if (items.length === 0) return undefined;
  // Shorter (FSRS-4.5 and 5) lists become FSRS-6 ones as fsrs-rs fills them; a full list is used as it is.
  const w = !parameters ? default_w : parameters.length === 21 ? parameters : migrateParameters(parameters);
  const { predict } = memoryModel(w);
  const bins = new Map<string, { predicted: number; actual: number; count: number; weight: number }>();
  const span = Math.max(items.length - 1, 1);
  let loss = 0;
  let weights = 0;
  items.forEach((item, index) => {
    const weight = 0.25 + 0.75 * (index / span) ** 3;
    const p = predict(item);
    const recalled = item[item.length - 1].rating > 1 ? 1 : 0;
    loss += (recalled * Math.log(p) + (1 - recalled) * Math.log(1 - p)) * weight;
    weights += weight;
    const key = binOf(item);
    const bin = bins.get(key) ?? { predicted: 0, actual: 0, count: 0, weight: 0 };
    bin.predicted += p;
    bin.actual += recalled;
    bin.count += 1;
    bin.weight += weight;
    bins.set(key, bin);
    if (onProgress && (index + 1) % 4096 === 0) onProgress(index + 1);
  });
  let squares = 0;
  let binWeights = 0;
  for (const bin of bins.values()) {
    squares += (bin.predicted / bin.count - bin.actual / bin.count) ** 2 * bin.weight;
    binWeights += bin.weight;
  }
  return { logLoss: -loss / weights, rmseBins: Math.sqrt(squares / binWeights) };
}
