/**
 * Evaluation of a model on one split, with the metrics of `metrics.ts` chosen by task and data:
 *   stream (text LM)           loss, bitsPerChar | bitsPerToken, perplexity
 *   many-to-one, classes       loss, accuracy, macroF1
 *   many-to-many, classes      loss, tokenAccuracy, macroF1 (over tags)
 *   values (regression)        loss, rmse (original units), naiveRmse (time series: last value)
 *   seq2seq, one-to-many       loss, tokenAccuracy (teacher forcing), sequenceAccuracy, tokenErrorRate (greedy)
 * and, for `rnn-lab eval` (`evaluateReport`), the details of the contract's "Evaluation output":
 *   classifiers and taggers    confusionMatrix (per step for taggers), perClass, unseenLabels
 *   every record split         worst: the 10 examples with the highest loss (mean per target)
 *   time series                predictions: actual, predicted and naive values in original units
 * No gradients; dropout off.
 */
import type { Example, Normalization, PreparedDataset, Split } from '../data';
import { makeBatch } from '../data';
import type { ForwardResult, RecurrentModel, RecurrentState } from '../engine/model';
import type { Batch, FloatArray } from '../engine/types';
import { copyState } from './checkpoint';
import type { Metrics } from './events';
import {
  ConfusionMatrix, DecodingAccumulator, LossAccumulator, RmseAccumulator, WorstExamples, languageModelMetrics,
  type ClassScores, type PredictionSeries,
} from './metrics';
import { isDifferenced, normalizationFor, seriesTargetNames, targetInputColumns, targetLevels, type TargetLevels } from '../data/seriesCodec';
import { reportsMacroF1, tallyPredictions } from './classTally';
import { ForecastErrors } from './forecastMetrics';
import { argmax, greedyDecodeBatch, logSoftmax, specialTokens } from './sampling';
import { stripeLayout, truncatedWindows, windowBatch } from './streamWindows';

export interface EvaluationOptions {
  /** Records per batch, or stripes for a stream. */
  batchSize: number;
  /** Stream window length (the truncated-BPTT k1). */
  windowSteps: number;
  /** Stream: one stripe run continuously from a zero state over the whole split (final metrics). */
  continuous?: boolean;
  /** 'char' or 'word': names the bits metric of a language model. */
  unit: 'char' | 'word';
}

/** One of the worst examples; `input`, `target` and `predicted` are short display texts. */
export interface WorstExample {
  file: string; line: number; input: string; target: string; predicted: string;
  /** Classifiers: the probability the model gives its predicted class. */
  probability?: number;
  /** Mean loss per target of this example (nats, or normalised units² for regression). */
  loss: number;
  /** seq2seq with attention: a_tj of the teacher-forced pass, one row per target token (`<eos>` included) over the source tokens. */
  alignment?: Alignment;
}

/** An attention decoder's weights: rows `tokens` (generated or target), columns `sourceTokens`. */
export interface Alignment { sourceTokens: string[]; tokens: string[]; attention: number[][] }

/** The `eval` result: the metrics plus the details that apply (JSON names of the contract). */
export interface EvaluationReport {
  metrics: Metrics;
  confusionMatrix?: { labels: string[]; matrix: number[][] };
  perClass?: ClassScores[];
  /** Labels of the split that training lacks, with their counts (counted as wrong). */
  unseenLabels?: Record<string, number>;
  worst?: WorstExample[];
  /** Time series: every scored value in order, in original units (levels, also when differenced). */
  predictions?: PredictionSeries;
}

/** How many worst examples a report lists. */
export const WORST_EXAMPLES = 10;
/** Length, in characters, of the input/target/predicted previews of worst examples. */
const PREVIEW_LENGTH = 60;

export function evaluateSplit(model: RecurrentModel, data: PreparedDataset, split: Split, options: EvaluationOptions): Metrics {
  if (split.kind === 'stream') return evaluateStream(model, split.tokens, options);
  return evaluateExamples(model, data, split.examples, options.batchSize);
}

