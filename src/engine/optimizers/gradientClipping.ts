/**
 * Gradient norms and clipping over a whole parameter list.
 *   ‖g‖ = √(Σ_params Σ_i g_i²)       (the global L2 norm, accumulated in float64)
 */
import type { Param } from '../types';

/** The global L2 norm of every `param.grad` together. */
export function gradNorm(params: readonly Param[]): number {
  let sumOfSquares = 0;
  for (const { grad } of params) for (let i = 0; i < grad.length; i++) sumOfSquares += grad[i] * grad[i];
  return Math.sqrt(sumOfSquares);
}

/**
 * Rescales all gradients together when their global norm exceeds `maxNorm`, as
 * torch.nn.utils.clip_grad_norm_: g ← g · c with c = maxNorm / (‖g‖ + 1e-6), applied when c < 1.
 * Returns ‖g‖ before clipping; a non-finite norm is returned and leaves the gradients as they are,
 * so the caller can skip the step.
 */
export function clipGradNorm(params: readonly Param[], maxNorm: number): number {
  if (!(maxNorm > 0)) throw new RangeError(`clipGradNorm needs maxNorm > 0, got ${maxNorm}`);
  const norm = gradNorm(params);
  if (!Number.isFinite(norm)) return norm;
  const scale = maxNorm / (norm + 1e-6);
  if (scale < 1) {
    for (const { grad } of params) for (let i = 0; i < grad.length; i++) grad[i] *= scale;
  }
  return norm;
}

/** Clamps every gradient entry to [−maxValue, maxValue] (torch.nn.utils.clip_grad_value_). */
export function clipGradValue(params: readonly Param[], maxValue: number): void {
  if (!(maxValue > 0)) throw new RangeError(`clipGradValue needs maxValue > 0, got ${maxValue}`);
  for (const { grad } of params) {
    for (let i = 0; i < grad.length; i++) grad[i] = Math.min(maxValue, Math.max(-maxValue, grad[i]));
  }
}
