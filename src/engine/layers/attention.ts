import type { Arena } from '../arena';
import { addColumnSumsInto, addRowBiasInto } from '../kernels/elementwise';
import type { Backend } from '../kernels/backend';
import { matMulInto, rowsAt } from '../kernels/matrix';
import type { AttentionScore, FloatArray, Param } from '../types';

/**
 * Luong's global attention over the encoder's outputs, one form for every score. At decoder step t,
 * with s_t the top decoder layer's output (W) and h_j the encoder's merged output at source step j:
 *   e_tj = sᵀ_t h_j                      dot
 *   e_tj = sᵀ_t W_a h_j                  general    (W_a: `attention.weight`, W×W)
 *   e_tj = vᵀ tanh(W_q s_t + W_k h_j)    additive   (W_q, W_k: `attention.query.weight`, `attention.key.weight`, W×W;
 *                                                     v: `attention.energy.weight`, 1×W; no biases)
 *   a_t = softmax_j(e_tj) over the valid source steps (a padded step j has a_tj = 0)
 *   c_t = Σ_j a_tj h_j
 *   h̃_t = tanh(W_c [c_t; s_t] + b_c)   (W_c: `attention.combine.weight`, W×2W; b_c: `attention.combine.bias`)
 * The head reads h̃_t instead of s_t.
 *
 * Backward, with ∂h̃_t from the head:
 *   ∂pre = ∂h̃ ⊙ (1 − h̃²);  ∂W_c += ∂preᵀ·[c; s],  ∂b_c += Σ ∂pre;  [∂c; ∂s] = ∂pre·W_c
 *   ∂a_tj = ∂c_tᵀ h_j,  ∂h_j += a_tj ∂c_t;   ∂e_tj = a_tj (∂a_tj − Σ_k a_tk ∂a_tk)
 *   dot:      ∂s_t += Σ_j ∂e_tj h_j,  ∂h_j += ∂e_tj s_t
 *   general:  k_j = W_a h_j;  ∂s_t += Σ_j ∂e_tj k_j,  ∂k_j += ∂e_tj s_t;  ∂W_a += ∂Kᵀ·H,  ∂H += ∂K·W_a
 *   additive: u_tj = tanh(q_t + k_j);  ∂u = ∂e_tj v ⊙ (1 − u²);  ∂v += ∂e_tj u_tj;  ∂q_t += ∂u,  ∂k_j += ∂u;
 *             ∂W_q += ∂Qᵀ·S,  ∂S += ∂Q·W_q,  ∂W_k += ∂Kᵀ·H,  ∂H += ∂K·W_k
 * Shapes (time-major, as everywhere): S, h̃, C T2×B×W; H (the memory) T×B×W; the source mask T×B (1 valid);
 * the alignment a T2×B×T (row (t, b) holds a_t of sequence b).
 */
export class LuongAttention {
  /** T2×B×W attentional states h̃ (the head's input) and their gradient (filled by the caller). */
  out: FloatArray = EMPTY;
  dOut: FloatArray = EMPTY;
  /** T2×B×T alignment weights a_tj of the last forward. */
  alignment: FloatArray = EMPTY;
  private context: FloatArray = EMPTY;
  private dContext: FloatArray = EMPTY;
  private dPre: FloatArray = EMPTY;
  /** general: K = H·W_aᵀ; additive: K = H·W_kᵀ (T×B×W), Q = S·W_qᵀ (T2×B×W), U = tanh(q + k) (T2×B×T×W). */
  private keys: FloatArray = EMPTY;
  private dKeys: FloatArray = EMPTY;
  private queries: FloatArray = EMPTY;
  private dQueries: FloatArray = EMPTY;
  private energies: FloatArray = EMPTY;
  /** One row of ∂a (T). */
  private dAlign: FloatArray = EMPTY;
  private shape = { T: 0, B: 0 };
  private decoderStates: FloatArray = EMPTY;
  private memory: FloatArray = EMPTY;
  private mask: Uint8Array = new Uint8Array(0);

  private readonly combineWeight: Param;
  private readonly combineBias: Param;
  /** general: W_a; additive: W_q, W_k, v. */
  private readonly scoreWeight: Param | null;
  private readonly queryWeight: Param | null;
  private readonly keyWeight: Param | null;
  private readonly energyWeight: Param | null;

