/**
 * The stack reads some buffers in place instead of copying them: a lone direction's outputs are a
 * view of its states (following the batch shape), the top gradient is the top layer's own, and the
 * directions read their ∂L/∂h_t from the merged gradient with a row stride. A model that has run
 * other batch shapes before must still give exactly what a fresh model gives.
 */
import assert from 'node:assert/strict';
import { RecurrentModel } from '../../../src/engine/model';
import type { Merge, NetworkConfig } from '../../../src/engine/types';
import { dtypesOn, TEST_BACKENDS } from './backends';
import { baseConfig, randomBatch } from './batches';

interface Run { outputs: number[]; hidden: number[][]; grads: number[][] }

function run(model: RecurrentModel, config: NetworkConfig, B: number, T: number): Run {
  const batch = randomBatch(config, 7 * B + T, B, T);
  for (const p of model.params) p.grad.fill(0);
  const result = model.forward(batch, { collectHidden: true });
  const outputs = Array.from(result.outputs);
  const hidden = (result.hidden ?? []).map((h) => Array.from(h));
  model.backward();
  return { outputs, hidden, grads: model.params.map((p) => Array.from(p.grad)) };
}

const SHAPES: [number, number][] = [[3, 4], [2, 6], [4, 2], [3, 4]];

const CONFIGS: [string, NetworkConfig][] = [
  ['one direction, one-hot tokens, 2 layers', baseConfig({ input: { kind: 'tokens', vocabSize: 5, embeddingSize: 0 }, hiddenSize: 5 })],
  ['one direction, LSTM, skip', baseConfig({ cell: 'lstm', connections: 'skip', hiddenSize: 4 })],
  ...(['concat', 'sum', 'mean', 'mul'] as Merge[]).map((merge): [string, NetworkConfig] =>
    [`bidirectional ${merge}, dense`, baseConfig({ bidirectional: true, merge, connections: 'dense', hiddenSize: 5 })]),
  ['bidirectional concat, many-to-one, GRU', baseConfig({ task: 'many-to-one', bidirectional: true, cell: 'gru', hiddenSize: 5 })],
];

for (const { name, backend: testBackend } of TEST_BACKENDS) {
  for (const dtype of dtypesOn(name)) {
    describe(`stack buffers read in place follow the batch shape [${name}, ${dtype}]`, () => {
      const backend = testBackend();
      for (const [label, config] of CONFIGS) {
        it(`${label}: outputs, hidden states and gradients after other shapes equal a fresh model's`, () => {
          const model = RecurrentModel.create(config, { seed: 3, dtype, backend });
          for (const [B, T] of SHAPES) {
            const fresh = RecurrentModel.create(config, { seed: 3, dtype, backend });
            assert.deepEqual(run(model, config, B, T), run(fresh, config, B, T), `B = ${B}, T = ${T}`);
          }
        });
      }
    });
  }
}
