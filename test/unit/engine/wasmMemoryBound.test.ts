/**
 * A wasm backend's memory stays bounded when the batch shape keeps changing: each re-plan of the
 * model's arena for a larger batch gives the old arena back to the heap (and the loss's softmax
 * statistics and the product staging area theirs), instead of leaking it.
 */
import assert from 'node:assert/strict';
import { selectBackend } from '../../../src/engine/kernels/selectBackend';
import { RecurrentModel } from '../../../src/engine/model';
import { createOptimizer } from '../../../src/engine/optimizers';
import { WASM_BACKENDS } from './backends';
import { baseConfig, randomBatch } from './batches';

const STEPS = 1000;
/** The shape of training step i: the batch cycles through 1…5 sequences, the length grows slowly to 125 (a re-plan every few steps). */
const shapeAt = (i: number) => ({ B: 1 + (i % 5), T: 1 + Math.floor(i / 8) });
const network = baseConfig({ hiddenSize: 16, input: { kind: 'features', size: 3 } });

/** A fresh backend of this name, a model and an optimizer on it, trained on the given shapes; returns the backend. */
function train(name: string, shapes: { B: number; T: number }[]) {
  const { backend } = selectBackend({ preferred: name as 'wasm-simd' });
  assert.equal(backend.name, name);
  const model = RecurrentModel.create(network, { seed: 2, dtype: 'float32', backend });
  const optimizer = createOptimizer({ type: 'adam', learningRate: 1e-3 }, model.params, backend);
  shapes.forEach(({ B, T }, i) => {
    model.forward(randomBatch(network, i, B, T), { training: true });
    model.zeroGrad();
    model.backward();
    optimizer.step(1e-3);
  });
  return backend;
}

for (const { name } of WASM_BACKENDS) {
  describe(`wasm memory under a changing batch shape [${name}]`, () => {
    it(`stays within twice what the largest shape alone needs, over ${STEPS} steps of growing and shrinking batches`, () => {
      const shapes = Array.from({ length: STEPS }, (_, i) => shapeAt(i));
      const largest = { B: Math.max(...shapes.map((s) => s.B)), T: Math.max(...shapes.map((s) => s.T)) };
      const alone = train(name, [largest]).memoryBytes();
      const varied = train(name, shapes).memoryBytes();
      assert.ok(varied <= 2 * alone, `${(varied / 2 ** 20).toFixed(1)} MiB after ${STEPS} varied steps; the largest shape alone needs ${(alone / 2 ** 20).toFixed(1)} MiB`);
    });
  });
}
