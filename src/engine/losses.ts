import type { Backend } from './kernels/backend';
import { elementwiseFor, type ElementwiseKernels } from './kernels/elementwiseKernels';
import type { FloatArray } from './types';

/**
 * Losses over `rows` rows of head outputs. Both return the *sum* over counted targets and write the
 * gradient of the *mean* into `dOut` (the objective, as PyTorch's CrossEntropyLoss / MSELoss
 * with reduction 'mean'): L = (1/N) Σ ℓ. Rows not counted get a zero gradient.
 * `weight` is N, the denominator of the mean: the number of counted targets, or Σ w_y with class
 * weights. `unseen` counts rows whose target is UNSEEN_TARGET: out of the loss, wrong in accuracy.
 */
export interface LossTotals {
  sum: number;
  count: number;
  correct: number;
  weight: number;
  unseen: number;
}

/**
 * Target id of a label the training data lacks (validation or test): the row is left out of the
 * loss and its gradient, like −1 (padding), but counted by the metrics as a wrong prediction.
 */
export const UNSEEN_TARGET = -2;

/**
 * Softmax cross-entropy: ℓ = −log softmax(o)_y for rows with target y ≥ 0 (−1 ignores a row,
 * UNSEEN_TARGET ignores it and counts it in `unseen`). With class weights w (PyTorch's
 * `CrossEntropyLoss(weight=w)`): L = Σ w_y·ℓ / Σ w_y and ∂L/∂o = w_y·(softmax(o) − onehot(y)) / Σ w_y;
 * without, w = 1 and N is the number of counted rows. `correct` counts argmax hits. The softmax runs
 * in `backend`'s kernels when it has them for these arrays (float32 in its memory).
 */
export function softmaxCrossEntropy(
  backend: Backend, logits: FloatArray, O: number, rows: number, targets: Int32Array, dOut: FloatArray, classWeights?: ArrayLike<number>,
): LossTotals {
  const kernels = elementwiseFor(backend, logits, dOut);
  if (kernels) return softmaxCrossEntropyWith(kernels, logits, O, rows, targets, dOut, classWeights);
  const totals: LossTotals = { sum: 0, count: 0, correct: 0, weight: 0, unseen: 0 };
  for (let r = 0; r < rows; r++) {
    const o = r * O;
    const y = targets[r];
    if (y < 0) {
      dOut.fill(0, o, o + O);
      if (y === UNSEEN_TARGET) totals.unseen++;
      continue;
    }
    let max = -Infinity;
    let arg = 0;
    for (let j = 0; j < O; j++) {
      if (logits[o + j] > max) {
        max = logits[o + j];
        arg = j;
      }
    }
    let z = 0;
    for (let j = 0; j < O; j++) {
      const e = Math.exp(logits[o + j] - max);
      dOut[o + j] = e;
      z += e;
    }
    const w = classWeights ? classWeights[y] : 1;
    for (let j = 0; j < O; j++) dOut[o + j] = (w * dOut[o + j]) / z;
    totals.sum += w * (Math.log(z) + max - logits[o + y]);
    dOut[o + y] -= w;
    totals.count++;
    totals.weight += w;
    if (arg === y) totals.correct++;
  }
  scaleCounted(dOut, O, rows, targets, totals.weight);
  return totals;
}

/**
 * The same with the backend's kernels: softmax of every row in one call (exp(o − max) / z, with
 * each row's max and z returned), then ℓ = log z + max − o_y, the −1 at y, the row's weight and the
 * 1/N scale here. argmax = y exactly when o_y equals the row max and no earlier logit does (first index wins).
 */
function softmaxCrossEntropyWith(
  kernels: ElementwiseKernels, logits: FloatArray, O: number, rows: number, targets: Int32Array, dOut: FloatArray,
  classWeights?: ArrayLike<number>,
): LossTotals {
  const stats = kernels.softmaxRows(logits, dOut, rows, O);
  const totals: LossTotals = { sum: 0, count: 0, correct: 0, weight: 0, unseen: 0 };
  for (let r = 0; r < rows; r++) {
    const o = r * O;
    const y = targets[r];
    if (y < 0) {
      dOut.fill(0, o, o + O);
      if (y === UNSEEN_TARGET) totals.unseen++;
      continue;
    }
    const max = stats[2 * r];
    const w = classWeights ? classWeights[y] : 1;
    totals.sum += w * (Math.log(stats[2 * r + 1]) + max - logits[o + y]);
    dOut[o + y] -= 1;
    if (w !== 1) kernels.scale(dOut, o, O, w);
    totals.count++;
    totals.weight += w;
    if (logits[o + y] === max) {
      let first = 0;
      while (logits[o + first] !== max) first++;
      if (first === y) totals.correct++;
    }
  }
  if (totals.weight > 0) kernels.scale(dOut, 0, rows * O, 1 / totals.weight);
  return totals;
}

/**
 * Mean squared error over every value of the counted rows (targets[r] ≥ 0 marks a counted row):
 * ℓ = (o − v)², N = counted rows × Y, ∂L/∂o = 2(o − v)/N. `values` is row-aligned with `outputs`.
 */
export function meanSquaredError(outputs: FloatArray, Y: number, rows: number, targets: Int32Array, values: Float32Array, dOut: FloatArray): LossTotals {
  let sum = 0;
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * Y;
    if (targets[r] < 0) {
      dOut.fill(0, o, o + Y);
      continue;
    }
    for (let j = 0; j < Y; j++) {
      const e = outputs[o + j] - values[o + j];
      sum += e * e;
      dOut[o + j] = 2 * e;
    }
    count += Y;
  }
  scaleCounted(dOut, Y, rows, targets, count);
  return { sum, count, correct: 0, weight: count, unseen: 0 };
}

/** dOut of counted rows (target ≥ 0) ×= 1/N. */
function scaleCounted(dOut: FloatArray, width: number, rows: number, targets: Int32Array, denominator: number): void {
  if (denominator === 0) return;
  const s = 1 / denominator;
  for (let r = 0; r < rows; r++) {
    if (targets[r] < 0) continue;
    for (let j = r * width; j < (r + 1) * width; j++) dOut[j] *= s;
  }
}

/** In-place softmax of one row of O logits at `off`, with temperature. */
export function softmaxRow(x: FloatArray, off: number, O: number, temperature = 1): void {
  let max = -Infinity;
  for (let j = 0; j < O; j++) max = Math.max(max, x[off + j]);
  let z = 0;
  for (let j = 0; j < O; j++) {
    const e = Math.exp((x[off + j] - max) / temperature);
    x[off + j] = e;
    z += e;
  }
  for (let j = 0; j < O; j++) x[off + j] /= z;
}