/** `evaluateSplit` plus the details of the report (confusion matrix, worst examples, predictions). */
export function evaluateReport(model: RecurrentModel, data: PreparedDataset, split: Split, options: EvaluationOptions): EvaluationReport {
  if (split.kind === 'stream') return { metrics: evaluateStream(model, split.tokens, options) };
  const details = new ReportDetails(model, data);
  const metrics = evaluateExamples(model, data, split.examples, options.batchSize, details);
  return { metrics, ...details.report(), ...(split.unseenLabels && { unseenLabels: { ...split.unseenLabels } }) };
}

/**
 * Mean cross-entropy of next-token prediction over a stream, state carried across windows from a
 * zero state; `continuous` uses a single stripe, so every token but the first is scored once.
 */
export function evaluateStream(model: RecurrentModel, tokens: Int32Array, options: EvaluationOptions): Metrics {
  const layout = stripeLayout(tokens.length, options.continuous ? 1 : options.batchSize);
  const sums = new LossAccumulator();
  let carry: RecurrentState | undefined;
  for (const window of truncatedWindows(layout.stripeLength, options.windowSteps, options.windowSteps)) {
    const result = model.forward(windowBatch(tokens, layout, window), { training: false, initialState: carry });
    sums.add(result);
    carry = copyState(result.finalState);
  }
  return languageModelMetrics(sums.loss, options.unit);
}

/** Metrics over record examples; `details` (when given) also collects the report's details. */
export function evaluateExamples(
  model: RecurrentModel, data: PreparedDataset, examples: readonly Example[], batchSize: number, details?: ReportDetails,
): Metrics {
  const sums = new LossAccumulator();
  const rmse = model.config.output.kind === 'values' ? regressionErrors(data, details !== undefined) : undefined;
  const decoding = data.task === 'seq2seq' || data.task === 'one-to-many' ? new DecodingAccumulator() : undefined;
  const confusion = model.config.output.kind === 'classes' && reportsMacroF1(data.task, data.labels) ? new ConfusionMatrix(data.labels) : undefined;
  for (let from = 0; from < examples.length; from += batchSize) {
    const chunk = examples.slice(from, from + batchSize);
    const batch = makeBatch(chunk, data);
    const result = model.forward(batch, { training: false });
    sums.add(result);
    if (confusion) tallyPredictions(confusion, batch, result.outputs, model.config.output.size);
    if (rmse) addRegressionErrors(rmse, batch, result, data, chunk);
    const scored = details?.score(batch, result, chunk);
    if (decoding) {
      const { bos, eos } = specialTokens(data);
      const hypotheses = greedyDecodeBatch(model, batch, bos, eos, maxDecodeSteps(chunk));
      chunk.forEach((example, b) => decoding.add(hypotheses[b], referenceTokens(example, eos)));
      scored?.forEach((s) => (s.predicted = () => details!.tokensText(hypotheses[s.row], data.outputVocab)));
    }
    scored?.forEach((s) => details!.addWorst(chunk[s.row], s));
  }
  const metrics: Metrics = { loss: sums.loss };
  if (model.config.output.kind === 'classes') {
    metrics[data.task === 'many-to-one' ? 'accuracy' : 'tokenAccuracy'] = sums.hitRate;
  }
  if (confusion) {
    metrics.macroF1 = confusion.macroF1();
    details?.setConfusion(confusion);
  }
  if (rmse instanceof ForecastErrors) {
    Object.assign(metrics, rmse.metrics());
    if (rmse.series) details?.setPredictions(rmse.series);
  } else if (rmse) {
    metrics.rmse = rmse.metrics().rmse;
  }
  if (decoding) Object.assign(metrics, decoding.metrics());
  return metrics;
}

/** Greedy decoding stops at `<eos>` or after 3× the source length (seq2seq) / 3× the longest target. */
export function maxDecodeSteps(examples: readonly Example[]): number {
  let longest = 1;
  for (const e of examples) longest = Math.max(longest, e.steps, e.targetTokens?.length ?? 0);
  return 3 * longest;
}

