/**
 * Runs a sweep: one training per trial, at most `parallel` at once, the plan and progress kept in the
 * sweep record (sweepRecord.ts). How a trial is trained is the caller's (`trainTrial`: the CLI calls the
 * trainer, the extension its training queue); this file decides what to train, records what happened and
 * applies median stopping. A resume (`resume: <id>`) skips finished trials, continues cancelled or
 * interrupted ones from their checkpoint and restarts failed ones.
 */
import { parseJsonWithPositions } from '../../modelSpec/jsonText';
import { parseSpec, specErrorAt } from '../../modelSpec/parseSpec';
import { validateSpec } from '../../modelSpec/resolve';
import type { ModelSpec } from '../../modelSpec/schema';
import { applyParameters, applyParametersToText, parameterPointer } from '../../modelSpec/sweepParameters';
import { metricDirection } from '../earlyStopping';
import { CancelledError, DivergedError, InputError } from '../errors';
import { newRunId, type RunStore } from '../runStore';
import type { RunStatus, Summary, SweepTrialTag } from '../runTypes';
import { stopAtMedian } from './medianStopping';
import { planSweep, type ParameterValues } from './sweepPlan';
import {
  SWEEP_FORMAT_VERSION, finishedCurves, needsRun, newSweepId, readSweep, writeSweep, type SweepRecord, type SweepStatus, type SweepTrialRecord,
} from './sweepRecord';
import { threadsPerTrial } from './threadShare';

/** What `rnn-lab sweep --json` prints, one a line (docs/contracts.md). */
export type SweepEvent =
  | { event: 'sweep'; id: string; file: string; method: 'grid' | 'random'; trials: number; toRun: number; parallel: number; threads: number; monitor: string }
  | { event: 'trialStart'; id: string; trial: number; run: string; parameters: ParameterValues; resumed: boolean }
  | { event: 'trialEnd'; id: string; trial: number; run: string; status: RunStatus; best: number | null; message?: string }
  | { event: 'sweepDone'; id: string; status: SweepStatus; best: { trial: number; run: string; value: number } | null };

/** One trial to train: the caller runs the trainer with these (and its own store, reader, backend…). */
export interface TrialJob {
  trial: number;
  /** The base spec with the trial's parameters written in (same lines and columns elsewhere). */
  specText: string;
  runId: string;
  /** Continue `runId` from its checkpoint rather than start it. */
  resume: boolean;
  threads: number;
  sweep: SweepTrialTag;
  /** TrainOptions.stopAfterEpoch: records the epoch's value and applies median stopping. */
  stopAfterEpoch(epoch: number, monitored: number | undefined): boolean;
}

export interface SweepOptions {
  specText: string;
  specPath: string;
  /** The spec file relative to the sweeps folder, recorded in the sweep file. */
  specFileFromSweeps: string;
  /** The sweeps folder (`.rnnlab/sweeps`). */
  sweeps: RunStore;
  /** The runs folder: trials' run ids are claimed in it, resumed runs checked in it. */
  runs: RunStore;
  resume?: string;
  parallel?: number;
  /** Threads of the machine, divided among the concurrent trials. */
  totalThreads: number;
  /** Location of a run for events (default: its id). */
  runLocation?: (runId: string) => string;
  trainTrial(job: TrialJob): Promise<Summary>;
  onEvent(event: SweepEvent): void;
  signal?: AbortSignal;
  now?: () => Date;
}

/** Runs (or resumes) a sweep; resolves with its record. Throws SpecError before any training when a trial's spec is invalid. */
export async function runSweep(options: SweepOptions): Promise<SweepRecord> {
  const record = options.resume ? await readSweep(options.sweeps, options.resume) : await startSweep(options);
  const parallel = Math.max(1, options.parallel ?? 1);
  const threads = threadsPerTrial(options.totalThreads, parallel);
  const queue = record.trials.filter(needsRun);
  const where = options.runLocation ?? ((id: string) => id);
  options.onEvent({
    event: 'sweep', id: record.id, file: `${record.id}.json`, method: record.method, trials: record.trials.length,
    toRun: queue.length, parallel, threads, monitor: record.monitor,
  });
  record.status = 'running';
  const save = serialWriter(options.sweeps, record);
  await save();
  let cancelled = false;
  const worker = async () => {
    for (let trial = queue.shift(); trial && !cancelled && !options.signal?.aborted; trial = queue.shift()) {
      cancelled = !(await runTrial(options, record, trial, threads, save, where));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, worker));
  record.status = cancelled || options.signal?.aborted || record.trials.some(needsRun) ? 'cancelled' : 'completed';
  await save();
  options.onEvent({ event: 'sweepDone', id: record.id, status: record.status, best: bestTrial(record, where) });
  return record;
}

