/**
 * `npm run bench`: times a full training step of the engine (zeroGrad, forward, full BPTT, SGD)
 * for configs C1–C5 of the engine issue, and checks that C5's training loop does not allocate.
 *
 *   node dist/bench.js [--json] [--config C1,C5] [--reps N] [--backend auto|ts|wasm-simd|wasm-fma]
 *
 * Human table by default; `--json` prints one object per row, e.g.
 *   {"config":"C1","cell":"rnn","backend":"ts","msPerStep":…,"tokensPerSecond":…,…}
 * The heap check needs `gc()`: without `--expose-gc` the script re-runs itself with it.
 * `--backend auto` (the default) takes the fastest that validates (selectBackend); this process
 * is ours, so relaxed SIMD is switched on first (Node 20 has it behind a flag).
 */
import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import { BACKEND_PREFERENCES, isBackendPreference, selectBackend } from '../src/engine/kernels/selectBackend';
import type { CellType } from '../src/engine/types';
import { rowLabel, selectConfigs, type BenchConfig } from './configs';
import { DEFAULT_TIMING, heapGrowthKB, timeRoundRobin, type TimingResult } from './measure';
import { summarize } from './statistics';
import { createTrainingStep } from './trainingStep';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const HEAP_CONFIG = 'C5';
const HEAP_LIMIT_KB = 256;
const REEXEC_MARK = 'RNN_LAB_BENCH_GC';

interface BenchRow {
  config: string;
  cell: CellType;
  backend: string;
  msPerStep: number;
  tokensPerSecond: number;
  msMin: number;
  msMax: number;
  msQ1: number;
  msQ3: number;
  reps: number;
  stepsPerRep: number;
  hiddenSize: number;
  layers: number;
  bidirectional: boolean;
  steps: number;
  batchSize: number;
  samplesMs: number[];
  /** C5 only: heapUsed after gc() at step 1000 minus at step 100. */
  heapGrowthKB?: number;
}

function toRow(config: BenchConfig, timing: TimingResult, backend: string): BenchRow {
  const s = summarize(timing.samplesMs);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    config: config.id, cell: config.cell, backend,
    msPerStep: round(s.median),
    tokensPerSecond: Math.round((config.steps * config.batchSize * 1000) / s.median),
    msMin: round(s.min), msMax: round(s.max), msQ1: round(s.q1), msQ3: round(s.q3),
    reps: timing.samplesMs.length, stepsPerRep: timing.stepsPerRep,
    hiddenSize: config.hiddenSize, layers: config.layers, bidirectional: config.bidirectional,
    steps: config.steps, batchSize: config.batchSize,
    samplesMs: timing.samplesMs.map(round),
  };
}

function printTable(rows: readonly BenchRow[]): void {
  const header = ['config', 'backend', 'cell', 'H', 'T', 'B', 'ms/step', 'min–max', 'IQR', 'tokens/s', 'reps×steps'];
  const lines = rows.map((r) => [
    rowLabel({ id: r.config, cell: r.cell }), r.backend, r.cell + (r.bidirectional ? ` ${r.layers}×bi` : ''),
    String(r.hiddenSize), String(r.steps), String(r.batchSize), r.msPerStep.toFixed(2),
    `${r.msMin.toFixed(2)}–${r.msMax.toFixed(2)}`, `${r.msQ1.toFixed(2)}–${r.msQ3.toFixed(2)}`,
    String(r.tokensPerSecond), `${r.reps}×${r.stepsPerRep}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]): string => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  for (const r of rows) {
    if (r.heapGrowthKB === undefined) continue;
    const verdict = Math.abs(r.heapGrowthKB) <= HEAP_LIMIT_KB ? 'within' : 'OVER';
    console.log(`\n${r.config} heap growth, step 100 → 1000 after gc(): ${r.heapGrowthKB.toFixed(1)} KB (${verdict} the ${HEAP_LIMIT_KB} KB target)`);
  }
}

/** `gc` when Node exposes it, else re-runs this script with --expose-gc and exits with its status. */
function ensureGc(): (() => void) | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) return gc;
  if (process.env[REEXEC_MARK]) return undefined;
  const child = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, [REEXEC_MARK]: '1' },
  });
  process.exit(child.status ?? 1);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      config: { type: 'string', default: '' },
      reps: { type: 'string', default: String(DEFAULT_TIMING.reps) },
      backend: { type: 'string', default: 'auto' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(`usage: node dist/bench.js [--json] [--config C1,C2,C3,C4,C5] [--reps N] [--backend ${BACKEND_PREFERENCES.join('|')}]`);
    return;
  }
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new RangeError(`--reps must be a positive integer, got ${values.reps}`);
  const preferred = values.backend;
  if (!isBackendPreference(preferred)) throw new RangeError(`unknown --backend ${preferred}; known: ${BACKEND_PREFERENCES.join(', ')}`);
  const newBackend = () => selectBackend({ preferred }).backend;
  const backendName = newBackend().name;
  const configs = selectConfigs(values.config.split(',').map((s) => s.trim()).filter(Boolean));
  const gc = configs.some((c) => c.id === HEAP_CONFIG) ? ensureGc() : undefined;

  const progress = (text: string): void => { if (!values.json) process.stderr.write(text); };
  progress(`engine backend ${backendName}${preferred !== 'auto' && preferred !== backendName ? ` (${preferred} does not validate here)` : ''}, node ${process.version}; warming up ${configs.map(rowLabel).join(', ')}…\n`);
  const steps = configs.map((c) => createTrainingStep(c, newBackend()));
  const timings = timeRoundRobin(steps, { ...DEFAULT_TIMING, reps }, (round) => progress(`round ${round}/${reps}\n`));
  const rows = configs.map((c, i) => toRow(c, timings[i], backendName));

  const heapIndex = configs.findIndex((c) => c.id === HEAP_CONFIG);
  if (heapIndex >= 0) {
    if (gc) rows[heapIndex].heapGrowthKB = Math.round(heapGrowthKB(createTrainingStep(configs[heapIndex], newBackend()), gc) * 10) / 10;
    else progress('heap check skipped: gc() unavailable even with --expose-gc\n');
  }

  if (values.json) for (const row of rows) console.log(JSON.stringify(row));
  else printTable(rows);
}

try {
  main();
} catch (error) {
  if (!(error instanceof RangeError)) throw error; // a usage error; anything else keeps its stack
  console.error(`bench: ${error.message}`);
  process.exit(2);
}
