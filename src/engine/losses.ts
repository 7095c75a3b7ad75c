import { kernelsFor, type ElementwiseKernels } from './kernels/elementwiseKernels';
import type { FloatArray } from './types';

/**
 * Losses over `rows` rows of head outputs. Both return the *sum* over counted targets and write the
 * gradient of the *mean* into `dOut` (the objective, as PyTorch's CrossEntropyLoss / MSELoss
 * with reduction 'mean'): L = (1/N) Σ ℓ. Rows not counted get a zero gradient.
 */
export interface LossTotals {
  sum: number;
  count: number;
  correct: number;
}

/**
 * Softmax cross-entropy: ℓ = −log softmax(o)_y for rows with target y ≥ 0 (−1 ignores a row).
 * ∂L/∂o = (softmax(o) − onehot(y)) / N. `correct` counts argmax hits.
 */
export function softmaxCrossEntropy(logits: FloatArray, O: number, rows: number, targets: Int32Array, dOut: FloatArray): LossTotals {
  const kernels = kernelsFor(logits, dOut);
  if (kernels) return softmaxCrossEntropyWith(kernels, logits, O, rows, targets, dOut);
  let sum = 0;
  let count = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * O;
    const y = targets[r];
    if (y < 0) {
      dOut.fill(0, o, o + O);
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
    for (let j = 0; j < O; j++) dOut[o + j] /= z;
    sum += Math.log(z) + max - logits[o + y];
    dOut[o + y] -= 1;
    count++;
    if (arg === y) correct++;
  }
  scaleCounted(dOut, O, rows, targets, count);
  return { sum, count, correct };
}

/**
 * The same with the backend's kernels: softmax of every row in one call (exp(o − max) / z, with
 * each row's max and z returned), then ℓ = log z + max − o_y, the −1 at y and the 1/N scale here.
 * argmax = y exactly when o_y equals the row max and no earlier logit does (first index wins).
 */
function softmaxCrossEntropyWith(kernels: ElementwiseKernels, logits: FloatArray, O: number, rows: number, targets: Int32Array, dOut: FloatArray): LossTotals {
  const stats = kernels.softmaxRows(logits, dOut, rows, O);
  let sum = 0;
  let count = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * O;
    const y = targets[r];
    if (y < 0) {
      dOut.fill(0, o, o + O);
      continue;
    }
    const max = stats[2 * r];
    sum += Math.log(stats[2 * r + 1]) + max - logits[o + y];
    dOut[o + y] -= 1;
    count++;
    if (logits[o + y] === max) {
      let first = 0;
      while (logits[o + first] !== max) first++;
      if (first === y) correct++;
    }
  }
  if (count > 0) kernels.scale(dOut, 0, rows * O, 1 / count);
  return { sum, count, correct };
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
  return { sum, count, correct: 0 };
}

function scaleCounted(dOut: FloatArray, width: number, rows: number, targets: Int32Array, count: number): void {
  if (count === 0) return;
  const s = 1 / count;
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
