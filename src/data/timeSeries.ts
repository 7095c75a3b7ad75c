/**
 * Time-series windows over CSV columns. With raw rows x (N×C), target columns c_1 … c_Y and k
 * forecast steps:
 *   series    z[i] = x[i]                 (or, with differencing, z[i] = x[i] − x[i−1], i ≥ 1)
 *   target    y_s(j) = x[j+s][c_y]        (or x[j+s][c_y] − x[j−h][c_y] with differencing), s = 0 … k−1
 *   inputs    z[t−W+1 … t], t = j − h     (many-to-one: one example per first target row j)
 * Aligned many-to-many tiles the rows into windows of W steps, step t predicting y(t + h). Calendar
 * features of row t follow the columns' inputs at step t, unnormalised and never differenced.
 * Inputs are z-scored per column with statistics of the training rows; targets use the target
 * column's statistics. With differencing each example keeps `base`, the level x[j−h][c*] its target
 * is a change from, so that predictions can be reported as levels. Validation and test targets take their context from the rows before them.
 */
import type { ResolvedSpec } from '../modelSpec';
import { DataError } from './dataError';
import type { Example, Normalization } from './dataset';
import type { CsvColumns } from './csvTable';
import { calendarColumns, type CalendarFeature } from './timeColumn';

/**
 * Rows of one or more files appended (train, then validation or test), with their origin.
 * `calendar`: the 2K calendar input features (sin/cos pairs, timeColumn.ts), fed as they are:
 * never differenced or z-scored.
 */
