/**
 * Generation from a trained model, through the engine's ordinary forward pass:
 *   - language models: one step at a time (`steps = 1`, B = 1) with the state carried in
 *     `initialState`, sampling x_{t+1} ~ softmax(o_t / temperature) restricted to the top k, or argmax;
 *   - seq2seq / one-to-many: the decoder re-run with the prefix `<bos> y_1 … y_{t−1}` as teacher
 *     input (O(T²) decoder steps, no extra engine API), greedy or beam search of width W,
 *     stopping at `<eos>` or after `maxSteps`.
 * Every random draw comes from a seeded `Rng`.
 */
import type { PreparedDataset } from '../data';
import type { RecurrentModel, RecurrentState } from '../engine/model';
import type { Rng } from '../engine/random';
import type { Batch, FloatArray } from '../engine/types';
import { copyState } from './checkpoint';

export interface SamplingOptions {
  length: number;
  /** Softmax temperature τ > 0: p ∝ exp(o / τ). Ignored when `greedy`. */
  temperature: number;
  /** Keep only the k most likely tokens (0: all). */
  topK: number;
  greedy: boolean;
  rng: Rng;
}

/** `<bos>` / `<eos>` ids of the generated vocabulary (seq2seq and one-to-many). */
export function specialTokens(data: Pick<PreparedDataset, 'outputVocab'>): { bos: number; eos: number } {
  const vocab = data.outputVocab;
  if (!vocab) throw new Error('this model has no output vocabulary to decode with');
  return { bos: vocab.bos, eos: vocab.eos };
}

/** Index of the largest of `count` values from `offset`. */
export function argmax(values: FloatArray, offset: number, count: number): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (values[offset + i] > values[offset + best]) best = i;
  return best;
}

/** Draws from softmax(logits/τ) over the top k logits (all when k ≤ 0); ties keep the lower index. */
export function sampleLogits(logits: FloatArray, offset: number, count: number, temperature: number, topK: number, rng: Rng): number {
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => logits[offset + b] - logits[offset + a] || a - b);
  const keep = topK > 0 ? order.slice(0, Math.min(topK, count)) : order;
  const top = logits[offset + keep[0]];
  const weights = keep.map((i) => Math.exp((logits[offset + i] - top) / temperature));
  let u = rng.next() * weights.reduce((s, w) => s + w, 0);
  for (let j = 0; j < keep.length; j++) {
    u -= weights[j];
    if (u < 0) return keep[j];
  }
  return keep[keep.length - 1];
}

/** log softmax of `count` logits from `offset`, into a new array. */
export function logSoftmax(logits: FloatArray, offset: number, count: number): Float64Array {
  let top = -Infinity;
  for (let i = 0; i < count; i++) top = Math.max(top, logits[offset + i]);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += Math.exp(logits[offset + i] - top);
  const out = new Float64Array(count);
  const logZ = top + Math.log(sum);
  for (let i = 0; i < count; i++) out[i] = logits[offset + i] - logZ;
  return out;
}

/** Runs `tokens` (B = 1) from `state`; returns the logits of the last step and the state after it. */
function runTokens(model: RecurrentModel, tokens: Int32Array, state: RecurrentState | undefined): { logits: FloatArray; offset: number; state: RecurrentState } {
  const T = tokens.length;
  const batch: Batch = { batchSize: 1, steps: T, lengths: Int32Array.of(T), tokens, targetTokens: new Int32Array(T) };
  const result = model.forward(batch, { training: false, initialState: state });
  const O = model.config.output.size;
  return { logits: result.outputs, offset: (T - 1) * O, state: copyState(result.finalState) };
}

/**
 * Language-model sampling: primes with `prime` (at least one token, run from a zero state), then
 * draws `length` tokens one step at a time.
 */
export function sampleStream(model: RecurrentModel, prime: Int32Array, options: SamplingOptions): Int32Array {
  if (prime.length === 0) throw new RangeError('sampling needs at least one priming token');
  const O = model.config.output.size;
  const out = new Int32Array(options.length);
  let step = runTokens(model, prime, undefined);
  for (let i = 0; i < options.length; i++) {
    const next = options.greedy
      ? argmax(step.logits, step.offset, O)
      : sampleLogits(step.logits, step.offset, O, options.temperature, options.topK, options.rng);
    out[i] = next;
    if (i + 1 < options.length) step = runTokens(model, Int32Array.of(next), step.state);
  }
  return out;
}