/** The reference target without its closing `<eos>` (decoded hypotheses leave it out too). */
function referenceTokens(example: Example, eos: number): Int32Array {
  const target = example.targetTokens ?? new Int32Array(0);
  return target.length && target[target.length - 1] === eos ? target.subarray(0, target.length - 1) : target;
}

/** One example of a batch, scored: its mean loss and how to describe its prediction. */
interface ScoredExample { row: number; loss: number; target: () => string; predicted: () => string; probability?: number; alignment?: () => Alignment }

/**
 * Collects a report's details batch by batch. Per example b (outputs are logits for classes):
 *   many-to-one classes   ℓ_b = −log softmax(o_b)[y_b]; counted in the confusion matrix
 *   aligned classes       ℓ_b = mean over its steps t of −log softmax(o_tb)[y_tb]; each step counted
 *   decoder (seq2seq…)    ℓ_b = mean over its target steps, `<eos>` included
 *   values                ℓ_b = mean over its values of (ŷ − y)² in normalised units (as the loss)
 */
class ReportDetails {
  private confusion?: ConfusionMatrix;
  private readonly worst = new WorstExamples<WorstExample>(WORST_EXAMPLES);
  private predictions?: PredictionSeries;

  constructor(private readonly model: RecurrentModel, private readonly data: PreparedDataset) {}

  setConfusion(confusion: ConfusionMatrix): void {
    this.confusion = confusion;
  }

  score(batch: Batch, result: ForwardResult, examples: readonly Example[]): ScoredExample[] {
    const { output } = this.model.config;
    const O = output.size;
    const B = batch.batchSize;
    const outputs = result.outputs;
    if (output.kind === 'values') return this.scoreValues(batch, outputs, examples);
    const targets = batch.classLabels ?? batch.decoderTarget ?? batch.targetTokens;
    if (!targets) return [];
    const steps = batch.classLabels ? 1 : targets.length / B;
    const names = batch.decoderTarget ? undefined : this.data.labels;
    // The alignment is a view the greedy decoding that follows overwrites: keep a copy for the worst examples.
    const alignment = result.attention ? { weights: Float32Array.from(result.attention), sourceSteps: result.sourceSteps! } : undefined;
    return Array.from({ length: B }, (_, b) => {
      let sum = 0;
      let count = 0;
      const truth: number[] = [];
      const guesses: number[] = [];
      let probability = 0;
      for (let t = 0; t < steps; t++) {
        const row = t * B + b;
        const y = targets[row];
        if (y < 0) continue;
        const logp = logSoftmax(outputs, row * O, O);
        const guess = argmax(outputs, row * O, O);
        sum -= logp[y];
        count++;
        truth.push(y);
        guesses.push(guess);
        probability = Math.exp(logp[guess]);
      }
      const label = (ids: number[]) => ids.map((id) => names?.[id] ?? String(id)).join(' ');
      return {
        row: b, loss: count ? sum / count : 0,
        target: () => (names ? label(truth) : this.tokensText(truth.slice(0, -1), this.data.outputVocab)),
        predicted: () => label(guesses),
        ...(batch.classLabels && { probability }),
        ...(alignment && { alignment: () => this.alignmentOf(alignment.weights, alignment.sourceSteps, batch, examples[b], b, truth) }),
      };
    });
  }

