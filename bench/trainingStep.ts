/**
 * One benchmarked training step, the same as `pytorch_ref.py`'s:
 *   zeroGrad → forward (mean softmax cross-entropy) → full BPTT backward → plain SGD `p −= lr·g`.
 * The batch is built once from a seeded RNG and reused, as the data loader is not being timed.
 */
import type { Backend } from '../src/engine/kernels/backend';
import { RecurrentModel } from '../src/engine/model';
import { createOptimizer, type Optimizer } from '../src/engine/optimizers';
import { Rng } from '../src/engine/random';
import type { Batch } from '../src/engine/types';
import { networkConfigOf, type BenchConfig } from './configs';

const LEARNING_RATE = 0.01;

export interface TrainingStep {
  config: BenchConfig;
  /** Runs one full step; returns the loss so the work cannot be optimised away. */
  run(): number;
}

/** A random batch of the config's shape: tokens and next-token targets, or features and labels. */
function randomBatch(config: BenchConfig, rng: Rng): Batch {
  const { steps: T, batchSize: B, task } = config;
  const batch: Batch = { batchSize: B, steps: T, lengths: new Int32Array(B).fill(T) };
  if (task.kind === 'lm') {
    const stream = Int32Array.from({ length: (T + 1) * B }, () => rng.int(task.vocabSize));
    batch.tokens = stream.subarray(0, T * B);
    batch.targetTokens = stream.slice(B);
  } else {
    batch.features = Float32Array.from({ length: T * B * task.featureSize }, () => rng.normal());
    batch.classLabels = Int32Array.from({ length: B }, () => rng.int(task.classes));
  }
  return batch;
}

/** `backend`: a fresh instance per step (wasm backends own one memory each). */
export function createTrainingStep(config: BenchConfig, backend: Backend, seed = 1): TrainingStep {
  const model = RecurrentModel.create(networkConfigOf(config), { seed, dtype: 'float32', backend });
  const optimizer: Optimizer = createOptimizer({ type: 'sgd', learningRate: LEARNING_RATE }, model.params, model.backend);
  const batch = randomBatch(config, new Rng(seed + 1));
  return {
    config,
    run(): number {
      model.zeroGrad();
      const { loss } = model.forward(batch, { training: true });
      model.backward();
      optimizer.step(LEARNING_RATE);
      return loss;
    },
  };
}
