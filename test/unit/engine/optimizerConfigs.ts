import type { OptimizerConfig } from '../../../src/engine/optimizers';

/** One of each optimizer path: SGD plain, with momentum, Nesterov and weight decay; Adam, AdamW; Adagrad; RMSprop with and without momentum. */
export const OPTIMIZER_CONFIGS: readonly OptimizerConfig[] = [
  { type: 'sgd', learningRate: 0.1 },
  { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
  { type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
  { type: 'sgd', learningRate: 0.1, weightDecay: 0.01 },
  { type: 'adam', learningRate: 0.01, weightDecay: 0.05 },
  { type: 'adamw', learningRate: 0.01, weightDecay: 0.05 },
  { type: 'adagrad', learningRate: 0.1, weightDecay: 0.01 },
  { type: 'rmsprop', learningRate: 0.01 },
  { type: 'rmsprop', learningRate: 0.01, momentum: 0.9, weightDecay: 0.01 },
];
