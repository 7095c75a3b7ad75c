/** The optimizer contract (see docs/contracts.md); implementations follow torch.optim's update rules. */

export type OptimizerType = 'sgd' | 'adam' | 'adamw' | 'adagrad' | 'rmsprop';

/**
 * Hyper-parameters. Omitted values take PyTorch's defaults: momentum 0, nesterov false, beta1 0.9,
 * beta2 0.999, alpha 0.99, epsilon 1e-8 (1e-10 for Adagrad), weightDecay 0 (1e-2 for AdamW).
 */
export interface OptimizerConfig {
  type: OptimizerType;
  learningRate: number;
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
  alpha?: number;
}

export interface Optimizer {
  /** Applies one update from every `param.grad` with this learning rate; allocates nothing. */
  step(learningRate: number): void;
  /** Updates applied so far (restored by `setState`). */
  readonly stepCount: number;
  /** Copies of the moment buffers keyed `<type>.<moment>.<param name>`, plus `step` (length 1). */
  getState(): Map<string, Float32Array>;
  setState(s: Map<string, Float32Array>): void;
}

/** Throws a RangeError unless `value` is finite and within [min, max) (or [min, max] when `maxInclusive`). */
export function checkRange(name: string, value: number, min: number, max: number, maxInclusive = false): void {
  const ok = Number.isFinite(value) && value >= min && (maxInclusive ? value <= max : value < max);
  if (!ok) throw new RangeError(`optimizer ${name} must be in [${min}, ${max}${maxInclusive ? ']' : ')'}, got ${value}`);
}
