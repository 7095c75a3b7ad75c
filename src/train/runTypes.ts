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
}

/** `failed`: stopped by an error other than divergence or a cancel; summary.json's `message` says which. */
export type RunStatus = 'running' | 'completed' | 'stopped-early' | 'cancelled' | 'diverged' | 'failed';

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
}
