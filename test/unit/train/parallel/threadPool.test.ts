/**
 * Data-parallel training on 2 threads against 1 thread, in float32 on every backend: for every
 * cell, each task shape, bidirectional and deep stacks, the loss and every gradient of 3 SGD steps
 * and the weights after them agree to 1e-5 relative (per tensor, against its largest entry); the
 * outputs and a carried state are gathered back in batch order; and the same thread count gives
 * bit-identical results run after run. The float64 suites run the TypeScript path on one thread.
 */
import assert from 'node:assert/strict';
import { RecurrentModel, type RecurrentState } from '../../../../src/engine/model';
import { Rng } from '../../../../src/engine/random';
import type { Batch, NetworkConfig, TaskShape } from '../../../../src/engine/types';
import { createGradientStep, serialGradientStep, type GradientStep } from '../../../../src/train/parallel/threadPool';
import { TEST_BACKENDS } from '../../engine/backends';
import { baseConfig, CELLS, randomBatch, taskConfig } from '../../engine/batches';

const STEPS = 3;
const LEARNING_RATE = 0.1;
const B = 5;

function configurations(): [string, NetworkConfig][] {
  const list: [string, NetworkConfig][] = [];
  for (const task of ['many-to-many', 'many-to-one', 'one-to-many', 'seq2seq'] as TaskShape[]) {
    for (const [cell, activation] of CELLS) {
      const bidirectional = task !== 'one-to-many';
      list.push([`${task} · ${cell}/${activation} · 2 layers${bidirectional ? ' bidirectional' : ''}`, taskConfig(task, { cell, activation, bidirectional, hiddenSize: 6 })]);
    }
  }
  list.push(
    ['deep: 4 LSTM layers, skip, embedded tokens', baseConfig({ cell: 'lstm', layers: 4, connections: 'skip', input: { kind: 'tokens', vocabSize: 7, embeddingSize: 3 } })],
    ['deep: 3 GRU layers, dense, many-to-one MSE', baseConfig({ cell: 'gru', layers: 3, connections: 'dense', task: 'many-to-one', output: { kind: 'values', size: 2 } })],
    ['one-hot tokens, aligned MSE', baseConfig({ input: { kind: 'tokens', vocabSize: 6, embeddingSize: 0 }, output: { kind: 'values', size: 2 } })],
  );
  return list;
}

interface Trace {
  losses: number[];
  grads: Float32Array[][];
  outputs: Float32Array[];
  weights: Float32Array[];
}

/** STEPS SGD steps of `step` on `model`, each on its own batch. */
function trace(model: RecurrentModel, step: GradientStep, config: NetworkConfig, initialState?: () => RecurrentState): Trace {
  const t: Trace = { losses: [], grads: [], outputs: [], weights: [] };
  const rng = new Rng(9);
  for (let s = 0; s < STEPS; s++) {
    const { result } = step.run(randomBatch(config, 40 + s, B, 4, 3), { rng, collectGradNorms: false, initialState: initialState?.() });
    t.losses.push(result.loss);
    t.outputs.push(Float32Array.from(result.outputs));
    t.grads.push(model.params.map((p) => Float32Array.from(p.grad)));
    for (const p of model.params) for (let i = 0; i < p.data.length; i++) p.data[i] -= LEARNING_RATE * p.grad[i];
  }
  t.weights = model.params.map((p) => Float32Array.from(p.data));
  return t;
}

/** ‖a − e‖∞ ≤ 1e-5·max(‖e‖∞, 1e-3): relative to the tensor, floored for all-but-zero tensors. */
function assertClose(a: ArrayLike<number>, e: ArrayLike<number>, what: string): void {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < e.length; i++) {
    scale = Math.max(scale, Math.abs(e[i]));
    worst = Math.max(worst, Math.abs(a[i] - e[i]));
  }
  assert.equal(a.length, e.length, `${what}: length`);
  assert.ok(worst <= 1e-5 * Math.max(scale, 1e-3), `${what}: differs by ${worst} (largest entry ${scale})`);
}

