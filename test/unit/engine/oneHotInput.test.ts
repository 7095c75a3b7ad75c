/**
 * The one-hot input path (layers/oneHotInput.ts) against the direct loops it replaces, written out
 * here: W_ih's column per token into xProj (then + b_ih), and each row of ∂xProj added to ∂W_ih's
 * column. The transposed table must give exactly the same values on every backend and dtype, on
 * both sides of the row count where it takes over, with ids outside the block (padding) adding nothing.
 */
import assert from 'node:assert/strict';
import { OneHotColumns, TABLE_MIN_ROWS_PER_COLUMN } from '../../../src/engine/layers/oneHotInput';
import { Rng } from '../../../src/engine/random';
import type { DType, FloatArray } from '../../../src/engine/types';
import { dtypesOn, TEST_BACKENDS } from './backends';

/** G·H = 11 (past two 4-lane vectors), X = 13 with a one-hot block of V = 6 at column 4. */
const GH = 11;
const X = 13;
const V = 6;
const COL = 4;

/** Below the table (direct loops), where it takes over, and well past it. */
const ROW_COUNTS = [1, TABLE_MIN_ROWS_PER_COLUMN * V - 1, TABLE_MIN_ROWS_PER_COLUMN * V, 50];

function assertSame(actual: FloatArray, expected: ArrayLike<number>, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
  }
}

/** Token ids in [−1, V + 2): valid ones, padding (−1) and ids past the block. */
function tokenIds(rows: number, rng: Rng): Int32Array {
  return Int32Array.from({ length: rows }, (_, r) => (r % 7 === 3 ? -1 : r % 11 === 5 ? V + rng.int(3) : rng.int(V)));
}

for (const { name, backend: testBackend } of TEST_BACKENDS) {
  for (const dtype of dtypesOn(name)) {
    describe(`one-hot input columns [${name}, ${dtype}]`, () => {
      const backend = testBackend();
      const random = (n: number, rng: Rng): FloatArray => {
        const x = backend.allocate(n, dtype as DType);
        for (let i = 0; i < n; i++) x[i] = rng.normal();
        return x;
      };

      for (const withBias of [false, true]) {
        it(`project${withBias ? ' with b_ih' : ''}: xProj rows are W_ih's columns${withBias ? ' + b_ih' : ''}, as the direct loops give them`, () => {
          const rng = new Rng(withBias ? 11 : 12);
          const oneHot = new OneHotColumns(backend, GH);
          for (const rows of ROW_COUNTS) {
            const w = random(GH * X, rng);
            const bias = random(GH, rng);
            const ids = tokenIds(rows, rng);
            const out = random(rows * GH + 5, rng);
            const expected = Float64Array.from(out);
            // The direct loops: xProj = 0; xProj += W_ih[:, col + id]; xProj += b_ih
            for (let r = 0; r < rows; r++) {
              const row = new Float64Array(GH);
              const id = ids[r];
              if (id >= 0 && id < V) for (let j = 0; j < GH; j++) row[j] = round(dtype, 0 + w[j * X + COL + id]);
              if (withBias) for (let j = 0; j < GH; j++) row[j] = round(dtype, row[j] + bias[j]);
              expected.set(row, r * GH);
            }
            oneHot.project(out, w, X, COL, V, ids, rows, withBias ? bias : null);
            assertSame(out, expected, `${rows} rows`);
          }
        });
      }

      it('addProjection adds the columns of valid ids only', () => {
        const rng = new Rng(13);
        const oneHot = new OneHotColumns(backend, GH);
        const rows = 20;
        const w = random(GH * X, rng);
        const ids = tokenIds(rows, rng);
        const out = random(rows * GH, rng);
        const expected = Float64Array.from(out);
        for (let r = 0; r < rows; r++) {
          if (ids[r] < 0 || ids[r] >= V) continue;
          for (let j = 0; j < GH; j++) expected[r * GH + j] = round(dtype, expected[r * GH + j] + w[j * X + COL + ids[r]]);
        }
        oneHot.addProjection(out, w, X, COL, V, ids, rows);
        assertSame(out, expected, 'addProjection');
      });

      it('accumulate: ∂W_ih columns get each row of ∂xProj added in order, onto their old values, other columns untouched', () => {
        const rng = new Rng(14);
        const oneHot = new OneHotColumns(backend, GH);
        for (const rows of ROW_COUNTS) {
          const dW = random(GH * X, rng);
          const dXProj = random(rows * GH, rng);
          const ids = tokenIds(rows, rng);
          const expected = Float64Array.from(dW);
          for (let r = 0; r < rows; r++) {
            const id = ids[r];
            if (id < 0 || id >= V) continue;
            for (let j = 0; j < GH; j++) expected[j * X + COL + id] = round(dtype, expected[j * X + COL + id] + dXProj[r * GH + j]);
          }
          oneHot.accumulate(dW, X, COL, V, dXProj, ids, rows);
          assertSame(dW, expected, `${rows} rows`);
        }
      });
    });
  }
}

function round(dtype: DType, x: number): number {
  return dtype === 'float32' ? Math.fround(x) : x;
}
