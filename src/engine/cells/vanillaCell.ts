import type { Arena } from '../arena';
import type { Backend } from '../kernels/backend';
import { RecurrentDirection } from '../layers/recurrentDirection';
import type { Activation, FloatArray } from '../types';

/**
 * Vanilla (Elman) RNN step, as PyTorch's nn.RNN:
 *   h_t = act(W_ih·x_t + b_ih + W_hh·h_{t-1} + b_hh)     act = tanh | relu
 * Backward: da_t = ∂L/∂h_t ⊙ act'(h_t) (1 − h_t² for tanh, [h_t > 0] for relu);
 *   ∂L/∂h_{t-1} = da_t · W_hh; dW_ih, dW_hh, db summed over steps by the base class.
 * Shapes: x_t (B×X), h_t (B×H). Nothing is cached beyond the states themselves.
 */
export class VanillaCell extends RecurrentDirection {
  readonly gates = 1;

  constructor(inputSize: number, hiddenSize: number, reverse: boolean, params: ConstructorParameters<typeof RecurrentDirection>[3], readonly activation: Activation, backend: Backend) {
    super(inputSize, hiddenSize, reverse, params, 1, backend);
  }

  protected reserveCell(_arena: Arena, _steps: number, _batch: number): void {}
  protected setInitialCell(_initOff: number, _c0: FloatArray | null): void {}
  protected beginCellBackward(_dcFinal: FloatArray | null): void {}
  protected get dHiddenPre(): FloatArray {
    return this.dXProj;
  }

  protected stepForward(t: number): void {
    const { B, xProj, hProj, states } = this;
    const H = this.hiddenSize;
    const relu = this.activation === 'relu';
    const xOff = t * B * H;
    const out = this.stateOffset(t);
    const prev = this.prevOffset(t);
    const kernels = this.kernels;
    for (let b = 0; b < B; b++) {
      const o = out + b * H;
      if (this.padded(t, b)) {
        for (let j = 0; j < H; j++) states[o + j] = states[prev + b * H + j];
        continue;
      }
      const x = xOff + b * H;
      if (kernels) {
        if (relu) kernels.reluSum(states, o, xProj, x, hProj, b * H, H);
        else kernels.tanhSum(states, o, xProj, x, hProj, b * H, H);
        continue;
      }
      for (let j = 0; j < H; j++) {
        const a = xProj[x + j] + hProj[b * H + j];
        states[o + j] = relu ? (a > 0 ? a : 0) : Math.tanh(a);
      }
    }
  }

  protected stepBackward(t: number): void {
    const { B, dh, dXProj, states } = this;
    const H = this.hiddenSize;
    const relu = this.activation === 'relu';
    const dOff = t * B * H;
    const out = this.stateOffset(t);
    const kernels = this.kernels;
    for (let b = 0; b < B; b++) {
      const d = dOff + b * H;
      if (this.padded(t, b)) {
        dXProj.fill(0, d, d + H);
        continue;
      }
      const o = out + b * H;
      if (kernels) {
        if (relu) kernels.reluBackward(dXProj, d, dh, b * H, states, o, H);
        else kernels.tanhBackward(dXProj, d, dh, b * H, states, o, H);
        continue;
      }
      for (let j = 0; j < H; j++) {
        const h = states[o + j];
        dXProj[d + j] = dh[b * H + j] * (relu ? (h > 0 ? 1 : 0) : 1 - h * h);
      }
    }
    this.recurrentBackward(dXProj, t);
  }
}
