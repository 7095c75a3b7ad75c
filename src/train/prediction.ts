/**
 * `predict`: a trained model on one raw input, with outputs in the user's terms:
 *   many-to-one classes   the class distribution p = softmax(o), classes sorted by p (highest first)
 *   many-to-many classes  one label per step with its probability (taggers), or the 10 most likely
 *                         next tokens after the input (text LM)
 *   values                steps × forecastSteps × targets, row-major, with their `shape`, in original
 *                         units (z·std + mean of each target column), as levels:
 *                         with `difference` the input rows are levels and the answer is the last
 *                         level plus the predicted change (src/data/seriesCodec.ts)
 *   seq2seq, one-to-many  the greedy decoding, with Σ log p of its tokens and `<eos>`
 * The raw input is a string (tokens of the run's unit), an array of tokens, an array of numbers
 * (one feature per step) or an array of number arrays (features per step), as in the JSONL format;
 * one-to-many takes its input vector (an array of numbers).
 */
import type { RecurrentModel } from '../engine/model';
import type { Batch } from '../engine/types';
import { encodeSeriesRows, normalizationFor, parseSeriesInput, seriesOfInput, targetLevels } from '../data/seriesCodec';
import { showValue } from '../format/showValue';
import { InputError } from './errors';
import type { LoadedRun } from './loadedRun';
import { argmax, decodeFrom, logSoftmax, neverGenerated } from './sampling';

/** Where an input comes from, for errors: `--input`, or a file position. */
export interface InputPlace { file: string; line?: number; column?: number }

export type Prediction =
  | { kind: 'class'; label: string; probability: number; classes: { label: string; probability: number }[] }
  | { kind: 'labels'; labels: string[]; probabilities: number[]; tokens?: string[] }
  | { kind: 'next'; top: { token: string; probability: number }[] }
  | { kind: 'values'; steps: number; values: number[]; shape: [number, number, number] }
  | {
    kind: 'sequence'; text: string; tokens: string[]; logProbability: number; ended: boolean;
    /** With `attention` asked of an attention decoder: a_tj per generated token t (rows, as `tokens`) × source step j (`sourceTokens`). */
    attention?: number[][]; sourceTokens?: string[];
  };

/** What a prediction adds beyond the default answer. */
export interface PredictOptions {
  /** seq2seq with `model.attention`: the alignment of each generated token over the source tokens. */
  attention?: boolean;
}

/** How many next tokens a language-model prediction lists. */
export const NEXT_TOKENS = 10;

function invalid(message: string, place: InputPlace | string): InputError {
  const { file, line = 0, column = 0 } = typeof place === 'string' ? { file: place } : place;
  return new InputError(message, file, line, column);
}

/** A B = 1 batch of a raw input; `base`: per step, the level a differenced prediction is a change from. */
export interface InputBatch extends Batch { base?: Float64Array; series?: string }

/**
 * The B = 1 batch of a raw input (features are z-scored with the run's statistics; a differenced
 * time series reads the changes between consecutive rows); throws InputError at `place` (an
 * InputPlace, or a name such as `--input`).
 */
export function inputBatch(run: LoadedRun, raw: unknown, place: InputPlace | string): InputBatch {
  const { config } = run.model;
  if (config.task === 'one-to-many') {
    const size = config.initVectorSize ?? 0;
    if (!Array.isArray(raw) || raw.length !== size || raw.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw invalid(`expected the input vector, an array of ${size} numbers, got ${showValue(raw)}`, place);
    }
    return { batchSize: 1, steps: 0, lengths: Int32Array.of(0), initVectors: Float32Array.from(raw as number[]) };
  }
  if (config.input.kind === 'tokens') {
    const vocab = run.inputVocab;
    if (!vocab) throw invalid('this run has no input vocabulary', place);
    const tokens = typeof raw === 'string' ? vocab.split(raw) : Array.isArray(raw) && raw.every((t) => typeof t === 'string' || typeof t === 'number') ? vocab.normalizeTokens(raw.map(String)) : undefined;
    if (!tokens || tokens.length === 0) throw invalid(`expected a non-empty string or array of tokens, got ${showValue(raw)}`, place);
    const ids = vocab.encode(tokens);
    return { batchSize: 1, steps: ids.length, lengths: Int32Array.of(ids.length), tokens: ids };
  }
  const X = config.input.size;
  const named = seriesOfInput(run.normalization, raw);
  if (typeof named === 'string') throw invalid(`${named}, got ${showValue(raw)}`, place);
  const norm = normalizationFor(run.normalization, named.series);
  const input = parseSeriesInput(norm, named.rows, X);
  if (typeof input === 'string') throw invalid(`${input}, got ${showValue(raw)}`, place);
  const { steps, features, base } = encodeSeriesRows(norm, input, X);
  if (steps === 0) throw invalid(`expected at least 2 rows: the model reads the differences of consecutive rows (data.difference), got ${showValue(raw)}`, place);
  return { batchSize: 1, steps, lengths: Int32Array.of(steps), features, ...(base && { base }), ...(named.series !== undefined && { series: named.series }) };
}

