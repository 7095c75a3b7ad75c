/**
 * Training machinery: optimizers (torch.optim's update rules), learning-rate schedules and gradient
 * clipping. Each optimizer lives in `optimizers/`; this module is the entry point the trainer uses.
 */
import type { Backend } from './kernels/backend';
import type { Param } from './types';
import { Adagrad } from './optimizers/adagrad';
import { Adam } from './optimizers/adam';
import type { Optimizer, OptimizerConfig } from './optimizers/optimizerTypes';
import { RmsProp } from './optimizers/rmsprop';
import { Sgd } from './optimizers/sgd';

export type { Optimizer, OptimizerConfig, OptimizerType } from './optimizers/optimizerTypes';
export { learningRateAt, type ScheduleConfig } from './optimizers/schedules';
export { clipGradNorm, clipGradValue, gradNorm } from './optimizers/gradientClipping';

/**
 * Builds the optimizer for `params`; omitted hyper-parameters take PyTorch's defaults (see
 * `OptimizerConfig`). The learning rate is passed to each `step`, so schedules stay outside.
 * `backend` is the model's (`model.backend`): its memory holds the moments, its kernels run the
 * update where it has them for the params' arrays.
 */
export function createOptimizer(config: OptimizerConfig, params: readonly Param[], backend: Backend): Optimizer {
  const { momentum = 0, beta1 = 0.9, beta2 = 0.999, alpha = 0.99 } = config;
  switch (config.type) {
    case 'sgd':
      return new Sgd(backend, params, momentum, config.nesterov ?? false, config.weightDecay ?? 0);
    case 'adam':
      return new Adam(backend, params, false, beta1, beta2, config.epsilon ?? 1e-8, config.weightDecay ?? 0);
    case 'adamw':
      return new Adam(backend, params, true, beta1, beta2, config.epsilon ?? 1e-8, config.weightDecay ?? 1e-2);
    case 'adagrad':
      return new Adagrad(backend, params, config.epsilon ?? 1e-10, config.weightDecay ?? 0);
    case 'rmsprop':
      return new RmsProp(backend, params, alpha, config.epsilon ?? 1e-8, momentum, config.weightDecay ?? 0);
    default:
      throw new RangeError(`unknown optimizer type ${JSON.stringify((config as { type: unknown }).type)}`);
  }
}
