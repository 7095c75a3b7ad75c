/**
 * Float32 conformance of each wasm backend against the TypeScript reference: every gemm form
 * (plain, Bᵀ, Aᵀ, arbitrary strides, K = 0, accumulate, foreign operands) on random shapes with
 * edges, every element-wise kernel against the cells' own formulas in float64, the documented
 * error bounds of the approximations, and every optimizer's update. Whole models: wasmModelConformance.test.ts.
 */
import assert from 'node:assert/strict';
import { typescriptBackend, type Backend } from '../../../src/engine/kernels/backend';
import { gemmStrided } from '../../../src/engine/kernels/gemm';
import { createOptimizer } from '../../../src/engine/optimizers';
import { Rng } from '../../../src/engine/random';
import { WASM_BACKENDS } from './backends';
import { maxExcess } from './maxExcess';
import { OPTIMIZER_CONFIGS } from './optimizerConfigs';

/**
 * Documented bounds (README, scripts/wasm/elementwiseWat.mjs): tanh relative (so also absolute),
 * σ absolute, exp relative above float32's smallest normal (below x ≈ −87.3, exp gives ≈ 1.2e−38).
 */
const TANH_ERROR = 5e-7;
const SIGMOID_ERROR = 5e-7;
const EXP_RELATIVE_ERROR = 5e-7;
const EXP_FLOOR = 1.2e-38;

const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33];

function filled(backend: Backend | null, n: number, rng: Rng): Float32Array {
  const x = backend ? (backend.allocate(n, 'float32') as Float32Array) : new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  return x;
}

type Form = 'nn' | 'nt' | 'tn' | 'strided';
/** Strides (aRow, aCol, bRow, bCol) of each form for M×K·K×N; 'strided' reads A with a gap per row and B transposed with a gap. */
function strides(form: Form, M: number, K: number, N: number): [number, number, number, number, number, number] {
  switch (form) {
    case 'nn': return [K, 1, N, 1, M * K, K * N];
    case 'nt': return [K, 1, 1, K, M * K, K * N];
    case 'tn': return [1, M, N, 1, M * K, K * N];
    case 'strided': return [2 * K + 1, 2, 1, K + 3, M * (2 * K + 1), N * (K + 3)];
  }
}

