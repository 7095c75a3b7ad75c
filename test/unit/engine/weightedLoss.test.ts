/**
 * Class-weighted cross-entropy (`output.weights`, training.classWeights) and targets whose label
 * training lacks (UNSEEN_TARGET): values against PyTorch, gradients against finite differences
 * (float64), and every wasm backend against the TypeScript reference (float32).
 */
import assert from 'node:assert/strict';
import { gradientCheck } from '../../../src/engine/gradientCheck';
import { typescriptBackend } from '../../../src/engine/kernels/backend';
import { softmaxCrossEntropy, UNSEEN_TARGET } from '../../../src/engine/losses';
import { RecurrentModel } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/random';
import type { Batch, NetworkConfig } from '../../../src/engine/types';
import { FLOAT64_BACKEND, WASM_BACKENDS } from './backends';
import { baseConfig, randomBatch } from './batches';

/**
 * torch 1.13, float64:
 *   logits = [[0.5,-1,2],[1.5,0.2,-0.3],[-0.7,0.9,0.1],[0,0,1],[3,-2,0.5]]; y = [2,0,1,1,-2]
 *   F.cross_entropy(logits, y, weight=[0.25,3,1.5], ignore_index=-2) and its gradient.
 */
const GOLDEN = {
  logits: [[0.5, -1.0, 2.0], [1.5, 0.2, -0.3], [-0.7, 0.9, 0.1], [0.0, 0.0, 1.0], [3.0, -2.0, 0.5]],
  targets: [2, 0, 1, 1, UNSEEN_TARGET],
  weights: [0.25, 3.0, 1.5],
  loss: 0.8531145999191994,
  grad: [
    [0.033927172672265166, 0.007570175471745958, -0.04149734814401112],
    [-0.009822832790541303, 0.006114313929307988, 0.003708518861233318],
    [0.04733059880876135, -0.15266678362771657, 0.1053361848189552],
    [0.08204189327112985, -0.3050548809224185, 0.22301298765128869],
    [0, 0, 0],
  ],
};

/** Some targets replaced by UNSEEN_TARGET (a label training lacks). */
function withUnseen(batch: Batch): Batch {
  const targets = batch.classLabels ?? batch.targetTokens!;
  for (let i = 0; i < targets.length; i += 3) targets[i] = UNSEEN_TARGET;
  return batch;
}

function weighted(over: Partial<NetworkConfig>): NetworkConfig {
  return baseConfig({ output: { kind: 'classes', size: 4, weights: [0.5, 2, 1, 3] }, ...over });
}

