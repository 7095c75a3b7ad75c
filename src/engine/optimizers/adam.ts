/**
 * Adam and AdamW, as torch.optim.Adam / torch.optim.AdamW (amsgrad off). At step t, with η the
 * learning rate and λ the weight decay (skipped for `noDecay` params):
 *   Adam:  g = ∇θ + λθ                    (L2 penalty folded into the gradient)
 *   AdamW: θ ← θ(1 − ηλ), g = ∇θ           (decoupled decay, Loshchilov & Hutter)
 *   m = β1 m + (1 − β1) g                  v = β2 v + (1 − β2) g²
 *   θ ← θ − (η / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 */
import type { Backend } from '../kernels/backend';
import { elementwiseFor } from '../kernels/elementwiseKernels';
import type { Param } from '../types';
import { MomentBuffers } from './optimizerState';
import { checkRange, type Optimizer } from './optimizerTypes';

export class Adam implements Optimizer {
  stepCount = 0;
  /** buffers[0] = m (first moment), buffers[1] = v (second moment). */
  private readonly moments: MomentBuffers;

  constructor(
    private readonly backend: Backend,
    private readonly params: readonly Param[],
    private readonly decoupledDecay: boolean,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
    private readonly weightDecay: number,
  ) {
    checkRange('beta1', beta1, 0, 1);
    checkRange('beta2', beta2, 0, 1);
    checkRange('epsilon', epsilon, 0, Infinity);
    checkRange('weightDecay', weightDecay, 0, Infinity);
    this.moments = new MomentBuffers(decoupledDecay ? 'adamw' : 'adam', ['m', 'v'], params, backend);
  }

  step(learningRate: number): void {
    const { beta1, beta2, epsilon } = this;
    const t = ++this.stepCount;
    const stepSize = learningRate / (1 - beta1 ** t);
    const sqrtBiasCorrection2 = Math.sqrt(1 - beta2 ** t);
    for (let p = 0; p < this.params.length; p++) {
      const { data, grad, noDecay } = this.params[p];
      const decay = noDecay ? 0 : this.weightDecay;
      const l2 = this.decoupledDecay ? 0 : decay;
      const shrink = this.decoupledDecay ? 1 - learningRate * decay : 1;
      const m = this.moments.buffers[0][p];
      const v = this.moments.buffers[1][p];
      const kernels = elementwiseFor(this.backend, data, grad, m, v);
      if (kernels) {
        kernels.adamUpdate(data, grad, m, v, data.length, beta1, beta2, l2, shrink, stepSize, sqrtBiasCorrection2, epsilon);
        continue;
      }
      for (let i = 0; i < data.length; i++) {
        const g = grad[i] + l2 * data[i];
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        data[i] = shrink * data[i] - (stepSize * m[i]) / (Math.sqrt(v[i]) / sqrtBiasCorrection2 + epsilon);
      }
    }
  }

  getState(): Map<string, Float32Array> {
    return this.moments.getState(this.stepCount);
  }

  setState(s: Map<string, Float32Array>): void {
    this.stepCount = this.moments.setState(s);
  }
}
