/**
 * `rnn-lab eval <run>`: the run's best weights on its test split (else validation), or on `--data FILE`.
 * `--json` prints one line, train's `done` line plus the report's details (docs/contracts.md,
 * "Evaluation output"); otherwise the metrics, and tables: confusion matrix, per-class scores and
 * worst examples for classifiers, predictions against the naive baseline for time series.
 */
import * as path from 'node:path';
import { DataError, prepareDataset } from '../../data';
import { prepareEvaluationFile } from '../../data/prepareDataset';
import { formatErrorLine, InputError } from '../../train/errors';
import { evaluateReport, type EvaluationReport } from '../../train/evaluation';
import { forecastBreakdown, forecastDims, forecastSlice, type ForecastSlice } from '../../train/forecastBreakdown';
import { targetNames } from '../../modelSpec';
import type { DoneEvent } from '../../train/events';
import { loadRun } from '../../train/loadedRun';
import { readRunCodec } from '../../train/vocabularyFile';
import { fail } from '../failure';
import { FileAccess, type AllowRootOptions } from '../fileAccess';
import { formatMetrics } from '../../format/metrics';
import { locateRun } from '../runLocation';

export interface EvalCommandOptions extends AllowRootOptions { data?: string; json?: boolean }

/** The `eval --json` line: train's done line and the report's details. */
export type EvaluationDoneLine = DoneEvent & Omit<EvaluationReport, 'metrics'>;

/** Rows of the predictions table shown in words (all of them are in the JSON line). */
const PREDICTION_ROWS = 12;

export async function evalCommand(runArgument: string, options: EvalCommandOptions): Promise<void> {
  const json = options.json ?? false;
  try {
    const files = FileAccess.fromOptions(options);
    const { runsDir, runId } = locateRun(runArgument, undefined);
    const runDir = path.join(runsDir, runId);
    const store = files.runStore(runsDir);
    const run = await loadRun(store, runId);
    if (!run.summary.specFile) throw new InputError('this run does not record where its spec is; evaluate it from the folder it was trained in', runDir);
    // summary.specFile is written by whoever made the run folder: its data is read only where the roots allow.
    const specPath = files.check(path.resolve(runDir, run.summary.specFile));
    const specDir = path.dirname(specPath);
    const spec = structuredClone(run.spec);
    if (options.data) spec.data.test = path.relative(specDir, path.resolve(options.data)).split(path.sep).join('/');
    // The run's own vocabularies, labels and statistics: new tokens become <unk>.
    const codec = await readRunCodec(store, runId, run.summary.network);
    const timeSeries = spec.data.format === 'csv' && !spec.data.records;
    // a CSV series given with --data stands alone: its first window rows are only context
    const data = prepareDatasetNaming(options.data, spec.data.test, () => options.data && !timeSeries
      ? prepareEvaluationFile(spec, files.dataReader(specPath), codec, spec.data.test!)
      : prepareDataset(spec, files.dataReader(specPath), codec, { testStandsAlone: options.data !== undefined }));
    const trainFile = spec.data.train;
    // Without --data the validation split (and a time series' context) come from the train file itself.
    if (!(options.data && !timeSeries) && run.summary.hashes[trainFile] && data.hashes[trainFile] !== run.summary.hashes[trainFile]) {
      throw new InputError('changed since the run was trained: its validation split and context no longer match the run', path.resolve(specDir, trainFile));
    }
    for (const warning of data.warnings ?? []) {
      const file = warning.file === spec.data.test && options.data ? options.data : path.resolve(specDir, warning.file);
      process.stderr.write(`warning: ${formatErrorLine({ ...warning, file })}\n`);
    }
    const split = data.test ? 'test' : 'validation';
    const bptt = spec.training.bptt;
    const report = evaluateReport(run.model, data, data.test ?? data.validation, {
      batchSize: spec.training.batchSize, continuous: true, unit: spec.data.unit,
      windowSteps: bptt.mode === 'truncated' ? bptt.forwardSteps : spec.data.sequenceLength,
    });
    const worst = report.worst?.map((w) => ({ ...w, file: path.resolve(specDir, w.file) }));
    const done: EvaluationDoneLine = {
      event: 'done', run: runDir, metrics: report.metrics, split, best: { epoch: run.summary.best?.epoch ?? run.summary.completedEpochs },
      ...(report.confusionMatrix && { confusionMatrix: report.confusionMatrix, perClass: report.perClass }),
      ...(report.unseenLabels && { unseenLabels: report.unseenLabels }),
      ...(worst && worst.length > 0 && { worst }),
      ...(report.predictions && { predictions: report.predictions }),
    };
    if (json) {
      process.stdout.write(JSON.stringify(done) + '\n');
      return;
    }
    const source = options.data ? `on ${options.data} (--data)` : split === 'test' ? `on data.test (${spec.data.test})` : 'on the validation split (the spec has no data.test)';
    process.stdout.write(`Metrics of the ${run.weights} weights (epoch ${done.best.epoch}) ${source}:\n  ${formatMetrics(report.metrics)}\n`);
    process.stdout.write(describeReport(done, targetNames(run.spec.data.target)));
  } catch (error) {
    fail(error, runArgument, json);
  }
}