for (const { name, backend: testBackend } of WASM_BACKENDS) {
  describe(`wasm conformance against ts, float32 [${name}]`, () => {
    const backend = testBackend();
    const kernels = backend.elementwise!;

    it('allocates float32 in its memory, float64 as ordinary arrays, zero-filled', () => {
      const f = backend.allocate(37, 'float32');
      const d = backend.allocate(5, 'float64');
      assert.ok(f instanceof Float32Array && kernels.accepts(f) && f.every((v) => v === 0));
      assert.ok(d instanceof Float64Array && !kernels.accepts(d));
      assert.ok(!kernels.accepts(new Float32Array(4)));
    });

    it('views made before the memory grows stay valid after it', () => {
      const early = backend.allocate(8, 'float32');
      early.set([1, 2, 3, 4, 5, 6, 7, 8]);
      const big = backend.allocate(8 << 20, 'float32'); // 32 MiB: forces growth
      big[big.length - 1] = 9;
      assert.deepEqual([...early], [1, 2, 3, 4, 5, 6, 7, 8]);
      assert.ok(kernels.accepts(early) && kernels.accepts(big));
      const out = backend.allocate(1, 'float32');
      backend.gemm(out, 0, 1, early, 0, 8, 1, early, 0, 1, 1, 1, 8, 1, false);
      assert.equal(out[0], 204);
    });

    for (const form of ['nn', 'nt', 'tn', 'strided'] as Form[]) {
      it(`gemm ${form}: every M, K, N in ${SIZES.join(',')}-style shapes, with and without accumulate, in memory and foreign`, () => {
        const rng = new Rng(form.length * 7 + 1);
        let worst = 0;
        for (let trial = 0; trial < 120; trial++) {
          const M = SIZES[rng.int(SIZES.length)];
          const K = trial === 0 ? 0 : trial < 4 ? 300 + rng.int(300) : SIZES[rng.int(SIZES.length)];
          const N = SIZES[rng.int(SIZES.length)];
          const [aRow, aCol, bRow, bCol, aLen, bLen] = strides(form, M, K, N);
          const accumulate = rng.next() < 0.5;
          const foreign = trial % 5 === 4 ? 'a' : trial % 5 === 3 ? 'out' : trial % 7 === 6 ? 'b' : '';
          const aOff = rng.int(3), bOff = rng.int(3), outOff = rng.int(3), outRow = N + rng.int(3);
          const a = filled(foreign === 'a' ? null : backend, aLen + aOff, rng);
          const b = filled(foreign === 'b' ? null : backend, bLen + bOff, rng);
          const outLen = outOff + (M - 1) * outRow + N + 2;
          const out = filled(foreign === 'out' ? null : backend, outLen, rng);
          const expected = Float32Array.from(out);
          const scale = new Float64Array(outLen);
          backend.gemm(out, outOff, outRow, a, aOff, aRow, aCol, b, bOff, bRow, bCol, M, K, N, accumulate);
          gemmStrided(expected, outOff, outRow, a, aOff, aRow, aCol, b, bOff, bRow, bCol, M, K, N, accumulate);
          // allowance per entry: float32 rounding of a sum of K products, relative to Σ|a||b| (+ |C| when accumulating)
          gemmStrided(scale, outOff, outRow, a.map(Math.abs), aOff, aRow, aCol, b.map(Math.abs), bOff, bRow, bCol, M, K, N, false);
          worst = Math.max(worst, maxExcess(out, expected, (i) => 1e-6 * (K + 2) * (scale[i] + Math.abs(expected[i])) + 1e-30));
          // entries outside the rows' N columns are untouched
          for (let i = 0; i < outLen; i++) {
            const r = Math.floor((i - outOff) / outRow);
            const inside = i >= outOff && r < M && (i - outOff) % outRow < N;
            if (!inside) assert.equal(out[i], expected[i], `entry ${i} outside C changed`);
          }
        }
        assert.ok(worst <= 1, `worst error ${worst} of its allowance`);
      });
    }

    it(`tanh: |error| ≤ ${TANH_ERROR} absolute and relative on [−20, 20] and near 0 (tanhSum)`, () => {
      const xs = Array.from({ length: 200001 }, (_, i) => -20 + (40 * i) / 200000);
      for (let e = -30; e < 0; e += 0.01) xs.push(10 ** e, -(10 ** e));
      const x = backend.allocate(xs.length, 'float32');
      x.set(xs);
      const zero = backend.allocate(xs.length, 'float32');
      const y = backend.allocate(xs.length, 'float32');
      kernels.tanhSum(y, 0, x, 0, zero, 0, xs.length);
      for (let i = 0; i < xs.length; i++) {
        const r = Math.tanh(x[i]);
        assert.ok(Math.abs(y[i] - r) <= TANH_ERROR * Math.max(Math.abs(r), 1e-30) || Math.abs(y[i] - r) <= 1e-45, `tanh(${x[i]}) = ${y[i]}, want ${r}`);
      }
    });

    it(`softmax rows: probabilities within ${EXP_RELATIVE_ERROR}·(a few) relative, max and z as in float64; exp error bound`, () => {
      const rng = new Rng(5);
      for (const O of [1, 3, 4, 5, 65, 130]) {
        const rows = 7;
        const x = filled(backend, rows * O, rng);
        for (let i = 0; i < x.length; i++) x[i] *= 30; // logits far apart: exp over ~[−170, 0]
        const out = backend.allocate(rows * O, 'float32');
        const stats = kernels.softmaxRows(x, out, rows, O);
        for (let r = 0; r < rows; r++) {
          const row = Array.from(x.subarray(r * O, (r + 1) * O));
          const max = Math.max(...row);
          // exp's bound is for its float32 argument: x − max is rounded to float32 first
          const z = row.reduce((s, v) => s + Math.exp(Math.fround(v - max)), 0);
          assert.equal(stats[2 * r], Math.fround(max));
          assert.ok(Math.abs(stats[2 * r + 1] - z) <= 4 * EXP_RELATIVE_ERROR * z, `z ${stats[2 * r + 1]} vs ${z}`);
          for (let j = 0; j < O; j++) {
            const p = Math.exp(Math.fround(row[j] - max)) / z;
            assert.ok(Math.abs(out[r * O + j] - p) <= 4 * EXP_RELATIVE_ERROR * p + EXP_FLOOR, `p ${out[r * O + j]} vs ${p}`);
          }
        }
      }
      // exp alone: a row of [v, 0] has z = 1 + e^(v) for v < 0
      const x = backend.allocate(2, 'float32');
      const out = backend.allocate(2, 'float32');
      for (let v = -87; v < 0; v += 0.013) {
        x[0] = v;
        const stats = kernels.softmaxRows(x, out, 1, 2);
        const e = Math.exp(Math.fround(v));
        assert.ok(Math.abs(stats[1] - 1 - e) <= EXP_RELATIVE_ERROR * e + 6e-8, `exp(${v})`);
      }
    });

    const cellCases = [
      ['LSTM', 4],
      ['GRU', 3],
    ] as const;
    for (const [cell, G] of cellCases) {
      it(`${cell} forward and backward of 1 and 3 rows match the cell's formulas (float64) within the σ/tanh bounds`, () => {
        const rng = new Rng(G);
        for (const rows of [1, 3]) {
          for (const H of [1, 3, 4, 5, 8, 13]) {
            const arr = (n: number, s = 2) => { const a = filled(backend, rows * n, rng); for (let i = 0; i < rows * n; i++) a[i] *= s; return a; };
            const xp = arr(G * H), hp = arr(G * H), prev = arr(H), dh = arr(H), carry = arr(H, 1), dhPrev = arr(H, 1);
            const gates = arr(G * H), aux = arr(H), c = arr(H), h = arr(H), dx = arr(G * H), dhid = arr(G * H);
            const carryIn = Array.from(carry);
            const dhPrevIn = Array.from(dhPrev);
            const sig = (v: number) => 1 / (1 + Math.exp(-v));
            const tol = (v: number) => 8 * Math.max(TANH_ERROR, SIGMOID_ERROR) * (1 + Math.abs(v)) * 4;
            const close = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) <= tol(want), `${cell} rows=${rows} H=${H} ${what}: ${got} vs ${want}`);
            if (cell === 'LSTM') {
              kernels.lstmForward(xp, 0, hp, 0, prev, 0, gates, 0, c, 0, aux, 0, h, 0, H, rows);
              kernels.lstmBackward(gates, 0, aux, 0, prev, 0, dh, 0, carry, 0, dx, 0, H, rows);
            } else {
              kernels.gruForward(xp, 0, hp, 0, prev, 0, gates, 0, aux, 0, h, 0, H, rows);
              kernels.gruBackward(gates, 0, aux, 0, prev, 0, dh, 0, dx, 0, dhid, 0, H, rows);
              kernels.gruCarry(dhPrev, 0, dh, 0, gates, 0, H, rows);
            }
            for (let row = 0; row < rows; row++) {
              const g0 = row * G * H; // the row's gate block
              for (let u = 0; u < H; u++) {
                const j = row * H + u; // the row's unit u in the H-wide arrays
                if (cell === 'LSTM') {
                  const i = sig(xp[g0 + u] + hp[g0 + u]), f = sig(xp[g0 + H + u] + hp[g0 + H + u]);
                  const g = Math.tanh(xp[g0 + 2 * H + u] + hp[g0 + 2 * H + u]), o = sig(xp[g0 + 3 * H + u] + hp[g0 + 3 * H + u]);
                  const cn = f * prev[j] + i * g, th = Math.tanh(cn);
                  close(gates[g0 + u], i, 'i'); close(gates[g0 + H + u], f, 'f'); close(gates[g0 + 2 * H + u], g, 'g'); close(gates[g0 + 3 * H + u], o, 'o');
                  close(c[j], cn, 'c'); close(aux[j], th, 'tanh c'); close(h[j], o * th, 'h');
                  const dc = carryIn[j] + dh[j] * o * (1 - th * th);
                  close(dx[g0 + u], dc * g * i * (1 - i), 'da_i'); close(dx[g0 + H + u], dc * prev[j] * f * (1 - f), 'da_f');
                  close(dx[g0 + 2 * H + u], dc * i * (1 - g * g), 'da_g'); close(dx[g0 + 3 * H + u], dh[j] * th * o * (1 - o), 'da_o');
                  close(carry[j], dc * f, 'dc_prev');
                } else {
                  const r = sig(xp[g0 + u] + hp[g0 + u]), z = sig(xp[g0 + H + u] + hp[g0 + H + u]), n = Math.tanh(xp[g0 + 2 * H + u] + r * hp[g0 + 2 * H + u]);
                  close(gates[g0 + u], r, 'r'); close(gates[g0 + H + u], z, 'z'); close(gates[g0 + 2 * H + u], n, 'n');
                  close(aux[j], hp[g0 + 2 * H + u], 'W_hn·h + b_hn'); close(h[j], (1 - z) * n + z * prev[j], 'h');
                  const dan = dh[j] * (1 - z) * (1 - n * n), daz = dh[j] * (prev[j] - n) * z * (1 - z), dar = dan * hp[g0 + 2 * H + u] * r * (1 - r);
                  close(dx[g0 + u], dar, 'da_r'); close(dx[g0 + H + u], daz, 'da_z'); close(dx[g0 + 2 * H + u], dan, 'da_n');
                  close(dhid[g0 + u], dar, 'hidden da_r'); close(dhid[g0 + H + u], daz, 'hidden da_z'); close(dhid[g0 + 2 * H + u], dan * r, 'hidden da_n⊙r');
                  close(dhPrev[j], dhPrevIn[j] + dh[j] * gates[g0 + H + u], 'dh_prev + dh⊙z');
                }
              }
            }
          }
        }
      });
    }

    it('tanh backward, ReLU forward and backward, bias rows, column sums and scale match their TS loops', () => {
      const rng = new Rng(8);
      for (const n of [1, 3, 4, 7, 64, 65]) {
        const rows = 5;
        const [out, dh, h, bias, m, sum, y, relu, dRelu] = [n, n, n, n, rows * n, n, n, n, n].map((len) => filled(backend, len, rng));
        const sum0 = Float64Array.from(sum);
        kernels.tanhBackward(out, 0, dh, 0, h, 0, n);
        for (let j = 0; j < n; j++) assert.equal(out[j], Math.fround(dh[j] * Math.fround(1 - Math.fround(h[j] * h[j]))));
        // ReLU, as the vanilla cell's TS loops: a = x + h, a > 0 ? a : 0; dh · (h > 0 ? 1 : 0). Exact, signed zeros included.
        h[0] = 0;
        dh[n - 1] = -dh[n - 1];
        kernels.reluSum(relu, 0, y, 0, h, 0, n);
        kernels.reluBackward(dRelu, 0, dh, 0, h, 0, n);
        for (let j = 0; j < n; j++) {
          const a = y[j] + h[j];
          assert.ok(Object.is(relu[j], Math.fround(a > 0 ? a : 0)), `relu(${a}) = ${relu[j]}`);
          assert.ok(Object.is(dRelu[j], Math.fround(dh[j] * (h[j] > 0 ? 1 : 0))), `relu'(${h[j]})·${dh[j]} = ${dRelu[j]}`);
        }
        const m0 = Float64Array.from(m);
        kernels.addRowBias(m, 0, rows, bias, n);
        for (let i = 0; i < rows * n; i++) assert.equal(m[i], Math.fround(m0[i] + bias[i % n]));
        kernels.addColumnSums(sum, m, 0, rows, n);
        for (let j = 0; j < n; j++) {
          let s = sum0[j];
          for (let r = 0; r < rows; r++) s += m[r * n + j];
          assert.ok(Math.abs(sum[j] - s) <= 1e-6 * (Math.abs(s) + rows * 4));
        }
        const y0 = Float64Array.from(y);
        kernels.scale(y, 1, n - 1, 2);
        for (let j = 1; j < n; j++) assert.equal(y[j], Math.fround(2 * y0[j]));
      }
    });

    it('optimizer updates (SGD with and without momentum, Nesterov and weight decay, Adam, AdamW, Adagrad, RMSprop with and without momentum) in wasm follow the TS reference step for step, moments beside the params', () => {
      for (const config of OPTIMIZER_CONFIGS) {
        const rng = new Rng(21);
        const make = (target: Backend | null) => [67, 5].map((n, i) => {
          const data = filled(target, n, new Rng(30 + i));
          const grad = filled(target, n, new Rng(40 + i));
          return { name: `p${i}`, shape: [n], data, grad, noDecay: i === 1 };
        });
        const wasmParams = make(backend);
        const tsParams = make(null);
        const wasmOptimizer = createOptimizer(config, wasmParams, backend);
        const tsOptimizer = createOptimizer(config, tsParams, typescriptBackend);
        for (let step = 0; step < 4; step++) {
          for (let p = 0; p < 2; p++) {
            for (let i = 0; i < wasmParams[p].grad.length; i++) wasmParams[p].grad[i] = tsParams[p].grad[i] = Math.fround(rng.normal());
          }
          wasmOptimizer.step(config.learningRate);
          tsOptimizer.step(config.learningRate);
        }
        for (let p = 0; p < 2; p++) {
          const worst = maxExcess(wasmParams[p].data, tsParams[p].data, (i) => 2e-6 * (1 + Math.abs(tsParams[p].data[i])));
          assert.ok(worst <= 1, `${JSON.stringify(config)} ${wasmParams[p].name}: ${worst}× the float32 tolerance`);
        }
        const state = wasmOptimizer.getState();
        for (const [key, value] of tsOptimizer.getState()) {
          const worst = maxExcess(state.get(key)!, value, (i) => 2e-6 * (1 + Math.abs(value[i])));
          assert.ok(worst <= 1, `${JSON.stringify(config)} state ${key}: ${worst}×`);
        }
      }
    });
  });
}
