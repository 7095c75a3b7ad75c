/**
 * Evaluation of a model on one split, with the metrics of `metrics.ts` chosen by task and data:
 *   stream (text LM)           loss, bitsPerChar | bitsPerToken, perplexity
 *   many-to-one, classes       loss, accuracy
 *   many-to-many, classes      loss, tokenAccuracy
 *   values (regression)        loss, rmse (original units), naiveRmse (time series: last value)
 *   seq2seq, one-to-many       loss, tokenAccuracy (teacher forcing), sequenceAccuracy, tokenErrorRate (greedy)
 * No gradients; dropout off.
 */
import type { Example, PreparedDataset, Split } from '../data';
import { makeBatch } from '../data';
import type { ForwardResult, RecurrentModel, RecurrentState } from '../engine/model';
import type { Batch } from '../engine/types';
import { copyState } from './checkpoint';
import type { Metrics } from './events';
import { DecodingAccumulator, LossAccumulator, RmseAccumulator, languageModelMetrics } from './metrics';
import { greedyDecodeBatch, specialTokens } from './sampling';
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

export function evaluateSplit(model: RecurrentModel, data: PreparedDataset, split: Split, options: EvaluationOptions): Metrics {
  if (split.kind === 'stream') return evaluateStream(model, split.tokens, options);
  return evaluateExamples(model, data, split.examples, options.batchSize);
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
    sums.add(result.loss, result.count, result.correct);
    carry = copyState(result.finalState);
  }
  return languageModelMetrics(sums.loss, options.unit);
}

export function evaluateExamples(model: RecurrentModel, data: PreparedDataset, examples: readonly Example[], batchSize: number): Metrics {
  const sums = new LossAccumulator();
  const rmse = model.config.output.kind === 'values' ? new RmseAccumulator() : undefined;
  const decoding = data.task === 'seq2seq' || data.task === 'one-to-many' ? new DecodingAccumulator() : undefined;
  for (let from = 0; from < examples.length; from += batchSize) {
    const chunk = examples.slice(from, from + batchSize);
    const batch = makeBatch(chunk, data);
    const result = model.forward(batch, { training: false });
    sums.add(result.loss, result.count, result.correct);
    if (rmse) addRegressionErrors(rmse, batch, result, data);
    if (decoding) {
      const { bos, eos } = specialTokens(data);
      const hypotheses = greedyDecodeBatch(model, batch, bos, eos, maxDecodeSteps(chunk));
      chunk.forEach((example, b) => decoding.add(hypotheses[b], referenceTokens(example, eos)));
    }
  }
  const metrics: Metrics = { loss: sums.loss };
  if (model.config.output.kind === 'classes') {
    metrics[data.task === 'many-to-one' ? 'accuracy' : 'tokenAccuracy'] = sums.hitRate;
  }
  if (rmse) {
    const { rmse: value, naiveRmse } = rmse.metrics();
    metrics.rmse = value;
    if (data.kind === 'timeseries') metrics.naiveRmse = naiveRmse;
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

/**
 * Regression errors in original units. With z-scoring, value = z·std + mean of the target column;
 * the naive forecast is the target column's last input value (time series), or no change (0) when
 * the series is differenced, since then the level error equals the difference error.
 */
function addRegressionErrors(rmse: RmseAccumulator, batch: Batch, result: ForwardResult, data: PreparedDataset): void {
  const targets = batch.targetValues;
  if (!targets) return;
  const Y = data.targetSize ?? 1;
  const X = data.featureSize ?? 1;
  const { scale, shift, inputColumn } = targetColumn(data);
  const differenced = data.normalization?.difference ?? false;
  const B = batch.batchSize;
  const naiveAt = (t: number, b: number) =>
    differenced || inputColumn < 0 || !batch.features ? (differenced ? 0 : NaN) : batch.features[(t * B + b) * X + inputColumn] * scale + shift;
  const aligned = targets.length === batch.steps * B * Y;
  for (let b = 0; b < B; b++) {
    const steps = aligned ? batch.lengths[b] : 1;
    for (let s = 0; s < steps; s++) {
      const t = aligned ? s : batch.lengths[b] - 1;
      const row = aligned ? (t * B + b) * Y : b * Y;
      for (let y = 0; y < Y; y++) {
        rmse.add(result.outputs[row + y] * scale + shift, naiveAt(t, b), targets[row + y] * scale + shift);
      }
    }
  }
}

/** De-normalisation of the target (`scale`, `shift`) and its column among the input features (−1: none). */
function targetColumn(data: PreparedDataset): { scale: number; shift: number; inputColumn: number } {
  const norm = data.normalization;
  if (!norm) return { scale: 1, shift: 0, inputColumn: -1 };
  const inputColumn = norm.columns && norm.target !== undefined ? norm.columns.indexOf(norm.target) : -1;
  if (inputColumn < 0) return { scale: 1, shift: 0, inputColumn };
  return { scale: norm.std[inputColumn], shift: norm.mean[inputColumn], inputColumn };
}
