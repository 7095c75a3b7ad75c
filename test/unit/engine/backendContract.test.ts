/**
 * The backend is the whole contract: which kernels run is decided by the backend a loss, an
 * optimizer or a layer is given, never by where its arrays happen to live. Arrays in a wasm
 * backend's memory handed to the TypeScript backend take the TypeScript loops, bit for bit; and
 * every kernel of a wasm backend's contract is reached by training on that backend.
 */
import assert from 'node:assert/strict';
import { typescriptBackend, type Backend } from '../../../src/engine/kernels/backend';
import { addColumnSumsInto, addRowBiasInto } from '../../../src/engine/kernels/elementwise';
import type { ElementwiseKernels } from '../../../src/engine/kernels/elementwiseKernels';
import { softmaxCrossEntropy } from '../../../src/engine/losses';
import { RecurrentModel } from '../../../src/engine/model';
import { createOptimizer } from '../../../src/engine/optimizers';
import { Rng } from '../../../src/engine/random';
import type { Param } from '../../../src/engine/types';
import { WASM_BACKENDS } from './backends';
import { baseConfig, CELLS, randomBatch } from './batches';
import { OPTIMIZER_CONFIGS } from './optimizerConfigs';

/** n normal draws, in the backend's memory (or a plain Float32Array for null). */
function normals(backend: Backend | null, n: number, seed: number, scale = 1): Float32Array {
  const x = backend ? (backend.allocate(n, 'float32') as Float32Array) : new Float32Array(n);
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) x[i] = scale * rng.normal();
  return x;
}


/** The backend with its element-wise kernels wrapped to count the calls of each (by name). */
function counting(backend: Backend): { backend: Backend; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const wrapped = Object.fromEntries(Object.entries(backend.elementwise!).map(([kernel, fn]: [string, (...args: unknown[]) => unknown]) => [
    kernel,
    kernel === 'accepts' ? fn : (...args: unknown[]) => {
      calls.set(kernel, (calls.get(kernel) ?? 0) + 1);
      return fn(...args);
    },
  ])) as unknown as ElementwiseKernels;
  return { backend: { ...backend, elementwise: wrapped }, calls };
}

/** The kernels each cell's forward and backward must reach (besides the head's softmax, bias rows and sums). */
const CELL_KERNELS: Record<string, string[]> = {
  'rnn/tanh': ['tanhSum', 'tanhBackward'],
  'rnn/relu': ['reluSum', 'reluBackward'],
  'lstm/tanh': ['lstmForward', 'lstmBackward'],
  'gru/tanh': ['gruForward', 'gruBackward', 'gruCarry'],
};
const OPTIMIZER_KERNEL = { sgd: 'sgdUpdate', adam: 'adamUpdate', adamw: 'adamUpdate', adagrad: 'adagradUpdate', rmsprop: 'rmspropUpdate' } as const;

for (const { name, backend: testBackend } of WASM_BACKENDS) {
  describe(`every kernel of the contract runs in wasm when training on it [${name}]`, () => {
    const reached = new Set<string>();

    for (const [cell, activation] of CELLS) {
      for (const config of OPTIMIZER_CONFIGS) {
        it(`${cell}/${activation} with ${JSON.stringify(config)}: the cell's, the loss's and the optimizer's kernels run`, () => {
          const { backend, calls } = counting(testBackend());
          const network = baseConfig({ cell, activation, output: { kind: 'classes', size: 4, weights: [0.5, 2, 1, 3] } });
          const model = RecurrentModel.create(network, { seed: 3, dtype: 'float32', backend });
          const optimizer = createOptimizer(config, model.params, model.backend);
          model.forward(randomBatch(network, 5), { training: true });
          model.zeroGrad();
          model.backward();
          optimizer.step(config.learningRate);
          const expected = [...CELL_KERNELS[`${cell}/${activation}`], 'softmaxRows', 'scale', 'addRowBias', 'addColumnSums', OPTIMIZER_KERNEL[config.type]];
          assert.deepEqual(expected.filter((kernel) => !calls.has(kernel)), [], `kernels that did not run (ran: ${[...calls.keys()].join(', ')})`);
          for (const kernel of calls.keys()) reached.add(kernel);
        });
      }
    }

    it('together those runs reach every kernel the backend has', () => {
      const all = Object.keys(testBackend().elementwise!).filter((kernel) => kernel !== 'accepts');
      assert.deepEqual(all.filter((kernel) => !reached.has(kernel)), []);
    });
  });

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
