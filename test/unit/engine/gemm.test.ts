import assert from 'node:assert/strict';
import fc from 'fast-check';
import { gemmStrided } from '../../../src/engine/kernels/gemm';
import type { FloatArray } from '../../../src/engine/types';

type Product = (out: FloatArray, a: FloatArray, b: FloatArray, M: number, K: number, N: number, accumulate: boolean) => void;
/** The three forms the engine uses, through gemmStrided's strides (weights stored N×K as PyTorch does). */
const matMulInto: Product = (out, a, b, M, K, N, acc) => gemmStrided(out, 0, N, a, 0, K, 1, b, 0, N, 1, M, K, N, acc);
const matMulTransBInto: Product = (out, a, b, M, K, N, acc) => gemmStrided(out, 0, N, a, 0, K, 1, b, 0, 1, K, M, K, N, acc);
const matMulTransAInto: Product = (out, a, b, M, K, N, acc) => gemmStrided(out, 0, N, a, 0, 1, M, b, 0, N, 1, M, K, N, acc);

/** Naive triple loop in float64: the oracle. */
function reference(a: Float64Array, b: Float64Array, M: number, K: number, N: number, ta: boolean, tb: boolean): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (ta ? a[k * M + i] : a[i * K + k]) * (tb ? b[j * K + k] : b[k * N + j]);
    out[i * N + j] = s;
  }
  return out;
}

describe('gemm kernels', () => {
  it('plain, transposed-A and transposed-B products match a naive loop for every edge shape (accumulate on and off)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), fc.integer(),
      (M, K, N, accumulate, seed) => {
        let s = seed;
        const rnd = () => ((s = (s * 1103515245 + 12345) | 0) >>> 8) / (1 << 24) - 0.5;
        const a = Float64Array.from({ length: M * K }, rnd);
        const b = Float64Array.from({ length: K * N }, rnd);
        const start = Float64Array.from({ length: M * N }, rnd);
        for (const [fn, ta, tb] of [[matMulInto, false, false], [matMulTransAInto, true, false], [matMulTransBInto, false, true]] as const) {
          const out = Float64Array.from(start);
          fn(out, a, b, M, K, N, accumulate);
          const want = reference(a, b, M, K, N, ta, tb);
          for (let i = 0; i < M * N; i++) assert.ok(Math.abs(out[i] - (want[i] + (accumulate ? start[i] : 0))) < 1e-9, `${fn.name} ${M}×${K}×${N}`);
        }
      }), { seed: 42, numRuns: 150 });
  });

  it('offsets and an output row stride wider than N write only the addressed block', () => {
    const a = Float32Array.from({ length: 2 + 5 * 3 }, (_, i) => i - 4);
    const b = Float32Array.from({ length: 3 * 6 }, (_, i) => (i % 5) - 2);
    const out = new Float32Array(2 * 10).fill(7);
    gemmStrided(out, 1, 10, a, 2, 3, 1, b, 0, 6, 1, 2, 3, 6, false);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += a[2 + i * 3 + k] * b[k * 6 + j];
      assert.equal(out[i * 10 + 1 + j], s);
    }
    assert.equal(out[0], 7);
    assert.equal(out[7], 7);
    assert.equal(out[10], 7);
  });
});
