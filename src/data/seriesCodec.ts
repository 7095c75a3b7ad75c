/**
 * Raw time-series rows ↔ what the model reads and writes, shared by `predict` and `eval` so both
 * answer in the user's terms (original units, levels):
 *   inputs   z[t] = (x[t] − mean) / std                 (rows as given)
 *            z[t] = (x[t] − x[t−1] − mean) / std         (with `difference`: n rows give n − 1 steps)
 *   output   level = o·std_c + mean_c                   (c = the target column)
 *            level = x[t][c] + o·std_c + mean_c         (with `difference`: the last observed level plus the change)
 */
import type { Normalization } from './dataset';

/** The column of the target among the input columns, −1 when there is none (records). */
export function targetInputColumn(norm: Normalization | undefined): number {
  return norm?.columns && norm.target !== undefined ? norm.columns.indexOf(norm.target) : -1;
}

/** o ↦ o·scale + shift: de-normalisation of the target (identity without statistics). */
export function targetScale(norm: Normalization | undefined): { scale: number; shift: number } {
  const column = targetInputColumn(norm);
  return norm && column >= 0 ? { scale: norm.std[column], shift: norm.mean[column] } : { scale: 1, shift: 0 };
}

/** Whether the model's values are changes from the last observed level. */
export function isDifferenced(norm: Normalization | undefined): boolean {
  return norm?.difference === true && targetInputColumn(norm) >= 0;
}

/**
 * Raw rows (each X values) → z-scored model steps, T×X row-major, and `base`: per step, the level
 * of the target column its prediction is a change from (with `difference`; else undefined).
 */
export function encodeSeriesRows(norm: Normalization | undefined, rows: readonly (readonly number[])[], X: number):
  { steps: number; features: Float32Array; base?: Float64Array } {
  const differenced = isDifferenced(norm);
  const first = differenced ? 1 : 0;
  const steps = rows.length - first;
  const features = new Float32Array(Math.max(0, steps) * X);
  for (let t = 0; t < steps; t++) {
    for (let f = 0; f < X; f++) {
      const x = rows[t + first][f] - (differenced ? rows[t][f] : 0);
      features[t * X + f] = norm ? (x - norm.mean[f]) / norm.std[f] : x;
    }
  }
  if (!differenced) return { steps, features };
  const c = targetInputColumn(norm);
  return { steps, features, base: Float64Array.from({ length: steps }, (_, t) => rows[t + 1][c]) };
}

/** Model output (normalised) → the value in original units; `base` is the level a change is added to. */
export function outputLevel(norm: Normalization | undefined, output: number, base: number | undefined): number {
  const { scale, shift } = targetScale(norm);
  return output * scale + shift + (isDifferenced(norm) ? base ?? 0 : 0);
}
