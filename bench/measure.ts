/**
 * Timing scheme: each step is warmed up first (JIT, caches), then the configs are timed
 * round-robin, one repetition of each per round, so that a slow phase of the machine spreads over
 * every config instead of landing on one. A repetition runs enough steps to last about
 * `targetRepMs`, and yields one ms-per-step sample.
 */
import type { TrainingStep } from './trainingStep';

export interface TimingOptions {
  reps: number;
  /** Warm-up per config: at least this long and at least `minWarmUpSteps` steps. */
  warmUpMs: number;
  minWarmUpSteps: number;
  /** Aimed duration of one repetition (at least one step). */
  targetRepMs: number;
}

export const DEFAULT_TIMING: TimingOptions = { reps: 5, warmUpMs: 500, minWarmUpSteps: 3, targetRepMs: 400 };

export interface TimingResult {
  step: TrainingStep;
  stepsPerRep: number;
  /** One ms-per-step value per repetition. */
  samplesMs: number[];
}

/** Runs `step` until both warm-up limits are met; returns the mean ms per step of the last half. */
function warmUp(step: TrainingStep, options: TimingOptions): number {
  const times: number[] = [];
  const start = performance.now();
  while (times.length < options.minWarmUpSteps || performance.now() - start < options.warmUpMs) {
    const t0 = performance.now();
    step.run();
    times.push(performance.now() - t0);
  }
  const late = times.slice(Math.floor(times.length / 2));
  return late.reduce((a, b) => a + b, 0) / late.length;
}

/** ms per step over `count` consecutive steps. */
function timeSteps(step: TrainingStep, count: number): number {
  const start = performance.now();
  for (let i = 0; i < count; i++) step.run();
  return (performance.now() - start) / count;
}

/** Warms every step up, then times them round-robin for `options.reps` rounds. */
export function timeRoundRobin(
  steps: readonly TrainingStep[], options: TimingOptions, onRound?: (round: number) => void,
): TimingResult[] {
  const results = steps.map((step) => {
    const warmMs = warmUp(step, options);
    return { step, stepsPerRep: Math.max(1, Math.round(options.targetRepMs / warmMs)), samplesMs: [] as number[] };
  });
  for (let round = 0; round < options.reps; round++) {
    for (const result of results) result.samplesMs.push(timeSteps(result.step, result.stepsPerRep));
    onRound?.(round + 1);
  }
  return results;
}

/**
 * Allocation check: `heapUsed` after a full `gc()` at step `to` minus at step `from`, in KB, and
 * the process's RSS (every thread's heap and wasm memory) over the same steps.
 * A training loop that allocates nothing per step keeps both near zero.
 */
export function heapGrowthKB(step: TrainingStep, gc: () => void, from = 100, to = 1000): { heapKB: number; rssKB: number } {
  let heapAtFrom = 0;
  let rssAtFrom = 0;
  for (let i = 1; i <= to; i++) {
    step.run();
    if (i === from) {
      heapAtFrom = settledHeapUsed(gc);
      rssAtFrom = process.memoryUsage().rss;
    }
  }
  const heapKB = (settledHeapUsed(gc) - heapAtFrom) / 1024;
  return { heapKB, rssKB: (process.memoryUsage().rss - rssAtFrom) / 1024 };
}

const GC_PASSES = 3;

/** heapUsed after repeated full collections (one pass can leave garbage that a finalizer freed). */
function settledHeapUsed(gc: () => void): number {
  for (let i = 0; i < GC_PASSES; i++) gc();
  return process.memoryUsage().heapUsed;
}
