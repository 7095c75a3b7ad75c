import type { Arena } from '../arena';
import type { Backend } from '../kernels/backend';
import { elementwiseFor, type ElementwiseKernels } from '../kernels/elementwiseKernels';
import { addColumnSumsInto, addRowBiasInto, sumSquares } from '../kernels/elementwise';
import type { FloatArray, Param } from '../types';

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

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    readonly reverse: boolean,
    readonly params: DirectionParams,
    gates: number,
    protected readonly backend: Backend,
  ) {
    this.gh = gates * hiddenSize;
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
    const initOff = (this.reverse ? T : 0) * B * H;
    if (h0) this.states.set(h0.subarray(0, B * H), initOff);
    else this.states.fill(0, initOff, initOff + B * H);
    this.setInitialCell(initOff, c0);
    const whh = this.params.weightHh.data;
    const bhh = this.params.biasHh.data;
    for (let s = 0; s < T; s++) {
      const t = this.reverse ? T - 1 - s : s;
      // hProj = h_{t-1} · W_hhᵀ + b_hh   (B×G·H)
      this.backend.gemm(this.hProj, 0, this.gh, this.states, this.prevOffset(t), H, 1, whh, 0, 1, H, B, H, this.gh, false);
      addRowBiasInto(this.backend, this.hProj, 0, B, bhh, this.gh);
      this.stepForward(t);
    }
  }

  /** x·W_ihᵀ + b_ih for all T·B rows, one product per input segment. */
  private projectInputs(inputs: readonly InputSegment[]): void {
    const rows = this.T * this.B;
    const gh = this.gh;
    const X = this.inputSize;
    const w = this.params.weightIh.data;
    const xp = this.xProj;
    xp.fill(0, 0, rows * gh);
    let col = 0;
    for (const seg of inputs) {
      if (seg.kind === 'dense') {
        this.backend.gemm(xp, 0, gh, seg.data, 0, seg.width, 1, w, col, 1, X, rows, seg.width, gh, true);
      } else {
        for (let r = 0; r < rows; r++) {
          const id = seg.ids[r];
          if (id < 0) continue;
          const o = r * gh;
          const c = col + id;
          for (let j = 0; j < gh; j++) xp[o + j] += w[j * X + c];
        }
      }
      col += seg.width;
    }
    addRowBiasInto(this.backend, xp, 0, rows, this.params.biasIh.data, gh);
  }

  protected abstract setInitialCell(initOff: number, c0: FloatArray | null): void;
  /** One step: reads xProj at t, hProj and the previous state; writes the state at t and caches. */
  protected abstract stepForward(t: number): void;

  /**
   * Backward through all steps. `dOut` (T×B×H at `dOutOff`) is ∂L/∂h_t from above (outputs,
   * final-state readers); `dcFinal` (B×H) is ∂L/∂c of the final state (LSTM, seq2seq). Adds into
   * the parameter gradients and into dense input segments' `grad`; leaves ∂L/∂h0 in `dhPrev` (and
   * ∂L/∂c0 in the cell's carry). `hiddenNormSq[t]` accumulates ‖∂L/∂h_t‖² when given.
   */
  backward(inputs: readonly InputSegment[], dOut: FloatArray, dOutOff: number, dcFinal: FloatArray | null, hiddenNormSq: Float64Array | null): void {
    const { T, B } = this;
    const H = this.hiddenSize;
    const n = B * H;
    this.dhPrev.fill(0, 0, n);
    this.beginCellBackward(dcFinal);
    for (let s = 0; s < T; s++) {
      const t = this.reverse ? s : T - 1 - s;
      const dh = this.dh;
      const src = dOutOff + t * n;
      for (let i = 0; i < n; i++) dh[i] = this.dhPrev[i] + dOut[src + i];
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

  private accumulateWeightGradients(inputs: readonly InputSegment[]): void {
    const rows = this.T * this.B;
    const gh = this.gh;
    const H = this.hiddenSize;
    const X = this.inputSize;
    const { weightIh, weightHh, biasIh, biasHh } = this.params;
    const dHid = this.dHiddenPre;
    // dW_hh += Σ_t dPreᵀ_t · h_{t-1}: one product over all T·B rows.
    const prev0 = this.reverse ? this.B * H : 0;
    this.backend.gemm(weightHh.grad, 0, H, dHid, 0, 1, gh, this.states, prev0, H, 1, gh, rows, H, true);
    addColumnSumsInto(this.backend, biasHh.grad, dHid, 0, rows, gh);
    addColumnSumsInto(this.backend, biasIh.grad, this.dXProj, 0, rows, gh);
    const dxp = this.dXProj;
    const wGrad = weightIh.grad;
    const w = weightIh.data;
    let col = 0;
    for (const seg of inputs) {
      if (seg.kind === 'dense') {
        this.backend.gemm(wGrad, col, X, dxp, 0, 1, gh, seg.data, 0, seg.width, 1, gh, rows, seg.width, true);
        if (seg.grad) this.backend.gemm(seg.grad, 0, seg.width, dxp, 0, gh, 1, w, col, X, 1, rows, gh, seg.width, true);
      } else {
        for (let r = 0; r < rows; r++) {
          const id = seg.ids[r];
          if (id < 0) continue;
          const o = r * gh;
          const c = col + id;
          for (let j = 0; j < gh; j++) wGrad[j * X + c] += dxp[o + j];
        }
      }
      col += seg.width;
    }
  }

  /** dhPrev = dPre_t · W_hh for all rows (padded rows have dPre = 0), then padded rows pass ∂L/∂h_t through unchanged. */
  protected recurrentBackward(dPre: FloatArray, t: number): void {
    const { B } = this;
    const H = this.hiddenSize;
    this.backend.gemm(this.dhPrev, 0, H, dPre, t * B * this.gh, this.gh, 1, this.params.weightHh.data, 0, H, 1, B, this.gh, H, false);
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
