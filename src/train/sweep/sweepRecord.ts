/**
 * A sweep's plan and progress: `.rnnlab/sweeps/<id>.json`, beside the runs folder, rewritten whole
 * and atomically (`RunStore.writeFileAtomic`, as run files are) after every change. It keeps the base
 * spec's text, so a resumed sweep trains its remaining trials from the spec it started with.
 */
import type { RunStatus } from '../runTypes';
import { readJson, runTimestamp, safeRunName, writeJson, type RunStore } from '../runStore';
import type { Curve } from './medianStopping';
import type { ParameterValues } from './sweepPlan';

export const SWEEP_FORMAT_VERSION = 1;

/** `pending`: not started; `running`: started (a resume continues its run); else its run's final status. */
export type TrialStatus = 'pending' | RunStatus;

export interface SweepTrialRecord {
  trial: number;
  parameters: ParameterValues;
  status: TrialStatus;
  /** The trial's run id under the runs folder, once it started. */
  runId?: string;
  /** The monitored value (lower is better) after each epoch, for median stopping. */
  curve: Curve;
  threads?: number;
  message?: string;
}

export type SweepStatus = 'running' | 'completed' | 'cancelled';

export interface SweepRecord {
  version: number;
  id: string;
  name: string;
  /** The spec file, relative to the sweeps folder. */
  specFile: string;
  /** The base spec's text when the sweep started (trials are it with their parameters written in). */
  specText: string;
  method: 'grid' | 'random';
  seed: number;
  /** Grid: combinations before the `trials` cap. */
  combinations?: number;
  /** What is compared: the early-stopping monitor (`validation loss` by default). */
  monitor: string;
  medianStopping: { afterEpochs: number } | null;
  status: SweepStatus;
  createdAt: string;
  trials: SweepTrialRecord[];
}

/** The sweeps folder of a runs folder: `.rnnlab/runs` → `.rnnlab/sweeps`. */
export const SWEEPS_FOLDER = 'sweeps';

export const sweepFile = (id: string) => `${id}.json`;

export function readSweep(store: RunStore, id: string): Promise<SweepRecord> {
  return readJson<SweepRecord>(store, sweepFile(id));
}

export function writeSweep(store: RunStore, record: SweepRecord): Promise<void> {
  return writeJson(store, sweepFile(record.id), record);
}

/** A new sweep id `<YYYYMMDD-HHMMSS>-<name>-sweep`, suffixed `-2`, `-3`, … when taken. */
export async function newSweepId(store: RunStore, name: string, now: Date): Promise<string> {
  const base = `${runTimestamp(now)}-${safeRunName(name)}-sweep`;
  let id = base;
  for (let n = 2; await store.exists(sweepFile(id)); n++) id = `${base}-${n}`;
  return id;
}

/** Trials that ran their course: the ones median stopping compares against. */
export function finishedCurves(record: SweepRecord): Curve[] {
  return record.trials.filter((t) => t.status === 'completed' || t.status === 'stopped-early').map((t) => t.curve);
}

/** A trial a resume must (re)start: never started, interrupted, cancelled or failed. */
export function needsRun(trial: SweepTrialRecord): boolean {
  return trial.status === 'pending' || trial.status === 'running' || trial.status === 'cancelled' || trial.status === 'failed';
}