/** Runs `prepare`; a DataError in the --data file names that file as the user wrote it. */
function prepareDatasetNaming<T>(dataOption: string | undefined, relPath: string | undefined, prepare: () => T): T {
  try {
    return prepare();
  } catch (error) {
    if (dataOption && error instanceof DataError && error.file === relPath) throw new InputError(error.reason, dataOption, error.line, error.column);
    throw error;
  }
}

/** The report's tables, in words. */
export function describeReport(done: EvaluationDoneLine, targets: readonly string[] = []): string {
  const parts: string[] = [];
  if (done.confusionMatrix) {
    const { labels, matrix } = done.confusionMatrix;
    parts.push('Confusion matrix (rows: true class, columns: predicted class)\n' +
      table([['', ...labels], ...matrix.map((row, i) => [labels[i], ...row.map(String)])], 'l' + 'r'.repeat(labels.length)));
  }
  if (done.perClass) {
    parts.push('Per class\n' + table([
      ['class', 'precision', 'recall', 'F1', 'support'],
      ...done.perClass.map((c) => [c.label, c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3), String(c.support)]),
    ], 'lrrrr'));
  }
  if (done.unseenLabels) {
    const entries = Object.entries(done.unseenLabels);
    parts.push(`Labels training lacks (counted as wrong, left out of the loss): ${entries.map(([label, n]) => `"${label}" ×${n}`).join(', ')}`);
  }
  if (done.worst) {
    parts.push(`Worst examples (highest loss first, ${done.worst.length})\n` + table([
      ['loss', 'where', 'target', 'predicted', 'input'],
      ...done.worst.map((w) => [w.loss.toFixed(3), `${path.relative('.', w.file) || w.file}:${w.line}`, w.target,
        w.probability === undefined ? w.predicted : `${w.predicted} (p ${w.probability.toFixed(2)})`, w.input]),
    ], 'rl'));
  }
  if (done.predictions) parts.push(describePredictions(done.predictions, done.metrics, targets));
  return parts.map((p) => `\n${p}\n`).join('');
}

/**
 * Per target: the first and last predictions (one step ahead), and the comparison with the naive
 * last-value forecast, said plainly; with several targets or steps, a table of RMSE per target and step.
 */
