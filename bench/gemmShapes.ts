/**
 * Dev tool (not shipped, not a test): which matrix products a training step of each bench config
 * calls, and how long each takes inside the step. Wraps `backend.gemm` of a real step
 * (bench/trainingStep.ts), at the config's batch B and at B/2 (one thread's share of the
 * 2-thread data-parallel split), and prints per (form, M, K, N, accumulate): calls per step, µs
 * per call, GFLOP/s and share of the step's time.
 *
 *   npx tsx bench/gemmShapes.ts [--config C1,C4] [--backend wasm-fma] [--steps 20] [--clock cpu|wall] [--json]
 *
 * `--clock cpu` (the default) times each call in this process's CPU time (process.cpuUsage, µs
 * resolution, about 1 µs per reading), so time slices lost to other processes on a shared
 * machine do not count; `wall` uses performance.now().
 * `--json` prints one object per shape (the input of bench/gemmKernels.mjs).
 * Forms as in src/engine/wasm/wasmGemm.ts: nn A·B, nt A·Bᵀ, tn Aᵀ·B, strided anything else.
 */
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import { isBackendPreference, selectBackend } from '../src/engine/kernels/selectBackend';
import type { Backend } from '../src/engine/kernels/backend';
import { rowLabel, selectConfigs, type BenchConfig } from './configs';
import { createTrainingStep } from './trainingStep';

setFlagsFromString('--experimental-wasm-relaxed-simd');

interface ShapeStats {
  form: string;
  M: number;
  K: number;
  N: number;
  acc: boolean;
  lda: number;
  ldb: number;
  ldc: number;
  calls: number;
  ms: number;
  /** Every call's duration (ms), for the median. */
  samples: number[];
}

function formOf(aRow: number, aCol: number, bRow: number, bCol: number): string {
  if (aCol === 1 && bCol === 1) return 'nn';
  if (aCol === 1 && bRow === 1) return 'nt';
  if (aRow === 1 && bCol === 1) return 'tn';
  return 'strided';
}

/** The backend with its gemm timed per shape into `stats`. */
/** ms now, on the clock chosen. */
let clock = (): number => performance.now();
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function instrumented(backend: Backend, stats: Map<string, ShapeStats>, on: { value: boolean }): Backend {
  const gemm = backend.gemm;
  return {
    ...backend,
    gemm(out, outOff, outRow, a, aOff, aRow, aCol, b, bOff, bRow, bCol, M, K, N, accumulate) {
      if (!on.value) return gemm(out, outOff, outRow, a, aOff, aRow, aCol, b, bOff, bRow, bCol, M, K, N, accumulate);
      const t0 = clock();
      gemm(out, outOff, outRow, a, aOff, aRow, aCol, b, bOff, bRow, bCol, M, K, N, accumulate);
      const dt = clock() - t0;
      const form = formOf(aRow, aCol, bRow, bCol);
      const key = `${form} ${M} ${K} ${N} ${accumulate} ${outRow}`;
      let s = stats.get(key);
      if (!s) {
        const lda = form === 'tn' ? aCol : aRow;
        const ldb = form === 'nt' ? bCol : bRow;
        s = { form, M, K, N, acc: accumulate, lda, ldb, ldc: outRow, calls: 0, ms: 0, samples: [] };
        stats.set(key, s);
      }
      s.calls++;
      s.ms += dt;
      s.samples.push(dt);
    },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

function profile(config: BenchConfig, preferred: string, steps: number): { stepMs: number; shapes: (ShapeStats & { medianMs: number })[] } {
  if (!isBackendPreference(preferred)) throw new RangeError(`unknown backend ${preferred}`);
  const stats = new Map<string, ShapeStats>();
  const on = { value: false };
  const step = createTrainingStep(config, instrumented(selectBackend({ preferred }).backend, stats, on));
  for (let i = 0; i < 5; i++) step.run();
  // untimed steps for the step's own time, then the timed ones per shape
  const t0 = clock();
  for (let i = 0; i < steps; i++) step.run();
  const stepMs = (clock() - t0) / steps;
  on.value = true;
  for (let i = 0; i < steps; i++) step.run();
  const shapes = [...stats.values()].map((s) => ({ ...s, calls: s.calls / steps, ms: s.ms / steps, medianMs: median(s.samples) }));
  return { stepMs, shapes: shapes.sort((x, y) => y.ms - x.ms) };
}

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: 'C1,C2,C3,C4' },
    backend: { type: 'string', default: 'wasm-fma' },
    steps: { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
    clock: { type: 'string', default: 'cpu' },
  },
});
if (values.clock === 'cpu') clock = cpuMs;
else if (values.clock !== 'wall') throw new RangeError(`--clock cpu or wall, not ${values.clock}`);
const steps = Number(values.steps);
for (const base of selectConfigs(values.config!.split(',').filter(Boolean))) {
  for (const batchSize of [base.batchSize, base.batchSize / 2]) {
    const config = { ...base, batchSize };
    const label = `${rowLabel(config)} B=${batchSize}`;
    const { stepMs, shapes } = profile(config, values.backend!, steps);
    if (values.json) {
      for (const { samples: _, ...s } of shapes) console.log(JSON.stringify({ config: label, ...s }));
      continue;
    }
    const gemmMs = shapes.reduce((t, s) => t + s.ms, 0);
    const flops = shapes.reduce((t, s) => t + 2 * s.M * s.K * s.N * s.calls, 0);
    console.log(`\n${label}: step ${stepMs.toFixed(2)} ms (uninstrumented, ${values.clock} time), gemm ${gemmMs.toFixed(2)} ms, ${(flops / 1e6).toFixed(0)} MFLOP, ${(flops / gemmMs / 1e6).toFixed(1)} GFLOP/s overall`);
    console.log('form     M     K     N  acc  lda  ldb  ldc  calls   µs/call  GFLOP/s  %step  (µs/call and GFLOP/s: median call)');
    for (const s of shapes) {
      const us = 1000 * s.medianMs;
      const gflops = (2 * s.M * s.K * s.N) / us / 1000;
      console.log([
        s.form.padEnd(7), String(s.M).padStart(5), String(s.K).padStart(5), String(s.N).padStart(5), (s.acc ? 'y' : 'n').padStart(4),
        String(s.lda).padStart(4), String(s.ldb).padStart(4), String(s.ldc).padStart(4), String(s.calls).padStart(6),
        us.toFixed(2).padStart(9), gflops.toFixed(1).padStart(8), ((100 * s.ms) / stepMs).toFixed(1).padStart(6),
      ].join(' '));
    }
  }
}
