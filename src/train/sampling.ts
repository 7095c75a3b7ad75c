/**
 * Generation from a trained model, through the engine's ordinary forward pass:
 *   - language models: one `model.step` at a time with the state carried, sampling
 *     x_{t+1} ~ softmax(o_t / τ) restricted to the k most likely tokens, or x_{t+1} = argmax o_t;
 *   - seq2seq / one-to-many: `model.encode` for the decoder's initial state, then decoder steps
 *     (greedy, sampled, or beam search of width W), stopping at `<eos>` or after `maxSteps`.
 * `<pad>` (id 0), `<unk>` (id 1) and `<bos>` are never generated: the choice is made among the
 * other tokens (their probabilities, and beam scores, stay those of the full softmax).
 * Every random draw comes from a seeded `Rng`.
 */
import type { PreparedDataset } from '../data';
import type { GenerationStep, RecurrentModel, RecurrentState } from '../engine/model';
import type { Rng } from '../engine/random';
import type { Batch, FloatArray } from '../engine/types';

export interface SamplingOptions {
  length: number;
  /** Softmax temperature τ > 0: p ∝ exp(o / τ). Ignored when `greedy`; τ ≤ 0 is greedy. */
  temperature: number;
  /** Keep only the k most likely tokens (0: all). */
  topK: number;
  greedy: boolean;
  rng: Rng;
}

/** `<pad>` and `<unk>` ids of every vocabulary (see src/data/vocabulary.ts). */
const PAD_ID = 0;
const UNK_ID = 1;

/** What decoding needs of a model: one step for B sequences (`RecurrentModel.step`). */
export interface StepModel {
  readonly config: { readonly output: { readonly size: number } };
  step(ids: Int32Array, state: RecurrentState | null): GenerationStep;
}

/**
 * A generated sequence: its tokens (without `<eos>`), Σ log p of its tokens (and of `<eos>` when ended),
 * and, from an attention decoder, the alignment over the source steps at each of its tokens.
 */
export interface Hypothesis { tokens: Int32Array; logProbability: number; ended: boolean; attention?: Float32Array[] }

/** Picks the next token from `count` logits at `offset`. */
export type TokenChooser = (logits: FloatArray, offset: number, count: number) => number;

/** `<bos>` / `<eos>` ids of the generated vocabulary (seq2seq and one-to-many). */
export function specialTokens(data: Pick<PreparedDataset, 'outputVocab'>): { bos: number; eos: number } {
  const vocab = data.outputVocab;
  if (!vocab) throw new Error('this model has no output vocabulary to decode with');
  return { bos: vocab.bos, eos: vocab.eos };
}

/** The ids never generated: `<pad>`, `<unk>`, and `<bos>` when the vocabulary has one (bos ≥ 0). */
export function neverGenerated(bos = -1): number[] {
  return bos >= 0 ? [PAD_ID, UNK_ID, bos] : [PAD_ID, UNK_ID];
}

/** Index of the largest of `count` values from `offset`, skipping `banned` ids; ties keep the lower index. */
export function argmax(values: FloatArray, offset: number, count: number, banned: readonly number[] = []): number {
  let best = -1;
  for (let i = 0; i < count; i++) {
    if (banned.includes(i)) continue;
    if (best < 0 || values[offset + i] > values[offset + best]) best = i;
  }
  if (best < 0) throw new RangeError('no token left to choose: every output is a special token');
  return best;
}

/**
 * Draws from softmax(logits/τ) over the top k allowed logits (all allowed when k ≤ 0), ties keeping
 * the lower index; τ ≤ 0 is argmax. Weights are exp((o_i − o_max)/τ), so a small τ cannot overflow.
 */
export function sampleLogits(
  logits: FloatArray, offset: number, count: number, temperature: number, topK: number, rng: Rng, banned: readonly number[] = [],
): number {
  if (!(temperature > 0)) return argmax(logits, offset, count, banned);
  const order: number[] = [];
  for (let i = 0; i < count; i++) if (!banned.includes(i)) order.push(i);
  if (order.length === 0) throw new RangeError('no token left to choose: every output is a special token');
  order.sort((a, b) => logits[offset + b] - logits[offset + a] || a - b);
  const keep = topK > 0 ? order.slice(0, Math.min(topK, order.length)) : order;
  const top = logits[offset + keep[0]];
  const weights = keep.map((i) => Math.exp((logits[offset + i] - top) / temperature));
  let u = rng.next() * weights.reduce((s, w) => s + w, 0);
  for (let j = 0; j < keep.length; j++) {
    u -= weights[j];
    if (u < 0) return keep[j];
  }
  return keep[keep.length - 1];
}

