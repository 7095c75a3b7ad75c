/**
 * Raw time-series rows ↔ what the model reads and writes, shared by `predict` and `eval` so both
 * answer in the user's terms (original units, levels):
 *   inputs   z[t] = (x[t] − mean) / std                 (rows as given)
 *            z[t] = (x[t] − x[t−1] − mean) / std         (with `difference`: n rows give n − 1 steps)
 *            then 2K calendar features of the step's (newer) row, when the run has `calendar`: a raw row
 *            is then [time, value₁, …, value_C], the time an ISO 8601 date
 *   output   level = o·std_c + mean_c                   (c = the column of target y; outputs are
 *            level = x[t][c] + o·std_c + mean_c          k×Y per window, step-major; with `difference`
 *                                                        x[t][c] is the last observed level of target y)
 */
import type { Normalization } from './dataset';
import { calendarColumns, parseTimeCell } from './timeColumn';

/** The statistics of one series (`normalize: "perSeries"`), else the run's own. */
export function normalizationFor(norm: Normalization | undefined, series: string | undefined): Normalization | undefined {
  const own = series === undefined ? undefined : norm?.series?.[series];
  return own && norm ? { ...norm, mean: own.mean, std: own.std } : norm;
}

/** The target names of a run, in output order (`targets`, or the single `target` of older runs; none for records). */
export function seriesTargetNames(norm: Normalization | undefined): string[] {
  return norm?.targets ?? (norm?.target !== undefined ? [norm.target] : []);
}

/** Each target's column among the input columns (empty for records, whose values are not columns). */
export function targetInputColumns(norm: Normalization | undefined): number[] {
  const columns = norm?.columns;
  return columns ? seriesTargetNames(norm).map((name) => columns.indexOf(name)).filter((c) => c >= 0) : [];
}

/** Y (targets) and k (forecast steps) of a run's outputs; 1 and 1 for records. */
export function forecastShape(norm: Normalization | undefined): { targets: number; forecastSteps: number } {
  return { targets: Math.max(1, targetInputColumns(norm).length), forecastSteps: norm?.forecastSteps ?? 1 };
}

/** o ↦ o·scale + shift: de-normalisation of target y (identity without statistics). */
export function targetScale(norm: Normalization | undefined, y = 0): { scale: number; shift: number } {
  const column = targetInputColumns(norm)[y];
  return norm && column !== undefined ? { scale: norm.std[column], shift: norm.mean[column] } : { scale: 1, shift: 0 };
}

/** Whether the model's values are changes from the last observed level. */
export function isDifferenced(norm: Normalization | undefined): boolean {
  return norm?.difference === true && targetInputColumns(norm).length > 0;
}

/**
 * A raw input's series: `{"series": id, "rows": [...]}` names it (required when each series has its
 * own statistics, `normalize: "perSeries"`); plain rows have none. A message when it does not fit.
 */
export function seriesOfInput(norm: Normalization | undefined, raw: unknown): { series?: string; rows: unknown } | string {
  const ids = Object.keys(norm?.series ?? {});
  const named = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  if (!named) return ids.length ? `expected {"series": id, "rows": [...]}: each series has its own statistics (data.normalize "perSeries")` : { rows: raw };
  const series = typeof named.series === 'number' ? String(named.series) : named.series;
  if (typeof series !== 'string' || !('rows' in named)) return 'expected {"series": id, "rows": [...]}';
  if (ids.length && !ids.includes(series)) {
    return `unknown series "${series}": expected one of ${ids.slice(0, 10).map((id) => `"${id}"`).join(', ')}${ids.length > 10 ? ', …' : ''}`;
  }
  return { series, rows: named.rows };
}

/** Raw input steps, as `predict` takes them: value rows, and their times when the run has calendar features. */
export interface SeriesInput { rows: number[][]; times?: Float64Array }

/**
 * A raw input (a number per step, or an array per step) checked against the model's X input features;
 * a message saying what was expected when it does not fit.
 */
