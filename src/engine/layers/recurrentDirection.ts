import type { Arena } from '../arena';
import type { Backend } from '../kernels/backend';
import { elementwiseFor, type ElementwiseKernels } from '../kernels/elementwiseKernels';
import { addColumnSumsInto, addRowBiasInto, sumSquares } from '../kernels/elementwise';
import { matMulInto, rowsAt, type Matrix } from '../kernels/matrix';
import { rowKernelsFor } from '../kernels/rowKernels';
import type { FloatArray, Param } from '../types';
import { OneHotColumns } from './oneHotInput';

/**
 * A part of a layer's input, time-major T×B×width. A layer reads the concatenation of its segments
 * (dense connections concatenate several), so the input projection is a sum of per-segment products
 * with column blocks of W_ih, and no concatenated copy is ever made. A `tokens` segment is a one-hot
 * input: its product is a column lookup of W_ih, never a dense multiply.
 */
export type InputSegment =
  | { kind: 'dense'; data: FloatArray; width: number; grad: FloatArray | null }
  | { kind: 'tokens'; ids: Int32Array; width: number };

/** The four tensors of one layer × direction, PyTorch layout: W_ih (G·H×X), W_hh (G·H×H), b_ih, b_hh (G·H). */
export interface DirectionParams {
  weightIh: Param;
  weightHh: Param;
  biasIh: Param;
  biasHh: Param;
}

/**
 * One direction of one recurrent layer over a batch, with the work that does not depend on the cell:
 * the input projection of all T·B rows in one product (only W_hh stays in the time loop), masking,
 * state storage, and the weight gradients summed over all rows after the time loop.
 *
 * States live in a (T+1)×B×H buffer so that both "h_{t-1}" (the matmul operand of dW_hh) and the
 * outputs are contiguous views: forward direction: slot 0 = h0, slot t+1 = h_t; reverse direction:
 * slot t = h_t, slot T = h0. A padded step (t ≥ lengths[b]) copies the previous state, so the state
 * in the processing order's last slot is each sequence's own final state, and in backward the
 * gradient passes through padded steps unchanged.
 */
export abstract class RecurrentDirection {
  /** G: packed gate blocks (1 vanilla, 4 LSTM [i f g o], 3 GRU [r z n]). */
  abstract readonly gates: number;
  readonly gh: number;
  protected T = 0;
  protected B = 0;
  protected lengths: Int32Array = new Int32Array(0);

