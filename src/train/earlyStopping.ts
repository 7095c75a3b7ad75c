/**
 * What `training.earlyStopping.monitor` watches: `"<split> <metric>"`, any metric the task reports
 * on that split. Each metric has a direction: loss, rmse, perplexity, bits and error rates improve
 * downwards, the rest (accuracies, macroF1) upwards. The trainer compares `monitored` values, which
 * are the metric itself when it goes down and its negation when it goes up (lower is better).
 * `"validation accuracy"` means `tokenAccuracy` for a task that reports that instead (taggers),
 * as it did before metrics could be named freely.
 */
import type { PreparedDataset } from '../data';
import type { TrainingState } from './checkpoint';
import type { OutputConfig } from '../engine/types';
import type { Metrics } from './events';
import { forecastMetricNames, hasSeasonalNaive, isForecastErrorMetric } from './forecastMetrics';
import { seriesTargetNames } from '../data/seriesCodec';

const DOWNWARD: ReadonlySet<string> = new Set(['loss', 'rmse', 'naiveRmse', 'perplexity', 'bitsPerChar', 'bitsPerToken', 'tokenErrorRate']);

/** The direction in which a metric improves. */
export function metricDirection(metric: string): 'down' | 'up' {
  return DOWNWARD.has(metric) || isForecastErrorMetric(metric) ? 'down' : 'up';
}

/** A parsed monitor: which split, which metric (alias resolved). */
export interface Monitor { split: 'train' | 'validation'; metric: string }

/** The metric names `evaluateSplit` (validation) or an epoch of training (train) reports for this data. */
export function reportedMetrics(split: 'train' | 'validation', data: PreparedDataset, output: OutputConfig, unit: 'char' | 'word'): string[] {
  const names = ['loss'];
  if (data.kind === 'stream') return split === 'train' ? names : [...names, unit === 'word' ? 'bitsPerToken' : 'bitsPerChar', 'perplexity'];
  if (output.kind === 'values') {
    if (split === 'train') return names;
    if (data.kind !== 'timeseries') return [...names, 'rmse'];
    const norm = data.normalization;
    return [...names, ...forecastMetricNames(seriesTargetNames(norm), norm?.forecastSteps ?? 1, hasSeasonalNaive(data))];
  }
  names.push(data.task === 'many-to-one' ? 'accuracy' : 'tokenAccuracy');
  if (data.labels && (data.task === 'many-to-one' || data.task === 'many-to-many')) names.push('macroF1');
  if (split === 'validation' && (data.task === 'seq2seq' || data.task === 'one-to-many')) names.push('sequenceAccuracy', 'tokenErrorRate');
  return names;
}

/**
 * Parses `monitor` against what the data reports; returns the monitor, or a message saying what is
 * expected (the caller positions it at /training/earlyStopping/monitor).
 */
export function parseMonitor(monitor: string, data: PreparedDataset, output: OutputConfig, unit: 'char' | 'word'): Monitor | string {
  const [split, metric, ...rest] = monitor.trim().split(/\s+/);
  if ((split !== 'validation' && split !== 'train') || metric === undefined || rest.length) {
    return `expected "<split> <metric>" with split "validation" or "train", got "${monitor}"`;
  }
  const reported = reportedMetrics(split, data, output, unit);
  if (reported.includes(metric)) return { split, metric };
  if (metric === 'accuracy' && reported.includes('tokenAccuracy')) return { split, metric: 'tokenAccuracy' };
  return `this ${describeTask(data, output)} does not report "${metric}" on the ${split} split: expected one of ${reported.map((m) => `"${split} ${m}"`).join(', ')}`;
}

/** The monitored value of `metrics` (lower is better), or undefined when the metric is missing or NaN. */
export function monitoredValue(monitor: Monitor, metrics: Metrics): number | undefined {
  const value = metrics[monitor.metric];
  if (value === undefined || Number.isNaN(value)) return undefined;
  return metricDirection(monitor.metric) === 'down' ? value : -value;
}

function describeTask(data: PreparedDataset, output: OutputConfig): string {
  if (data.kind === 'stream') return 'language model';
  if (output.kind === 'values') return 'regression';
  if (data.task === 'many-to-one') return 'classifier';
  if (data.task === 'many-to-many') return 'tagger';
  return `${data.task} model`;
}

/**
 * Records epoch `epoch` (1-based) with its monitored value (lower is better) and `loss`: a new best
 * when it beats the best so far; the patience count restarts only when it beats it by more than
 * `minDelta`. Returns true for a new best.
 */
export function trackImprovement(
  state: Pick<TrainingState, 'best' | 'epochsWithoutImprovement'>, epoch: number, monitored: number, loss: number, minDelta: number,
): boolean {
  const best = state.best;
  if (best && !(monitored < best.monitored)) {
    state.epochsWithoutImprovement++;
    return false;
  }
  if (!best || monitored < best.monitored - minDelta) state.epochsWithoutImprovement = 0;
  else state.epochsWithoutImprovement++;
  state.best = { epoch, loss, monitored };
  return true;
}

/** An epoch as early stopping sees it: the watched split's metrics and their monitored value (lower is better). */
export interface Watched { metrics: Metrics; monitored: number }

/**
 * What an epoch is judged on: the monitored split's metrics (validation unless the monitor watches
 * train; undefined when that split has none) and their monitored value, the loss when the monitor is
 * off or its metric is missing or NaN.
 */
export function watchedValue(monitor: Monitor | undefined, train: Metrics, validation: Metrics | undefined): Watched | undefined {
  const metrics = monitor?.split === 'train' ? train : validation;
  if (!metrics) return undefined;
  return { metrics, monitored: (monitor && monitoredValue(monitor, metrics)) ?? metrics.loss };
}

/** One epoch's verdict: `improved` (a new best, summary.json's `best`), `newBest` (best.safetensors is written), `stop`. */
export interface EpochVerdict { improved: boolean; newBest: boolean; stop: boolean }

/**
 * Judges epoch `epoch` (1-based). An epoch inside a loss explosion (divergence.ts) or with a
 * non-finite monitored value never improves; with nothing watched every epoch but an exploding one
 * is written as best. Early stopping (`earlyStopping`, null: off) stops once `patience` epochs in a
 * row have not improved by more than `minDelta` (trackImprovement).
 */
export function judgeEpoch(
  state: Pick<TrainingState, 'best' | 'epochsWithoutImprovement'>, epoch: number, watched: Watched | undefined,
  earlyStopping: { patience: number; minDelta: number } | null, exploding: boolean,
): EpochVerdict {
  let improved = false;
  if (watched) {
    if (exploding || !Number.isFinite(watched.monitored)) state.epochsWithoutImprovement++;
    else improved = trackImprovement(state, epoch, watched.monitored, watched.metrics.loss, earlyStopping?.minDelta ?? 0);
  }
  const stop = earlyStopping !== null && watched !== undefined && state.epochsWithoutImprovement >= earlyStopping.patience;
  return { improved, newBest: improved || (!watched && !exploding), stop };
}
