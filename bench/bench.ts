/**
 * `npm run bench`: times a full training step of the engine (zeroGrad, forward, full BPTT, SGD)
 * for configs C1–C5 of the engine issue, and checks that C5's training loop does not allocate.
 *
 *   node dist/bench.js [--json] [--config C1,C5] [--reps N] [--backend auto|ts|wasm-simd|wasm-fma] [--threads N]
 *
 * `--threads N` (default 1) trains data-parallel on N threads (src/train/parallel/threadPool.ts); a
 * config too small to split (C5, batch 1) runs on one, and its row says `"threads": 1`. With N > 1
 * the allocation check also runs on C1, the main thread's heap and the process's RSS (every thread).
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
import { createParallelTrainingStep } from './trainingStep';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const HEAP_CONFIG = 'C5';
const HEAP_LIMIT_KB = 256;
const RSS_LIMIT_KB = 5 * 1024;
/** With --threads > 1, the allocation check also runs here (C5 stays on one thread). */
const THREADED_HEAP_CONFIG = 'C1';
const REEXEC_MARK = 'RNN_LAB_BENCH_GC';

interface BenchRow {
  config: string;
  cell: CellType;
  backend: string;
  /** Threads the step ran on (1 where the batch is too small to split). */
  threads: number;
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
  /** C5 (and C1 with --threads > 1): heapUsed after gc() at step 1000 minus at step 100. */
  heapGrowthKB?: number;
  /** With --threads > 1: the process's RSS (all threads) at step 1000 minus at step 100. */
  rssGrowthKB?: number;
}

function toRow(config: BenchConfig, timing: TimingResult, backend: string, threads: number): BenchRow {
  const s = summarize(timing.samplesMs);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    config: config.id, cell: config.cell, backend, threads,
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
  const header = ['config', 'backend', 'threads', 'cell', 'H', 'T', 'B', 'ms/step', 'min–max', 'IQR', 'tokens/s', 'reps×steps'];
  const lines = rows.map((r) => [
    rowLabel({ id: r.config, cell: r.cell }), r.backend, String(r.threads), r.cell + (r.bidirectional ? ` ${r.layers}×bi` : ''),
    String(r.hiddenSize), String(r.steps), String(r.batchSize), r.msPerStep.toFixed(2),
    `${r.msMin.toFixed(2)}–${r.msMax.toFixed(2)}`, `${r.msQ1.toFixed(2)}–${r.msQ3.toFixed(2)}`,
    String(r.tokensPerSecond), `${r.reps}×${r.stepsPerRep}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]): string => cells.map((c, i) => (i < 4 && i !== 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
  for (const r of rows) {
    if (r.heapGrowthKB === undefined) continue;
    const verdict = Math.abs(r.heapGrowthKB) <= HEAP_LIMIT_KB ? 'within' : 'OVER';
    console.log(`\n${r.config} heap growth, step 100 → 1000 after gc(): ${r.heapGrowthKB.toFixed(1)} KB (${verdict} the ${HEAP_LIMIT_KB} KB target)`);
    if (r.rssGrowthKB !== undefined) console.log(`${r.config} RSS growth, step 100 → 1000 (${r.threads} threads): ${r.rssGrowthKB.toFixed(0)} KB (target ≤ ${RSS_LIMIT_KB} KB)`);
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      config: { type: 'string', default: '' },
      reps: { type: 'string', default: String(DEFAULT_TIMING.reps) },
      backend: { type: 'string', default: 'auto' },
      threads: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(`usage: node dist/bench.js [--json] [--config C1,C2,C3,C4,C5] [--reps N] [--backend ${BACKEND_PREFERENCES.join('|')}] [--threads N]`);
    return;
  }
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new RangeError(`--reps must be a positive integer, got ${values.reps}`);
  const threads = Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`--threads must be a positive integer, got ${values.threads}`);
  const preferred = values.backend;
  if (!isBackendPreference(preferred)) throw new RangeError(`unknown --backend ${preferred}; known: ${BACKEND_PREFERENCES.join(', ')}`);
  const newBackend = () => selectBackend({ preferred }).backend;
  const backendName = newBackend().name;
  const configs = selectConfigs(values.config.split(',').map((s) => s.trim()).filter(Boolean));
  const heapConfigs = threads > 1 ? [HEAP_CONFIG, THREADED_HEAP_CONFIG] : [HEAP_CONFIG];
  const gc = configs.some((c) => heapConfigs.includes(c.id)) ? ensureGc() : undefined;

  const progress = (text: string): void => { if (!values.json) process.stderr.write(text); };
  progress(`engine backend ${backendName}${preferred !== 'auto' && preferred !== backendName ? ` (${preferred} does not validate here)` : ''}, node ${process.version}; warming up ${configs.map(rowLabel).join(', ')}…\n`);
  const steps = await Promise.all(configs.map((c) => createParallelTrainingStep(c, newBackend(), threads)));
  const timings = timeRoundRobin(steps, { ...DEFAULT_TIMING, reps }, (round) => progress(`round ${round}/${reps}\n`));
  const rows = configs.map((c, i) => toRow(c, timings[i], backendName, steps[i].shards));
  await Promise.all(steps.map((s) => s.close()));

  for (const id of heapConfigs) {
    const index = configs.findIndex((c) => c.id === id);
    if (index < 0) continue;
    if (!gc) {
      progress('heap check skipped: gc() unavailable even with --expose-gc\n');
      continue;
    }
    const step = await createParallelTrainingStep(configs[index], newBackend(), threads);
    const growth = heapGrowthKB(step, gc);
    await step.close();
    rows[index].heapGrowthKB = Math.round(growth.heapKB * 10) / 10;
    if (step.shards > 1) rows[index].rssGrowthKB = Math.round(growth.rssKB);
  }

  if (values.json) for (const row of rows) console.log(JSON.stringify(row));
  else printTable(rows);
}

main().catch((error: unknown) => {
  if (!(error instanceof RangeError)) throw error; // a usage error; anything else keeps its stack
  console.error(`bench: ${error.message}`);
  process.exit(2);
});
