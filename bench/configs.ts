/**
 * The benchmark configurations of the engine issue (C1–C5). C4 is one config with two rows, LSTM
 * and GRU. `bench/pytorch_ref.py` defines the same table; keep the two in step.
 *
 * | config | network                                   | H   | T   | B  | input and task                           |
 * | C1     | 1 vanilla tanh layer                      | 128 | 64  | 32 | 65 one-hot tokens, CE at every step       |
 * | C2     | as C1                                     | 256 | 100 | 64 | as C1                                     |
 * | C3     | 2 bidirectional tanh layers, concat merge | 128 | 64  | 32 | 16 real features, many-to-one, 10 classes |
 * | C4     | 1 LSTM layer; 1 GRU layer                 | 128 | 64  | 32 | as C1                                     |
 * | C5     | min-char-rnn: 1 vanilla tanh layer        | 100 | 25  | 1  | as C1                                     |
 */
import type { CellType, NetworkConfig } from '../src/engine/types';

export interface BenchConfig {
  /** Config id from the issue: C1…C5 (C4 has an LSTM and a GRU row). */
  id: string;
  cell: CellType;
  hiddenSize: number;
  layers: number;
  bidirectional: boolean;
  /** T */
  steps: number;
  /** B */
  batchSize: number;
  /** Language modelling on one-hot tokens, or many-to-one classification of real vectors. */
  task: { kind: 'lm'; vocabSize: number } | { kind: 'classify'; featureSize: number; classes: number };
}

const VOCAB = 65;
const lm = { kind: 'lm', vocabSize: VOCAB } as const;

export const BENCH_CONFIGS: readonly BenchConfig[] = [
  { id: 'C1', cell: 'rnn', hiddenSize: 128, layers: 1, bidirectional: false, steps: 64, batchSize: 32, task: lm },
  { id: 'C2', cell: 'rnn', hiddenSize: 256, layers: 1, bidirectional: false, steps: 100, batchSize: 64, task: lm },
  {
    id: 'C3', cell: 'rnn', hiddenSize: 128, layers: 2, bidirectional: true, steps: 64, batchSize: 32,
    task: { kind: 'classify', featureSize: 16, classes: 10 },
  },
  { id: 'C4', cell: 'lstm', hiddenSize: 128, layers: 1, bidirectional: false, steps: 64, batchSize: 32, task: lm },
  { id: 'C4', cell: 'gru', hiddenSize: 128, layers: 1, bidirectional: false, steps: 64, batchSize: 32, task: lm },
  { id: 'C5', cell: 'rnn', hiddenSize: 100, layers: 1, bidirectional: false, steps: 25, batchSize: 1, task: lm },
];

/** Row label, unique per row: `C1`, `C4-lstm`, `C4-gru`. */
export function rowLabel(config: Pick<BenchConfig, 'id' | 'cell'>): string {
  return config.id === 'C4' ? `${config.id}-${config.cell}` : config.id;
}

/** The engine network for a config: one-hot input is `embeddingSize: 0` (an index lookup). */
export function networkConfigOf(config: BenchConfig): NetworkConfig {
  const { task } = config;
  return {
    task: task.kind === 'lm' ? 'many-to-many' : 'many-to-one',
    cell: config.cell,
    activation: 'tanh',
    hiddenSize: config.hiddenSize,
    layers: config.layers,
    bidirectional: config.bidirectional,
    merge: 'concat',
    connections: 'none',
    dropout: 0,
    recurrentInit: 'orthogonal',
    input: task.kind === 'lm'
      ? { kind: 'tokens', vocabSize: task.vocabSize, embeddingSize: 0 }
      : { kind: 'features', size: task.featureSize },
    output: { kind: 'classes', size: task.kind === 'lm' ? task.vocabSize : task.classes },
  };
}

/** Configs whose id is in `ids` (all when `ids` is empty); throws on an unknown id. */
export function selectConfigs(ids: readonly string[]): BenchConfig[] {
  const known = new Set(BENCH_CONFIGS.map((c) => c.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) throw new RangeError(`unknown config ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  return BENCH_CONFIGS.filter((c) => ids.length === 0 || ids.includes(c.id));
}
