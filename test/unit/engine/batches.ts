/** Seeded random batches for every task shape, for engine tests. */
import { Rng } from '../../../src/engine/random';
import type { Activation, Batch, CellType, Connections, Merge, NetworkConfig, TaskShape } from '../../../src/engine/types';

export function baseConfig(over: Partial<NetworkConfig> = {}): NetworkConfig {
  return {
    task: 'many-to-many', cell: 'rnn', activation: 'tanh', hiddenSize: 3, layers: 2, bidirectional: false,
    merge: 'concat', connections: 'none', dropout: 0, recurrentInit: 'orthogonal',
    input: { kind: 'features', size: 2 }, output: { kind: 'classes', size: 4 }, ...over,
  };
}

export const CELLS: [CellType, Activation][] = [['rnn', 'tanh'], ['rnn', 'relu'], ['lstm', 'tanh'], ['gru', 'tanh']];
export const CONNECTIONS: Connections[] = ['none', 'skip', 'dense'];
export const MERGES: Merge[] = ['concat', 'sum', 'mean', 'mul'];

/** baseConfig for a task shape: 2 features in (5 tokens embedded in 2 for seq2seq), 4 classes out. */
export function taskConfig(task: TaskShape, over: Partial<NetworkConfig>): NetworkConfig {
  const generator = task === 'one-to-many' || task === 'seq2seq';
  return baseConfig({
    task,
    input: task === 'seq2seq' ? { kind: 'tokens', vocabSize: 5, embeddingSize: 2 } : { kind: 'features', size: 2 },
    decoder: generator ? { vocabSize: 4, embeddingSize: 0 } : undefined,
    output: { kind: 'classes', size: 4 },
    initVectorSize: task === 'one-to-many' ? 2 : undefined,
    ...over,
  });
}

/** A ragged batch (lengths T, T−1, …, ≥ 1) matching the config's task, input and output. */
export function randomBatch(config: NetworkConfig, seed: number, B = 3, T = 4, T2 = 3): Batch {
  const rng = new Rng(seed);
  const lengths = Int32Array.from({ length: B }, (_, b) => Math.max(1, T - b));
  const batch: Batch = { batchSize: B, steps: T, lengths };
  const input = config.input;
  if (input.kind === 'tokens') batch.tokens = Int32Array.from({ length: T * B }, () => rng.int(input.vocabSize));
  else batch.features = Float32Array.from({ length: T * B * input.size }, () => rng.normal());
  const O = config.output.size;
  const classes = config.output.kind === 'classes';
  if (config.task === 'many-to-one') {
    if (classes) batch.classLabels = Int32Array.from({ length: B }, () => rng.int(O));
    else batch.targetValues = Float32Array.from({ length: B * O }, () => rng.normal());
  } else if (config.task === 'many-to-many') {
    if (classes) batch.targetTokens = Int32Array.from({ length: T * B }, () => rng.int(O));
    else batch.targetValues = Float32Array.from({ length: T * B * O }, () => rng.normal());
  } else {
    const V = config.decoder!.vocabSize;
    const decoderLengths = Int32Array.from({ length: B }, (_, b) => Math.max(1, T2 - (b % T2)));
    batch.decoderSteps = T2;
    batch.decoderLengths = decoderLengths;
    batch.decoderInput = Int32Array.from({ length: T2 * B }, () => rng.int(V));
    batch.decoderTarget = Int32Array.from({ length: T2 * B }, () => rng.int(V));
    if (config.task === 'one-to-many') {
      batch.initVectors = Float32Array.from({ length: B * config.initVectorSize! }, () => rng.normal());
    }
  }
  return batch;
}
