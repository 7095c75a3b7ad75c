/**
 * What the dataset preview panel shows (computed by `previewDataset` in the data-scan worker, drawn
 * by webview/preview). Plain JSON: numbers, strings and arrays, so it crosses the worker and the
 * webview boundary as it is. Missing CSV cells are `null` in `SeriesPreview.columns[].values`.
 */
import type { TaskShape } from '../../engine/types';
import type { DataFormat } from '../../modelSpec';
import type { DataRole } from './dataRole';

/** A named count: a class, a tag, a token. */
export interface CountEntry { name: string; count: number }

/** Sequence lengths (steps in the spec's unit) over every split, with the spec's limit when it has one. */
export interface LengthStats {
  /** What a length counts: `characters`, `words`, `tokens`, `rows`, `steps`. */
  unit: string;
  /** What one length is the length of: `records`, `lines`, `series`. */
  of: string;
  count: number;
  min: number;
  max: number;
  mean: number;
  /** p50, p90, p95, p99 (nearest rank). */
  percentiles: { p: number; value: number }[];
  /** Equal-width bins [from, to), the last one closed. */
  histogram: { from: number; to: number; count: number }[];
  /** `data.maxLength` (or sourceMaxLength) and how many sequences are longer. */
  limit?: { key: string; value: number; over: number };
}

export interface VocabularyPreview {
  side: 'input' | 'source' | 'target';
  unit: 'char' | 'word';
  /** Ids, the special tokens included (what the embedding is sized by). */
  size: number;
  /** The settings that made it, e.g. `minCount 2, lowercase`. */
  settings: string;
  top: CountEntry[];
  /** Share of each held-out split's tokens that are `<unk>`. */
  unknown: { split: 'validation' | 'test'; tokens: number; unknown: number }[];
}

/** CSV time series: each used column against the time column (or the row number), the splits marked. */
export interface SeriesPreview {
  /** The x axis: the time column (dates as ms since the epoch) or `row`. */
  x: { name: string; kind: 'date' | 'number' | 'row'; values: number[] };
  columns: { name: string; values: (number | null)[]; missing: number }[];
  /** Steps of the time column longer than its usual step: [from, to) in x units. */
  gaps: { from: number; to: number }[];
  /** Where validation and test rows start (x units). */
  boundaries: { split: 'validation' | 'test'; x: number }[];
  /** With `data.groupBy`: the series shown (the first) and how many there are. */
  series?: { shown: string; count: number };
  /** Every `stride`-th row is plotted when a file is long. */
  stride: number;
}

export interface DatasetPreview {
  /** The dataset's path as the spec names it. */
  file: string;
  /** Which of the spec's data files it is (`train` for settings `init` would write). */
  role: DataRole;
  format: DataFormat;
  task: TaskShape;
  /** Where the settings come from: `spec models/x.rnn.json`, or `the settings rnn-lab init would write`. */
  settingsFrom: string;
  /** Records (or rows, or tokens of a text) in each split. */
  records: { unit: string; train: number; validation: number; test?: number };
  lengths?: LengthStats;
  /** Classifiers: training labels, most frequent first; `warning` above 3:1. */
  classes?: { counts: CountEntry[]; ratio: number; warning?: string };
  /** Taggers: the tag set with training counts. */
  tags?: CountEntry[];
  vocabularies: VocabularyPreview[];
  series?: SeriesPreview;
  /** The first records of the train file as they are written. */
  firstRecords: { columns: string[]; rows: string[][]; lines: number[] };
  /** What training would print (vocabulary, truncation, time gaps) and its warnings. */
  notes: string[];
}
