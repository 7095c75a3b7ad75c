#!/usr/bin/env node
// `npm run bench:compare`: the engine's bench (dist/bench.js) and the PyTorch reference
// (bench/pytorch_ref.py, 1 thread) run side by side, alternating round by round so both see the
// same machine load, then one table with each config's median ms/step and the ratio engine/PyTorch.
// Never fails because PyTorch is missing: it then prints the engine's numbers and how to install it.
//
//   node bench/compare.mjs [--config C1,C5] [--rounds R] [--reps N]   (R rounds of N reps each)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const ENGINE_SCRIPT = here('../dist/bench.js');
const PYTORCH_SCRIPT = here('./pytorch_ref.py');
// Debian's python3-torch lives in the system interpreter, which may not be the first python3 on PATH.
const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const INSTALL_HINT = 'apt-get install python3-torch python3-threadpoolctl';
// Targets of the engine issue, as ratios engine/PyTorch of ms per step.
const TARGET_RATIO = { C1: 7, C5: 0.8 };

const { values } = parseArgs({
  options: {
    config: { type: 'string', default: '' },
    rounds: { type: 'string', default: '3' },
    reps: { type: 'string', default: '3' },
  },
});
const rounds = Number(values.rounds);
const selection = values.config ? ['--config', values.config] : [];
const common = ['--json', '--reps', values.reps, ...selection];

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

/** label → backend → { samples: number[], heap: number[] } */
const table = new Map();
const collect = (rows) => {
  for (const row of rows) {
    if (!table.has(label(row))) table.set(label(row), {});
    const entry = (table.get(label(row))[row.backend] ??= { samples: [], heap: [] });
    entry.samples.push(...row.samplesMs);
    if (row.heapGrowthKB !== undefined) entry.heap.push(row.heapGrowthKB);
  }
};
for (let round = 1; round <= rounds; round++) {
  console.error(`round ${round}/${rounds}: engine…`);
  collect(runJsonLines(process.execPath, ['--expose-gc', ENGINE_SCRIPT, ...common]));
  if (withPytorch) {
    console.error(`round ${round}/${rounds}: pytorch…`);
    collect(runJsonLines(PYTHON, [PYTORCH_SCRIPT, ...common]));
  }
}

const fmt = (x) => (x === undefined ? '—' : x.toFixed(2));
const header = ['config', 'engine ms/step', 'min–max', 'pytorch ms/step', 'min–max', 'engine/pytorch', 'target'];
const lines = [...table].map(([name, byBackend]) => {
  const ts = byBackend.ts;
  const pt = byBackend.pytorch;
  const ratio = ts && pt ? median(ts.samples) / median(pt.samples) : undefined;
  const target = TARGET_RATIO[name];
  const verdict = target === undefined || ratio === undefined ? '' : ratio <= target ? ` ≤ ${target} ok` : ` > ${target} MISSED`;
  const range = (e) => (e ? `${fmt(Math.min(...e.samples))}–${fmt(Math.max(...e.samples))}` : '—');
  return [name, fmt(ts && median(ts.samples)), range(ts), fmt(pt && median(pt.samples)), range(pt),
    ratio === undefined ? '—' : `${ratio.toFixed(2)}×`, verdict.trim()];
});
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
const format = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(format(header));
for (const line of lines) console.log(format(line));
for (const [name, byBackend] of table) {
  const heap = byBackend.ts?.heap ?? [];
  if (heap.length) console.log(`${name} heap growth step 100 → 1000 after gc(): ${heap.map((k) => `${k} KB`).join(', ')} (target ≤ 256 KB)`);
}
console.log(`${rounds} alternating rounds × ${values.reps} reps per backend; medians over all reps.` +
  (withPytorch ? '' : `\nPyTorch missing: ${INSTALL_HINT}`));