  constructor(readonly score: Exclude<AttentionScore, 'none'>, readonly width: number, params: (name: string) => Param, private readonly backend: Backend) {
    this.combineWeight = params('attention.combine.weight');
    this.combineBias = params('attention.combine.bias');
    this.scoreWeight = score === 'general' ? params('attention.weight') : null;
    const additive = score === 'additive';
    this.queryWeight = additive ? params('attention.query.weight') : null;
    this.keyWeight = additive ? params('attention.key.weight') : null;
    this.energyWeight = additive ? params('attention.energy.weight') : null;
  }

  reserve(arena: Arena, decoderSteps: number, sourceSteps: number, batch: number): void {
    const W = this.width;
    const n2 = decoderSteps * batch;
    const n = sourceSteps * batch;
    this.out = arena.take(n2 * W);
    this.dOut = arena.take(n2 * W);
    this.alignment = arena.take(n2 * sourceSteps);
    this.context = arena.take(n2 * W);
    this.dContext = arena.take(n2 * W);
    this.dPre = arena.take(n2 * W);
    this.dAlign = arena.take(sourceSteps);
    if (this.score === 'dot') return;
    this.keys = arena.take(n * W);
    this.dKeys = arena.take(n * W);
    if (this.score === 'general') return;
    this.queries = arena.take(n2 * W);
    this.dQueries = arena.take(n2 * W);
    this.energies = arena.take(n2 * sourceSteps * W);
  }

  /** h̃ for every decoder step from S (T2×B×W) and the memory H (T×B×W) with its mask (T×B). */
  forward(S: FloatArray, memory: FloatArray, mask: Uint8Array, T2: number, T: number, B: number): void {
    this.attend(memory, mask, T, B);
    this.forwardSteps(S, 0, T2);
  }

  /** Sets the memory H (T×B×W) and its mask (T×B) for the next steps, and projects the keys once (general, additive). */
  attend(memory: FloatArray, mask: Uint8Array, T: number, B: number): void {
    this.shape = { T, B };
    this.memory = memory;
    this.mask = mask;
    if (this.score === 'general') this.project(this.keys, 0, memory, 0, this.scoreWeight!, T * B);
    if (this.score === 'additive') this.project(this.keys, 0, memory, 0, this.keyWeight!, T * B);
  }

  /** h̃_t for decoder steps t0 ≤ t < t1 from S (T2×B×W; those steps' rows filled), over the memory of `attend`. */
  forwardSteps(S: FloatArray, t0: number, t1: number): void {
    const { T, B } = this.shape;
    const W = this.width;
    const memory = this.memory;
    this.decoderStates = S;
    const r0 = t0 * B;
    const rows = (t1 - t0) * B;
    if (this.score === 'additive') this.project(this.queries, r0 * W, S, r0 * W, this.queryWeight!, rows);
    for (let row = r0; row < r0 + rows; row++) {
      const b = row % B;
      this.alignRow(row, b);
      // c_t = Σ_j a_tj h_j
      const cAt = row * W;
      this.context.fill(0, cAt, cAt + W);
      for (let j = 0; j < T; j++) {
        const a = this.alignment[row * T + j];
        if (a === 0) continue;
        const hAt = (j * B + b) * W;
        for (let k = 0; k < W; k++) this.context[cAt + k] += a * memory[hAt + k];
      }
    }
    // h̃ = tanh(W_c [c; s] + b_c): one product per column block of W_c, rows t0…t1 from offset `at`.
    const W_c = rowsAt(this.combineWeight.data, 0, W, 2 * W);
    const at = r0 * W;
    const pre = rowsAt(this.out, at, rows, W);
    matMulInto(this.backend, pre, rowsAt(this.context, at, rows, W), W_c.columns(0, W).T); // pre = C · W_c[:, :W]ᵀ
    matMulInto(this.backend, pre, rowsAt(S, at, rows, W), W_c.columns(W, W).T, true); // pre += S · W_c[:, W:]ᵀ
    addRowBiasInto(this.backend, this.out, at, rows, this.combineBias.data, W);
    for (let i = at; i < at + rows * W; i++) this.out[i] = Math.tanh(this.out[i]);
  }

