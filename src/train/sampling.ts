/**
 * Generation from a trained model, through the engine's ordinary forward pass:
 *   - language models: one `model.step` at a time with the state carried, sampling
 *     x_{t+1} ~ softmax(o_t / temperature) restricted to the top k, or argmax;
 *   - seq2seq / one-to-many: `model.encode` for the decoder's initial state, then decoder steps,
 *     greedy or beam search of width W, stopping at `<eos>` or after `maxSteps`.
 * Every random draw comes from a seeded `Rng`.
 */
import type { PreparedDataset } from '../data';
import type { RecurrentModel, RecurrentState } from '../engine/model';
import type { Rng } from '../engine/random';
import type { Batch, FloatArray } from '../engine/types';

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

/**
 * Language-model sampling: feeds `prime` (at least one token) from a zero state, then draws
 * `length` tokens one `model.step` at a time, the state carried.
 */
export function sampleStream(model: RecurrentModel, prime: Int32Array, options: SamplingOptions): Int32Array {
  if (prime.length === 0) throw new RangeError('sampling needs at least one priming token');
  const O = model.config.output.size;
  const out = new Int32Array(options.length);
  let step = model.step(prime.subarray(0, 1), null);
  for (let i = 1; i < prime.length; i++) step = model.step(prime.subarray(i, i + 1), step.state);
  for (let i = 0; i < options.length; i++) {
    const next = options.greedy ? argmax(step.logits, 0, O) : sampleLogits(step.logits, 0, O, options.temperature, options.topK, options.rng);
    out[i] = next;
    if (i + 1 < options.length) step = model.step(Int32Array.of(next), step.state);
  }
  return out;
}

/**
 * Greedy decoding of every sequence of `batch` (seq2seq sources or one-to-many init vectors):
 * `model.encode` gives the decoder's initial state, then y_t = argmax o_t, fed back, until `<eos>`
 * or `maxSteps`. Returns the generated tokens of each sequence, without `<eos>`.
 */
export function greedyDecodeBatch(model: RecurrentModel, batch: Batch, bos: number, eos: number, maxSteps: number): Int32Array[] {
  const B = batch.batchSize;
  const O = model.config.output.size;
  const generated: number[][] = Array.from({ length: B }, () => []);
  const finished = new Uint8Array(B);
  let state: RecurrentState = model.encode(batch);
  const ids = new Int32Array(B).fill(bos);
  for (let t = 0; t < maxSteps && finished.includes(0); t++) {
    const step = model.step(ids, state);
    state = step.state;
    for (let b = 0; b < B; b++) {
      ids[b] = argmax(step.logits, b * O, O);
      if (finished[b]) continue;
      if (ids[b] === eos) finished[b] = 1;
      else generated[b].push(ids[b]);
    }
  }
  return generated.map((g) => Int32Array.from(g));
}

/** Rows `rows[i]` of each B×W state array (B = `batch`), as a new state of rows.length rows. */
function gatherRows(state: RecurrentState, rows: readonly number[], batch: number): RecurrentState {
  const pick = (arrays: FloatArray[]) => arrays.map((a) => {
    const width = a.length / batch;
    const out = new Float32Array(rows.length * width);
    rows.forEach((r, i) => out.set(a.subarray(r * width, (r + 1) * width), i * width));
    return out;
  });
  return state.c ? { h: pick(state.h), c: pick(state.c) } : { h: pick(state.h) };
}

/**
 * Beam search of width W over the decoder, for the single sequence of `single` (B = 1). Scores are
 * summed log-probabilities; a hypothesis ends at `<eos>`; search stops when W have ended or after
 * `maxSteps`; the best ended one wins (else the best open one).
 */
export function beamSearch(model: RecurrentModel, single: Batch, bos: number, eos: number, width: number, maxSteps: number): Int32Array {
  const O = model.config.output.size;
  let beams: { tokens: number[]; score: number }[] = [{ tokens: [], score: 0 }];
  let state = model.encode(single);
  let ids = Int32Array.of(bos);
  const finished: { tokens: number[]; score: number }[] = [];
  for (let t = 0; t < maxSteps && beams.length > 0 && finished.length < width; t++) {
    const step = model.step(ids, state);
    const rows = beams.length;
    const candidates: { tokens: number[]; score: number; from: number; token: number }[] = [];
    beams.forEach((beam, b) => {
      const logp = logSoftmax(step.logits, b * O, O);
      for (let k = 0; k < O; k++) candidates.push({ tokens: beam.tokens, score: beam.score + logp[k], from: b, token: k });
    });
    candidates.sort((a, b) => b.score - a.score);
    const kept = candidates.slice(0, width);
    const live = kept.filter((c) => c.token !== eos);
    for (const c of kept) if (c.token === eos) finished.push({ tokens: c.tokens, score: c.score });
    beams = live.map((c) => ({ tokens: [...c.tokens, c.token], score: c.score }));
    if (live.length === 0) break;
    // the state of beam b lives in the B×H rows of step.state, one row per beam
    state = gatherRows(step.state, live.map((c) => c.from), rows);
    ids = Int32Array.from(live, (c) => c.token);
  }
  const pool = finished.length ? finished : beams;
  return Int32Array.from(pool.reduce((a, b) => (b.score > a.score ? b : a)).tokens);
}
