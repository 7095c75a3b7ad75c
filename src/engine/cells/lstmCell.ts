import type { Arena } from '../arena';
import type { Backend } from '../kernels/backend';
import { sigmoid } from '../kernels/elementwise';
import { RecurrentDirection, type DirectionParams } from '../layers/recurrentDirection';
import type { FloatArray } from '../types';

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

  protected setInitialCell(initOff: number, c0: FloatArray | null): void {
    const n = this.B * this.hiddenSize;
    if (c0) this.cells.set(c0.subarray(0, n), initOff);
    else this.cells.fill(0, initOff, initOff + n);
  }

  protected get dHiddenPre(): FloatArray {
    return this.dXProj;
  }

  protected stepForward(t: number): void {
    const { B, xProj, hProj, states, cells, gateCache, tanhC } = this;
    const H = this.hiddenSize;
    const G = 4 * H;
    const out = this.stateOffset(t);
    const prev = this.prevOffset(t);
    for (let b = 0; b < B; b++) {
      const o = out + b * H;
      const p = prev + b * H;
      if (this.padded(t, b)) {
        for (let j = 0; j < H; j++) {
          states[o + j] = states[p + j];
          cells[o + j] = cells[p + j];
        }
        continue;
      }
      const x = (t * B + b) * G;
      const hp = b * G;
      const tc = (t * B + b) * H;
      if (this.kernels) {
        this.kernels.lstmForward(xProj, x, hProj, hp, cells, p, gateCache, x, cells, o, tanhC, tc, states, o, H);
        continue;
      }
      for (let j = 0; j < H; j++) {
        const i = sigmoid(xProj[x + j] + hProj[hp + j]);
        const f = sigmoid(xProj[x + H + j] + hProj[hp + H + j]);
        const g = Math.tanh(xProj[x + 2 * H + j] + hProj[hp + 2 * H + j]);
        const og = sigmoid(xProj[x + 3 * H + j] + hProj[hp + 3 * H + j]);
        const c = f * cells[p + j] + i * g;
        const th = Math.tanh(c);
        gateCache[x + j] = i;
        gateCache[x + H + j] = f;
        gateCache[x + 2 * H + j] = g;
        gateCache[x + 3 * H + j] = og;
        cells[o + j] = c;
        tanhC[tc + j] = th;
        states[o + j] = og * th;
      }
    }
  }

  protected beginCellBackward(dcFinal: FloatArray | null): void {
    const n = this.B * this.hiddenSize;
    if (dcFinal) this.dcPrev.set(dcFinal.subarray(0, n));
    else this.dcPrev.fill(0, 0, n);
  }

  protected stepBackward(t: number): void {
    const { B, dh, dXProj, cells, gateCache, tanhC, dcPrev } = this;
    const H = this.hiddenSize;
    const G = 4 * H;
    const prev = this.prevOffset(t);
    for (let b = 0; b < B; b++) {
      const x = (t * B + b) * G;
      if (this.padded(t, b)) {
        dXProj.fill(0, x, x + G);
        continue; // ∂L/∂c passes through unchanged
      }
      const tc = (t * B + b) * H;
      const p = prev + b * H;
      if (this.kernels) {
        this.kernels.lstmBackward(gateCache, x, tanhC, tc, cells, p, dh, b * H, dcPrev, b * H, dXProj, x, H);
        continue;
      }
      for (let j = 0; j < H; j++) {
        const i = gateCache[x + j];
        const f = gateCache[x + H + j];
        const g = gateCache[x + 2 * H + j];
        const og = gateCache[x + 3 * H + j];
        const th = tanhC[tc + j];
        const dhj = dh[b * H + j];
        const dc = dcPrev[b * H + j] + dhj * og * (1 - th * th);
        dXProj[x + j] = dc * g * i * (1 - i);
        dXProj[x + H + j] = dc * cells[p + j] * f * (1 - f);
        dXProj[x + 2 * H + j] = dc * i * (1 - g * g);
        dXProj[x + 3 * H + j] = dhj * th * og * (1 - og);
        dcPrev[b * H + j] = dc * f;
      }
    }
    this.recurrentBackward(dXProj, t);
  }
}
