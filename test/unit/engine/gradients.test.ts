import assert from 'node:assert/strict';
import { gradientCheck } from '../../../src/engine/gradientCheck';
import { RecurrentModel } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/random';
import type { Connections, NetworkConfig, TaskShape } from '../../../src/engine/types';
import type { Backend } from '../../../src/engine/kernels/backend';
import { FLOAT64_BACKEND } from './backends';
import { baseConfig, CELLS, CONNECTIONS, MERGES, randomBatch, taskConfig } from './batches';

/** Every parameter's max relative error (central differences, float64) must be ≤ 1e-5. */
function checkGradients(backend: Backend, config: NetworkConfig, seed = 1, dropoutSeed: number | null = null): void {
  const model = RecurrentModel.create(config, { seed, dtype: 'float64', backend });
  // Nudge weights so ReLU pre-activations sit away from the kink at 0 (and so biases are non-zero).
  const rng = new Rng(seed + 100);
  for (const p of model.params) for (let i = 0; i < p.data.length; i++) p.data[i] += 0.1 * rng.normal();
  const batch = randomBatch(config, seed + 7);
  const options = () => (dropoutSeed === null ? {} : { training: true, rng: new Rng(dropoutSeed) });
  const rows = gradientCheck(
    model.params,
    () => model.forward(batch, options()).loss,
    () => {
      model.forward(batch, options());
      model.backward();
    },
    { maxEntriesPerParam: 24 },
  );
  const bad = rows.filter((r) => !(r.maxRelativeError <= 1e-5));
  assert.deepEqual(bad, [], `gradient check failed for ${JSON.stringify(config)}:\n${bad.map((r) => `${r.name}: ${r.maxRelativeError}`).join('\n')}`);
  assert.ok(rows.length === model.params.length && rows.every((r) => r.checked > 0));
}

// float64 runs on the TypeScript kernels whatever the backend; the wasm backends are checked
// against them in float32 on the same configs (wasmModelConformance.test.ts).
describe('BPTT gradients match central finite differences (float64 on the TypeScript kernels, ragged batches)', () => {
  const backend = FLOAT64_BACKEND.backend();
  for (const task of ['many-to-many', 'many-to-one', 'one-to-many', 'seq2seq'] as TaskShape[]) {
    for (const [cell, activation] of CELLS) {
      for (const conn of CONNECTIONS) {
        it(`${task} · ${cell}/${activation} · unidirectional · ${conn}`, () => {
          checkGradients(backend, taskConfig(task, { cell, activation, connections: conn }));
        });
      }
      if (task === 'one-to-many') continue;
      for (const merge of MERGES) {
        it(`${task} · ${cell}/${activation} · bidirectional ${merge} · none`, () => {
          checkGradients(backend, taskConfig(task, { cell, activation, bidirectional: true, merge }));
        });
      }
      for (const conn of ['skip', 'dense'] as Connections[]) {
        it(`${task} · ${cell}/${activation} · bidirectional concat · ${conn}`, () => {
          checkGradients(backend, taskConfig(task, { cell, activation, bidirectional: true, merge: 'concat', connections: conn }));
        });
      }
    }
  }

  it('one-hot token input (a W_ih column lookup) and skip projection from one-hot', () => {
    for (const connectionsMode of CONNECTIONS) {
      checkGradients(backend, baseConfig({ input: { kind: 'tokens', vocabSize: 6, embeddingSize: 0 }, connections: connectionsMode }));
    }
  });

  it('embedded token input, many-to-one, 3 layers', () => {
    checkGradients(backend, baseConfig({ task: 'many-to-one', layers: 3, cell: 'gru', input: { kind: 'tokens', vocabSize: 6, embeddingSize: 3 } }));
  });

  it('MSE regression heads, aligned and many-to-one', () => {
    checkGradients(backend, baseConfig({ output: { kind: 'values', size: 2 }, cell: 'lstm' }));
    checkGradients(backend, baseConfig({ task: 'many-to-one', output: { kind: 'values', size: 2 }, bidirectional: true }));
  });

  it('dropout between layers, with the mask held fixed', () => {
    checkGradients(backend, baseConfig({ dropout: 0.4, layers: 3, connections: 'skip' }), 3, 11);
    checkGradients(backend, baseConfig({ dropout: 0.4, layers: 3, connections: 'dense', cell: 'lstm' }), 3, 12);
  });

  it('a wrong backward is caught (the check can fail)', () => {
    const config = baseConfig({ cell: 'gru' });
    const model = RecurrentModel.create(config, { seed: 2, dtype: 'float64', backend });
    const batch = randomBatch(config, 3);
    const rows = gradientCheck(model.params, () => model.forward(batch).loss, () => {
      model.forward(batch);
      model.backward();
      model.param('rnn.weight_hh_l0').grad[1] *= 1.01;
    });
    assert.ok(rows.find((r) => r.name === 'rnn.weight_hh_l0')!.maxRelativeError > 1e-3);
  });
});
