/** The prepared dataset handed to the trainer (see docs/contracts.md). */
import type { TaskShape } from '../engine/types';
import type { RecordCodec } from './recordExamples';
import type { CalendarFeature } from './timeColumn';

/**
 * One sequence example.
 * - `input`: token ids (`steps`), or features `steps×featureSize` row-major (empty for one-to-many).
 * - `label`: many-to-one class id (UNSEEN_TARGET, −2, for a label training lacks); `target`: many-to-one values (`targetSize`) or aligned values (`steps×targetSize`).
 * - `labels`: aligned class ids, one per step; `targetTokens`: generated ids without `<bos>`/`<eos>`.
 * - `initVector`: one-to-many conditioning vector. `line`/`file`: where the example comes from
 *   (time series: the line of its first target).
 * - `base`: time series with `difference`: the level (original units) each target value is a change
 *   from, x[t] of the target column, same layout as `target`; the level is base + change.
 */
export interface Example {
  input: Int32Array | Float32Array;
  steps: number;
  label?: number;
  target?: Float32Array;
  labels?: Int32Array;
  targetTokens?: Int32Array;
  initVector?: Float32Array;
  base?: Float64Array;
  /** Time series with `data.season` p: the seasonal naive forecast of each target value (original units,
   * `target`'s layout): the last observed value a whole number of seasons before it; NaN when none is. */
  seasonal?: Float64Array;
  /** Time series with `data.groupBy`: the id of the example's series. */
  series?: string;
  line: number;
  file: string;
}

/** `unseenLabels`: labels of this split that training lacks, with their counts (validation and test files). */
export type Split = { kind: 'stream'; tokens: Int32Array } | { kind: 'examples'; examples: Example[]; unseenLabels?: Record<string, number> };

/**
 * z-score statistics: input feature f is fed as (x − mean[f]) / std[f]. For CSV, `columns` names
 * the features, `target` the predicted column (its statistics de-normalise predictions), and with
 * `difference` the series is x[t] − x[t−1] and a target is the change x[t+h] − x[t] over the horizon.
 * `time` names the time column and `calendar` its features, which follow the columns' features
 * (a sin/cos pair each, unnormalised); raw rows then start with the time.
 */
export interface Normalization {
  mean: number[];
  std: number[];
  columns?: string[];
  target?: string;
  difference?: boolean;
  time?: string;
  calendar?: CalendarFeature[];
  /** CSV: every predicted column, in output order (`target` is kept for a single one). */
  targets?: string[];
  /** CSV many-to-one: k consecutive steps per window (absent: 1). Outputs are k×Y, step-major. */
  forecastSteps?: number;
  /** CSV with several series: the column naming them (`data.groupBy`). */
  groupBy?: string;
  /** `normalize: "perSeries"`: each series' own statistics, by id (`mean`/`std` above are pooled). */
  series?: Record<string, { mean: number[]; std: number[] }>;
}

/**
 * Something in the data that does not stop training but that the user must hear of (an unseen label,
 * blank cells filled in, …): the trainer emits each as a `warning` event, the CLI prints it on stderr.
 */
export interface DataWarning { file: string; line: number; column: number; message: string }

/** A dataset read and encoded: what the train file fixes (vocabularies, labels, sizes), and the splits. */
export interface PreparedDataset extends RecordCodec {
  task: TaskShape;
  kind: 'stream' | 'records' | 'timeseries';
  normalization?: Normalization;
  train: Split;
  validation: Split;
  test?: Split;
  /** relPath → sha256 hex of the bytes. */
  hashes: Record<string, string>;
  /** Time series: each target's standard deviation over the training rows, in original units (for nrmse). */
  targetStd?: number[];
  /** Problems found while reading that training survives; emitted as `warning` events. */
  warnings?: DataWarning[];
  /** One-line facts about the prepared data (vocabulary size and unknown share, records truncated,
   * padding fraction, …); emitted as `info` events and printed by the CLI. */
  notes?: string[];
}