/** `base` with the decoder prefixes `prefixes[b]` (each starting with `<bos>`, all of length t). */
function withDecoderPrefix(base: Batch, prefixes: Int32Array[]): Batch {
  const B = base.batchSize;
  const t = prefixes[0].length;
  const decoderInput = new Int32Array(t * B);
  for (let s = 0; s < t; s++) for (let b = 0; b < B; b++) decoderInput[s * B + b] = prefixes[b][s];
  return { ...base, decoderSteps: t, decoderInput, decoderTarget: new Int32Array(t * B), decoderLengths: new Int32Array(B).fill(t) };
}

/**
 * Greedy decoding of every sequence of `base` (encoder inputs or init vectors; its decoder fields
 * are replaced). Returns the generated tokens of each, without `<eos>`.
 */
export function greedyDecodeBatch(model: RecurrentModel, base: Batch, bos: number, eos: number, maxSteps: number): Int32Array[] {
  const B = base.batchSize;
  const O = model.config.output.size;
  const generated: number[][] = Array.from({ length: B }, () => []);
  const finished = new Uint8Array(B);
  const prefixes = Array.from({ length: B }, () => [bos]);
  for (let t = 1; t <= maxSteps && finished.some((f) => f === 0); t++) {
    const result = model.forward(withDecoderPrefix(base, prefixes.map((p) => Int32Array.from(p))), { training: false });
    for (let b = 0; b < B; b++) {
      const next = argmax(result.outputs, ((t - 1) * B + b) * O, O);
      prefixes[b].push(next);
      if (finished[b]) continue;
      if (next === eos) finished[b] = 1;
      else generated[b].push(next);
    }
  }
  return generated.map((g) => Int32Array.from(g));
}

/** Copies sequence 0 of a B = 1 batch into `rows` identical sequences (decoder fields dropped). */
export function replicateFirst(batch: Batch, rows: number): Batch {
  const T = batch.steps;
  const spread = <A extends Int32Array | Float32Array>(source: A | undefined, perStep: boolean, width: number): A | undefined => {
    if (!source) return undefined;
    const steps = perStep ? T : 1;
    const out = new (source.constructor as new (n: number) => A)(steps * rows * width);
    for (let t = 0; t < steps; t++) {
      for (let r = 0; r < rows; r++) out.set(source.subarray(t * width, (t + 1) * width), (t * rows + r) * width);
    }
    return out;
  };
  const featureWidth = batch.features ? batch.features.length / T : 0;
  const vectorWidth = batch.initVectors ? batch.initVectors.length : 0;
  return {
    batchSize: rows,
    steps: T,
    lengths: new Int32Array(rows).fill(batch.lengths[0]),
    tokens: spread(batch.tokens, true, 1),
    features: spread(batch.features, true, featureWidth),
    initVectors: spread(batch.initVectors, false, vectorWidth),
  };
}

/**
 * Beam search of width W over the decoder of a B = 1 batch. Scores are summed log-probabilities;
 * a hypothesis ends at `<eos>`; the best finished one wins (length ties keep the first found).
 */
export function beamSearch(model: RecurrentModel, single: Batch, bos: number, eos: number, width: number, maxSteps: number): Int32Array {
  const O = model.config.output.size;
  let beams: { tokens: number[]; score: number }[] = [{ tokens: [bos], score: 0 }];
  const finished: { tokens: number[]; score: number }[] = [];
  for (let t = 1; t <= maxSteps && beams.length > 0; t++) {
    const base = replicateFirst(single, beams.length);
    const result = model.forward(withDecoderPrefix(base, beams.map((b) => Int32Array.from(b.tokens))), { training: false });
    const candidates: { tokens: number[]; score: number }[] = [];
    beams.forEach((beam, b) => {
      const logp = logSoftmax(result.outputs, ((t - 1) * beams.length + b) * O, O);
      for (let k = 0; k < O; k++) candidates.push({ tokens: [...beam.tokens, k], score: beam.score + logp[k] });
    });
    candidates.sort((a, b) => b.score - a.score);
    beams = [];
    for (const c of candidates.slice(0, width)) {
      if (c.tokens[c.tokens.length - 1] === eos) finished.push(c);
      else beams.push(c);
    }
    if (finished.length >= width) break;
  }
  const pool = finished.length ? finished : beams;
  const best = pool.reduce((a, b) => (b.score > a.score ? b : a));
  const body = best.tokens.slice(1);
  return Int32Array.from(body[body.length - 1] === eos ? body.slice(0, -1) : body);
}