/** The chooser of `options` (greedy, or temperature and top-k), never picking `banned`. */
export function tokenChooser(options: Omit<SamplingOptions, 'length'>, banned: readonly number[]): TokenChooser {
  if (options.greedy) return (logits, offset, count) => argmax(logits, offset, count, banned);
  return (logits, offset, count) => sampleLogits(logits, offset, count, options.temperature, options.topK, options.rng, banned);
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
 * `length` tokens one `model.step` at a time, the state carried; never `<pad>` or `<unk>`.
 */
export function sampleStream(model: StepModel, prime: Int32Array, options: SamplingOptions): Int32Array {
  if (prime.length === 0) throw new RangeError('sampling needs at least one priming token');
  const O = model.config.output.size;
  const choose = tokenChooser(options, neverGenerated());
  const out = new Int32Array(options.length);
  let step = model.step(prime.subarray(0, 1), null);
  for (let i = 1; i < prime.length; i++) step = model.step(prime.subarray(i, i + 1), step.state);
  for (let i = 0; i < options.length; i++) {
    out[i] = choose(step.logits, 0, O);
    if (i + 1 < options.length) step = model.step(out.subarray(i, i + 1), step.state);
  }
  return out;
}

/**
 * Decodes B sequences from the decoder's initial state `initial` (B rows): y_0 = `<bos>`,
 * y_t = choose(o_t), fed back, until `<eos>` or `maxSteps` tokens. Each hypothesis carries
 * Σ log softmax(o_t)[y_t], `<eos>` included when it ended.
 */
export function decodeFrom(
  model: StepModel, initial: RecurrentState, B: number, bos: number, eos: number, maxSteps: number, choose: TokenChooser,
): Hypothesis[] {
  const O = model.config.output.size;
  const generated: number[][] = Array.from({ length: B }, () => []);
  const alignments: Float32Array[][] = Array.from({ length: B }, () => []);
  const logProbability = new Float64Array(B);
  const ended = new Uint8Array(B);
  let state = initial;
  const ids = new Int32Array(B).fill(bos);
  for (let t = 0; t < maxSteps && ended.includes(0); t++) {
    const step = model.step(ids, state);
    state = step.state;
    for (let b = 0; b < B; b++) {
      if (ended[b]) continue;
      ids[b] = choose(step.logits, b * O, O);
      logProbability[b] += logSoftmax(step.logits, b * O, O)[ids[b]];
      if (ids[b] === eos) ended[b] = 1;
      else {
        generated[b].push(ids[b]);
        if (step.attention) alignments[b].push(alignmentRow(step.attention, b, B));
      }
    }
  }
  return generated.map((g, b) => ({
    tokens: Int32Array.from(g), logProbability: logProbability[b], ended: ended[b] === 1, ...(alignments[b].length > 0 && { attention: alignments[b] }),
  }));
}

/** Row b of a B×T alignment. */
function alignmentRow(attention: Float32Array, b: number, B: number): Float32Array {
  const T = attention.length / B;
  return attention.slice(b * T, (b + 1) * T);
}

/**
 * Greedy decoding of every sequence of `batch` (seq2seq sources or one-to-many init vectors):
 * `model.encode` gives the decoder's initial state, then y_t = argmax o_t over the tokens that may
 * be generated. Returns the tokens of each sequence, without `<eos>`.
 */
export function greedyDecodeBatch(model: RecurrentModel, batch: Batch, bos: number, eos: number, maxSteps: number): Int32Array[] {
  const banned = neverGenerated(bos);
  const choose: TokenChooser = (logits, offset, count) => argmax(logits, offset, count, banned);
  return decodeFrom(model, model.encode(batch), batch.batchSize, bos, eos, maxSteps, choose).map((h) => h.tokens);
}

/**
 * Rows `rows[i]` of each B×W state array (B = `batch`), as a new state of rows.length rows; an
 * attention decoder's encoder outputs (T×B×W) and source mask (T×B) are reordered the same way at every source step.
 */
export function gatherRows(state: RecurrentState, rows: readonly number[], batch: number): RecurrentState {
  const pick = (arrays: FloatArray[]) => arrays.map((a) => gatherTimeMajor(a, rows, batch, 1));
  const out: RecurrentState = state.c ? { h: pick(state.h), c: pick(state.c) } : { h: pick(state.h) };
  if (state.attentional) out.attentional = gatherTimeMajor(state.attentional, rows, batch, 1);
  if (state.encoderOutputs && state.sourceMask) {
    const T = state.sourceMask.length / batch;
    out.encoderOutputs = gatherTimeMajor(state.encoderOutputs, rows, batch, T);
    out.sourceMask = Uint8Array.from(gatherTimeMajor(Float32Array.from(state.sourceMask), rows, batch, T));
  }
  return out;
}

/** Rows of a T×B×W array (B = `batch`) as a T×rows.length×W one. */
function gatherTimeMajor(a: FloatArray, rows: readonly number[], batch: number, T: number): Float32Array {
  const width = a.length / (T * batch);
  const n = rows.length;
  const out = new Float32Array(T * n * width);
  for (let t = 0; t < T; t++) {
    rows.forEach((r, i) => out.set(a.subarray((t * batch + r) * width, (t * batch + r + 1) * width), (t * n + i) * width));
  }
  return out;
}

/** Ended hypotheses rank above open ones, then the higher Σ log p. */
function better(a: Hypothesis, b: Hypothesis): Hypothesis {
  if (a.ended !== b.ended) return a.ended ? a : b;
  return b.logProbability > a.logProbability ? b : a;
}

/**
 * Beam search of width W from the decoder's initial state `initial` (one row). Each step extends
 * every open hypothesis by every token that may be generated, scored by Σ log p (no length
 * normalisation), and keeps the W best; a hypothesis ends at `<eos>`. The search stops when no
 * hypothesis is open, when the best ended one scores at least the best open one (extensions only
 * lower a score), or after `maxSteps`. The greedy decoding is also a candidate, so the result
 * never scores below it; width 1 is greedy decoding.
 */
export function beamSearch(model: StepModel, initial: RecurrentState, bos: number, eos: number, width: number, maxSteps: number): Hypothesis {
  const O = model.config.output.size;
  const banned = neverGenerated(bos);
  let open: { tokens: number[]; score: number; attention: Float32Array[] }[] = [{ tokens: [], score: 0, attention: [] }];
  let state = initial;
  let ids = Int32Array.of(bos);
  let best: Hypothesis | undefined;
  const consider = (tokens: number[], logProbability: number, ended: boolean, attention: Float32Array[]) => {
    const hypothesis: Hypothesis = { tokens: Int32Array.from(tokens), logProbability, ended, ...(attention.length > 0 && { attention }) };
    best = best ? better(best, hypothesis) : hypothesis;
  };
  for (let t = 0; t < maxSteps && open.length > 0; t++) {
    const step = model.step(ids, state);
    const candidates: { from: number; token: number; score: number }[] = [];
    open.forEach((beam, b) => {
      const logp = logSoftmax(step.logits, b * O, O);
      for (let k = 0; k < O; k++) if (!banned.includes(k)) candidates.push({ from: b, token: k, score: beam.score + logp[k] });
    });
    candidates.sort((a, b) => b.score - a.score);
    const kept = candidates.slice(0, width);
    for (const c of kept) if (c.token === eos) consider(open[c.from].tokens, c.score, true, open[c.from].attention);
    const live = kept.filter((c) => c.token !== eos);
    const previous = open;
    const alignment = (from: number) => (step.attention ? [alignmentRow(step.attention, from, previous.length)] : []);
    open = live.map((c) => ({ tokens: [...previous[c.from].tokens, c.token], score: c.score, attention: [...previous[c.from].attention, ...alignment(c.from)] }));
    if (live.length === 0 || (best && best.logProbability >= open[0].score)) break;
    // the state of beam b is row b of every B×H array of step.state
    state = gatherRows(step.state, live.map((c) => c.from), previous.length);
    ids = Int32Array.from(live, (c) => c.token);
  }
  for (const beam of open) consider(beam.tokens, beam.score, false, beam.attention);
  const greedy = decodeFrom(model, initial, 1, bos, eos, maxSteps, (logits, offset, count) => argmax(logits, offset, count, banned))[0];
  return best ? better(best, greedy) : greedy;
}
