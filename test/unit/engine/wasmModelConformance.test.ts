/**
 * Whole models on each wasm backend against the TypeScript kernels, in float32 (wasm runs float32
 * only): outputs, loss and every gradient, for every configuration the float64 gradient checks
 * cover (gradients.test.ts proves the TypeScript kernels there), and truncated-BPTT windows that
 * start from a carried state and score only their newest steps.
 */
import assert from 'node:assert/strict';
import { typescriptBackend, type Backend } from '../../../src/engine/kernels/backend';
import { RecurrentModel, type ForwardOptions } from '../../../src/engine/model';
import type { Batch, Connections, FloatArray, NetworkConfig, TaskShape } from '../../../src/engine/types';
import { WASM_BACKENDS } from './backends';
import { baseConfig, CELLS, CONNECTIONS, MERGES, randomBatch, taskConfig } from './batches';
import { maxExcess } from './maxExcess';

/** The configurations of gradients.test.ts, labelled as there, plus a few wider ones. */
function configurations(): [string, NetworkConfig][] {
  const list: [string, NetworkConfig][] = [];
  for (const task of ['many-to-many', 'many-to-one', 'one-to-many', 'seq2seq'] as TaskShape[]) {
    for (const [cell, activation] of CELLS) {
      for (const conn of CONNECTIONS) {
        list.push([`${task} · ${cell}/${activation} · unidirectional · ${conn}`, taskConfig(task, { cell, activation, connections: conn })]);
      }
      if (task === 'one-to-many') continue;
      for (const merge of MERGES) {
        list.push([`${task} · ${cell}/${activation} · bidirectional ${merge} · none`, taskConfig(task, { cell, activation, bidirectional: true, merge })]);
      }
      for (const conn of ['skip', 'dense'] as Connections[]) {
        list.push([`${task} · ${cell}/${activation} · bidirectional concat · ${conn}`, taskConfig(task, { cell, activation, bidirectional: true, merge: 'concat', connections: conn })]);
      }
    }
  }
  for (const conn of CONNECTIONS) {
    list.push([`one-hot tokens · ${conn}`, baseConfig({ input: { kind: 'tokens', vocabSize: 6, embeddingSize: 0 }, connections: conn, hiddenSize: 9 })]);
  }
  list.push(
    ['embedded tokens, many-to-one, 3 GRU layers', baseConfig({ task: 'many-to-one', layers: 3, cell: 'gru', input: { kind: 'tokens', vocabSize: 6, embeddingSize: 3 } })],
    ['lstm MSE regression, aligned', baseConfig({ cell: 'lstm', output: { kind: 'values', size: 2 }, hiddenSize: 4 })],
    ['rnn MSE regression, bidirectional many-to-one', baseConfig({ task: 'many-to-one', output: { kind: 'values', size: 2 }, bidirectional: true })],
    ['dropout 0.4, 3 layers, skip', baseConfig({ dropout: 0.4, layers: 3, connections: 'skip' })],
    ['dropout 0.4, 3 LSTM layers, dense', baseConfig({ dropout: 0.4, layers: 3, connections: 'dense', cell: 'lstm' })],
    ['lstm, 2 layers, dense, embedded tokens, H = 12', baseConfig({ cell: 'lstm', layers: 2, connections: 'dense', input: { kind: 'tokens', vocabSize: 7, embeddingSize: 3 }, hiddenSize: 12 })],
    ['gru, bidirectional concat, H = 17', baseConfig({ cell: 'gru', bidirectional: true, hiddenSize: 17 })],
  );
  // Attention (gradients checked in float64 in attention.test.ts), widths past one 4×4 gemm tile.
  for (const attention of ['dot', 'general', 'additive'] as const) {
    list.push(
      [`seq2seq · lstm · attention ${attention}`, taskConfig('seq2seq', { cell: 'lstm', layers: 1, attention })],
      [`seq2seq · gru · bidirectional concat · attention ${attention}, H = 5`, taskConfig('seq2seq', { cell: 'gru', layers: 2, bidirectional: true, hiddenSize: 5, attention })],
      [`seq2seq · lstm · 2 layers · attention ${attention}, fed`, taskConfig('seq2seq', { cell: 'lstm', layers: 2, hiddenSize: 5, attention, attentionFeed: true })],
    );
  }
  return list;
}

interface ModelRun {
  loss: number;
  outputs: Float32Array;
  grads: (readonly [string, Float32Array])[];
}

/** One float32 training forward (dropout on, the model's own seeded generator) and backward. */
function runModel(backend: Backend, config: NetworkConfig, batch: Batch, options: ForwardOptions = {}): ModelRun {
  const model = RecurrentModel.create(config, { seed: 4, dtype: 'float32', backend });
  const result = model.forward(batch, { training: true, ...options });
  model.zeroGrad();
  model.backward();
  return { loss: result.loss, outputs: Float32Array.from(result.outputs), grads: model.params.map((p) => [p.name, Float32Array.from(p.grad)] as const) };
}

/** wasm agrees with ts within float32 rounding: |Δ| ≤ 1e-5 + 1e-4·|ts| entrywise. */
function assertConforms(label: string, wasm: ModelRun, ts: ModelRun): void {
  const close = (a: FloatArray, e: FloatArray, what: string) => {
    const excess = maxExcess(a, e, (i) => 1e-5 + 1e-4 * Math.abs(e[i]));
    assert.ok(excess <= 1, `${label}: ${what} differs by ${excess}× the allowance`);
  };
  close(Float32Array.of(wasm.loss), Float32Array.of(ts.loss), 'loss');
  close(wasm.outputs, ts.outputs, 'outputs');
  assert.deepEqual(wasm.grads.map(([name]) => name), ts.grads.map(([name]) => name));
  wasm.grads.forEach(([name, g], i) => close(g, ts.grads[i][1], `grad ${name}`));
}

for (const { name, backend: testBackend } of WASM_BACKENDS) {
  describe(`wasm model conformance against the TypeScript kernels, float32 [${name}]`, () => {
    const backend = testBackend();

    for (const [label, config] of configurations()) {
      it(`${label}: outputs, loss and every gradient match ts`, () => {
        const batch = randomBatch(config, 21);
        assertConforms(label, runModel(backend, config, batch), runModel(typescriptBackend, config, batch));
      });
    }

    it('a truncated-BPTT window from a carried state, scoring only its newest steps (lossFrom), matches ts', () => {
      for (const cell of ['rnn', 'lstm', 'gru'] as const) {
        const config = baseConfig({ cell, hiddenSize: 6, input: { kind: 'tokens', vocabSize: 5, embeddingSize: 0 }, output: { kind: 'classes', size: 5 } });
        const carried = RecurrentModel.create(config, { seed: 4, dtype: 'float32' }).forward(randomBatch(config, 5, 3, 8)).finalState;
        // plain Float32Arrays, outside the wasm memory, as the trainer carries them across windows
        const initialState = { h: carried.h.map((h) => Float32Array.from(h)), c: carried.c?.map((c) => Float32Array.from(c)) };
        const batch = { ...randomBatch(config, 6, 3, 8), lossFrom: 5 };
        const wasm = runModel(backend, config, batch, { initialState });
        const ts = runModel(typescriptBackend, config, batch, { initialState });
        assertConforms(`${cell} window`, wasm, ts);
        // the carried state matters: starting from zeros gives other outputs
        const fromZero = runModel(typescriptBackend, config, batch);
        assert.ok(maxExcess(fromZero.outputs, ts.outputs, () => 1e-3) > 1, `${cell}: the carried state changed nothing`);
      }
    });
  });
}
