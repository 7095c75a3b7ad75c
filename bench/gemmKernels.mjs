#!/usr/bin/env node
// Dev tool (not shipped, not a test): GFLOP/s of wasm GEMM kernel variants on the shapes a
// training step calls (bench/gemmShapes.ts lists them per config). Each variant is a module built
// from scripts/wasm/gemmWat.mjs with other options; the variants run alternately, round by round,
// on the same operands, so a busy machine slows them alike. Reports the best and the median round.
//
//   node bench/gemmKernels.mjs [--variants base,panels] [--shapes C1] [--rounds 5] [--simd] [--ms 15]
//
// --shapes: a config label (C1, C2, C3, C4), or all. --simd: mul + add instead of relaxed FMA.
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import wabtInit from 'wabt';
import { dotGemm, packedGemm, rowMajorGemm, transposeWat } from '../scripts/wasm/gemmWat.mjs';

setFlagsFromString('--experimental-wasm-relaxed-simd');

/** [config, form, M, K, N, acc] of the products of one step (B and B/2), from bench/gemmShapes.ts. */
const SHAPES = [
  ['C1', 'nt', 32, 128, 128, 0], ['C1', 'nn', 32, 128, 128, 0], ['C1', 'tn', 128, 2048, 128, 1],
  ['C1', 'nt', 2048, 128, 65, 0], ['C1', 'nn', 2048, 65, 128, 1], ['C1', 'tn', 65, 2048, 128, 1],
  ['C1', 'nt', 16, 128, 128, 0], ['C1', 'nn', 16, 128, 128, 0], ['C1', 'tn', 128, 1024, 128, 1],
  ['C2', 'nt', 64, 256, 256, 0], ['C2', 'nn', 64, 256, 256, 0], ['C2', 'tn', 256, 6400, 256, 1],
  ['C2', 'nt', 32, 256, 256, 0], ['C2', 'nn', 32, 256, 256, 0], ['C2', 'tn', 256, 3200, 256, 1],
  ['C2', 'nt', 6400, 256, 65, 0], ['C2', 'nn', 6400, 65, 256, 1], ['C2', 'tn', 65, 6400, 256, 1],
  ['C3', 'tn', 128, 2048, 256, 1], ['C3', 'nt', 2048, 256, 128, 1], ['C3', 'nn', 2048, 128, 256, 1],
  ['C4', 'nt', 32, 128, 512, 0], ['C4', 'nn', 32, 512, 128, 0], ['C4', 'tn', 512, 2048, 128, 1],
  ['C4', 'nt', 16, 128, 512, 0], ['C4', 'nn', 16, 512, 128, 0], ['C4', 'tn', 512, 1024, 128, 1],
  ['C3', 'tn', 128, 2048, 16, 1], ['C3', 'tn', 128, 1024, 16, 1],
  ['X', 'tn', 128, 256, 128, 1], ['X', 'tn', 32, 512, 32, 1], ['X', 'tn', 16, 1024, 16, 1], ['X', 'tn', 400, 1600, 100, 1],
  ['C4', 'nt', 32, 128, 384, 0], ['C4', 'nn', 32, 384, 128, 0], ['C4', 'tn', 384, 2048, 128, 1],
];

/**
 * Variants: per form the generator options, or for nt `{ viaNN: opts }`: B transposed into
 * scratch, then an NN kernel. `kBlock`: the K blocking of the dispatcher (wasmGemm.ts).
 */
