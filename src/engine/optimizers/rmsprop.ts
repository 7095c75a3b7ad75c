/**
 * RMSprop, as torch.optim.RMSprop (not centered). With α the smoothing constant (default 0.99),
 * λ the weight decay (skipped for `noDecay` params) and μ the momentum:
 *   g = ∇θ + λθ        s = α s + (1 − α) g²        d = g / (√s + ε)
 *   θ ← θ − η d                       (μ = 0)
 *   b = μ b + d,  θ ← θ − η b          (μ > 0)
 */
import type { Backend } from '../kernels/backend';
import { elementwiseFor } from '../kernels/elementwiseKernels';
import type { Param } from '../types';
import { MomentBuffers } from './optimizerState';
import { checkRange, type Optimizer } from './optimizerTypes';

export class RmsProp implements Optimizer {
  stepCount = 0;
  /** buffers[0] = s (mean square); buffers[1] = b (momentum) when μ > 0. */
  private readonly moments: MomentBuffers;

  constructor(
    private readonly backend: Backend,
    private readonly params: readonly Param[],
    private readonly alpha: number,
    private readonly epsilon: number,
    private readonly momentum: number,
    private readonly weightDecay: number,
  ) {
    checkRange('alpha', alpha, 0, 1, true);
    checkRange('epsilon', epsilon, 0, Infinity);
    checkRange('momentum', momentum, 0, 1);
    checkRange('weightDecay', weightDecay, 0, Infinity);
    this.moments = new MomentBuffers('rmsprop', momentum > 0 ? ['square', 'momentum'] : ['square'], params, backend);
  }

  step(learningRate: number): void {
    const { alpha, epsilon, momentum } = this;
    for (let p = 0; p < this.params.length; p++) {
      const { data, grad, noDecay } = this.params[p];
      const decay = noDecay ? 0 : this.weightDecay;
      const square = this.moments.buffers[0][p];
      const buffer = momentum > 0 ? this.moments.buffers[1][p] : undefined;
      const kernels = elementwiseFor(this.backend, data, grad, square, buffer);
      if (kernels) {
        kernels.rmspropUpdate(data, grad, square, buffer ?? null, data.length, learningRate, alpha, epsilon, decay, momentum);
        continue;
      }
      for (let i = 0; i < data.length; i++) {
        const g = grad[i] + decay * data[i];
        square[i] = alpha * square[i] + (1 - alpha) * g * g;
        const d = g / (Math.sqrt(square[i]) + epsilon);
        if (buffer) {
          buffer[i] = momentum * buffer[i] + d;
          data[i] -= learningRate * buffer[i];
        } else {
          data[i] -= learningRate * d;
        }
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
