import assert from 'node:assert/strict';
import { gradientCheck } from '../../../src/engine/gradientCheck';
import { attribute, inputGradient, inputVectorsOf, inputVectorWidth, outputFromInputs } from '../../../src/engine/inputAttribution';
import { RecurrentModel, type OutputSeed } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/random';
import type { Batch, NetworkConfig, Param, TaskShape } from '../../../src/engine/types';
import { CELLS, randomBatch, taskConfig } from './batches';

/** A float64 model with nudged weights (ReLU pre-activations away from 0, non-zero biases). */
function model64(config: NetworkConfig, seed = 1): RecurrentModel {
  const model = RecurrentModel.create(config, { seed, dtype: 'float64' });
  const rng = new Rng(seed + 100);
  for (const p of model.params) for (let i = 0; i < p.data.length; i++) p.data[i] += 0.1 * rng.normal();
  return model;
}

/** The last output row of sequence b = 1 (ragged: shorter than the batch), a middle column. */
function seedFor(config: NetworkConfig, batch: Batch): OutputSeed {
  const B = batch.batchSize;
  const row = config.task === 'many-to-one' ? 1 : ((config.task === 'many-to-many' ? batch.steps : batch.decoderSteps!) - 1) * B + 1;
  return { row, column: config.output.size - 2 };
}

/** ∂f/∂x by the seeded backward pass against central differences of f(x), every entry, float64. */
function checkInputGradient(config: NetworkConfig): void {
  const model = model64(config);
  const batch = randomBatch(config, 7);
  const seed = seedFor(config, batch);
  const x = inputVectorsOf(model, batch);
  // the forward pass from the batch's own input vectors is the ordinary forward pass
  const ordinary = model.forward(batch).outputs[seed.row * config.output.size + seed.column];
  assert.ok(Math.abs(outputFromInputs(model, batch, x, seed) - ordinary) <= 1e-12 * Math.max(1, Math.abs(ordinary)));
  const rng = new Rng(3);
  for (let i = 0; i < x.length; i++) x[i] += 0.3 * rng.normal(); // off the one-hot corners too
  const param: Param = { name: 'x', shape: [x.length], data: x, grad: new Float64Array(x.length) };
  const rows = gradientCheck([param], () => outputFromInputs(model, batch, x, seed), () => {
    const { gradient } = inputGradient(model, batch, x, seed);
    for (let i = 0; i < x.length; i++) param.grad[i] += gradient[i];
  }, { maxEntriesPerParam: 1000 });
  assert.ok(rows[0].maxRelativeError <= 1e-5, `${JSON.stringify(config)}: max relative error ${rows[0].maxRelativeError}`);
  assert.ok(param.grad.some((g) => Math.abs(g) > 1e-6), 'the gradient is not all zero');
}

describe('input attribution: ∂(one output)/∂(input vectors) by seeded BPTT matches finite differences (float64)', () => {
  const inputs: [string, NetworkConfig['input']][] = [
    ['features', { kind: 'features', size: 2 }],
    ['embedded tokens', { kind: 'tokens', vocabSize: 5, embeddingSize: 2 }],
    ['one-hot tokens', { kind: 'tokens', vocabSize: 5, embeddingSize: 0 }],
  ];
  for (const task of ['many-to-one', 'many-to-many', 'seq2seq'] as TaskShape[]) {
    for (const [cell, activation] of CELLS) {
      for (const [label, input] of inputs) {
        it(`${task} · ${cell}/${activation} · ${label}`, () => checkInputGradient(taskConfig(task, { cell, activation, input })));
      }
    }
    it(`${task} · lstm · bidirectional concat · skip`, () => checkInputGradient(taskConfig(task, { cell: 'lstm', bidirectional: true, connections: 'skip' })));
    it(`${task} · gru · dense · one-hot tokens`, () => checkInputGradient(taskConfig(task, { cell: 'gru', connections: 'dense', input: { kind: 'tokens', vocabSize: 5, embeddingSize: 0 } })));
  }
  it('many-to-one · values (a regression output)', () => checkInputGradient(taskConfig('many-to-one', { output: { kind: 'values', size: 3 } })));
  it('many-to-many · values, bidirectional sum', () => checkInputGradient(taskConfig('many-to-many', { output: { kind: 'values', size: 3 }, bidirectional: true, merge: 'sum' })));

  it('leaves the parameter gradients zeroed and training undisturbed', () => {
    const config = taskConfig('many-to-one', { cell: 'lstm' });
    const model = model64(config);
    const batch = randomBatch(config, 2);
    inputGradient(model, batch, inputVectorsOf(model, batch), seedFor(config, batch));
    assert.ok(model.params.every((p) => p.grad.every((g) => g === 0)));
    // the ordinary pass still reads the batch's own features
    const a = model.forward(batch).loss;
    const b = RecurrentModel.create(config, { seed: 1, dtype: 'float64' });
    b.params.forEach((p, i) => p.data.set(model.params[i].data));
    assert.equal(b.forward(batch).loss, a);
  });
});

