/**
 * The row kernels (kernels/rowKernels.ts) on every backend against plain loops written here: row
 * gathers and scatter-adds by index, adds and copies with row strides, over widths on both sides of
 * the 4-lane vectors, offsets and gaps. Each output element is a copy or one addition, so every
 * backend must give exactly the same bits.
 */
import assert from 'node:assert/strict';
import type { Backend } from '../../../src/engine/kernels/backend';
import { rowKernelsFor, typescriptRowKernels, type RowKernels } from '../../../src/engine/kernels/rowKernels';
import { RecurrentModel } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/random';
import type { FloatArray } from '../../../src/engine/types';
import { TEST_BACKENDS } from './backends';
import { baseConfig, randomBatch } from './batches';

const WIDTHS = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33];
const ROWS = [0, 1, 2, 5];

function filled(backend: Backend, n: number, rng: Rng): FloatArray {
  const x = backend.allocate(n, 'float32');
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  return x;
}

/** Asserts a and b hold the same values, element by element (bit-identical for these finite values). */
function assertSame(actual: FloatArray, expected: ArrayLike<number>, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

for (const { name, backend: testBackend } of TEST_BACKENDS) {
  describe(`row kernels [${name}]`, () => {
    const backend = testBackend();
    /** The kernels a layer gets for arrays of this backend: the backend's own where it has them. */
    const kernelsFor = (a: FloatArray, b: FloatArray): RowKernels => {
      const kernels = rowKernelsFor(backend, a, b);
      assert.equal(kernels, backend.rows ?? typescriptRowKernels);
      return kernels;
    };

    it('gatherRows: out[r] = table[ids[r]] for every width, with repeated ids and the last row', () => {
      const rng = new Rng(1);
      for (const width of WIDTHS) {
        for (const rows of ROWS) {
          const tableRows = 1 + rng.int(6);
          const table = filled(backend, tableRows * width, rng);
          const outOff = rng.int(3);
          const out = filled(backend, outOff + rows * width + 2, rng);
          const before = Float32Array.from(out);
          const ids = Int32Array.from({ length: rows + 3 }, (_, r) => (r === 0 ? tableRows - 1 : rng.int(tableRows)));
          kernelsFor(out, table).gatherRows(out, outOff, table, ids, rows, width);
          const expected = Float32Array.from(before);
          for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) expected[outOff + r * width + j] = table[ids[r] * width + j];
          assertSame(out, expected, `width ${width}, rows ${rows}`);
        }
      }
    });

    it('scatterAddRows: table[ids[r]] += src[r] in order of r, repeated ids adding up', () => {
      const rng = new Rng(2);
      for (const width of WIDTHS) {
        for (const rows of [...ROWS, 40]) {
          const tableRows = 1 + rng.int(4);
          const table = filled(backend, tableRows * width, rng);
          const srcOff = rng.int(3);
          const src = filled(backend, srcOff + rows * width, rng);
          const ids = Int32Array.from({ length: rows }, () => rng.int(tableRows));
          const expected = Float32Array.from(table);
          for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) expected[ids[r] * width + j] += src[srcOff + r * width + j];
          kernelsFor(table, src).scatterAddRows(table, src, srcOff, ids, rows, width);
          assertSame(table, expected, `width ${width}, rows ${rows}`);
        }
      }
    });

    it('addRows: out[r] = a[r] + b[bOff + r·bStride], b read with gaps', () => {
      const rng = new Rng(3);
      for (const width of WIDTHS) {
        for (const rows of ROWS) {
          const bStride = width + rng.int(3) * 5;
          const bOff = rng.int(4);
          const a = filled(backend, rows * width, rng);
          const b = filled(backend, bOff + rows * bStride + width, rng);
          const out = filled(backend, rows * width + 3, rng);
          const expected = Float32Array.from(out);
          for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) expected[r * width + j] = a[r * width + j] + b[bOff + r * bStride + j];
          kernelsFor(out, a).addRows(out, a, b, bOff, bStride, rows, width);
          assertSame(out, expected, `width ${width}, rows ${rows}, stride ${bStride}`);
        }
      }
    });

    it('addRows may write into its first operand (dh = dh + dOut)', () => {
      const rng = new Rng(4);
      const a = filled(backend, 3 * 9, rng);
      const b = filled(backend, 3 * 9, rng);
      const expected = Float32Array.from(a, (v, i) => v + b[i]);
      kernelsFor(a, b).addRows(a, a, b, 0, 9, 3, 9);
      assertSame(a, expected, 'in place');
    });

    it('copyRows: out[outOff + r·outStride] = src[srcOff + r·srcStride], nothing else written', () => {
      const rng = new Rng(5);
      for (const width of WIDTHS) {
        for (const rows of ROWS) {
          const outStride = width + rng.int(3) * 3;
          const srcStride = width + rng.int(3) * 2;
          const outOff = rng.int(3);
          const srcOff = rng.int(3);
          const src = filled(backend, srcOff + rows * srcStride + width, rng);
          const out = filled(backend, outOff + rows * outStride + width, rng);
          const expected = Float32Array.from(out);
          for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) expected[outOff + r * outStride + j] = src[srcOff + r * srcStride + j];
          kernelsFor(out, src).copyRows(out, outOff, outStride, src, srcOff, srcStride, rows, width);
          assertSame(out, expected, `width ${width}, rows ${rows}`);
        }
      }
    });

    if (name !== 'ts') {
      it('refuses a row index outside the table instead of reaching past it', () => {
        const table = backend.allocate(3 * 4, 'float32');
        const out = backend.allocate(2 * 4, 'float32');
        const kernels = kernelsFor(out, table);
        assert.throws(() => kernels.gatherRows(out, 0, table, Int32Array.from([0, 3]), 2, 4), /row index 3 at 1 is outside the table's 3 rows/);
        assert.throws(() => kernels.scatterAddRows(table, out, 0, Int32Array.from([-1, 0]), 2, 4), /row index -1 at 0/);
      });

      it('takes the TypeScript loops for arrays outside its memory and for float64', () => {
        const inside = backend.allocate(4, 'float32');
        assert.equal(rowKernelsFor(backend, inside, new Float32Array(4)), typescriptRowKernels);
        assert.equal(rowKernelsFor(backend, inside, inside, new Float64Array(4)), typescriptRowKernels);
        assert.equal(rowKernelsFor(backend, inside, inside, inside), backend.rows);
      });

      it('a training step on one-hot tokens, bidirectional concat, reaches every row kernel in wasm', () => {
        const calls = new Set<string>();
        const rows = Object.fromEntries(Object.entries(backend.rows!).map(([kernel, fn]: [string, (...args: unknown[]) => unknown]) =>
          [kernel, (...args: unknown[]) => (calls.add(kernel), fn(...args))])) as unknown as RowKernels;
        const counted = { ...backend, rows };
        const network = baseConfig({ input: { kind: 'tokens', vocabSize: 5, embeddingSize: 0 }, bidirectional: true, merge: 'concat' });
        const model = RecurrentModel.create(network, { seed: 3, dtype: 'float32', backend: counted });
        model.forward(randomBatch(network, 5, 4, 6));
        model.zeroGrad();
        model.backward();
        const all = Object.keys(backend.rows!).filter((kernel) => kernel !== 'accepts');
        assert.deepEqual(all.filter((kernel) => !calls.has(kernel)), []);
      });
    }
  });
}
