#!/usr/bin/env node
// `npm run bench:compare`: the engine's bench (dist/bench.js) and the PyTorch reference
// (bench/pytorch_ref.py, 1 thread) run side by side, alternating round by round so both see the
// same machine load, then one table with each config's median ms/step and the ratio engine/PyTorch.
// Never fails because PyTorch is missing: it then prints the engine's numbers and how to install it.
// It prints the BLAS PyTorch runs on, and refuses (exit 1) the reference BLAS: 3-8× slower than
// OpenBLAS, it would make every ratio flatter the engine.
//
//   node bench/compare.mjs [--config C1,C5] [--rounds R] [--reps N] [--backend auto|ts|wasm-simd|wasm-fma]
//                          [--baseline OTHER/dist/bench.js]
//   (R rounds of N reps each; the engine's backend as in dist/bench.js, `auto` by default.
//   --baseline also runs another build's bench in every round, e.g. main's before a change, and adds
//   its ms/step and the ratio engine/baseline: a regression check in one run, under the same load.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const ENGINE_SCRIPT = here('../dist/bench.js');
const PYTORCH_SCRIPT = here('./pytorch_ref.py');
// Debian's python3-torch lives in the system interpreter, which may not be the first python3 on PATH.
const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const INSTALL_HINT = 'apt-get install python3-torch python3-threadpoolctl libopenblas0-pthread';
// Targets as ratios engine/PyTorch of ms per step: the engine issue's for the TypeScript kernels,
// the wasm issue's for the wasm backends.
const TARGET_RATIO = {
  ts: { C1: 7, C5: 0.8 },
  wasm: { C1: 1, C2: 2, C3: 1.5, 'C4-lstm': 1.5, 'C4-gru': 1.5, C5: 0.5 },
};
// TF.js 4.22's wasm backend, ms per step measured on this kind of machine (wasm issue); the engine must be ≥ 10× faster.
const TFJS_MS = { C1: 420, C2: 3360, C3: 1900, 'C4-lstm': 1460, 'C4-gru': 1260, C5: 38 };

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: '' },
    rounds: { type: 'string', default: '3' },
    reps: { type: 'string', default: '3' },
    backend: { type: 'string', default: 'auto' },
    baseline: { type: 'string', default: '' },
  },
});
const rounds = Number(values.rounds);
const selection = values.config ? ['--config', values.config] : [];
const common = ['--json', '--reps', values.reps, ...selection];
const engineArgs = [...common, '--backend', values.backend];