  /** Regression: mean squared error per example, values shown in original units (levels). */
  private scoreValues(batch: Batch, outputs: FloatArray, examples: readonly Example[]): ScoredExample[] {
    const targets = batch.targetValues;
    if (!targets) return [];
    const B = batch.batchSize;
    const Y = this.data.targetSize ?? 1;
    const aligned = targets.length === batch.steps * B * Y;
    return Array.from({ length: B }, (_, b) => {
      const levels = targetLevels(this.data.normalization, examples[b].series, Y);
      const actual: number[] = [];
      const predicted: number[] = [];
      let sum = 0;
      for (let t = 0; t < (aligned ? batch.lengths[b] : 1); t++) {
        for (let y = 0; y < Y; y++) {
          const at = ((aligned ? t * B : 0) + b) * Y + y;
          const base = examples[b].base?.[(aligned ? t : 0) * Y + y];
          sum += (outputs[at] - targets[at]) ** 2;
          actual.push(levels.level(targets[at], y, base));
          predicted.push(levels.level(outputs[at], y, base));
        }
      }
      return { row: b, loss: sum / Math.max(1, actual.length), target: () => numbersText(actual), predicted: () => numbersText(predicted) };
    });
  }

  /** Rows t < the example's target steps of the batch's alignment (T2×B×T), over its valid source steps. A copy. */
  private alignmentOf(weights: Float32Array, T: number, batch: Batch, example: Example, b: number, truth: number[]): Alignment {
    const B = batch.batchSize;
    const sourceLength = batch.lengths[b];
    const ids = example.input instanceof Int32Array ? Array.from(example.input) : [];
    const attention = truth.map((_, t) => Array.from(weights.subarray((t * B + b) * T, (t * B + b) * T + sourceLength), (a) => Number(a.toFixed(4))));
    return {
      sourceTokens: ids.slice(0, sourceLength).map((id) => this.data.inputVocab?.token(id) ?? String(id)),
      tokens: truth.map((id) => this.data.outputVocab?.token(id) ?? String(id)), attention,
    };
  }

  addWorst(example: Example, scored: ScoredExample): void {
    this.worst.add(scored.loss, () => ({
      file: example.file, line: example.line, input: this.inputText(example),
      target: preview(scored.target()), predicted: preview(scored.predicted()),
      ...(scored.probability !== undefined && { probability: scored.probability }), loss: scored.loss,
      ...(scored.alignment && { alignment: scored.alignment() }),
    }));
  }

  setPredictions(series: PredictionSeries): void {
    this.predictions = series;
  }

  report(): Omit<EvaluationReport, 'metrics'> {
    return {
      ...(this.confusion && { confusionMatrix: this.confusion.toJSON(), perClass: this.confusion.perClass() }),
      worst: this.worst.items,
      ...(this.predictions && { predictions: this.predictions }),
    };
  }

  tokensText(ids: ArrayLike<number>, vocab: PreparedDataset['outputVocab']): string {
    return preview(vocab ? vocab.decode(ids) : Array.from(ids).join(' '));
  }

  /**
   * The example's input as the user wrote it: tokens decoded, features de-normalised, and a
   * differenced series' changes turned back into levels (`seriesLevels`); when some value column
   * is no target, its levels are unknown and the preview says it shows changes.
   */
  private inputText(example: Example): string {
    if (example.initVector) return preview(numbersText(Array.from(example.initVector)));
    if (example.input instanceof Int32Array) return this.tokensText(example.input, this.data.inputVocab);
    const X = this.data.featureSize ?? 1;
    const norm = normalizationFor(this.data.normalization, example.series);
    const rows = Array.from({ length: example.steps }, (_, t) =>
      Array.from(example.input.subarray(t * X, (t + 1) * X), (v, f) => (norm && f < norm.mean.length ? v * norm.std[f] + norm.mean[f] : v)));
    const levels = isDifferenced(norm) && example.base ? seriesLevels(rows, example.base, norm!, this.data.task === 'many-to-many') : true;
    const text: string[] = [];
    for (let t = 0; t < rows.length && text.join(' | ').length < PREVIEW_LENGTH; t++) text.push(numbersText(rows[t]));
    return preview(`${example.steps}×${X}${levels ? '' : ' changes'}: ${text.join(' | ')}`);
  }
}

/**
 * A differenced window's rows (changes x[j] − x[j−1], de-normalised) as levels x[j], in place: each
 * target column walks back from its last observed level (`base`: many-to-one, x[t] at index y;
 * aligned, step s's level at s·Y + y). False, rows untouched, when a value column is no target.
 */
