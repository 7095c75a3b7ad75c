import type { Arena } from '../arena';
import type { Backend } from '../kernels/backend';
import { RecurrentDirection, type DirectionParams } from '../layers/recurrentDirection';
import type { Activation, FloatArray } from '../types';
import { unpaddedRun } from './unpaddedRun';

/**
 * Vanilla (Elman) RNN step, as PyTorch's nn.RNN (min-char-rnn's `hs[t] = tanh(Wxh·x + Whh·hs[t-1] + bh)`):
 *   h_t = act(W_ih·x_t + b_ih + W_hh·h_{t-1} + b_hh)          act = tanh | relu
 * The base class computes xProj = W_ih·x_t + b_ih for all steps before the loop and
 * hProj = W_hh·h_{t-1} + b_hh at each step; a step here adds them and applies act.
 * Backward, with dh = ∂L/∂h_t (from above plus from step t+1):
 *   da = dh ⊙ act'(h_t)              act' = 1 − h_t² (tanh), [h_t > 0] (relu)
 *   ∂L/∂h_{t-1} = W_hhᵀ·da            dW_hh += da·h_{t-1}ᵀ, dW_ih += da·x_tᵀ, db_ih, db_hh += da
 * (∂L/∂h_{t-1} in recurrentBackward; the weight sums over all steps at once after the loop.)
 * Shapes: x_t (B×X), h_t (B×H), one row per sequence. Nothing is cached beyond the states.
 */
export class VanillaCell extends RecurrentDirection {
  readonly gates = 1;

  constructor(inputSize: number, hiddenSize: number, reverse: boolean, params: DirectionParams, readonly activation: Activation, backend: Backend) {
    super(inputSize, hiddenSize, reverse, params, 1, backend);
  }

  protected reserveCell(_arena: Arena, _steps: number, _batch: number): void {}
  protected setInitialCell(_h0At: number, _c0: FloatArray | null): void {}
  protected beginCellBackward(_dcFinal: FloatArray | null): void {}
  protected get dHiddenPre(): FloatArray {
    return this.dXProj;
  }

  protected stepForward(t: number): void {
    const { B, xProj, hProj, states: h, kernels } = this;
    const H = this.hiddenSize;
    const relu = this.activation === 'relu';
    for (let b = 0; b < B; b++) {
      const hAt = this.stateOffset(t) + b * H; // h_t of sequence b
      const hPrevAt = this.prevOffset(t) + b * H; // h_{t-1}
      if (this.padded(t, b)) {
        h.copyWithin(hAt, hPrevAt, hPrevAt + H);
        continue;
      }
      const xAt = (t * B + b) * H; // W_ih·x_t + b_ih
      const hProjAt = b * H; // W_hh·h_{t-1} + b_hh
      if (kernels) {
        // this row and the unpadded rows after it (contiguous in all three arrays), in one call
        const rows = unpaddedRun(this.lengths, B, t, b);
        if (relu) kernels.reluSum(h, hAt, xProj, xAt, hProj, hProjAt, rows * H);
        else kernels.tanhSum(h, hAt, xProj, xAt, hProj, hProjAt, rows * H);
        b += rows - 1;
        continue;
      }
      for (let j = 0; j < H; j++) {
        const a = xProj[xAt + j] + hProj[hProjAt + j];
        h[hAt + j] = relu ? (a > 0 ? a : 0) : Math.tanh(a);
      }
    }
  }

  protected stepBackward(t: number): void {
    const { B, dh, dXProj: da, states: h, kernels } = this;
    const H = this.hiddenSize;
    const relu = this.activation === 'relu';
    for (let b = 0; b < B; b++) {
      const daAt = (t * B + b) * H; // da of sequence b at step t
      if (this.padded(t, b)) {
        da.fill(0, daAt, daAt + H);
        continue;
      }
      const hAt = this.stateOffset(t) + b * H;
      const dhAt = b * H;
      if (kernels) {
        const rows = unpaddedRun(this.lengths, B, t, b);
        if (relu) kernels.reluBackward(da, daAt, dh, dhAt, h, hAt, rows * H);
        else kernels.tanhBackward(da, daAt, dh, dhAt, h, hAt, rows * H);
        b += rows - 1;
        continue;
      }
      for (let j = 0; j < H; j++) {
        const hj = h[hAt + j];
        da[daAt + j] = dh[dhAt + j] * (relu ? (hj > 0 ? 1 : 0) : 1 - hj * hj);
      }
    }
    this.recurrentBackward(da, t);
  }
}
