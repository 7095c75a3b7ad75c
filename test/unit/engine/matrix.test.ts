/**
 * Matrix views and matMulInto: a product of views (offsets, strides, transposes, column blocks)
 * equals the product of the matrices they show, computed entry by entry from the view definition.
 */
import assert from 'node:assert/strict';
import { typescriptBackend } from '../../../src/engine/kernels/backend';
import { matMulInto, Matrix, rowsAt } from '../../../src/engine/kernels/matrix';
import { Rng } from '../../../src/engine/random';

/** Element (i, j) as the view defines it. */
const at = (m: Matrix, i: number, j: number) => m.data[m.offset + (m.transposed ? j * m.stride + i : i * m.stride + j)];

function randomArray(n: number, rng: Rng): Float64Array {
  return Float64Array.from({ length: n }, () => rng.normal());
}

describe('matrix views', () => {
  it('out (+)= a·b over views with offsets, strides, transposes and column blocks matches the entrywise sum (float64)', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const [M, K, N] = [1 + rng.int(6), 1 + rng.int(6), 1 + rng.int(6)];
      const pad = () => rng.int(3);
      const view = (rows: number, cols: number): Matrix => {
        const transposed = rng.next() < 0.5;
        const [r, c] = transposed ? [cols, rows] : [rows, cols];
        const extra = pad();
        const stride = c + extra + pad();
        const offset = pad();
        const parent = new Matrix(randomArray(offset + r * stride, rng), offset, r, c + extra, stride);
        const block = parent.columns(extra, c);
        return transposed ? block.T : block;
      };
      const a = view(M, K);
      const b = view(K, N);
      const outOffset = pad();
      const out = new Matrix(randomArray(outOffset + M * (N + 2), rng), outOffset, M, N, N + 2);
      const accumulate = rng.next() < 0.5;
      const expected = Array.from({ length: M }, (_, i) => Array.from({ length: N }, (_, j) => {
        let s = accumulate ? at(out, i, j) : 0;
        for (let k = 0; k < K; k++) s += at(a, i, k) * at(b, k, j);
        return s;
      }));
      matMulInto(typescriptBackend, out, a, b, accumulate);
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        assert.ok(Math.abs(at(out, i, j) - expected[i][j]) < 1e-12, `trial ${trial} (${i}, ${j})`);
      }
    }
  });

  it('refuses shapes that do not chain, a transposed output and a column block out of range', () => {
    const m = rowsAt(new Float64Array(12), 0, 3, 4);
    assert.throws(() => matMulInto(typescriptBackend, rowsAt(new Float64Array(9), 0, 3, 3), m, m), /3×3 = 3×4 · 3×4 does not chain/);
    assert.throws(() => matMulInto(typescriptBackend, m.T, m.T, m), /does not chain/);
    assert.throws(() => m.columns(2, 3), /columns 2…5 of 3×4/);
    assert.deepEqual([m.T.rows, m.T.cols, m.T.T.transposed], [4, 3, false]);
  });
});