/** Adds dummy targets so the forward pass has something to score (its loss is ignored). */
export function withDummyTargets(model: RecurrentModel, batch: Batch): Batch {
  const { output } = model.config;
  const T = batch.steps;
  const aligned = model.config.task === 'many-to-many';
  if (output.kind === 'values') return { ...batch, targetValues: new Float32Array((aligned ? T : 1) * output.size) };
  return aligned ? { ...batch, targetTokens: new Int32Array(T) } : { ...batch, classLabels: new Int32Array(1) };
}

/** The prediction for one batch of `inputBatch`. */
export function predictBatch(run: LoadedRun, input: InputBatch, options: PredictOptions = {}): Prediction {
  const { model } = run;
  const { output, task } = model.config;
  if (options.attention && (model.config.attention ?? 'none') === 'none') {
    throw new InputError(`--attention needs a seq2seq run with "model.attention" (dot, general or additive); this run is ${task} without attention`, run.runId);
  }
  if (task === 'seq2seq' || task === 'one-to-many') return decodeGreedily(run, input, options);
  const outputs = model.forward(withDummyTargets(model, input), { training: false }).outputs;
  const O = output.size;
  const T = input.steps;
  if (output.kind === 'values') {
    // outputs: steps × forecastSteps × targets, row-major; records: Y outputs are Y targets of one step
    const levels = targetLevels(run.normalization, input.series, O);
    const Y = levels.targets;
    const steps = task === 'many-to-many' ? T : 1;
    const values = Array.from(outputs.subarray(0, steps * O), (v, i) => {
      const row = task === 'many-to-many' ? Math.floor(i / O) : T - 1;
      return levels.level(v, i, input.base?.[row * Y + (i % Y)]);
    });
    return { kind: 'values', steps, values, shape: [steps, O / Y, Y] };
  }
  const names = run.labels ?? run.inputVocab?.tokens ?? [];
  const name = (id: number) => names[id] ?? String(id);
  if (task === 'many-to-one') {
    const logp = logSoftmax(outputs, 0, O);
    const classes = Array.from(logp, (l, k) => ({ label: name(k), probability: Math.exp(l) })).sort((a, b) => b.probability - a.probability);
    return { kind: 'class', label: classes[0].label, probability: classes[0].probability, classes };
  }
  if (!run.labels) {
    const logp = logSoftmax(outputs, (T - 1) * O, O);
    const order = Array.from(logp.keys()).sort((a, b) => logp[b] - logp[a] || a - b).slice(0, NEXT_TOKENS);
    return { kind: 'next', top: order.map((k) => ({ token: name(k), probability: Math.exp(logp[k]) })) };
  }
  const best = Array.from({ length: T }, (_, t) => argmax(outputs, t * O, O));
  const probabilities = best.map((k, t) => Math.exp(logSoftmax(outputs, t * O, O)[k]));
  const tokens = input.tokens && run.inputVocab ? Array.from(input.tokens, (id) => run.inputVocab!.token(id)) : undefined;
  return { kind: 'labels', labels: best.map(name), probabilities, ...(tokens && { tokens }) };
}

/** seq2seq / one-to-many: greedy decoding, at most 3× the source (one-to-many: data.sequenceLength) tokens. */
function decodeGreedily(run: LoadedRun, input: Batch, options: PredictOptions): Prediction {
  const vocab = run.outputVocab;
  if (!vocab) throw new InputError('this run has no output vocabulary', run.runId);
  const banned = neverGenerated(vocab.bos);
  const maxSteps = run.model.config.task === 'seq2seq' ? 3 * input.steps : run.spec.data.sequenceLength;
  const [hypothesis] = decodeFrom(run.model, run.model.encode(input), 1, vocab.bos, vocab.eos, maxSteps,
    (logits, offset, count) => argmax(logits, offset, count, banned));
  const { tokens, logProbability, ended } = hypothesis;
  const prediction: Prediction = { kind: 'sequence', text: vocab.decode(tokens), tokens: Array.from(tokens, (id) => vocab.token(id)), logProbability, ended };
  if (options.attention) {
    prediction.attention = (hypothesis.attention ?? []).map((row) => Array.from(row));
    const source = run.inputVocab;
    prediction.sourceTokens = Array.from(input.tokens ?? [], (id) => (source ? source.token(id) : String(id)));
  }
  return prediction;
}

/** `inputBatch` then `predictBatch`. */
export function predict(run: LoadedRun, raw: unknown, place: InputPlace, options: PredictOptions = {}): Prediction {
  return predictBatch(run, inputBatch(run, raw, place), options);
}