  /** T×B×G·H: W_ih·x_t + b_ih for every step. */
  protected xProj!: FloatArray;
  /** (T+1)×B×H hidden states (layout above). */
  states!: FloatArray;
  /** B×G·H scratch: W_hh·h_{t-1} + b_hh for the current step. */
  protected hProj!: FloatArray;
  /** T×B×G·H gradient of the pre-activations on the input side (= hidden side except for GRU's n). */
  protected dXProj!: FloatArray;
  /** B×H: ∂L/∂h_t being assembled, and the part flowing to h_{t-1}. */
  protected dh!: FloatArray;
  dhPrev!: FloatArray;
  /** The backend's element-wise kernels when they accept this direction's buffers (float32), else null: TS loops. */
  protected kernels: ElementwiseKernels | null = null;
  /** Matrix views of the weights and their gradients (G·H × X and G·H × H). */
  private readonly W_ih: Matrix;
  private readonly W_hh: Matrix;
  private readonly dW_ih: Matrix;
  private readonly dW_hh: Matrix;
  /** The one-hot input path, made on the first `tokens` segment. */
  private oneHot: OneHotColumns | null = null;

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    readonly reverse: boolean,
    readonly params: DirectionParams,
    gates: number,
    protected readonly backend: Backend,
  ) {
    this.gh = gates * hiddenSize;
    this.W_ih = rowsAt(params.weightIh.data, 0, this.gh, inputSize);
    this.W_hh = rowsAt(params.weightHh.data, 0, this.gh, hiddenSize);
    this.dW_ih = rowsAt(params.weightIh.grad, 0, this.gh, inputSize);
    this.dW_hh = rowsAt(params.weightHh.grad, 0, this.gh, hiddenSize);
  }

  /** Requests every buffer for up to `steps`×`batch`; called in both arena passes. */
  reserve(arena: Arena, steps: number, batch: number): void {
    const H = this.hiddenSize;
    this.xProj = arena.take(steps * batch * this.gh);
    this.states = arena.take((steps + 1) * batch * H);
    this.hProj = arena.take(batch * this.gh);
    this.dXProj = arena.take(steps * batch * this.gh);
    this.dh = arena.take(batch * H);
    this.dhPrev = arena.take(batch * H);
    this.reserveCell(arena, steps, batch);
  }

  protected abstract reserveCell(arena: Arena, steps: number, batch: number): void;

  /** Offset in `states` of h_t (t in 0..T-1). */
  stateOffset(t: number): number {
    return (this.reverse ? t : t + 1) * this.B * this.hiddenSize;
  }

  /** Offset in `states` of the state before step t in processing order. */
  protected prevOffset(t: number): number {
    return (this.reverse ? t + 1 : t) * this.B * this.hiddenSize;
  }

  /** Offset of the first output row h_0 (outputs are T×B×H contiguous from here). */
  get outputOffset(): number {
    return this.reverse ? 0 : this.B * this.hiddenSize;
  }

  /** Offset of the final state (each sequence's own last valid step). */
  get finalOffset(): number {
    return this.stateOffset(this.reverse ? 0 : this.T - 1);
  }

  /**
   * Runs the direction over T steps. `h0`/`c0` (B×H) are the initial state, zero when null.
   * Results: `states` (and the cell's caches) for backward.
   */
  forward(inputs: readonly InputSegment[], T: number, B: number, lengths: Int32Array, h0: FloatArray | null, c0: FloatArray | null): void {
    this.T = T;
    this.B = B;
    this.lengths = lengths;
    this.kernels = elementwiseFor(this.backend, this.xProj, this.params.weightHh.data);
    const H = this.hiddenSize;
    this.projectInputs(inputs);
    const h0At = (this.reverse ? T : 0) * B * H;
    if (h0) this.states.set(h0.subarray(0, B * H), h0At);
    else this.states.fill(0, h0At, h0At + B * H);
    this.setInitialCell(h0At, c0);
    const hProj = rowsAt(this.hProj, 0, B, this.gh);
    const W_hhT = this.W_hh.T;
    for (let s = 0; s < T; s++) {
      const t = this.reverse ? T - 1 - s : s;
      // hProj = W_hh·h_{t-1} + b_hh for every sequence: as rows, h_{t-1} (B×H) · W_hhᵀ (H×G·H)
      matMulInto(this.backend, hProj, rowsAt(this.states, this.prevOffset(t), B, H), W_hhT);
      addRowBiasInto(this.backend, this.hProj, 0, B, this.params.biasHh.data, this.gh);
      this.stepForward(t);
    }
  }

  /**
   * xProj = W_ih·x_t + b_ih for all T·B rows at once; each input segment reads its block of W_ih's
   * columns. The first segment writes xProj, the others add to it, then b_ih is added (a lone
   * one-hot segment adds it with its columns). One-hot ids outside the segment's width add nothing.
   */
  private projectInputs(inputs: readonly InputSegment[]): void {
    const rows = this.T * this.B;
    const gh = this.gh;
    const X = this.inputSize;
    const w = this.params.weightIh.data;
    const bias = this.params.biasIh.data;
    const xProj = this.xProj;
    const biasWithColumns = inputs.length === 1 && inputs[0].kind === 'tokens';
    if (inputs.length === 0) xProj.fill(0, 0, rows * gh);
    let col = 0;
    for (let i = 0; i < inputs.length; i++) {
      const seg = inputs[i];
      if (seg.kind === 'dense') {
        // xProj (+)= x (T·B × width) · W_ih[:, col…col+width)ᵀ
        matMulInto(this.backend, rowsAt(xProj, 0, rows, gh), rowsAt(seg.data, 0, rows, seg.width), this.W_ih.columns(col, seg.width).T, i > 0);
      } else {
        // one-hot x: W_ih·x is column `id` of W_ih
        const oneHot = (this.oneHot ??= new OneHotColumns(this.backend, gh));
        if (i === 0) oneHot.project(xProj, w, X, col, seg.width, seg.ids, rows, biasWithColumns ? bias : null);
        else oneHot.addProjection(xProj, w, X, col, seg.width, seg.ids, rows);
      }
      col += seg.width;
    }
    if (!biasWithColumns) addRowBiasInto(this.backend, xProj, 0, rows, bias, gh);
  }

  protected abstract setInitialCell(h0At: number, c0: FloatArray | null): void;
  /** One step: reads xProj at t, hProj and the previous state; writes the state at t and caches. */
  protected abstract stepForward(t: number): void;

  /**
   * Backward through all steps. ∂L/∂h_t from above (the outputs) for sequence b is the H values at
   * `dOut[dOutOff + (t·B + b)·dOutStride]` (T·B rows, e.g. this direction's half of a merged
   * concat gradient); `dhFinal`, `dcFinal` (B×H) are ∂L/∂h and ∂L/∂c of the final state (read
   * before the first step back, which is the final state's step). Adds into the parameter
   * gradients and into dense input segments' `grad`; leaves ∂L/∂h0 in `dhPrev` (and ∂L/∂c0 in the
   * cell's carry). `hiddenNormSq[t]` accumulates ‖∂L/∂h_t‖² when given.
   */
  backward(
    inputs: readonly InputSegment[], dOut: FloatArray, dOutOff: number, dOutStride: number,
    dhFinal: FloatArray | null, dcFinal: FloatArray | null, hiddenNormSq: Float64Array | null,
  ): void {
    const { T, B, dh, dhPrev } = this;
    const H = this.hiddenSize;
    const n = B * H;
    if (dhFinal) dhPrev.set(dhFinal.subarray(0, n));
    else dhPrev.fill(0, 0, n);
    this.beginCellBackward(dcFinal);
    const rows = rowKernelsFor(this.backend, dh, dhPrev, dOut);
    for (let s = 0; s < T; s++) {
      const t = this.reverse ? s : T - 1 - s;
      // dh = ∂L/∂h_t: from step t+1 (processing order) plus from above (the outputs at t)
      rows.addRows(dh, dhPrev, dOut, dOutOff + t * B * dOutStride, dOutStride, B, H);
      if (hiddenNormSq) hiddenNormSq[t] += sumSquares(dh, 0, n);
      this.stepBackward(t);
    }
    this.accumulateWeightGradients(inputs);
  }

  protected abstract beginCellBackward(dcFinal: FloatArray | null): void;
  /** From `dh` (∂L/∂h_t) and the cell carry: writes dXProj at t, the hidden-side pre-activation
   *  gradient, `dhPrev` and the cell carry for step t-1 (in processing order). */
  protected abstract stepBackward(t: number): void;
  /** T×B×G·H gradient of W_hh·h + b_hh (dXProj, except for GRU). */
  protected abstract get dHiddenPre(): FloatArray;

  /** dW_hh, dW_ih, the biases' gradients and the dense inputs' ∂L/∂x, summed over all T·B rows in one product each. */
  private accumulateWeightGradients(inputs: readonly InputSegment[]): void {
    const rows = this.T * this.B;
    const gh = this.gh;
    const H = this.hiddenSize;
    const X = this.inputSize;
    const { biasIh, biasHh } = this.params;
    const dHiddenPre = rowsAt(this.dHiddenPre, 0, rows, gh);
    const dXProj = rowsAt(this.dXProj, 0, rows, gh);
    // dW_hh += Σ_t da_t · h_{t-1}ᵀ: as rows, daᵀ (G·H × T·B) · h_{t-1} (T·B × H)
    const hPrevAll = rowsAt(this.states, this.reverse ? this.B * H : 0, rows, H);
    matMulInto(this.backend, this.dW_hh, dHiddenPre.T, hPrevAll, true);
    addColumnSumsInto(this.backend, biasHh.grad, this.dHiddenPre, 0, rows, gh);
    addColumnSumsInto(this.backend, biasIh.grad, this.dXProj, 0, rows, gh);
    let col = 0;
    for (const seg of inputs) {
      if (seg.kind === 'dense') {
        const x = rowsAt(seg.data, 0, rows, seg.width);
        // dW_ih[:, block] += daᵀ · x;   ∂L/∂x += da · W_ih[:, block]
        matMulInto(this.backend, this.dW_ih.columns(col, seg.width), dXProj.T, x, true);
        if (seg.grad) matMulInto(this.backend, rowsAt(seg.grad, 0, rows, seg.width), dXProj, this.W_ih.columns(col, seg.width), true);
      } else {
        // one-hot x: dW_ih[:, col + id] += da
        const oneHot = (this.oneHot ??= new OneHotColumns(this.backend, gh));
        oneHot.accumulate(this.params.weightIh.grad, X, col, seg.width, this.dXProj, seg.ids, rows);
      }
      col += seg.width;
    }
  }

  /** ∂L/∂h_{t-1} = W_hhᵀ·da_t for all rows (padded rows have da = 0), then padded rows pass ∂L/∂h_t through unchanged. */
  protected recurrentBackward(da: FloatArray, t: number): void {
    const { B } = this;
    const H = this.hiddenSize;
    // as rows: dhPrev (B×H) = da_t (B×G·H) · W_hh (G·H×H)
    matMulInto(this.backend, rowsAt(this.dhPrev, 0, B, H), rowsAt(da, t * B * this.gh, B, this.gh), this.W_hh);
    for (let b = 0; b < B; b++) {
      if (!this.padded(t, b)) continue;
      for (let j = 0; j < H; j++) this.dhPrev[b * H + j] = this.dh[b * H + j];
    }
  }

  /** True when step t of sequence b is padding. */
  protected padded(t: number, b: number): boolean {
    return t >= this.lengths[b];
  }
}