describe('weighted cross-entropy and unseen labels', () => {
  it('matches PyTorch CrossEntropyLoss(weight=w, ignore_index) in value and gradient (float64)', () => {
    const O = 3;
    const rows = GOLDEN.logits.length;
    const logits = Float64Array.from(GOLDEN.logits.flat());
    const dOut = new Float64Array(rows * O);
    const totals = softmaxCrossEntropy(typescriptBackend, logits, O, rows, Int32Array.from(GOLDEN.targets), dOut, GOLDEN.weights);
    assert.ok(Math.abs(totals.sum / totals.weight - GOLDEN.loss) < 1e-12, `loss ${totals.sum / totals.weight}`);
    assert.equal(totals.weight, 1.5 + 0.25 + 3 + 3);
    assert.equal(totals.count, 4);
    assert.equal(totals.unseen, 1);
    GOLDEN.grad.flat().forEach((g, i) => assert.ok(Math.abs(dOut[i] - g) < 1e-12, `grad[${i}] ${dOut[i]} vs ${g}`));
  });

  it('an unseen target is out of the loss but neither correct nor padding: it is counted in `unseen`', () => {
    const logits = Float64Array.of(5, 0, 0, 5);
    const dOut = new Float64Array(4);
    const totals = softmaxCrossEntropy(typescriptBackend, logits, 2, 2, Int32Array.of(0, UNSEEN_TARGET), dOut);
    assert.deepEqual({ count: totals.count, correct: totals.correct, unseen: totals.unseen }, { count: 1, correct: 1, unseen: 1 });
    assert.deepEqual(Array.from(dOut.subarray(2)), [0, 0]);
    const padded = softmaxCrossEntropy(typescriptBackend, logits, 2, 2, Int32Array.of(0, -1), dOut);
    assert.equal(padded.unseen, 0);
  });

  for (const task of ['many-to-one', 'many-to-many'] as const) {
    it(`${task}: gradients of the weighted loss with unseen targets match central differences (float64)`, () => {
      const config = weighted({ task, cell: 'gru', bidirectional: task === 'many-to-one' });
      const model = RecurrentModel.create(config, { seed: 5, dtype: 'float64', backend: FLOAT64_BACKEND.backend() });
      const rng = new Rng(9);
      for (const p of model.params) for (let i = 0; i < p.data.length; i++) p.data[i] += 0.1 * rng.normal();
      const batch = withUnseen(randomBatch(config, 13, 4));
      const rows = gradientCheck(model.params, () => model.forward(batch).loss, () => {
        model.forward(batch);
        model.backward();
      }, { maxEntriesPerParam: 24 });
      const bad = rows.filter((r) => !(r.maxRelativeError <= 1e-5));
      assert.deepEqual(bad, []);
      assert.ok(model.forward(batch).unseen > 0);
    });
  }

  it('class weights change the loss to Σ w_y·ℓ / Σ w_y of the unweighted per-row losses', () => {
    const config = weighted({ task: 'many-to-one' });
    const batch = randomBatch(config, 3, 5);
    const model = RecurrentModel.create(config, { seed: 2, dtype: 'float64' });
    const plain = RecurrentModel.create({ ...config, output: { kind: 'classes', size: 4 } }, { seed: 2, dtype: 'float64' });
    const weightedLoss = model.forward(batch).loss;
    let sum = 0;
    let total = 0;
    batch.classLabels!.forEach((y, b) => {
      const one: Batch = { ...batch, batchSize: 1, lengths: batch.lengths.subarray(b, b + 1), classLabels: Int32Array.of(y),
        features: Float32Array.from({ length: batch.steps * 2 }, (_, i) => batch.features![(Math.floor(i / 2) * 5 + b) * 2 + (i % 2)]) };
      const w = [0.5, 2, 1, 3][y];
      sum += w * plain.forward(one).loss;
      total += w;
    });
    assert.ok(Math.abs(weightedLoss - sum / total) < 1e-9, `${weightedLoss} vs ${sum / total}`);
  });

  for (const { name, backend } of WASM_BACKENDS) {
    it(`[${name}] weighted loss with unseen targets: loss and every gradient match ts (float32)`, () => {
      for (const task of ['many-to-one', 'many-to-many'] as const) {
        const config = weighted({ task, cell: 'lstm', hiddenSize: 6 });
        const batch = withUnseen(randomBatch(config, 31, 5));
        const run = (useWasm: boolean) => {
          const model = RecurrentModel.create(config, { seed: 4, dtype: 'float32', ...(useWasm && { backend: backend() }) });
          const result = model.forward(batch);
          const out = { loss: result.loss, unseen: result.unseen, weight: result.weight };
          model.zeroGrad();
          model.backward();
          return { ...out, grads: model.params.map((p) => Float32Array.from(p.grad)) };
        };
        const wasm = run(true);
        const ts = run(false);
        assert.ok(Math.abs(wasm.loss - ts.loss) <= 1e-5 + 1e-4 * Math.abs(ts.loss), `${task} loss ${wasm.loss} vs ${ts.loss}`);
        assert.equal(wasm.unseen, ts.unseen);
        assert.ok(Math.abs(wasm.weight - ts.weight) < 1e-6);
        ts.grads.forEach((g, p) => g.forEach((v, i) => assert.ok(Math.abs(wasm.grads[p][i] - v) <= 1e-5 + 1e-4 * Math.abs(v), `${task} grad ${p}[${i}]`)));
      }
    });
  }
});