  /** e_tj for the valid j of sequence b, then a_t = softmax (0 at padded steps). */
  private alignRow(row: number, b: number): void {
    const { T, B } = this.shape;
    const W = this.width;
    const a = this.alignment;
    const sAt = row * W;
    let max = -Infinity;
    for (let j = 0; j < T; j++) {
      const col = j * B + b;
      if (!this.mask[col]) continue;
      let e = 0;
      if (this.score === 'additive') {
        const v = this.energyWeight!.data;
        const uAt = (row * T + j) * W;
        for (let k = 0; k < W; k++) {
          const u = Math.tanh(this.queries[sAt + k] + this.keys[col * W + k]);
          this.energies[uAt + k] = u;
          e += v[k] * u;
        }
      } else {
        const keys = this.score === 'dot' ? this.memory : this.keys;
        for (let k = 0; k < W; k++) e += this.decoderStates[sAt + k] * keys[col * W + k];
      }
      a[row * T + j] = e;
      if (e > max) max = e;
    }
    let sum = 0;
    for (let j = 0; j < T; j++) {
      if (!this.mask[j * B + b]) {
        a[row * T + j] = 0;
        continue;
      }
      const p = Math.exp(a[row * T + j] - max);
      a[row * T + j] = p;
      sum += p;
    }
    if (sum > 0) for (let j = 0; j < T; j++) a[row * T + j] /= sum;
  }

  /** out (rows×W) = x·Wᵀ for a bias-free W×W map, from the given offsets. */
  private project(out: FloatArray, outAt: number, x: FloatArray, xAt: number, weight: Param, rows: number): void {
    const W = this.width;
    matMulInto(this.backend, rowsAt(out, outAt, rows, W), rowsAt(x, xAt, rows, W), rowsAt(weight.data, 0, W, W).T); // out = x · Wᵀ
  }

  /** From dOut (∂h̃) of all T2 steps: adds ∂S into dS (T2×B×W) and ∂H into dMemory (T×B×W), and into the parameter gradients. */
  backward(dS: FloatArray, dMemory: FloatArray, T2: number): void {
    this.beginBackward();
    this.backwardSteps(dS, dMemory, 0, T2);
    this.endBackward(dMemory);
  }

  /** Zeroes ∂K before the steps' backward add into it. */
  beginBackward(): void {
    const { T, B } = this.shape;
    if (this.score !== 'dot') this.dKeys.fill(0, 0, T * B * this.width);
  }

  /** Backward of steps t0 ≤ t < t1 from their rows of dOut (complete by now): ∂S rows into dS, ∂H into dMemory. */
  backwardSteps(dS: FloatArray, dMemory: FloatArray, t0: number, t1: number): void {
    const { B } = this.shape;
    const W = this.width;
    const S = this.decoderStates;
    const at = t0 * B * W;
    const rows = (t1 - t0) * B;
    for (let i = at; i < at + rows * W; i++) this.dPre[i] = this.dOut[i] * (1 - this.out[i] * this.out[i]);
    const dPre = rowsAt(this.dPre, at, rows, W);
    const W_c = rowsAt(this.combineWeight.data, 0, W, 2 * W);
    const dW_c = rowsAt(this.combineWeight.grad, 0, W, 2 * W);
    matMulInto(this.backend, dW_c.columns(0, W), dPre.T, rowsAt(this.context, at, rows, W), true); // ∂W_c[:, :W] += ∂preᵀ · C
    matMulInto(this.backend, dW_c.columns(W, W), dPre.T, rowsAt(S, at, rows, W), true); // ∂W_c[:, W:] += ∂preᵀ · S
    addColumnSumsInto(this.backend, this.combineBias.grad, this.dPre, at, rows, W);
    matMulInto(this.backend, rowsAt(this.dContext, at, rows, W), dPre, W_c.columns(0, W)); // ∂C = ∂pre · W_c[:, :W]
    matMulInto(this.backend, rowsAt(dS, at, rows, W), dPre, W_c.columns(W, W), true); // ∂S += ∂pre · W_c[:, W:]
    if (this.score === 'additive') this.dQueries.fill(0, at, at + rows * W);
    for (let row = t0 * B; row < t1 * B; row++) this.rowBackward(row, row % B, dS, dMemory);
    if (this.score === 'additive') this.projectBackward(this.dQueries, at, S, this.queryWeight!, dS, rows);
  }