/** Runs one benchmark process; returns its JSON rows, or throws with its stderr. */
function runJsonLines(command, args) {
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${child.status}\n${child.stderr}`);
  return child.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

function pytorchAvailable() {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, threadpoolctl'], { encoding: 'utf8' });
  return probe.status === 0;
}

/** The BLAS PyTorch runs on, as pytorch_ref.py --blas reports it ({ name, version, filepath, reference }). */
function pytorchBlas() {
  const [blas] = runJsonLines(PYTHON, [PYTORCH_SCRIPT, '--blas']);
  return { ...blas, text: [blas.name, blas.version, blas.filepath && `(${blas.filepath})`].filter(Boolean).join(' ') };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const label = (row) => (row.config === 'C4' ? `C4-${row.cell}` : row.config);

if (!existsSync(ENGINE_SCRIPT)) {
  console.error('dist/bench.js is missing: run `npm run build` first (npm run bench:compare does).');
  process.exit(1);
}
const withPytorch = pytorchAvailable();
if (!withPytorch) {
  console.error(`PyTorch not found for ${PYTHON}; comparing is skipped. To install it (Debian): ${INSTALL_HINT}`);
}
const blas = withPytorch ? pytorchBlas() : undefined;
if (blas?.reference) {
  console.error(`PyTorch runs on the reference BLAS (${blas.filepath ?? blas.name}), 3-8× slower than OpenBLAS, so every ratio ` +
    'would flatter the engine. Install OpenBLAS (Debian: apt-get install libopenblas0-pthread, which becomes ' +
    'libblas.so.3 through update-alternatives) and run again.');
  process.exit(1);
}
if (blas) console.error(`PyTorch BLAS: ${blas.text}`);

if (values.baseline && !existsSync(values.baseline)) {
  console.error(`--baseline ${values.baseline} does not exist (build the other checkout with npm run build first).`);
  process.exit(1);
}

/** label → source ('engine' | 'baseline' | 'pytorch') → { backend, samples: number[], heap: number[] } */
const table = new Map();
const collect = (rows, source) => {
  for (const row of rows) {
    if (!table.has(label(row))) table.set(label(row), {});
    const entry = (table.get(label(row))[source] ??= { backend: row.backend, samples: [], heap: [] });
    entry.samples.push(...row.samplesMs);
    if (row.heapGrowthKB !== undefined) entry.heap.push(row.heapGrowthKB);
  }
};
for (let round = 1; round <= rounds; round++) {
  console.error(`round ${round}/${rounds}: engine…`);
  collect(runJsonLines(process.execPath, ['--expose-gc', ENGINE_SCRIPT, ...engineArgs]), 'engine');
  if (values.baseline) {
    console.error(`round ${round}/${rounds}: baseline…`);
    collect(runJsonLines(process.execPath, ['--expose-gc', values.baseline, ...engineArgs]), 'baseline');
  }
  if (withPytorch) {
    console.error(`round ${round}/${rounds}: pytorch…`);
    collect(runJsonLines(PYTHON, [PYTORCH_SCRIPT, ...common]), 'pytorch');
  }
}

const fmt = (x) => (x === undefined ? '—' : x.toFixed(2));
const baselineHeader = values.baseline ? ['baseline ms/step', 'min–max', 'engine/baseline'] : [];
const header = ['config', 'backend', 'engine ms/step', 'min–max', ...baselineHeader, 'pytorch ms/step', 'min–max', 'engine/pytorch', 'target', 'TF.js/engine'];
const lines = [...table].map(([name, bySource]) => {
  const ts = bySource.engine;
  const backend = ts?.backend;
  const pt = bySource.pytorch;
  const base = bySource.baseline;
  const ratio = ts && pt ? median(ts.samples) / median(pt.samples) : undefined;
  const target = (backend === 'ts' ? TARGET_RATIO.ts : TARGET_RATIO.wasm)[name];
  const tfjs = ts && TFJS_MS[name] ? TFJS_MS[name] / median(ts.samples) : undefined;
  const verdict = target === undefined || ratio === undefined ? '' : ratio <= target ? ` ≤ ${target} ok` : ` > ${target} MISSED`;
  const range = (e) => (e ? `${fmt(Math.min(...e.samples))}–${fmt(Math.max(...e.samples))}` : '—');
  const baselineCells = values.baseline
    ? [fmt(base && median(base.samples)), range(base), ts && base ? `${(median(ts.samples) / median(base.samples)).toFixed(3)}×` : '—']
    : [];
  return [name, backend ?? '—', fmt(ts && median(ts.samples)), range(ts), ...baselineCells, fmt(pt && median(pt.samples)), range(pt),
    ratio === undefined ? '—' : `${ratio.toFixed(2)}×`, verdict.trim(), tfjs === undefined ? '—' : `${tfjs.toFixed(0)}×`];
});
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const format = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(format(header));
for (const line of lines) console.log(format(line));
for (const [name, bySource] of table) {
  const heap = bySource.engine?.heap ?? [];
  if (heap.length) console.log(`${name} heap growth step 100 → 1000 after gc(): ${heap.map((k) => `${k} KB`).join(', ')} (target ≤ 256 KB)`);
}
console.log(`${rounds} alternating rounds × ${values.reps} reps per side; medians over all reps.` +
  (values.baseline ? ` Baseline: ${values.baseline}.` : '') +
  (blas ? ` PyTorch BLAS: ${blas.text}.` : `\nPyTorch missing: ${INSTALL_HINT}`));
