/**
 * A run's bookkeeping: the state.json and summary.json a run starts with (new or resumed), the files
 * written once when its folder is created, the status it ends with when an error stops it, and its
 * training time across sessions. The epoch loop is epochLoop.ts, the checkpoint set runCheckpoints.ts.
 */
import type { PreparedDataset } from '../data';
import type { NetworkConfig } from '../engine/types';
import type { ResolvedSpec } from '../modelSpec';
import { Rng } from '../engine/random';
import type { TrainingState } from './checkpoint';
import { initialDivergenceState } from './divergence';
import { DivergedError } from './errors';
import type { RunOwner } from './runStatus';
import { RUN_FILES, RUN_FORMAT_VERSION, runFile, writeJson, type RunStore } from './runStore';
import type { RunStatus, Summary, SweepTrialTag } from './runTypes';
import { vocabularyFile } from './vocabularyFile';
import { writeWarmupFile } from './warmup';

/** state.json of a new run: at the start of epoch 1, RNGs seeded from the run's seed. */
export function newRunState(runId: string, seed: number, epochs: number, hashes: Record<string, string>): TrainingState {
  return {
    version: RUN_FORMAT_VERSION, runId, seed, epochs, cursor: { epoch: 0, batch: 0 },
    best: null, epochsWithoutImprovement: 0, dropoutRng: new Rng(seed + 1).getState(), sampleRng: new Rng(seed + 2).getState(),
    partialEpoch: { lossSum: 0, count: 0, correct: 0 }, hashes, elapsedMs: 0, optimizerSteps: 0,
    generation: 0, bestGeneration: null, divergence: initialDivergenceState(),
  };
}

export interface NewSummaryFields {
  runId: string;
  spec: ResolvedSpec;
  backend: string;
  parameters: number;
  network: NetworkConfig;
  hashes: Record<string, string>;
  specFile?: string;
  startedAt: Date;
  owner?: RunOwner;
  /** A sweep's trial (summary.json `sweep`). */
  sweep?: SweepTrialTag;
  /** Threads the run was given. */
  threads?: number;
}

/** summary.json of a new run: `running`, nothing completed yet. */
export function newSummary(fields: NewSummaryFields): Summary {
  const { runId, spec, backend, parameters, network, hashes, specFile, startedAt, owner, sweep, threads } = fields;
  return {
    version: RUN_FORMAT_VERSION, runId, name: spec.name, task: spec.task, status: 'running', backend, seed: spec.training.seed,
    epochs: spec.training.epochs, completedEpochs: 0, parameters, network, hashes,
    ...(specFile !== undefined && { specFile }),
    startedAt: startedAt.toISOString(), elapsedMs: 0, best: null, metrics: null, split: null, generation: 0,
    ...(owner && { owner }),
    ...(sweep && { sweep }),
    ...(threads !== undefined && { threads }),
  };
}

/** summary.json of a resumed run: `running` again, its old message and owner replaced by this session's. */
export function resumedSummary(previous: Summary, epochs: number, backend: string, owner: RunOwner | undefined): Summary {
  const summary: Summary = { ...previous, status: 'running', epochs, backend };
  delete summary.message;
  delete summary.owner;
  if (owner) summary.owner = owner;
  return summary;
}

/** A new run's folder with the files written once: spec, vocabularies, warm-up, normalization, summary. */
export async function createRunFolder(store: RunStore, runId: string, spec: ResolvedSpec, data: PreparedDataset, summary: Summary): Promise<void> {
  await store.mkdir(runId);
  await writeJson(store, runFile(runId, RUN_FILES.spec), spec);
  await writeJson(store, runFile(runId, RUN_FILES.vocab), vocabularyFile(data));
  await writeWarmupFile(store, runId, data);
  if (data.normalization) await writeJson(store, runFile(runId, RUN_FILES.normalization), data.normalization);
  await writeJson(store, runFile(runId, RUN_FILES.summary), summary);
}

/** A resumed run's spec and warm-up files, rewritten as this session resolved them. */
export async function refreshRunFolder(store: RunStore, runId: string, spec: ResolvedSpec, data: PreparedDataset): Promise<void> {
  await writeJson(store, runFile(runId, RUN_FILES.spec), spec);
  await writeWarmupFile(store, runId, data);
}

/**
 * Records in summary.json why a run stopped on an error other than a cancel (`diverged` or `failed`,
 * with the error's message). Never throws: the original error is what the caller must hear of.
 */
export async function recordFailure(store: RunStore, runId: string, summary: Summary, error: unknown): Promise<void> {
  const status: RunStatus = error instanceof DivergedError ? 'diverged' : 'failed';
  Object.assign(summary, { status, message: error instanceof Error ? error.message : String(error) });
  await writeJson(store, runFile(runId, RUN_FILES.summary), summary).catch(() => undefined);
}

/** Training time of a run: this session's wall time plus that of its earlier sessions (resume). */
export class RunClock {
  readonly startedMs = Date.now();

  constructor(private readonly elapsedBefore: number) {}

  elapsedMs(): number {
    return this.elapsedBefore + (Date.now() - this.startedMs);
  }
}
