/**
 * SGD with momentum and Nesterov momentum, as torch.optim.SGD (dampening 0). With λ the weight decay
 * (skipped for `noDecay` params), μ the momentum and η the learning rate:
 *   g = ∇θ + λθ
 *   b = μb + g                 (b starts at 0, so the first b is g, as in PyTorch)
 *   θ ← θ − η (g + μb)         (Nesterov)   or   θ ← θ − η b   (classic; b = g when μ = 0)
 */
import type { Backend } from '../kernels/backend';
import { elementwiseFor } from '../kernels/elementwiseKernels';
import type { Param } from '../types';
import { MomentBuffers } from './optimizerState';
import { checkRange, type Optimizer } from './optimizerTypes';

export class Sgd implements Optimizer {
  stepCount = 0;
  /** The momentum buffer b per param when μ > 0; no buffers otherwise. */
  private readonly moments: MomentBuffers;

  constructor(
    private readonly backend: Backend,
    private readonly params: readonly Param[],
    private readonly momentum: number,
    private readonly nesterov: boolean,
    private readonly weightDecay: number,
  ) {
    checkRange('momentum', momentum, 0, 1);
    checkRange('weightDecay', weightDecay, 0, Infinity);
    if (nesterov && momentum === 0) throw new RangeError('Nesterov momentum needs momentum > 0');
    this.moments = new MomentBuffers('sgd', momentum > 0 ? ['momentum'] : [], params, backend);
  }

  step(learningRate: number): void {
    const { momentum, nesterov } = this;
    for (let p = 0; p < this.params.length; p++) {
      const { data, grad, noDecay } = this.params[p];
      const decay = noDecay ? 0 : this.weightDecay;
      const buffer = momentum > 0 ? this.moments.buffers[0][p] : undefined;
      const kernels = elementwiseFor(this.backend, data, grad, buffer);
      if (kernels) {
        kernels.sgdUpdate(data, grad, buffer ?? null, data.length, learningRate, decay, momentum, nesterov);
        continue;
      }
      for (let i = 0; i < data.length; i++) {
        let g = grad[i] + decay * data[i];
        if (buffer) {
          buffer[i] = momentum * buffer[i] + g;
          g = nesterov ? g + momentum * buffer[i] : buffer[i];
        }
        data[i] -= learningRate * g;
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