const VARIANTS = {
  base: { nn: {}, tn: {}, nt: {} },
  panels: { nn: { panels: true }, tn: { panels: true }, nt: { viaNN: { panels: true } } },
  packtn: { nn: {}, tn: { packed: true }, nt: {} },
  packtn128: { nn: {}, tn: { packed: true }, nt: {}, kBlock: 128 },
  packtn512: { nn: {}, tn: { packed: true }, nt: {}, kBlock: 512 },
  ntnn: { nn: {}, tn: {}, nt: { viaNN: {} } },
  ntnnp: { nn: {}, tn: {}, nt: { viaNN: { panels: true } } },
  packb: { nn: {}, tn: { packed: 'b' }, nt: {} },
  r5: { nn: { rows: [5, 1] }, tn: { rows: [5, 1] }, nt: {} },
  r6: { nn: { rows: [6, 1] }, tn: { rows: [6, 1] }, nt: { viaNN: {} } },
  r6p: { nn: { rows: [6, 2, 1], panels: true }, tn: { rows: [6, 2, 1], panels: true }, nt: { viaNN: { rows: [6, 2, 1], panels: true } } },
  w12: { nn: { rows: [3, 1], widths: [12, 8, 4, 1] }, tn: { rows: [3, 1], widths: [12, 8, 4, 1] }, nt: { viaNN: { rows: [3, 1], widths: [12, 8, 4, 1] } } },
  w16: { nn: { rows: [3, 1], widths: [16, 8, 4, 1] }, tn: { rows: [3, 1], widths: [16, 8, 4, 1] }, nt: { viaNN: { rows: [4, 1], panels: true } } },
};

const { values } = parseArgs({
  options: {
    variants: { type: 'string', default: 'base' },
    shapes: { type: 'string', default: 'all' },
    rounds: { type: 'string', default: '5' },
    ms: { type: 'string', default: '15' },
    simd: { type: 'boolean', default: false },
    forms: { type: 'string', default: 'nn,nt,tn' },
  },
});
const fma = !values.simd;
const wabt = await wabtInit();
const memory = new WebAssembly.Memory({ initial: 1024, maximum: 65536, shared: true });

function instantiate(variant) {
  const funcs = [];
  for (const form of ['nn', 'tn']) funcs.push(rowMajorGemm(form, fma, variant[form] ?? {}));
  if (variant.tn.packed) {
    const packed = packedGemm(fma);
    if (variant.tn.packed === 'b') packed[0] = rowMajorGemm('tp', fma, { name: 'gemm_pk' });
    funcs.push(...packed);
  }
  if (variant.nt.viaNN) funcs.push(rowMajorGemm('nn', fma, { ...variant.nt.viaNN, name: 'gemm_nt_nn' }), transposeWat());
  else funcs.push(dotGemm(fma, variant.nt));
  const wat = `(module\n(import "env" "memory" (memory 1 65536 shared))\n${funcs.join('\n')}\n)`;
  const module = wabt.parseWat('v.wat', wat, { simd: true, relaxed_simd: true, threads: true });
  const bytes = module.toBinary({}).buffer;
  module.destroy();
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  const kBlock = variant.kBlock ?? 256;
  /** The dispatcher: K blocks as wasmGemm does; nt via a transposed copy at `scratch`. */
  return (form, pc, ldc, pa, lda, pb, ldb, M, K, N, acc, scratch) => {
    if (form === 'nt' && variant.nt.viaNN) {
      exports.transpose(scratch, N, pb, ldb, N, K);
      form = 'nt_nn';
      pb = scratch;
      ldb = N;
    }
    if (form === 'tn' && variant.tn.packed && M % 4 === 0) {
      const pA = scratch, pB = scratch + 4 * M * kBlock;
      for (let k0 = 0; k0 < K; k0 += kBlock) {
        const kc = Math.min(kBlock, K - k0);
        exports.pack_b(pB, pb + 4 * k0 * ldb, ldb, kc, N);
        if (variant.tn.packed === 'b') {
          exports.gemm_pk(pc, ldc, pa + 4 * k0 * lda, lda, pB, 0, M, kc, N, acc || k0 > 0 ? 1 : 0);
        } else {
          exports.pack_a(pA, pa + 4 * k0 * lda, lda, kc, M);
          exports.gemm_pk(pc, ldc, pA, 0, pB, 0, M, kc, N, acc || k0 > 0 ? 1 : 0);
        }
      }
      return;
    }
    const kernel = exports[`gemm_${form}`];
    const aStep = form === 'tn' ? lda : 1;
    const bStep = form === 'nt' ? 1 : ldb;
    for (let k0 = 0; k0 < K; k0 += kBlock) {
      kernel(pc, ldc, pa + 4 * k0 * aStep, lda, pb + 4 * k0 * bStep, ldb, M, Math.min(kBlock, K - k0), N, acc || k0 > 0 ? 1 : 0);
    }
  };
}