describe('integrated gradients and gradient × input', () => {
  for (const [cell, activation] of CELLS.filter(([, a]) => a === 'tanh')) {
    it(`completeness error < 1% of |f(x) − f(0)| at 64 steps · ${cell}/${activation}`, () => {
      const config = taskConfig('many-to-one', { cell, activation, hiddenSize: 8, input: { kind: 'tokens', vocabSize: 6, embeddingSize: 4 } });
      const model = model64(config, 5);
      const batch = randomBatch(config, 11, 1, 6);
      const x = inputVectorsOf(model, batch);
      const a = attribute(model, batch, x, { row: 0, column: 1 }, 'ig', 64);
      const gap = Math.abs(a.output - a.baselineOutput);
      assert.ok(gap > 1e-3, `f(x) − f(0) = ${gap} is too small to test with`);
      assert.ok(a.completenessError < 0.01 * gap, `completeness error ${a.completenessError} vs |f(x) − f(0)| ${gap}`);
      const sum = a.attributions.reduce((s, v) => s + v, 0);
      assert.ok(Math.abs(Math.abs(sum - (a.output - a.baselineOutput)) - a.completenessError) < 1e-12);
    });
  }

  it('gradient × input is x ⊙ ∇f(x), and its f(x) equals the ordinary forward output', () => {
    const config = taskConfig('many-to-many', { cell: 'gru', input: { kind: 'tokens', vocabSize: 5, embeddingSize: 0 } });
    const model = model64(config);
    const batch = randomBatch(config, 4, 1, 5);
    const x = inputVectorsOf(model, batch);
    const seed = { row: 4, column: 2 };
    const a = attribute(model, batch, x, seed, 'gradxinput');
    const { gradient } = inputGradient(model, batch, x, seed);
    a.attributions.forEach((v, i) => assert.equal(v, x[i] * gradient[i]));
    assert.equal(a.output, model.forward(batch).outputs[seed.row * 4 + seed.column]);
    // one-hot: only the token's own column carries attribution
    const X = inputVectorWidth(model);
    a.attributions.forEach((v, i) => { if (Math.floor(i / X) < 5 && i % X !== batch.tokens![Math.floor(i / X)]) assert.ok(v === 0, `attribution ${v} off the token's column`); });
  });

  it('refuses a seed outside the outputs and one-to-many models', () => {
    const config = taskConfig('many-to-one', {});
    const model = model64(config);
    const batch = randomBatch(config, 1, 1);
    assert.throws(() => attribute(model, batch, inputVectorsOf(model, batch), { row: 1, column: 0 }, 'ig'), /outside the 1×4 outputs/);
    const generator = taskConfig('one-to-many', {});
    const m2 = model64(generator);
    assert.throws(() => outputFromInputs(m2, randomBatch(generator, 1), new Float64Array(0), { row: 0, column: 0 }), /one-to-many/);
  });
});
