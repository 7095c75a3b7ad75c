/**
 * `explain`: which input steps drove one output of a trained model, in the user's terms.
 *   many-to-one classes   the logit of `--target` (default: the predicted class)
 *   tagger                the logit of the tag at `--step` (default: the last step; the predicted tag)
 *   language model        the logit of the token after step `--step` (default: the next token after the
 *                         input; the most likely one)
 *   values                the output of target column `--target` (default the first) in original units:
 *                         many-to-one, `--step` steps ahead (0-based, default 0: the next step);
 *                         aligned, at input step `--step` (default the last)
 *   seq2seq               the logit of the token generated at decoder step `--step` (default 0) by greedy
 *                         decoding, with the tokens generated before it as the decoder's input;
 *                         attributed to the source steps
 * Attributions come from src/engine/inputAttribution.ts over the first layer's input vectors, summed
 * over each token's vector (tokens), or per step × column (features). Steps are 0-based.
 */
import { attribute, inputVectorsOf, inputVectorWidth, type AttributionMethod } from '../engine/inputAttribution';
import type { OutputSeed } from '../engine/model';
import type { Batch } from '../engine/types';
import { closest } from '../modelSpec/schemaIssues';
import { normalizationFor, outputLevel, seriesTargetNames, targetInputColumns, targetScale } from '../data/seriesCodec';
import { InputError } from './errors';
import type { LoadedRun } from './loadedRun';
import { withDummyTargets, type InputBatch } from './prediction';
import { argmax, greedyDecodeBatch, logSoftmax, neverGenerated } from './sampling';

export interface ExplainOptions {
  /** A class, tag or token label; for values, a target column's name. */
  target?: string;
  /** 0-based: the tagger's or aligned regression's step, a forecast's step ahead, or seq2seq's generated token. */
  step?: number;
  method?: AttributionMethod;
  /** Integration steps m of integrated gradients. */
  steps?: number;
}

export interface Explanation {
  kind: 'explanation';
  /** What is explained: a label, token or target column. */
  target: string;
  /** What the model predicts there: the most likely label/token, or the value (original units). */
  prediction: string | number;
  method: AttributionMethod;
  /** The input tokens (the source for seq2seq). */
  tokens?: string[];
  /** Per input step (tokens), or per step × column, row-major (features: `shape` [T, X]). */
  attributions: number[];
  shape: [number] | [number, number];
  /** |Σ attributions − (f(x) − f(0))|, in the units of `output`. */
  completenessError: number;
  /** f(x) and f(0): the explained logit, or the value in original units. */
  output: number;
  baselineOutput: number;
  /** The output step explained (tagger, aligned values, seq2seq). */
  step?: number;
  /** Classes: the most likely labels there, with their probabilities. */
  alternatives?: { label: string; probability: number }[];
  /** seq2seq: the greedy decoding whose token at `step` is explained. */
  generated?: string[];
  /** Features: the column names, when the run has them. */
  columns?: string[];
}

/** Alternatives listed with a class explanation. */
const ALTERNATIVES = 5;

/** What to seed, and how to describe it. */
interface Choice {
  batch: Batch;
  seed: OutputSeed;
  target: string;
  prediction: string | number;
  step?: number;
  alternatives?: Explanation['alternatives'];
  generated?: string[];
  /** Output units per model unit, and their shift (values in original units). */
  scale: number;
  shift: number;
}

function stepOption(step: number | undefined, count: number, fallback: number, what: string): number {
  const t = step ?? fallback;
  if (!(Number.isInteger(t) && t >= 0 && t < count)) throw new InputError(`--step ${step}: expected a ${what} from 0 to ${count - 1}`, '--step');
  return t;
}

function labelIndex(names: readonly string[], label: string, what: string): number {
  const i = names.indexOf(label);
  if (i >= 0) return i;
  const near = closest(label, names);
  throw new InputError(`--target "${label}" is not a ${what} of this run: ${near ? `did you mean "${near}"? ` : ''}expected one of ${names.slice(0, 20).map((n) => JSON.stringify(n)).join(', ')}${names.length > 20 ? ', …' : ''}`, '--target');
}

/** A class output at `row`: the target's column (default the most likely), with the top alternatives. */
function classChoice(run: LoadedRun, batch: Batch, row: number, names: readonly string[], target: string | undefined, what: string, banned: number[] = []): Omit<Choice, 'batch'> {
  const O = run.model.config.output.size;
  const outputs = run.model.forward(withDummyTargets(run.model, batch)).outputs;
  const best = argmax(outputs, row * O, O, banned);
  const column = target === undefined ? best : labelIndex(names, target, what);
  const logp = logSoftmax(outputs, row * O, O);
  const alternatives = Array.from(logp.keys()).filter((k) => !banned.includes(k)).sort((a, b) => logp[b] - logp[a] || a - b)
    .slice(0, ALTERNATIVES).map((k) => ({ label: names[k] ?? String(k), probability: Math.exp(logp[k]) }));
  return { seed: { row, column }, target: names[column] ?? String(column), prediction: names[best] ?? String(best), alternatives, scale: 1, shift: 0 };
}

