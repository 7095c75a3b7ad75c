/**
 * What a training is given (`TrainOptions`) and what it leaves in its run folder's `summary.json`
 * (`Summary`, `RunStatus`). The training itself is trainer.ts (epochLoop.ts, runCheckpoints.ts, runRecord.ts), which re-exports these.
 */
import type { BackendPreference } from '../engine/kernels/selectBackend';
import type { NetworkConfig } from '../engine/types';
import type { EventSink, Metrics } from './events';
import type { PauseGate } from './pauseGate';
import type { RunStore } from './runStore';
import type { RunOwner } from './runStatus';

export interface TrainOptions {
  /** The spec's text and its path (for error positions and the default name). */
  specText: string;
  specPath: string;
  /** Dataset bytes by path relative to the spec file. */
  read: (relPath: string) => Uint8Array;
  /** Runs directory (`.rnnlab/runs` beside the spec, or `--runs-dir`). */
  store: RunStore;
  /** Absolute location of a run, for the `run` field of events. */
  runLocation?: (runId: string) => string;
  /** The spec's path relative to a run's folder, recorded in summary.json. */
  specFileFromRun?: (runId: string) => string;
  /** Id for a new run (the host picks it); default `<YYYYMMDD-HHMMSS>-<name>`. */
  runId?: string;
  /** Id of a run to continue; its spec.json is used, its dataset hashes must still match. */
  resume?: string;
  overrides?: { epochs?: number; seed?: number };
  onEvent: EventSink;
  signal?: AbortSignal;
  pause?: PauseGate;
  now?: () => Date;
  /** Least time between two `progress` events. Default 100 ms. */
  progressIntervalMs?: number;
  /** `gradients` events per epoch. Default 4. */
  gradientEventsPerEpoch?: number;
  /** Compute backend: `auto` (default) takes the fastest that validates here; `ts` forces the reference. */
  backend?: BackendPreference;
  /** The training process (pid and host name), recorded in summary.json while the run is running. */
  owner?: RunOwner;
  /** A sweep's trial: recorded in summary.json as `sweep`. */
  sweep?: SweepTrialTag;
  /**
   * Called at the end of each epoch (1-based) with the early-stopping monitor's value (lower is better;
   * undefined when nothing is watched). True ends the run with status `stopped` (a sweep's median stopping).
   */
  stopAfterEpoch?: (epoch: number, monitored: number | undefined) => boolean | Promise<boolean>;
  /**
   * Threads this training may use, recorded in summary.json. A sweep divides the machine's threads among
   * its concurrent trials (src/train/sweep/threadShare.ts); the engine does not read it yet.
   */
  threads?: number;
}

/** `summary.json`'s `sweep`: which sweep (`.rnnlab/sweeps/<id>.json`), which trial (1-based), its parameter values. */
export interface SweepTrialTag {
  id: string;
  trial: number;
  parameters: Record<string, unknown>;
}

/**
 * `failed`: stopped by an error other than divergence or a cancel; summary.json's `message` says which.
 * `stopped`: a sweep's median stopping ended it (`stopAfterEpoch`); its best weights are evaluated as for a finished run.
 */
export type RunStatus = 'running' | 'completed' | 'stopped-early' | 'stopped' | 'cancelled' | 'diverged' | 'failed';

/** `summary.json`. */
export interface Summary {
  version: number;
  runId: string;
  name: string;
  task: string;
  status: RunStatus;
  backend: string;
  seed: number;
  epochs: number;
  completedEpochs: number;
  parameters: number;
  /** The network the weights belong to (sample/predict rebuild the model from it without the data). */
  network: NetworkConfig;
  /** The spec file, relative to the run folder, when the caller knows it (eval reads the data through it). */
  specFile?: string;
  hashes: Record<string, string>;
  startedAt: string;
  elapsedMs: number;
  best: { epoch: number; metrics: Metrics } | null;
  /** The `done` metrics and the split they were measured on. */
  metrics: Metrics | null;
  split: 'test' | 'validation' | null;
  message?: string;
  /** The checkpoint set this summary belongs to (checkpointSet.ts). */
  generation?: number;
  /** The process that trains the run while `status` is `running` (runStatus.ts tells an orphaned run by it). */
  owner?: RunOwner;
  /** The trial of a sweep this run is. */
  sweep?: SweepTrialTag;
  /** Threads the run was given (`TrainOptions.threads`). */
  threads?: number;
}
