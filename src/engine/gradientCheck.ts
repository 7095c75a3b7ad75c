/**
 * Gradient check by central finite differences. For an entry θ_i with analytic gradient a_i:
 *   D(ε) = (L(θ + ε e_i) − L(θ − ε e_i)) / (θ_i⁺ − θ_i⁻)      (θ_i± as actually stored, ≈ 2ε)
 *   n_i = Richardson extrapolation of D(ε), D(ε/2), D(ε/4)   (error O(ε⁶); or n_i = D(ε))
 * Extrapolation lets ε be large, so that rounding in L(θ ± ε) stays far below even 1e-8 gradients.
 * Near a ReLU kink the step shrinks until L is smooth within it (see `extrapolated`).
 *   relative error = |a_i − n_i| / max(|a_i|, |n_i|, 1e-8)
 * Each parameter reports the largest relative error over the entries checked: all of them when it has
 * at most `maxEntriesPerParam`, otherwise that many distinct entries drawn from the seeded `rng`.
 * Run it in float64 with dropout off; the defaults (ε = 1e-2 with extrapolation, tolerance 1e-5) assume float64.
 */
import { Rng } from './random';
import type { Param } from './types';

export interface GradCheckRow {
  name: string;
  maxRelativeError: number;
  checked: number;
  ok: boolean;
}

export interface GradCheckOptions {
  /** Richardson-extrapolate central differences D(ε), D(ε/2), D(ε/4) (default true: error O(ε⁶)). */
  richardson?: boolean;
  /** Step ε: default 1e-2 with Richardson extrapolation, 1e-6 without. */
  epsilon?: number;
  tolerance?: number;
  maxEntriesPerParam?: number;
  /** Chooses the entries of large params; defaults to `new Rng(0)`. */
  rng?: Rng;
}

/**
 * Compares analytic and numeric gradients of `loss` for every param.
 * @param loss evaluates the loss at the current param values (must not depend on param.grad).
 * @param analytic called once, after this function zeroes every grad; must add dL/dθ into param.grad.
 * Params are restored exactly afterwards; param.grad keeps the analytic gradient.
 */
export function gradientCheck(
  params: readonly Param[],
  loss: () => number,
  analytic: () => void,
  options: GradCheckOptions = {},
): GradCheckRow[] {
  const { richardson = true, epsilon = richardson ? 1e-2 : 1e-6, tolerance = 1e-5, maxEntriesPerParam = 64, rng = new Rng(0) } = options;
  if (!(epsilon > 0)) throw new RangeError(`gradientCheck epsilon must be > 0, got ${epsilon}`);
  if (!(Number.isInteger(maxEntriesPerParam) && maxEntriesPerParam >= 1)) {
    throw new RangeError(`gradientCheck maxEntriesPerParam must be a positive integer, got ${maxEntriesPerParam}`);
  }
  for (const { grad } of params) grad.fill(0);
  analytic();
  const analyticGrads = params.map((p) => Float64Array.from(p.grad));

  return params.map((param, p) => {
    const { data } = param;
    let maxRelativeError = 0;
    const entries = chooseEntries(data.length, maxEntriesPerParam, rng);
    for (const i of entries) {
      const original = data[i];
      const central = (step: number): number => {
        data[i] = original + step;
        const plus = data[i];
        const lossPlus = loss();
        data[i] = original - step;
        const minus = data[i];
        const lossMinus = loss();
        data[i] = original;
        return (lossPlus - lossMinus) / (plus - minus);
      };
      const numeric = richardson ? extrapolated(central, epsilon) : central(epsilon);
      const a = analyticGrads[p][i];
      const relativeError = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), 1e-8);
      // A NaN (non-finite loss or gradient) sticks, so that the row fails.
      if (Number.isNaN(relativeError) || relativeError > maxRelativeError) maxRelativeError = relativeError;
    }
    return { name: param.name, maxRelativeError, checked: entries.length, ok: maxRelativeError <= tolerance };
  });
}

/** All of 0..length−1 when length ≤ count, else `count` distinct indices (partial Fisher–Yates), sorted. */
function chooseEntries(length: number, count: number, rng: Rng): Int32Array {
  const indices = new Int32Array(length);
  for (let i = 0; i < length; i++) indices[i] = i;
  if (length <= count) return indices;
  for (let k = 0; k < count; k++) {
    const j = k + rng.int(length - k);
    const tmp = indices[k];
    indices[k] = indices[j];
    indices[j] = tmp;
  }
  return indices.subarray(0, count).sort();
}

/**
 * Two levels of Richardson extrapolation. Where the two first-level estimates disagree, L is not
 * smooth within ε (a ReLU kink nearby): retry with ε/10 and ε/100, then fall back to one plain
 * central difference with ε = 1e-6.
 */
function extrapolated(central: (step: number) => number, epsilon: number): number {
  for (let step = epsilon; step >= epsilon / 100; step /= 10) {
    const d1 = central(step);
    const d2 = central(step / 2);
    const d4 = central(step / 4);
    const r1 = (4 * d2 - d1) / 3;
    const r2 = (4 * d4 - d2) / 3;
    const scale = Math.max(Math.abs(r1), Math.abs(r2), 1e-8);
    // 1e-11 absorbs rounding (≈ 1e-16·|L|/ε), so an exactly-zero gradient is recognised as smooth.
    if (Math.abs(r1 - r2) <= 1e-5 * scale + 1e-11) return (16 * r2 - r1) / 15;
  }
  return central(1e-6);
}