function seriesLevels(rows: number[][], base: Float64Array, norm: Normalization, aligned: boolean): boolean {
  const columns = targetInputColumns(norm);
  if (norm.columns && norm.columns.some((_, c) => !columns.includes(c))) return false;
  const Y = columns.length;
  columns.forEach((c, y) => {
    let level = base[aligned ? (rows.length - 1) * Y + y : y];
    for (let t = rows.length - 1; t >= 0; t--) {
      const change = rows[t][c];
      rows[t][c] = level;
      level -= change;
    }
  });
  return true;
}

/**
 * Numbers with at most 4 decimals and 4 significant digits, space-separated (de-normalising leaves
 * float32 noise such as 2.7e-8 where the file has 0).
 */
function numbersText(values: readonly number[]): string {
  return values.map((v) => String(Number(Number(v.toFixed(4)).toPrecision(4)) || 0)).join(' ');
}

/** At most PREVIEW_LENGTH characters (code points), `…` marking a cut. */
function preview(text: string): string {
  const chars = Array.from(text.replace(/\n/g, '⏎'));
  return chars.length <= PREVIEW_LENGTH ? chars.join('') : chars.slice(0, PREVIEW_LENGTH - 1).join('') + '…';
}

/** Time series: forecast errors per target and step (forecastMetrics.ts); records: one RMSE. */
function regressionErrors(data: PreparedDataset, keepSeries: boolean): ForecastErrors | RmseAccumulator {
  return data.kind === 'timeseries' ? ForecastErrors.forData(data, seriesTargetNames(data.normalization), keepSeries) : new RmseAccumulator();
}

/**
 * Regression errors in original units, as levels (`outputLevel`: z·std + mean of the target's column,
 * plus the example's `base` level when the series is differenced). A window's O outputs are
 * k steps × Y targets (aligned: Y per step). The naive forecast is the last observed level of each
 * target: its column's last input value, or `base` when differenced.
 */
function addRegressionErrors(errors: ForecastErrors | RmseAccumulator, batch: Batch, result: ForwardResult, data: PreparedDataset, examples: readonly Example[]): void {
  const targets = batch.targetValues;
  if (!targets) return;
  const O = data.targetSize ?? 1;
  const X = data.featureSize ?? 1;
  const columns = targetInputColumns(data.normalization);
  const differenced = isDifferenced(data.normalization);
  const B = batch.batchSize;
  // Not differenced: the target column's last input, de-normalised as the target's outputs are.
  const lastLevel = (t: number, b: number, y: number, base: number | undefined, levels: TargetLevels) => {
    if (differenced) return base ?? NaN;
    if (columns[y] === undefined || !batch.features) return NaN;
    return levels.level(batch.features[(t * B + b) * X + columns[y]], y, undefined);
  };
  const add = (s: number, y: number, p: number, n: number, a: number, seasonal?: number) =>
    (errors instanceof ForecastErrors ? errors.add(s, y, p, n, a, seasonal) : errors.add(p, n, a));
  const aligned = targets.length === batch.steps * B * O;
  for (let b = 0; b < B; b++) {
    const levels = targetLevels(data.normalization, examples[b].series, O);
    const Y = levels.targets;
    for (let step = 0; step < (aligned ? batch.lengths[b] : 1); step++) {
      const t = aligned ? step : batch.lengths[b] - 1;
      const row = aligned ? (t * B + b) * O : b * O;
      for (let i = 0; i < O; i++) {
        const y = i % Y;
        const at = (aligned ? step * O : 0) + i;
        const base = examples[b].base?.[at];
        const level = (v: number) => levels.level(v, y, base);
        add(aligned ? 0 : Math.floor(i / Y), y, level(result.outputs[row + i]), lastLevel(t, b, y, base, levels), level(targets[row + i]), examples[b].seasonal?.[at]);
      }
    }
  }
}