function choose(run: LoadedRun, input: InputBatch, options: ExplainOptions): Choice {
  const { model } = run;
  const { task, output } = model.config;
  const T = input.steps;
  if (task === 'one-to-many') throw new InputError('explain needs a model that reads a sequence: a one-to-many model reads one vector', run.runId);
  if (task === 'seq2seq') return seq2seqChoice(run, input, options);
  const batch = withDummyTargets(model, input);
  const aligned = task === 'many-to-many';
  if (!aligned && output.kind === 'classes' && options.step !== undefined) {
    throw new InputError('--step: a many-to-one classifier has one output; --step is for taggers, language models, aligned values, forecasts and seq2seq', '--step');
  }
  const step = aligned ? stepOption(options.step, T, T - 1, 'step of the input') : undefined;
  const row = aligned ? step! : 0;
  if (output.kind === 'values') {
    // outputs of a row: forecastSteps × Y targets, step-major (records: Y = every output)
    const norm = normalizationFor(run.normalization, input.series);
    const Y = targetInputColumns(norm).length || output.size;
    const named = seriesTargetNames(norm);
    const names = named.length === Y ? named : Y === 1 ? ['value'] : Array.from({ length: Y }, (_, i) => `value ${i}`);
    const y = options.target === undefined ? 0 : labelIndex(names, options.target, 'target column');
    const ahead = aligned ? 0 : stepOption(options.step, output.size / Y, 0, 'forecast step');
    const column = ahead * Y + y;
    const { scale } = targetScale(norm, y);
    const base = input.base?.[(aligned ? row : T - 1) * Y + y];
    const f = model.forward(batch).outputs[row * output.size + column];
    const shift = outputLevel(norm, 0, base, y);
    return { batch, seed: { row, column }, target: names[y], prediction: outputLevel(norm, f, base, y), step: aligned ? step : output.size > Y ? ahead : undefined, scale, shift };
  }
  if (task === 'many-to-many' && !run.labels) {
    const names = run.inputVocab?.tokens ?? [];
    return { batch, ...classChoice(run, batch, row, names, options.target, 'token'), step };
  }
  return { batch, ...classChoice(run, batch, row, run.labels ?? [], options.target, aligned ? 'tag' : 'class'), step };
}

/** seq2seq: greedy decoding, then the decoder reads `<bos> y_0 … y_{t−1}` and step t is explained. */
function seq2seqChoice(run: LoadedRun, input: InputBatch, options: ExplainOptions): Choice {
  const vocab = run.outputVocab;
  if (!vocab) throw new InputError('this run has no output vocabulary', run.runId);
  const generated = Array.from(greedyDecodeBatch(run.model, input, vocab.bos, vocab.eos, 3 * input.steps)[0]);
  const t = stepOption(options.step, generated.length + 1, 0, 'generated token (the last is <eos>)');
  const decoderInput = Int32Array.from([vocab.bos, ...generated.slice(0, t)]);
  const lengths = Int32Array.of(t + 1);
  const batch: Batch = { ...input, decoderSteps: t + 1, decoderInput, decoderLengths: lengths, decoderTarget: new Int32Array(t + 1).fill(-1) };
  const choice = classChoice(run, batch, t, vocab.tokens, options.target, 'token', neverGenerated(vocab.bos));
  return { batch, ...choice, step: t, generated: generated.map((id) => vocab.token(id)) };
}

/** The explanation of one input batch (`inputBatch`). Load the run in float64 for a tight completeness error. */
export function explainBatch(run: LoadedRun, input: InputBatch, options: ExplainOptions = {}): Explanation {
  const method = options.method ?? 'ig';
  const steps = options.steps ?? 32;
  if (method === 'ig' && !(Number.isInteger(steps) && steps >= 1)) throw new InputError(`--steps ${steps}: expected a positive integer`, '--steps');
  const choice = choose(run, input, options);
  const { model } = run;
  const a = attribute(model, choice.batch, inputVectorsOf(model, choice.batch), choice.seed, method, steps);
  const T = input.steps;
  const X = inputVectorWidth(model);
  const features = model.config.input.kind === 'features';
  const attributions = features
    ? Array.from(a.attributions.subarray(0, T * X), (v) => v * choice.scale)
    : Array.from({ length: T }, (_, t) => a.attributions.subarray(t * X, (t + 1) * X).reduce((s, v) => s + v, 0) * choice.scale);
  const vocab = run.inputVocab;
  const tokens = input.tokens && vocab ? Array.from(input.tokens, (id) => vocab.token(id)) : undefined;
  const columns = features ? run.normalization?.columns?.slice(0, X) : undefined;
  return {
    kind: 'explanation',
    target: choice.target,
    prediction: choice.prediction,
    method,
    ...(tokens && { tokens }),
    attributions,
    shape: features ? [T, X] : [T],
    completenessError: a.completenessError * Math.abs(choice.scale),
    output: a.output * choice.scale + choice.shift,
    baselineOutput: a.baselineOutput * choice.scale + choice.shift,
    ...(choice.step !== undefined && { step: choice.step }),
    ...(choice.alternatives && { alternatives: choice.alternatives }),
    ...(choice.generated && { generated: choice.generated }),
    ...(columns && columns.length === X && { columns }),
  };
}