function assertTracesAgree(label: string, parallel: Trace, serial: Trace, names: string[]): void {
  for (let s = 0; s < STEPS; s++) {
    assertClose([parallel.losses[s]], [serial.losses[s]], `${label}, step ${s + 1}: loss`);
    assertClose(parallel.outputs[s], serial.outputs[s], `${label}, step ${s + 1}: outputs`);
    parallel.grads[s].forEach((g, i) => assertClose(g, serial.grads[s][i], `${label}, step ${s + 1}: grad ${names[i]}`));
  }
  parallel.weights.forEach((w, i) => assertClose(w, serial.weights[i], `${label}: ${names[i]} after ${STEPS} steps`));
}

for (const { name, backend } of TEST_BACKENDS) {
  describe(`data-parallel training, 1 vs 2 threads, float32 [${name}]`, function () {
    this.timeout(600_000);

    for (const [label, config] of configurations()) {
      it(`${label}: loss, gradients and weights after ${STEPS} steps agree; 2 threads are bit-identical run to run`, async () => {
        const serialModel = RecurrentModel.create(config, { seed: 3, dtype: 'float32', backend: backend() });
        const serial = trace(serialModel, serialGradientStep(serialModel), config);
        const runs: Trace[] = [];
        for (let run = 0; run < 2; run++) {
          const model = RecurrentModel.create(config, { seed: 3, dtype: 'float32', backend: backend() });
          const pool = createGradientStep(model, 2, { minShardWork: 0 });
          try {
            runs.push(trace(model, pool, config));
          } finally {
            await pool.close();
          }
        }
        const names = serialModel.params.map((p) => p.name);
        assertTracesAgree(label, runs[0], serial, names);
        assert.deepEqual(runs[1], runs[0], `${label}: a second 2-thread run differs from the first`);
      });
    }

    it('a carried state (truncated BPTT) enters each shard and the final state comes back in batch order', async () => {
      const config = baseConfig({ cell: 'lstm', layers: 2, bidirectional: false, hiddenSize: 5 });
      const rng = new Rng(2);
      const state = (): RecurrentState => ({
        h: [0, 1].map(() => Float32Array.from({ length: B * 5 }, () => rng.normal())),
        c: [0, 1].map(() => Float32Array.from({ length: B * 5 }, () => rng.normal())),
      });
      const states = [state(), state(), state()];
      const batch: Batch = randomBatch(config, 7, B, 4);
      const serialModel = RecurrentModel.create(config, { seed: 3, dtype: 'float32', backend: backend() });
      const model = RecurrentModel.create(config, { seed: 3, dtype: 'float32', backend: backend() });
      const pool = createGradientStep(model, 2, { minShardWork: 0 });
      try {
        for (const initialState of states) {
          const expected = serialGradientStep(serialModel).run(batch, { rng, collectGradNorms: true, initialState });
          const expectedH = expected.result.finalState.h.map((a) => Float32Array.from(a.subarray(0, B * 5)));
          const expectedC = expected.result.finalState.c!.map((a) => Float32Array.from(a.subarray(0, B * 5)));
          const expectedNorms = expected.backward.hiddenGradNorms!;
          const actual = pool.run(batch, { rng, collectGradNorms: true, initialState });
          actual.result.finalState.h.forEach((h, j) => assertClose(h.subarray(0, B * 5), expectedH[j], `final h ${j}`));
          actual.result.finalState.c!.forEach((c, j) => assertClose(c.subarray(0, B * 5), expectedC[j], `final c ${j}`));
          actual.backward.hiddenGradNorms!.forEach((row, l) => assertClose(row, expectedNorms[l], `hidden-gradient norms of layer ${l}`));
          model.params.forEach((p, i) => assertClose(p.grad, serialModel.params[i].grad, `grad ${p.name}`));
        }
      } finally {
        await pool.close();
      }
    });
  });
}
