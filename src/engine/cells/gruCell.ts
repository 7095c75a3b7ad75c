import type { Arena } from '../arena';
import type { Backend } from '../kernels/backend';
import { sigmoid } from '../kernels/elementwise';
import { RecurrentDirection, type DirectionParams } from '../layers/recurrentDirection';
import type { FloatArray } from '../types';
import { unpaddedRun } from './unpaddedRun';

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

  protected setInitialCell(_h0At: number, _c0: FloatArray | null): void {}
  protected beginCellBackward(_dcFinal: FloatArray | null): void {}
  protected get dHiddenPre(): FloatArray {
    return this.dHidden;
  }

  protected stepForward(t: number): void {
    const { B, xProj, hProj, states: h, gateCache, hiddenN, kernels } = this;
    const H = this.hiddenSize;
    const G = 3 * H;
    for (let b = 0; b < B; b++) {
      const hAt = this.stateOffset(t) + b * H; // h_t of sequence b
      const hPrevAt = this.prevOffset(t) + b * H; // h_{t-1}
      if (this.padded(t, b)) {
        h.copyWithin(hAt, hPrevAt, hPrevAt + H);
        continue;
      }
      const xAt = (t * B + b) * G; // the 3H pre-activations W_ih·x_t + b_ih, and the gates r z n
      const hProjAt = b * G; // W_hh·h_{t-1} + b_hh
      const hiddenNAt = (t * B + b) * H; // the cached W_hn·h_{t-1} + b_hn
      if (kernels) {
        // this row and the unpadded rows after it, in one call
        const rows = unpaddedRun(this.lengths, B, t, b);
        kernels.gruForward(xProj, xAt, hProj, hProjAt, h, hPrevAt, gateCache, xAt, hiddenN, hiddenNAt, h, hAt, H, rows);
        b += rows - 1;
        continue;
      }
      for (let j = 0; j < H; j++) {
        const r = sigmoid(xProj[xAt + j] + hProj[hProjAt + j]);
        const z = sigmoid(xProj[xAt + H + j] + hProj[hProjAt + H + j]);
        const hn = hProj[hProjAt + 2 * H + j];
        const n = Math.tanh(xProj[xAt + 2 * H + j] + r * hn);
        gateCache[xAt + j] = r;
        gateCache[xAt + H + j] = z;
        gateCache[xAt + 2 * H + j] = n;
        hiddenN[hiddenNAt + j] = hn;
        h[hAt + j] = (1 - z) * n + z * h[hPrevAt + j];
      }
    }
  }

  protected stepBackward(t: number): void {
    const { B, dh, dXProj: daInput, dHidden: daHidden, states: h, gateCache, hiddenN, kernels } = this;
    const H = this.hiddenSize;
    const G = 3 * H;
    for (let b = 0; b < B; b++) {
      const daAt = (t * B + b) * G; // da_[r z n] of sequence b, and its cached gates
      if (this.padded(t, b)) {
        daInput.fill(0, daAt, daAt + G);
        daHidden.fill(0, daAt, daAt + G);
        continue;
      }
      const hiddenNAt = (t * B + b) * H;
      const hPrevAt = this.prevOffset(t) + b * H;
      const dhAt = b * H;
      if (kernels) {
        const rows = unpaddedRun(this.lengths, B, t, b);
        kernels.gruBackward(gateCache, daAt, hiddenN, hiddenNAt, h, hPrevAt, dh, dhAt, daInput, daAt, daHidden, daAt, H, rows);
        b += rows - 1;
        continue;
      }
      for (let j = 0; j < H; j++) {
        const r = gateCache[daAt + j];
        const z = gateCache[daAt + H + j];
        const n = gateCache[daAt + 2 * H + j];
        const dht = dh[dhAt + j];
        const dan = dht * (1 - z) * (1 - n * n);
        const daz = dht * (h[hPrevAt + j] - n) * z * (1 - z);
        const dar = dan * hiddenN[hiddenNAt + j] * r * (1 - r);
        daInput[daAt + j] = dar;
        daInput[daAt + H + j] = daz;
        daInput[daAt + 2 * H + j] = dan;
        daHidden[daAt + j] = dar;
        daHidden[daAt + H + j] = daz;
        daHidden[daAt + 2 * H + j] = dan * r;
      }
    }
    this.recurrentBackward(daHidden, t);
    // ∂L/∂h_{t-1} += dh ⊙ z (the direct path of h_t = (1 − z) ⊙ n + z ⊙ h_{t-1})
    for (let b = 0; b < B; b++) {
      if (this.padded(t, b)) continue;
      if (kernels) {
        const rows = unpaddedRun(this.lengths, B, t, b);
        kernels.gruCarry(this.dhPrev, b * H, dh, b * H, gateCache, (t * B + b) * G, H, rows);
        b += rows - 1;
        continue;
      }
      const zAt = (t * B + b) * G + H;
      for (let j = 0; j < H; j++) this.dhPrev[b * H + j] += dh[b * H + j] * gateCache[zAt + j];
    }
  }
}