/** Plans a new sweep, checks every trial's spec, writes the record with every trial pending. */
async function startSweep(options: SweepOptions): Promise<SweepRecord> {
  const base = parseSpec(options.specText, options.specPath);
  const raw = parseJsonWithPositions(options.specText).value as ModelSpec;
  if (!raw.sweep) throw new InputError('the spec has no "sweep": add one, e.g. {"parameters": {"model.hiddenSize": [64, 128]}}', options.specPath);
  const plan = planSweep(raw.sweep, base.training.seed);
  for (const trial of plan.trials) {
    const issue = validateSpec(applyParameters(raw, trial.parameters))[0];
    if (!issue) continue;
    const key = Object.keys(trial.parameters).find((k) => issue.path === `/${k.split('.').join('/')}` || issue.path.startsWith(`/${k.split('.').join('/')}/`));
    const message = `trial ${trial.trial} (${JSON.stringify(trial.parameters)}) is not a valid spec: ${issue.path}: ${issue.message}`;
    throw specErrorAt(options.specText, options.specPath, key ? parameterPointer(key) : '/sweep/parameters', message);
  }
  const now = options.now?.() ?? new Date();
  const id = await newSweepId(options.sweeps, base.name, now);
  return {
    version: SWEEP_FORMAT_VERSION, id, name: base.name, specFile: options.specFileFromSweeps, specText: options.specText,
    method: plan.method, seed: plan.seed, ...(plan.combinations !== undefined && { combinations: plan.combinations }),
    monitor: base.training.earlyStopping?.monitor ?? 'validation loss',
    medianStopping: raw.sweep.medianStopping ?? null, status: 'running', createdAt: now.toISOString(),
    trials: plan.trials.map((t) => ({ trial: t.trial, parameters: t.parameters, status: 'pending', curve: [] })),
  };
}

/** Trains one trial and records its outcome; returns false when it was cancelled (the sweep stops). */
async function runTrial(
  options: SweepOptions, record: SweepRecord, trial: SweepTrialRecord, threads: number, save: () => Promise<void>, where: (id: string) => string,
): Promise<boolean> {
  const resume = (trial.status === 'running' || trial.status === 'cancelled') && trial.runId !== undefined &&
    (await options.runs.exists(`${trial.runId}/state.json`));
  if (!resume) {
    trial.runId = await newRunId(options.runs, `${record.name}-trial${trial.trial}`, options.now?.() ?? new Date());
    trial.curve = [];
  }
  const runId = trial.runId!;
  Object.assign(trial, { status: 'running', threads });
  delete trial.message;
  await save();
  options.onEvent({ event: 'trialStart', id: record.id, trial: trial.trial, run: where(runId), parameters: trial.parameters, resumed: resume });
  const afterEpochs = record.medianStopping?.afterEpochs;
  const job: TrialJob = {
    trial: trial.trial, specText: applyParametersToText(record.specText, trial.parameters), runId, resume, threads,
    sweep: { id: record.id, trial: trial.trial, parameters: trial.parameters },
    stopAfterEpoch: (epoch, monitored) => {
      trial.curve[epoch - 1] = monitored ?? null;
      save().catch(() => undefined); // a failed write shows in the next awaited one
      return afterEpochs !== undefined && stopAtMedian(monitored, epoch, afterEpochs, finishedCurves(record));
    },
  };
  let keepGoing = true;
  try {
    const summary = await options.trainTrial(job);
    trial.status = summary.status;
  } catch (error) {
    keepGoing = !(error instanceof CancelledError);
    trial.status = error instanceof CancelledError ? 'cancelled' : error instanceof DivergedError ? 'diverged' : 'failed';
    trial.message = error instanceof Error ? error.message : String(error);
  }
  await save();
  options.onEvent({
    event: 'trialEnd', id: record.id, trial: trial.trial, run: where(runId), status: trial.status as RunStatus,
    best: bestValue(record, trial), ...(trial.message !== undefined && { message: trial.message }),
  });
  return keepGoing;
}

/** The trial's best monitored value in the metric's own sign (accuracy upwards), or null. */
function bestValue(record: SweepRecord, trial: SweepTrialRecord): number | null {
  const values = trial.curve.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (!values.length) return null;
  const best = Math.min(...values);
  return metricDirection(record.monitor.split(/\s+/)[1] ?? 'loss') === 'down' ? best : -best;
}

function bestTrial(record: SweepRecord, where: (id: string) => string): { trial: number; run: string; value: number } | null {
  let best: { trial: number; run: string; value: number; monitored: number } | null = null;
  for (const trial of record.trials) {
    const monitored = Math.min(...trial.curve.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
    if (!trial.runId || !Number.isFinite(monitored) || (best && best.monitored <= monitored)) continue;
    best = { trial: trial.trial, run: where(trial.runId), value: bestValue(record, trial)!, monitored };
  }
  return best && { trial: best.trial, run: best.run, value: best.value };
}

/** Writes of the record one after another, each of its state at that moment; the promise of the latest. */
function serialWriter(store: RunStore, record: SweepRecord): () => Promise<void> {
  let chain = Promise.resolve();
  return () => (chain = chain.catch(() => undefined).then(() => writeSweep(store, record)));
}