export interface Series {
  names: string[];
  values: Float64Array[];
  calendar: Float64Array[];
  lines: Int32Array;
  files: string[];
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const joined = new Float64Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

export function appendSeries(a: Series, b: Series): Series {
  const lines = new Int32Array(a.lines.length + b.lines.length);
  lines.set(a.lines);
  lines.set(b.lines, a.lines.length);
  return {
    names: a.names,
    values: a.values.map((column, c) => concat(column, b.values[c])),
    calendar: a.calendar.map((column, k) => concat(column, b.calendar[k])),
    lines,
    files: [...a.files, ...b.files],
  };
}

/** A file's columns as a series, with the calendar features of its time column. */
export function asSeries(c: CsvColumns, calendar: readonly CalendarFeature[]): Series {
  return {
    names: c.names, values: c.values, lines: c.lines, files: Array<string>(c.lines.length).fill(c.file),
    calendar: calendar.length && c.time ? calendarColumns(calendar, c.time.times) : [],
  };
}

export interface WindowOptions {
  task: 'many-to-one' | 'many-to-many';
  window: number;
  horizon: number;
  difference: boolean;
  /** The target columns among the value columns (Y ≥ 1). */
  targetColumns: number[];
  /** k: consecutive target rows per many-to-one example. */
  forecastSteps: number;
  /** p: the season length for the seasonal naive forecast (absent: none). */
  season?: number;
}

export function windowOptions(spec: ResolvedSpec, targetColumns: number[]): WindowOptions {
  return {
    task: spec.task === 'many-to-many' ? 'many-to-many' : 'many-to-one',
    window: spec.data.window,
    horizon: spec.data.horizon,
    difference: spec.data.difference,
    targetColumns,
    forecastSteps: spec.data.forecastSteps ?? 1,
    ...(spec.data.season !== undefined && { season: spec.data.season }),
  };
}

/** The training rows [0, end) of one series. */
export interface SeriesPart { series: Series; end: number }

/**
 * Statistics of z over the training rows of every part, pooled: mean and σ per column (σ = 0 → 1);
 * identity when `normalize` is off. Differences never cross a part's start.
 */
export function seriesStatistics(parts: readonly SeriesPart[], options: WindowOptions, normalize: boolean): Normalization {
  const first = options.difference ? 1 : 0;
  const names = parts[0].series.names;
  const stats = names.map((_, c) => {
    if (!normalize) return { mean: 0, std: 1 };
    let sum = 0;
    let sumSquares = 0;
    let count = 0;
    for (const { series, end } of parts) {
      const x = series.values[c];
      for (let i = first; i < end; i++) {
        const z = options.difference ? x[i] - x[i - 1] : x[i];
        sum += z;
        sumSquares += z * z;
        count++;
      }
    }
    const mean = sum / Math.max(1, count);
    const variance = sumSquares / Math.max(1, count) - mean * mean;
    return { mean, std: variance > 1e-12 ? Math.sqrt(variance) : 1 };
  });
  const series = parts[0].series;
  const targets = options.targetColumns.map((c) => series.names[c]);
  return {
    mean: stats.map((s) => s.mean),
    std: stats.map((s) => s.std),
    columns: [...series.names],
    ...(targets.length === 1 && { target: targets[0] }),
    targets,
    ...(options.forecastSteps > 1 && { forecastSteps: options.forecastSteps }),
    difference: options.difference,
  };
}

/** The population standard deviation of each target column's levels over the parts' training rows (σ = 0 → 1). */
export function targetLevelStd(parts: readonly SeriesPart[], options: WindowOptions): number[] {
  return options.targetColumns.map((c) => {
    const x = parts.flatMap(({ series, end }) => Array.from(series.values[c].subarray(0, end)));
    const mean = x.reduce((s, v) => s + v, 0) / Math.max(1, x.length);
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, x.length);
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
}

/**
 * Examples whose targets all lie in rows [fromTarget, toTarget). A many-to-one example's `target`
 * (and `base`) is k×Y row-major: step s, target y; aligned ones are steps×Y.
 */
export function seriesWindows(series: Series, fromTarget: number, toTarget: number, options: WindowOptions, stats: Normalization): Example[] {
  const { window: W, horizon: h, targetColumns, forecastSteps: k } = options;
  const Y = targetColumns.length;
  const V = series.values.length;
  const C = V + series.calendar.length;
  const firstRow = options.difference ? 1 : 0;
  const x = series.values;
  const input = (t: number, c2: number) => {
    if (c2 >= V) return series.calendar[c2 - V][t];
    const z = options.difference ? x[c2][t] - x[c2][t - 1] : x[c2][t];
    return (z - stats.mean[c2]) / stats.std[c2];
  };
  // the value at row j of target y, relative to the last observed row t when differenced
  const target = (j: number, t: number, y: number) => {
    const c = targetColumns[y];
    const value = options.difference ? x[c][j] - x[c][t] : x[c][j];
    return (value - stats.mean[c]) / stats.std[c];
  };
  // seasonal naive for row r seen from row t: x[r − p·⌈(r − t)/p⌉], the latest observed row in r's phase
  const p = options.season;
  const seasonal = (r: number, t: number, y: number) => {
    const row = r - p! * Math.ceil((r - t) / p!);
    return row >= 0 ? x[targetColumns[y]][row] : NaN;
  };
  const targetsAt = (t: number, rows: number[]) => ({
    target: Float32Array.from({ length: rows.length * Y }, (_, i) => target(rows[Math.floor(i / Y)], t, i % Y)),
    ...(options.difference && { base: Float64Array.from({ length: rows.length * Y }, (_, i) => x[targetColumns[i % Y]][t]) }),
    ...(p && { seasonal: Float64Array.from({ length: rows.length * Y }, (_, i) => seasonal(rows[Math.floor(i / Y)], t, i % Y)) }),
  });
  const examples: Example[] = [];
  if (options.task === 'many-to-one') {
    for (let j = Math.max(fromTarget, firstRow + W - 1 + h); j + k - 1 < toTarget; j++) {
      const start = j - h - W + 1;
      const values = new Float32Array(W * C);
      for (let s = 0; s < W; s++) for (let f = 0; f < C; f++) values[s * C + f] = input(start + s, f);
      const rows = Array.from({ length: k }, (_, s) => j + s);
      examples.push({ input: values, steps: W, ...targetsAt(j - h, rows), line: series.lines[j], file: series.files[j] });
    }
    return examples;
  }
  for (let start = Math.max(firstRow, fromTarget - h); start + h < toTarget; start += W) {
    const steps = Math.min(W, toTarget - h - start);
    const values = new Float32Array(steps * C);
    const target = new Float32Array(steps * Y);
    const base = new Float64Array(steps * Y);
    const seasonalValues = new Float64Array(steps * Y);
    for (let s = 0; s < steps; s++) {
      for (let f = 0; f < C; f++) values[s * C + f] = input(start + s, f);
      const step = targetsAt(start + s, [start + s + h]);
      target.set(step.target, s * Y);
      if (step.base) base.set(step.base, s * Y);
      if (step.seasonal) seasonalValues.set(step.seasonal, s * Y);
    }
    examples.push({
      input: values, steps, target, line: series.lines[start + h], file: series.files[start + h],
      ...(options.difference && { base }), ...(p && { seasonal: seasonalValues }),
    });
  }
  return examples;
}

/** A split must have at least one window; else say how many rows it would need. */
export function requireWindows(examples: Example[], series: Series, what: string, options: WindowOptions): Example[] {
  if (examples.length) return examples;
  const extraSteps = options.task === 'many-to-one' ? options.forecastSteps - 1 : 0;
  const needed = options.window + options.horizon + extraSteps + (options.difference ? 1 : 0);
  const last = series.lines.length - 1;
  throw new DataError(series.files[last], series.lines[last], 1,
    `too few rows for one ${what} window: expected at least ${needed} rows (window ${options.window} + horizon ${options.horizon}` +
    `${extraSteps ? ` + ${extraSteps} more forecast steps` : ''}${options.difference ? ' + 1 for differencing' : ''})`);
}