export function parseSeriesInput(norm: Normalization | undefined, raw: unknown, X: number): SeriesInput | string {
  const calendar = norm?.calendar ?? [];
  const C = X - 2 * calendar.length;
  const steps = Array.isArray(raw) ? raw.map((step) => (Array.isArray(step) ? step : [step])) : undefined;
  const isValue = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (!calendar.length) {
    if (steps?.length && steps.every((r) => r.length === X && r.every(isValue))) return { rows: steps as number[][] };
    return `expected a non-empty array of steps, each ${X === 1 ? 'a number' : `an array of ${X} numbers`}`;
  }
  const times = steps?.map((r) => (typeof r[0] === 'string' ? parseTimeCell(r[0]) : undefined));
  if (steps?.length && steps.every((r, t) => r.length === C + 1 && times![t]?.kind === 'date' && r.slice(1).every(isValue))) {
    return { rows: steps.map((r) => r.slice(1) as number[]), times: Float64Array.from(times!, (t) => t!.value) };
  }
  return `expected a non-empty array of steps, each [time, ${C === 1 ? 'value' : `${C} values`}] with the time an ISO 8601 date (the run's data.calendar features come from it)`;
}

/**
 * Raw rows (each C values, with times for calendar features) → the model's steps, T×X row-major,
 * and `base` (T×Y): per step, the level of each target its prediction is a change from (with
 * `difference`; else undefined).
 */
export function encodeSeriesRows(norm: Normalization | undefined, input: SeriesInput, X: number):
  { steps: number; features: Float32Array; base?: Float64Array } {
  const { rows, times } = input;
  const differenced = isDifferenced(norm);
  const first = differenced ? 1 : 0;
  const steps = rows.length - first;
  const calendar = norm?.calendar ?? [];
  const C = X - 2 * calendar.length;
  const features = new Float32Array(Math.max(0, steps) * X);
  const calendarFeatures = calendar.length && times ? calendarColumns(calendar, times.subarray(first)) : [];
  for (let t = 0; t < steps; t++) {
    for (let f = 0; f < C; f++) {
      const x = rows[t + first][f] - (differenced ? rows[t][f] : 0);
      features[t * X + f] = norm ? (x - norm.mean[f]) / norm.std[f] : x;
    }
    calendarFeatures.forEach((column, k) => (features[t * X + C + k] = column[t]));
  }
  if (!differenced) return { steps, features };
  const columns = targetInputColumns(norm);
  const Y = columns.length;
  return { steps, features, base: Float64Array.from({ length: steps * Y }, (_, i) => rows[Math.floor(i / Y) + 1][columns[i % Y]]) };
}

/**
 * Model output (normalised) of target y → the value in original units; `base` is the level a change
 * is added to.
 */
export function outputLevel(norm: Normalization | undefined, output: number, base: number | undefined, y = 0): number {
  const { scale, shift } = targetScale(norm, y);
  return output * scale + shift + (isDifferenced(norm) ? base ?? 0 : 0);
}

/** How a run's value outputs read in original units for one series (`targetLevels`). */
export interface TargetLevels {
  /** Y: the targets each step's outputs cycle through (the outputs per step when they are not columns). */
  targets: number;
  /** Output `index` (of a step's k×Y, step-major: target index mod Y) in original units; `base` as in `outputLevel`. */
  level(output: number, index: number, base: number | undefined): number;
}

/**
 * The target de-normalisation lookup of `eval` and `predict` (and of exports): the series' own
 * statistics (`normalizationFor`), then output index i ↦ target i mod Y ↦ `outputLevel`.
 * `outputsPerStep` is the model's O (k forecast steps × Y targets).
 */
export function targetLevels(norm: Normalization | undefined, series: string | undefined, outputsPerStep: number): TargetLevels {
  const own = normalizationFor(norm, series);
  const targets = targetInputColumns(own).length || outputsPerStep;
  return { targets, level: (output, index, base) => outputLevel(own, output, base, index % targets) };
}