function describePredictions(predictions: NonNullable<EvaluationDoneLine['predictions']>, metrics: Record<string, number>, targetNames: readonly string[]): string {
  const { steps, targets } = forecastDims(predictions);
  const cells = forecastBreakdown(predictions, targetNames);
  const parts: string[] = [];
  for (let y = 0; y < targets; y++) {
    const name = cells[y * (steps > 1 ? steps + 1 : 1)].target;
    const ahead = steps > 1 ? `, one step ahead of ${steps}; the table below has every step` : '';
    parts.push(predictionsTable(forecastSlice(predictions, 0, y), `Predictions of ${targetNames.length || predictions.targets ? name : 'the target'} in original units`, ahead));
  }
  if (steps > 1 || targets > 1) {
    const seasonal = cells.some((c) => c.seasonalNaiveRmse !== undefined);
    parts.push('RMSE per target and step (original units)\n' + table([
      ['target', 'step', 'RMSE', 'naive RMSE', ...(seasonal ? ['seasonal naive RMSE'] : [])],
      ...cells.map((c) => [c.target, c.step === 0 ? 'all' : String(c.step), fixed(c.rmse), c.naiveRmse === undefined ? '' : fixed(c.naiveRmse),
        ...(seasonal ? [c.seasonalNaiveRmse === undefined ? '' : fixed(c.seasonalNaiveRmse)] : [])]),
    ], 'lrrrr'));
  }
  // the verdicts: one target from the reported metrics, several each over all its steps
  const verdicts = targets === 1
    ? [verdictLines('', metrics.rmse, metrics.naiveRmse, metrics.seasonalNaiveRmse)]
    : cells.filter((c) => c.step === (steps > 1 ? 0 : 1)).map((c) => verdictLines(`${c.target}: `, c.rmse, c.naiveRmse ?? NaN, c.seasonalNaiveRmse ?? NaN));
  parts.push(verdicts.filter(Boolean).join('\n'));
  return parts.filter(Boolean).join('\n\n');
}

/** The first and last rows of one target's predictions at one step. */
function predictionsTable({ actual, predicted, naive }: ForecastSlice, header: string, ahead: string): string {
  const n = actual.length;
  const shown = n <= PREDICTION_ROWS ? [...actual.keys()] : [...Array(PREDICTION_ROWS / 2).keys(), ...Array.from({ length: PREDICTION_ROWS / 2 }, (_, i) => n - PREDICTION_ROWS / 2 + i)];
  const rows: string[][] = [];
  shown.forEach((i, k) => {
    if (k > 0 && i !== shown[k - 1] + 1) rows.push(['…', '…', '…', '…', '…']);
    rows.push([String(i + 1), fixed(actual[i]), fixed(predicted[i]), fixed(predicted[i] - actual[i]), naive ? fixed(naive[i]) : '']);
  });
  const lines = [`${header} (${n} values${ahead})`, table([['#', 'actual', 'predicted', 'error', 'naive'], ...rows], 'rrrrr')];
  if (n > shown.length) lines.push(`(${n - shown.length} rows not shown; --json has them all)`);
  return lines.join('\n');
}

/** The model against the naive and seasonal naive forecasts, in words (empty when not measured). */
function verdictLines(prefix: string, rmse: number, naiveRmse: number, seasonalNaiveRmse: number): string {
  const lines: string[] = [];
  if (Number.isFinite(rmse) && Number.isFinite(naiveRmse)) {
    const ratio = rmse / naiveRmse;
    lines.push(prefix + (rmse < naiveRmse
      ? `RMSE ${fixed(rmse)} beats the naive last-value forecast (RMSE ${fixed(naiveRmse)}): ${((1 - ratio) * 100).toFixed(1)}% lower.`
      : `The model LOSES to the naive last-value forecast: RMSE ${fixed(rmse)} against ${fixed(naiveRmse)} (${((ratio - 1) * 100).toFixed(1)}% higher). Repeating the last value predicts this series better.`));
  }
  if (Number.isFinite(rmse) && Number.isFinite(seasonalNaiveRmse)) {
    lines.push(`${prefix}The seasonal naive forecast (the value one season back, data.season) has RMSE ${fixed(seasonalNaiveRmse)}: the model ${rmse < seasonalNaiveRmse ? 'beats' : 'LOSES to'} it.`);
  }
  return lines.join('\n');
}

function fixed(value: number): string {
  return Number.isFinite(value) ? String(Number(Number(value.toPrecision(5)).toFixed(3))) : String(value);
}

/** Columns padded to their widest cell, two spaces apart; `align[c]` 'r' right-aligns column c (default 'l'). */
function table(rows: string[][], align = ''): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => Array.from(r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => {
    const pad = ' '.repeat(widths[c] - Array.from(cell).length);
    return align[c] === 'r' ? pad + cell : cell + pad;
  }).join('  ').trimEnd()).join('\n');
}
