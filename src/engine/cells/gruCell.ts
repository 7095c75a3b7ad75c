import type { Arena } from '../arena';
import type { Backend } from '../kernels/backend';
import { sigmoid } from '../kernels/elementwise';
import { RecurrentDirection, type DirectionParams } from '../layers/recurrentDirection';
import type { FloatArray } from '../types';

/**
 * GRU step, PyTorch's nn.GRU. Gates packed row-wise: W_ih (3H×X), W_hh (3H×H), order [r | z | n].
 *   r = σ(W_ir·x + b_ir + W_hr·h_{t-1} + b_hr)     z = σ(W_iz·x + b_iz + W_hz·h_{t-1} + b_hz)
 *   n = tanh(W_in·x + b_in + r ⊙ (W_hn·h_{t-1} + b_hn))     h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}
 * Backward, with dh = ∂L/∂h_t:
 *   da_n = dh ⊙ (1−z) ⊙ (1−n²)   da_z = dh ⊙ (h_{t-1} − n) ⊙ z(1−z)   da_r = da_n ⊙ (W_hn·h + b_hn) ⊙ r(1−r)
 *   input side [da_r | da_z | da_n]; hidden side [da_r | da_z | da_n ⊙ r]
 *   ∂L/∂h_{t-1} = (hidden side) · W_hh + dh ⊙ z
 * Caches: activated gates r, z, n (T×B×3H) and W_hn·h_{t-1} + b_hn (T×B×H).
 */
export class GruCell extends RecurrentDirection {
  readonly gates = 3;
  private gateCache!: FloatArray;
  private hiddenN!: FloatArray;
  private dHidden!: FloatArray;

  constructor(inputSize: number, hiddenSize: number, reverse: boolean, params: DirectionParams, backend: Backend) {
    super(inputSize, hiddenSize, reverse, params, 3, backend);
  }

  protected reserveCell(arena: Arena, steps: number, batch: number): void {
    const H = this.hiddenSize;
    this.gateCache = arena.take(steps * batch * 3 * H);
    this.hiddenN = arena.take(steps * batch * H);
    this.dHidden = arena.take(steps * batch * 3 * H);
  }

  protected setInitialCell(_initOff: number, _c0: FloatArray | null): void {}
  protected beginCellBackward(_dcFinal: FloatArray | null): void {}
  protected get dHiddenPre(): FloatArray {
    return this.dHidden;
  }

  protected stepForward(t: number): void {
    const { B, xProj, hProj, states, gateCache, hiddenN } = this;
    const H = this.hiddenSize;
    const G = 3 * H;
    const out = this.stateOffset(t);
    const prev = this.prevOffset(t);
    for (let b = 0; b < B; b++) {
      const o = out + b * H;
      const p = prev + b * H;
      if (this.padded(t, b)) {
        for (let j = 0; j < H; j++) states[o + j] = states[p + j];
        continue;
      }
      const x = (t * B + b) * G;
      const hp = b * G;
      const hn = (t * B + b) * H;
      if (this.kernels) {
        this.kernels.gruForward(xProj, x, hProj, hp, states, p, gateCache, x, hiddenN, hn, states, o, H);
        continue;
      }
      for (let j = 0; j < H; j++) {
        const r = sigmoid(xProj[x + j] + hProj[hp + j]);
        const z = sigmoid(xProj[x + H + j] + hProj[hp + H + j]);
        const hnj = hProj[hp + 2 * H + j];
        const n = Math.tanh(xProj[x + 2 * H + j] + r * hnj);
        gateCache[x + j] = r;
        gateCache[x + H + j] = z;
        gateCache[x + 2 * H + j] = n;
        hiddenN[hn + j] = hnj;
        states[o + j] = (1 - z) * n + z * states[p + j];
      }
    }
  }

  protected stepBackward(t: number): void {
    const { B, dh, dXProj, dHidden, states, gateCache, hiddenN } = this;
    const H = this.hiddenSize;
    const G = 3 * H;
    const prev = this.prevOffset(t);
    for (let b = 0; b < B; b++) {
      const x = (t * B + b) * G;
      if (this.padded(t, b)) {
        dXProj.fill(0, x, x + G);
        dHidden.fill(0, x, x + G);
        continue;
      }
      const hn = (t * B + b) * H;
      const p = prev + b * H;
      if (this.kernels) {
        this.kernels.gruBackward(gateCache, x, hiddenN, hn, states, p, dh, b * H, dXProj, x, dHidden, x, H);
        continue;
      }
      for (let j = 0; j < H; j++) {
        const r = gateCache[x + j];
        const z = gateCache[x + H + j];
        const n = gateCache[x + 2 * H + j];
        const d = dh[b * H + j];
        const dan = d * (1 - z) * (1 - n * n);
        const daz = d * (states[p + j] - n) * z * (1 - z);
        const dar = dan * hiddenN[hn + j] * r * (1 - r);
        dXProj[x + j] = dar;
        dXProj[x + H + j] = daz;
        dXProj[x + 2 * H + j] = dan;
        dHidden[x + j] = dar;
        dHidden[x + H + j] = daz;
        dHidden[x + 2 * H + j] = dan * r;
      }
    }
    this.recurrentBackward(dHidden, t);
    for (let b = 0; b < B; b++) {
      if (this.padded(t, b)) continue;
      const x = (t * B + b) * G;
      for (let j = 0; j < H; j++) this.dhPrev[b * H + j] += dh[b * H + j] * gateCache[x + H + j];
    }
  }
}
