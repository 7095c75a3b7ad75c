/**
 * The wasm gemm kernels on the edges the conformance suite's random shapes leave out: leading
 * dimensions wider than the rows (lda, ldb, ldc > width) in each contiguous form, and the packed
 * path of long Aᵀ·B sums (wasmGemm.ts packsTransposedA: pack_a, pack_b, gemm_pk) with its column
 * remainders (panels of 8, 4 and 1), several K blocks and a partial last one, accumulate on and
 * off, and foreign operands. Float32 against the TypeScript kernel, within float32 rounding.
 */
import assert from 'node:assert/strict';
import { gemmStrided } from '../../../src/engine/kernels/gemm';
import { Rng } from '../../../src/engine/random';
import { packsTransposedA } from '../../../src/engine/wasm/wasmGemm';
import { WASM_BACKENDS } from './backends';
import { maxExcess } from './maxExcess';
import type { Backend } from '../../../src/engine/kernels/backend';

type Form = 'nn' | 'nt' | 'tn';

interface Case {
  form: Form;
  M: number;
  K: number;
  N: number;
  accumulate: boolean;
  /** Floats of slack past each row of A, B and C (lda − width etc.). */
  gaps: [number, number, number];
  foreign?: 'a' | 'b' | 'out';
}

function filled(backend: Backend, n: number, rng: Rng, foreign: boolean): Float32Array {
  const x = foreign ? new Float32Array(n) : (backend.allocate(n, 'float32') as Float32Array);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  return x;
}

/** Runs one case on `backend` and on the TS kernel; returns the worst error as a share of its allowance. */
function check(backend: Backend, c: Case, rng: Rng): number {
  const { form, M, K, N, accumulate, gaps } = c;
  // A M×K (tn: stored K×M), B K×N (nt: stored N×K), C M×N; rows longer by `gaps`
  const [aRows, aWidth] = form === 'tn' ? [K, M] : [M, K];
  const [bRows, bWidth] = form === 'nt' ? [N, K] : [K, N];
  const lda = aWidth + gaps[0], ldb = bWidth + gaps[1], ldc = N + gaps[2];
  const [aRow, aCol] = form === 'tn' ? [1, lda] : [lda, 1];
  const [bRow, bCol] = form === 'nt' ? [1, ldb] : [ldb, 1];
  const aOff = 1, bOff = 2, outOff = 3;
  const a = filled(backend, aOff + aRows * lda, rng, c.foreign === 'a');
  const b = filled(backend, bOff + bRows * ldb, rng, c.foreign === 'b');
  const out = filled(backend, outOff + M * ldc + 2, rng, c.foreign === 'out');
  const expected = Float32Array.from(out);
  const scale = new Float64Array(out.length);
  backend.gemm(out, outOff, ldc, a, aOff, aRow, aCol, b, bOff, bRow, bCol, M, K, N, accumulate);
  gemmStrided(expected, outOff, ldc, a, aOff, aRow, aCol, b, bOff, bRow, bCol, M, K, N, accumulate);
  gemmStrided(scale, outOff, ldc, a.map(Math.abs), aOff, aRow, aCol, b.map(Math.abs), bOff, bRow, bCol, M, K, N, false);
  for (let i = 0; i < out.length; i++) {
    const inside = i >= outOff && Math.floor((i - outOff) / ldc) < M && (i - outOff) % ldc < N;
    if (!inside) assert.equal(out[i], expected[i], `${JSON.stringify(c)}: entry ${i} outside C changed`);
  }
  return maxExcess(out, expected, (i) => 1e-6 * (K + 2) * (scale[i] + Math.abs(expected[i])) + 1e-30);
}

const EDGE = [1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17];

for (const { name, backend: testBackend } of WASM_BACKENDS) {
  describe(`wasm gemm edge shapes [${name}]`, () => {
    const backend = testBackend();

    it('nn, nt, tn with lda, ldb, ldc wider than the rows, M, K, N over 1, odd and tile remainders, accumulate on and off', () => {
      const rng = new Rng(11);
      let worst = 0;
      for (const form of ['nn', 'nt', 'tn'] as Form[]) {
        for (const M of EDGE) {
          for (let trial = 0; trial < 6; trial++) {
            const K = EDGE[rng.int(EDGE.length)];
            const N = EDGE[rng.int(EDGE.length)];
            const gaps: [number, number, number] = [1 + rng.int(5), 1 + rng.int(5), 1 + rng.int(5)];
            worst = Math.max(worst, check(backend, { form, M, K, N, accumulate: trial % 2 === 1, gaps }, rng));
          }
        }
      }
      assert.ok(worst <= 1, `worst error ${worst} of its allowance`);
    });

    it('long Aᵀ·B sums on packed panels: column panels of 8, 4 and 1, whole and partial K blocks, strides, foreign operands', () => {
      const rng = new Rng(12);
      const cases: Case[] = [];
      for (const [M, N] of [[256, 64], [260, 65], [64, 256], [68, 263], [256, 68], [128, 271], [256, 77]]) {
        for (const K of [257, 512, 700]) {
          const accumulate = rng.next() < 0.5;
          const foreign = (['a', 'b', 'out', undefined] as const)[rng.int(4)];
          cases.push({ form: 'tn', M, K, N, accumulate, gaps: [rng.int(3), rng.int(3), rng.int(3)], foreign });
        }
      }
      let worst = 0;
      for (const c of cases) {
        assert.ok(packsTransposedA(c.M, c.K, c.N), `${c.M}×${c.K}×${c.N} takes the packed path`);
        worst = Math.max(worst, check(backend, c, rng));
      }
      // just outside the bounds: the plain kernel, same results
      for (const [M, K, N] of [[258, 700, 64], [256, 256, 64], [256, 700, 60], [64, 700, 252]]) {
        assert.ok(!packsTransposedA(M, K, N));
        worst = Math.max(worst, check(backend, { form: 'tn', M, K, N, accumulate: true, gaps: [1, 2, 3] }, rng));
      }
      assert.ok(worst <= 1, `worst error ${worst} of its allowance`);
    });
  });
}
