import assert from 'node:assert/strict';
import { gradientCheck } from '../../../src/engine/gradientCheck';
import { RecurrentModel } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/random';
import type { Batch } from '../../../src/engine/types';
import { FLOAT64_BACKEND } from './backends';
import { baseConfig } from './batches';

const config = baseConfig({ cell: 'lstm', input: { kind: 'tokens', vocabSize: 5, embeddingSize: 0 }, output: { kind: 'classes', size: 5 } });

/** A B×T token stream as a time-major batch, next-token targets. */
function window(stream: Int32Array[], from: number, steps: number): Batch {
  const B = stream.length;
  const tokens = new Int32Array(steps * B);
  const targetTokens = new Int32Array(steps * B);
  for (let t = 0; t < steps; t++) for (let b = 0; b < B; b++) {
    tokens[t * B + b] = stream[b][from + t];
    targetTokens[t * B + b] = stream[b][from + t + 1];
  }
  return { batchSize: B, steps, lengths: new Int32Array(B).fill(steps), tokens, targetTokens };
}

function copyState(s: { h: ArrayLike<number>[]; c?: ArrayLike<number>[] }) {
  return { h: s.h.map((a) => Float64Array.from(a)), c: s.c?.map((a) => Float64Array.from(a)) };
}

// float64 on the TypeScript kernels; the wasm backends run a carried-state window in float32 in
// wasmModelConformance.test.ts.
describe('truncated BPTT (float64 on the TypeScript kernels)', () => {
  const backend = FLOAT64_BACKEND.backend();
  const rng = new Rng(4);
  const stream = [0, 1].map(() => Int32Array.from({ length: 17 }, () => rng.int(5)));

  it('carries the state across windows: two windows of 8 give the outputs and state of one pass of 16', () => {
    const model = RecurrentModel.create(config, { seed: 3, dtype: 'float64', backend });
    const whole = model.forward(window(stream, 0, 16));
    const wholeOut = Float64Array.from(whole.outputs);
    const wholeState = copyState(whole.finalState);
    const first = model.forward(window(stream, 0, 8));
    const firstOut = Float64Array.from(first.outputs);
    const second = model.forward(window(stream, 8, 8), { initialState: copyState(first.finalState) });
    const joined = [...firstOut, ...second.outputs];
    joined.forEach((v, i) => assert.ok(Math.abs(v - wholeOut[i]) < 1e-12, `output ${i}`));
    second.finalState.h.forEach((h, l) => h.forEach((v, i) => assert.ok(Math.abs(v - wholeState.h[l][i]) < 1e-12)));
    second.finalState.c!.forEach((c, l) => c.forEach((v, i) => assert.ok(Math.abs(v - wholeState.c![l][i]) < 1e-12)));
  });

  it('cuts the gradient: a window backpropagates only within itself, the incoming state held constant', () => {
    const model = RecurrentModel.create(config, { seed: 3, dtype: 'float64', backend });
    const carried = copyState(model.forward(window(stream, 0, 8)).finalState);
    const batch = window(stream, 8, 8);
    const rows = gradientCheck(model.params, () => model.forward(batch, { initialState: carried }).loss, () => {
      model.forward(batch, { initialState: carried });
      model.backward();
    });
    assert.deepEqual(rows.filter((r) => !r.ok).map((r) => `${r.name} ${r.maxRelativeError}`), []);
  });

  it('with backpropSteps > forwardSteps, lossFrom scores only the newest steps', () => {
    const model = RecurrentModel.create(config, { seed: 3, dtype: 'float64', backend });
    const batch = window(stream, 0, 8);
    const all = model.forward(batch);
    const logits = Float64Array.from(all.outputs);
    const partial = model.forward({ ...batch, lossFrom: 5 });
    let sum = 0;
    for (let r = 5 * 2; r < 8 * 2; r++) {
      const row = logits.subarray(r * 5, r * 5 + 5);
      const max = Math.max(...row);
      const z = row.reduce((s, v) => s + Math.exp(v - max), 0);
      sum += Math.log(z) + max - row[batch.targetTokens![r]];
    }
    assert.equal(partial.count, 6);
    assert.ok(Math.abs(partial.loss - sum / 6) < 1e-12);
    model.zeroGrad();
    model.backward();
    assert.ok(model.param('rnn.weight_hh_l0').grad.some((g) => g !== 0), 'earlier steps still carry gradient to W_hh');
  });
});