  /** After every step's backward: ∂K back through the key projection into ∂W and ∂H. */
  endBackward(dMemory: FloatArray): void {
    const { T, B } = this.shape;
    if (this.score === 'general') this.projectBackward(this.dKeys, 0, this.memory, this.scoreWeight!, dMemory, T * B);
    if (this.score === 'additive') this.projectBackward(this.dKeys, 0, this.memory, this.keyWeight!, dMemory, T * B);
  }

  /** The context and score backward of one (t, b) row. */
  private rowBackward(row: number, b: number, dS: FloatArray, dMemory: FloatArray): void {
    const { T, B } = this.shape;
    const W = this.width;
    const a = this.alignment;
    const dA = this.dAlign;
    const H = this.memory;
    const cAt = row * W;
    // ∂a_j = ∂cᵀ h_j, ∂h_j += a_j ∂c
    let weighted = 0;
    for (let j = 0; j < T; j++) {
      const aj = a[row * T + j];
      dA[j] = 0;
      if (!this.mask[j * B + b]) continue;
      const hAt = (j * B + b) * W;
      let g = 0;
      for (let k = 0; k < W; k++) {
        g += this.dContext[cAt + k] * H[hAt + k];
        dMemory[hAt + k] += aj * this.dContext[cAt + k];
      }
      dA[j] = g;
      weighted += aj * g;
    }
    for (let j = 0; j < T; j++) {
      const col = j * B + b;
      if (!this.mask[col]) continue;
      const dE = a[row * T + j] * (dA[j] - weighted);
      if (this.score === 'additive') {
        const v = this.energyWeight!;
        const uAt = (row * T + j) * W;
        for (let k = 0; k < W; k++) {
          const u = this.energies[uAt + k];
          v.grad[k] += dE * u;
          const dU = dE * v.data[k] * (1 - u * u);
          this.dQueries[cAt + k] += dU;
          this.dKeys[col * W + k] += dU;
        }
        continue;
      }
      const keys = this.score === 'dot' ? H : this.keys;
      const dKeys = this.score === 'dot' ? dMemory : this.dKeys;
      for (let k = 0; k < W; k++) {
        dS[cAt + k] += dE * keys[col * W + k];
        dKeys[col * W + k] += dE * this.decoderStates[cAt + k];
      }
    }
  }

  /** Backward of out = x·Wᵀ over `rows` rows from offset `at` (of ∂out, x and ∂x): ∂W += ∂outᵀ·x, ∂x += ∂out·W. */
  private projectBackward(dOut: FloatArray, at: number, x: FloatArray, weight: Param, dx: FloatArray, rows: number): void {
    const W = this.width;
    const dY = rowsAt(dOut, at, rows, W);
    matMulInto(this.backend, rowsAt(weight.grad, 0, W, W), dY.T, rowsAt(x, at, rows, W), true); // ∂W += ∂outᵀ · x
    matMulInto(this.backend, rowsAt(dx, at, rows, W), dY, rowsAt(weight.data, 0, W, W), true); // ∂x += ∂out · W
  }
}

/** The source mask (T×B, 1 at valid steps j < lengths[b]) into `out`. */
export function sourceMaskInto(out: Uint8Array, lengths: Int32Array, T: number, B: number): Uint8Array {
  for (let j = 0; j < T; j++) for (let b = 0; b < B; b++) out[j * B + b] = j < lengths[b] ? 1 : 0;
  return out;
}

/** The attention parameters of a decoder of width W, in state_dict order. */
export function attentionParameterShapes(score: AttentionScore, W: number): { name: string; shape: number[] }[] {
  const out: { name: string; shape: number[] }[] = [];
  if (score === 'none') return out;
  if (score === 'general') out.push({ name: 'attention.weight', shape: [W, W] });
  if (score === 'additive') {
    out.push({ name: 'attention.query.weight', shape: [W, W] });
    out.push({ name: 'attention.key.weight', shape: [W, W] });
    out.push({ name: 'attention.energy.weight', shape: [1, W] });
  }
  out.push({ name: 'attention.combine.weight', shape: [W, 2 * W] });
  out.push({ name: 'attention.combine.bias', shape: [W] });
  return out;
}

const EMPTY = new Float32Array(0);
