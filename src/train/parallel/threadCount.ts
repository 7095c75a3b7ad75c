/**
 * How many threads a training gets. Precedence: `rnn-lab train --threads`, then the spec's
 * `training.threads`, then the `rnnLab.trainingThreads` setting, then `threadsFor(concurrent)`.
 * A resumed run keeps the count in its summary.json (`threads`), so that it resumes exactly.
 */
import { availableParallelism } from 'node:os';

/**
 * The default thread count of one training among `concurrent` that run at once (a sweep's parallel
 * trials, the extension's concurrent trainings): the cores (`os.availableParallelism()`) divided
 * evenly and rounded down, so that together they never use more threads than there are cores,
 * and at least 1 each (more trainings than cores: one thread each).
 */
export function threadsFor(concurrent = 1): number {
  return shareOfThreads(availableParallelism(), concurrent);
}

/** ⌊total / concurrent⌋, at least 1: one training's share of `total` threads (threadsFor with a given total). */
export function shareOfThreads(total: number, concurrent: number): number {
  return Math.max(1, Math.floor(total / Math.max(1, Math.floor(concurrent))));
}

export interface ThreadChoice {
  /** `--threads` of the CLI. */
  flag?: number;
  /** The spec's `training.threads`. */
  spec?: number;
  /** The extension's `rnnLab.trainingThreads` setting, or a caller's own default. */
  setting?: number;
  /** summary.json `threads` of a run being resumed (absent in runs from before threads: 1). */
  resumed?: number | null;
  /** Trainings that run at once, this one included (for the default). */
  concurrent?: number;
}

/** The thread count a training uses (see the file comment for the order). */
export function resolveThreads(choice: ThreadChoice): number {
  if (choice.resumed !== undefined) return choice.resumed ?? 1;
  return choice.flag ?? choice.spec ?? choice.setting ?? threadsFor(choice.concurrent ?? 1);
}
