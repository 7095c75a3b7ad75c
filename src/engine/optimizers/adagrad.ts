/**
 * Adagrad, as torch.optim.Adagrad (lr_decay 0, initial accumulator 0). With λ the weight decay
 * (skipped for `noDecay` params):
 *   g = ∇θ + λθ        s = s + g²        θ ← θ − η g / (√s + ε)
 */
import type { Backend } from '../kernels/backend';
import { elementwiseFor } from '../kernels/elementwiseKernels';
import type { Param } from '../types';
import { MomentBuffers } from './optimizerState';
import { checkRange, type Optimizer } from './optimizerTypes';

export class Adagrad implements Optimizer {
  stepCount = 0;
  /** buffers[0] = s, the running sum of squared gradients. */
  private readonly moments: MomentBuffers;

  constructor(
    private readonly backend: Backend,
    private readonly params: readonly Param[],
    private readonly epsilon: number,
    private readonly weightDecay: number,
  ) {
    checkRange('epsilon', epsilon, 0, Infinity);
    checkRange('weightDecay', weightDecay, 0, Infinity);
    this.moments = new MomentBuffers('adagrad', ['sum'], params, backend);
  }

  step(learningRate: number): void {
    for (let p = 0; p < this.params.length; p++) {
      const { data, grad, noDecay } = this.params[p];
      const decay = noDecay ? 0 : this.weightDecay;
      const sum = this.moments.buffers[0][p];
      const kernels = elementwiseFor(this.backend, data, grad, sum);
      if (kernels) {
        kernels.adagradUpdate(data, grad, sum, data.length, learningRate, this.epsilon, decay);
        continue;
      }
      for (let i = 0; i < data.length; i++) {
        const g = grad[i] + decay * data[i];
        sum[i] += g * g;
        data[i] -= (learningRate * g) / (Math.sqrt(sum[i]) + this.epsilon);
      }
    }
    this.stepCount++;
  }

  getState(): Map<string, Float32Array> {
    return this.moments.getState(this.stepCount);
  }

  setState(s: Map<string, Float32Array>): void {
    this.stepCount = this.moments.setState(s);
  }
}
