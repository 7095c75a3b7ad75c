/**
 * The backend is the whole contract: which kernels run is decided by the backend a loss, an
 * optimizer or a layer is given, never by where its arrays happen to live. Arrays in a wasm
 * backend's memory handed to the TypeScript backend take the TypeScript loops, bit for bit.
 */
import assert from 'node:assert/strict';
import { typescriptBackend, type Backend } from '../../../src/engine/kernels/backend';
import { addColumnSumsInto, addRowBiasInto } from '../../../src/engine/kernels/elementwise';
import { softmaxCrossEntropy } from '../../../src/engine/losses';
import { createOptimizer, type OptimizerConfig } from '../../../src/engine/optimizers';
import { Rng } from '../../../src/engine/random';
import type { Param } from '../../../src/engine/types';
import { WASM_BACKENDS } from './backends';

/** n normal draws, in the backend's memory (or a plain Float32Array for null). */
function normals(backend: Backend | null, n: number, seed: number, scale = 1): Float32Array {
  const x = backend ? (backend.allocate(n, 'float32') as Float32Array) : new Float32Array(n);
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) x[i] = scale * rng.normal();
  return x;
}

export const OPTIMIZER_CONFIGS: readonly OptimizerConfig[] = [
  { type: 'sgd', learningRate: 0.1 },
  { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
  { type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 },
  { type: 'sgd', learningRate: 0.1, weightDecay: 0.01 },
  { type: 'adam', learningRate: 0.01, weightDecay: 0.05 },
  { type: 'adamw', learningRate: 0.01 },
  { type: 'adagrad', learningRate: 0.1, weightDecay: 0.01 },
  { type: 'rmsprop', learningRate: 0.01 },
  { type: 'rmsprop', learningRate: 0.01, momentum: 0.9, weightDecay: 0.01 },
];

for (const { name, backend: testBackend } of WASM_BACKENDS) {
  describe(`the backend passed decides which kernels run [${name}]`, () => {
    const wasm = testBackend();

    it('softmax cross-entropy on arrays in wasm memory, given the ts backend, is the TypeScript loop bit for bit', () => {
      const rows = 6, O = 9;
      const targets = Int32Array.of(0, 3, -1, 8, 2, 5);
      const weights = [1, 2, 0.5, 1, 1, 3, 1, 1, 0.25];
      const logits = normals(wasm, rows * O, 3, 4);
      const dOut = wasm.allocate(rows * O, 'float32');
      const plainLogits = Float32Array.from(logits);
      const plainDOut = new Float32Array(rows * O);
      const inWasm = softmaxCrossEntropy(typescriptBackend, logits, O, rows, targets, dOut, weights);
      const plain = softmaxCrossEntropy(typescriptBackend, plainLogits, O, rows, targets, plainDOut, weights);
      assert.deepEqual(inWasm, plain);
      assert.deepEqual(Array.from(dOut), Array.from(plainDOut));
    });

    it('bias rows and column sums on arrays in wasm memory, given the ts backend, are the TypeScript loops bit for bit', () => {
      const rows = 5, n = 11;
      const m = normals(wasm, rows * n, 4), bias = normals(wasm, n, 5), sum = normals(wasm, n, 6);
      const [pm, pbias, psum] = [m, bias, sum].map((x) => Float32Array.from(x));
      addRowBiasInto(typescriptBackend, m, 0, rows, bias, n);
      addRowBiasInto(typescriptBackend, pm, 0, rows, pbias, n);
      addColumnSumsInto(typescriptBackend, sum, m, 0, rows, n);
      addColumnSumsInto(typescriptBackend, psum, pm, 0, rows, n);
      assert.deepEqual([Array.from(m), Array.from(sum)], [Array.from(pm), Array.from(psum)]);
    });

    for (const config of OPTIMIZER_CONFIGS) {
      it(`${JSON.stringify(config)} on params in wasm memory, given the ts backend, is the TypeScript loop bit for bit`, () => {
        const make = (target: Backend | null): Param[] => [37, 6].map((n, i) => ({
          name: `p${i}`, shape: [n], data: normals(target, n, 10 + i), grad: normals(target, n, 20 + i), noDecay: i === 1,
        }));
        const inWasm = make(wasm);
        const plain = make(null);
        const a = createOptimizer(config, inWasm, typescriptBackend);
        const b = createOptimizer(config, plain, typescriptBackend);
        for (let step = 0; step < 3; step++) {
          a.step(config.learningRate);
          b.step(config.learningRate);
        }
        inWasm.forEach((p, i) => assert.deepEqual(Array.from(p.data), Array.from(plain[i].data), p.name));
      });
    }
  });
}
