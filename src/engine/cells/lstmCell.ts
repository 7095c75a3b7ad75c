import type { Arena } from '../arena';
import type { Backend } from '../kernels/backend';
import { sigmoid } from '../kernels/elementwise';
import { RecurrentDirection, type DirectionParams } from '../layers/recurrentDirection';
import type { FloatArray } from '../types';
import { unpaddedRun } from './unpaddedRun';

/**
 * LSTM step, PyTorch's nn.LSTM. Gates packed row-wise: W_ih (4H×X), W_hh (4H×H), order [i | f | g | o].
 *   i = σ(a_i)  f = σ(a_f)  g = tanh(a_g)  o = σ(a_o)     a = W_ih·x_t + b_ih + W_hh·h_{t-1} + b_hh
 *   c_t = f ⊙ c_{t-1} + i ⊙ g        h_t = o ⊙ tanh(c_t)
 * Backward, with dc = ∂L/∂c_t (carried) + ∂L/∂h_t ⊙ o ⊙ (1 − tanh²c_t):
 *   da_o = ∂L/∂h_t ⊙ tanh c_t ⊙ o(1−o)   da_i = dc ⊙ g ⊙ i(1−i)   da_f = dc ⊙ c_{t-1} ⊙ f(1−f)
 *   da_g = dc ⊙ i ⊙ (1−g²)               ∂L/∂c_{t-1} = dc ⊙ f     ∂L/∂h_{t-1} = da · W_hh
 * Caches: the activated gates (T×B×4H), c_t in a (T+1)×B×H buffer laid out like the states, tanh c_t.
 */
export class LstmCell extends RecurrentDirection {
  readonly gates = 4;
  private cells!: FloatArray;
  private gateCache!: FloatArray;
  private tanhC!: FloatArray;
  /** B×H ∂L/∂c carried backwards; after backward, ∂L/∂c_0. */
  dcPrev!: FloatArray;

  constructor(inputSize: number, hiddenSize: number, reverse: boolean, params: DirectionParams, backend: Backend) {
    super(inputSize, hiddenSize, reverse, params, 4, backend);
  }

  protected reserveCell(arena: Arena, steps: number, batch: number): void {
    const H = this.hiddenSize;
    this.cells = arena.take((steps + 1) * batch * H);
    this.gateCache = arena.take(steps * batch * 4 * H);
    this.tanhC = arena.take(steps * batch * H);
    this.dcPrev = arena.take(batch * H);
  }

  /** Offset of c_t in the cell-state buffer (same layout as the hidden states). */
  cellOffset(t: number): number {
    return this.stateOffset(t);
  }

  get cellStates(): FloatArray {
    return this.cells;
  }

  protected setInitialCell(h0At: number, c0: FloatArray | null): void {
    const n = this.B * this.hiddenSize;
    if (c0) this.cells.set(c0.subarray(0, n), h0At);
    else this.cells.fill(0, h0At, h0At + n);
  }

  protected get dHiddenPre(): FloatArray {
    return this.dXProj;
  }

  protected stepForward(t: number): void {
    const { B, xProj, hProj, states: h, cells: c, gateCache, tanhC, kernels } = this;
    const H = this.hiddenSize;
    const G = 4 * H;
    for (let b = 0; b < B; b++) {
      const hAt = this.stateOffset(t) + b * H; // h_t and c_t of sequence b
      const prevAt = this.prevOffset(t) + b * H; // h_{t-1} and c_{t-1}
      if (this.padded(t, b)) {
        h.copyWithin(hAt, prevAt, prevAt + H);
        c.copyWithin(hAt, prevAt, prevAt + H);
        continue;
      }
      const xAt = (t * B + b) * G; // the 4H pre-activations W_ih·x_t + b_ih, and the gates i f g o
      const hProjAt = b * G; // W_hh·h_{t-1} + b_hh
      const tanhCAt = (t * B + b) * H;
      if (kernels) {
        // this row and the unpadded rows after it, in one call
        const rows = unpaddedRun(this.lengths, B, t, b);
        kernels.lstmForward(xProj, xAt, hProj, hProjAt, c, prevAt, gateCache, xAt, c, hAt, tanhC, tanhCAt, h, hAt, H, rows);
        b += rows - 1;
        continue;
      }
      for (let j = 0; j < H; j++) {
        const i = sigmoid(xProj[xAt + j] + hProj[hProjAt + j]);
        const f = sigmoid(xProj[xAt + H + j] + hProj[hProjAt + H + j]);
        const g = Math.tanh(xProj[xAt + 2 * H + j] + hProj[hProjAt + 2 * H + j]);
        const o = sigmoid(xProj[xAt + 3 * H + j] + hProj[hProjAt + 3 * H + j]);
        const ct = f * c[prevAt + j] + i * g;
        const tanhCt = Math.tanh(ct);
        gateCache[xAt + j] = i;
        gateCache[xAt + H + j] = f;
        gateCache[xAt + 2 * H + j] = g;
        gateCache[xAt + 3 * H + j] = o;
        c[hAt + j] = ct;
        tanhC[tanhCAt + j] = tanhCt;
        h[hAt + j] = o * tanhCt;
      }
    }
  }

  protected beginCellBackward(dcFinal: FloatArray | null): void {
    const n = this.B * this.hiddenSize;
    if (dcFinal) this.dcPrev.set(dcFinal.subarray(0, n));
    else this.dcPrev.fill(0, 0, n);
  }

  protected stepBackward(t: number): void {
    const { B, dh, dXProj: da, cells: c, gateCache, tanhC, dcPrev: dc, kernels } = this;
    const H = this.hiddenSize;
    const G = 4 * H;
    for (let b = 0; b < B; b++) {
      const daAt = (t * B + b) * G; // da_[i f g o] of sequence b, and its cached gates
      if (this.padded(t, b)) {
        da.fill(0, daAt, daAt + G);
        continue; // ∂L/∂c passes through unchanged
      }
      const tanhCAt = (t * B + b) * H;
      const cPrevAt = this.prevOffset(t) + b * H;
      const dhAt = b * H; // ∂L/∂h_t, and the carried ∂L/∂c_t
      if (kernels) {
        // this row and the unpadded rows after it, in one call
        const rows = unpaddedRun(this.lengths, B, t, b);
        kernels.lstmBackward(gateCache, daAt, tanhC, tanhCAt, c, cPrevAt, dh, dhAt, dc, dhAt, da, daAt, H, rows);
        b += rows - 1;
        continue;
      }
      for (let j = 0; j < H; j++) {
        const i = gateCache[daAt + j];
        const f = gateCache[daAt + H + j];
        const g = gateCache[daAt + 2 * H + j];
        const o = gateCache[daAt + 3 * H + j];
        const tanhCt = tanhC[tanhCAt + j];
        const dht = dh[dhAt + j];
        const dct = dc[dhAt + j] + dht * o * (1 - tanhCt * tanhCt);
        da[daAt + j] = dct * g * i * (1 - i);
        da[daAt + H + j] = dct * c[cPrevAt + j] * f * (1 - f);
        da[daAt + 2 * H + j] = dct * i * (1 - g * g);
        da[daAt + 3 * H + j] = dht * tanhCt * o * (1 - o);
        dc[dhAt + j] = dct * f;
      }
    }
    this.recurrentBackward(da, t);
  }
}
