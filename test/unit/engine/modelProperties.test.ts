import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createOptimizer } from '../../../src/engine/optimizers';
import { countParameters, parameterShapes, RecurrentModel } from '../../../src/engine/model';
import type { NetworkConfig, TaskShape } from '../../../src/engine/types';
import { TEST_BACKENDS } from './backends';
import { baseConfig, randomBatch } from './batches';

const arbitraryConfig: fc.Arbitrary<NetworkConfig> = fc
  .record({
    task: fc.constantFrom<TaskShape>('many-to-many', 'many-to-one', 'one-to-many', 'seq2seq'),
    cell: fc.constantFrom('rnn' as const, 'lstm' as const, 'gru' as const),
    layers: fc.integer({ min: 1, max: 3 }),
    hiddenSize: fc.integer({ min: 1, max: 6 }),
    bidirectional: fc.boolean(),
    merge: fc.constantFrom('concat' as const, 'sum' as const, 'mean' as const, 'mul' as const),
    connections: fc.constantFrom('none' as const, 'skip' as const, 'dense' as const),
    embeddingSize: fc.integer({ min: 0, max: 4 }),
    tokens: fc.boolean(),
  })
  .map((r) => baseConfig({
    task: r.task, cell: r.cell, layers: r.layers, hiddenSize: r.hiddenSize, connections: r.connections, merge: r.merge,
    bidirectional: r.task === 'one-to-many' ? false : r.bidirectional,
    input: r.tokens ? { kind: 'tokens', vocabSize: 7, embeddingSize: r.embeddingSize } : { kind: 'features', size: 3 },
    decoder: r.task === 'one-to-many' || r.task === 'seq2seq' ? { vocabSize: 6, embeddingSize: r.embeddingSize } : undefined,
    output: { kind: 'classes', size: r.task === 'one-to-many' || r.task === 'seq2seq' ? 6 : 4 },
    initVectorSize: r.task === 'one-to-many' ? 2 : undefined,
  }));

for (const { name, backend: testBackend } of TEST_BACKENDS) describe(`model shape invariants (property tests) [${name}]`, () => {
  const backend = testBackend();
  it('outputs, final states, parameter shapes and gradients have the shapes the config implies', () => {
    fc.assert(fc.property(arbitraryConfig, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), (config, B, T) => {
      const model = RecurrentModel.create(config, { seed: 1, backend });
      assert.equal(model.parameterCount, countParameters(config));
      assert.deepEqual(model.params.map((p) => p.name), parameterShapes(config).map((p) => p.name));
      const batch = randomBatch(config, 5, B, T, 3);
      const r = model.forward(batch);
      const rows = config.task === 'many-to-one' ? B : config.task === 'many-to-many' ? T * B : 3 * B;
      assert.equal(r.outputs.length, rows * config.output.size);
      const D = config.bidirectional && config.task !== 'one-to-many' && config.task !== 'seq2seq' ? 2 : 1;
      assert.equal(r.finalState.h.length, config.layers * D);
      assert.ok(Number.isFinite(r.loss) && r.loss > 0);
      model.zeroGrad();
      model.backward();
      for (const p of model.params) assert.equal(p.grad.length, p.shape.reduce((a, b) => a * b, 1));
      assert.ok(model.params.every((p) => p.grad.every(Number.isFinite)));
    }), { seed: 7, numRuns: 120 });
  });

  it('parameter counts equal PyTorch numel() for nn.LSTM(10, 20, num_layers=2, bidirectional=True)', () => {
    // PyTorch: 4·20·(10 + 20 + 2) for layer 0 per direction, 4·20·(40 + 20 + 2) for layer 1 → 2·(2560 + 4960) = 15040.
    const config = baseConfig({ cell: 'lstm', hiddenSize: 20, layers: 2, bidirectional: true, input: { kind: 'features', size: 10 }, output: { kind: 'classes', size: 3 } });
    const rnn = parameterShapes(config).filter((p) => p.name.startsWith('rnn.')).reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
    assert.equal(rnn, 15040);
  });

  it('the same spec, data and seed give bit-identical weights after training steps', () => {
    const config = baseConfig({ cell: 'gru', dropout: 0.3, layers: 2, connections: 'skip' });
    const run = () => {
      const model = RecurrentModel.create(config, { seed: 9, backend });
      const opt = createOptimizer({ type: 'adam', learningRate: 0.01 }, model.params, model.backend);
      for (let step = 0; step < 5; step++) {
        model.zeroGrad();
        model.forward(randomBatch(config, step), { training: true });
        model.backward();
        opt.step(0.01);
      }
      return model.exportWeights();
    };
    const a = run();
    const b = run();
    a.forEach((t, i) => assert.deepEqual(Buffer.from(t.data.buffer), Buffer.from(b[i].data.buffer), t.name));
    const other = RecurrentModel.create(config, { seed: 10, backend }).exportWeights();
    assert.notDeepEqual(Array.from(other[0].data), Array.from(RecurrentModel.create(config, { seed: 9, backend }).exportWeights()[0].data));
  });
});