const names = values.variants.split(',');
const runs = names.map((name) => {
  if (!VARIANTS[name]) throw new RangeError(`unknown variant ${name}; known: ${Object.keys(VARIANTS).join(', ')}`);
  return instantiate(VARIANTS[name]);
});
const forms = values.forms.split(',');
const shapes = SHAPES.filter(([config, form]) => (values.shapes === 'all' || values.shapes.split(',').includes(config)) && forms.includes(form));
const rounds = Number(values.rounds);
const f32 = () => new Float32Array(memory.buffer);

/** Operands of a shape in the memory, filled with noise: byte pointers and leading dimensions. */
function place(form, M, K, N) {
  // as the engine lays them out: A M×K (tn: K×M), B K×N (nt: N×K), C M×N
  const [aRows, aCols] = form === 'tn' ? [K, M] : [M, K];
  const [bRows, bCols] = form === 'nt' ? [N, K] : [K, N];
  const align = (x) => Math.ceil(x / 64) * 64;
  const pa = 4096, pb = align(pa + 4 * aRows * aCols), pc = align(pb + 4 * bRows * bCols), scratch = align(pc + 4 * M * N);
  const view = f32();
  for (let i = pa / 4; i < scratch / 4; i++) view[i] = Math.random() - 0.5;
  return { pa, lda: aCols, pb, ldb: bCols, pc, scratch };
}

// warm-up: every variant on every shape until V8 has tiered the kernels up
for (const [, form, M, K, N, acc] of shapes) {
  const { pa, lda, pb, ldb, pc, scratch } = place(form, M, K, N);
  for (const run of runs) {
    const t0 = performance.now();
    while (performance.now() - t0 < 30) run(form, pc, N, pa, lda, pb, ldb, M, K, N, acc, scratch);
  }
}

console.log(`fma ${fma}; GFLOP/s per CPU second, best / median of ${rounds} rounds`);
console.log(['cfg', 'form', '   M', '   K', '   N', 'acc', ...names.map((n) => n.padStart(13))].join(' '));
for (const [config, form, M, K, N, acc] of shapes) {
  const { pa, lda, pb, ldb, pc, scratch } = place(form, M, K, N);
  const flop = 2 * M * K * N;
  const samples = names.map(() => []);
  for (let round = 0; round < rounds; round++) {
    runs.forEach((run, v) => {
      run(form, pc, N, pa, lda, pb, ldb, M, K, N, acc, scratch);
      // CPU time of this process, not wall time: time slices lost to other processes don't count
      let calls = 0;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      while (performance.now() - t0 < Number(values.ms)) {
        for (let r = 0; r < 4; r++) run(form, pc, N, pa, lda, pb, ldb, M, K, N, acc, scratch);
        calls += 4;
      }
      const c = process.cpuUsage(c0);
      samples[v].push((flop * calls) / ((c.user + c.system) / 1000) / 1e6);
    });
  }
  const cell = (xs) => {
    const s = [...xs].sort((x, y) => x - y);
    return `${s[s.length - 1].toFixed(1)}/${s[Math.floor(s.length / 2)].toFixed(1)}`.padStart(13);
  };
  console.log([config.padEnd(3), form.padEnd(4), String(M).padStart(4), String(K).padStart(4), String(N).padStart(4), String(acc).padStart(3), ...samples.map(cell)].join(' '));
}
