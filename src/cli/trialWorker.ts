/**
 * `rnn-lab sweep --parallel N` (N > 1): each trial trains in its own worker thread (dist/worker.js, the
 * extension's training worker), so that N trials really run at once. The host side is the extension's
 * TrainingSession (Node only, no vscode): events come back as messages, run files are written here through
 * the Node run store, and median stopping is asked of the host after each epoch (`epochEnd`/`stopDecision`).
 */
import * as path from 'node:path';
import type { BackendPreference } from '../engine/kernels/selectBackend';
import { TrainingSession } from '../protocol/trainingSession';
import { parseSpec } from '../modelSpec';
import { PENDING_DIR } from '../train/checkpointSet';
import type { TrainingEvent } from '../train/events';
import type { RunStore } from '../train/runStore';
import type { Summary } from '../train/runTypes';
import type { TrialJob } from '../train/sweep/runSweep';
import { trialSummary } from '../train/sweep/trialOutcome';

/** The worker's heap limit: generous, a CLI trial has the machine to itself but for its siblings. */
const WORKER_MEMORY_MB = 4096;

export interface WorkerTrialOptions {
  specPath: string;
  read: (relPath: string) => Uint8Array;
  runs: RunStore;
  runsDir: string;
  backend?: BackendPreference;
  signal: AbortSignal;
  onEvent: (event: TrainingEvent) => void;
}

export async function trainTrialInWorker(job: TrialJob, options: WorkerTrialOptions): Promise<Summary> {
  const spec = parseSpec(job.specText, options.specPath);
  const files: Record<string, Uint8Array> = {};
  for (const relPath of new Set([spec.data.train, spec.data.test, typeof spec.data.validation === 'string' ? spec.data.validation : undefined])) {
    if (relPath) files[relPath] = new Uint8Array(options.read(relPath));
  }
  const runFiles = job.resume ? await readRunFiles(options.runs, job.runId) : undefined;
  const session = new TrainingSession({
    workerPath: path.join(__dirname, 'worker.js'),
    start: {
      type: 'start', specText: job.specText, specPath: options.specPath, files, runId: job.runId, backend: options.backend,
      ...(runFiles && { resume: true, runFiles }),
      specFileFromRun: path.relative(path.join(options.runsDir, job.runId), options.specPath).split(path.sep).join('/'),
      sweep: job.sweep, threads: job.threads, askStopAfterEpoch: true,
    },
    store: options.runs,
    memoryLimitMb: WORKER_MEMORY_MB,
    onEvent: options.onEvent,
    stopAfterEpoch: job.stopAfterEpoch,
  });
  const cancel = () => session.cancel();
  options.signal.addEventListener('abort', cancel);
  if (options.signal.aborted) cancel();
  try {
    const result = await session.result;
    return await trialSummary(result.status, result.message, options.runs, job.runId, job.trial);
  } finally {
    options.signal.removeEventListener('abort', cancel);
  }
}

/** A run folder's files (and an interrupted checkpoint's journal) for a resuming worker. */
async function readRunFiles(store: RunStore, runId: string): Promise<Record<string, Uint8Array>> {
  const runFiles: Record<string, Uint8Array> = {};
  for (const relDir of [runId, `${runId}/${PENDING_DIR}`]) {
    for (const name of await store.list(relDir)) {
      if (name !== PENDING_DIR) runFiles[`${relDir}/${name}`] = new Uint8Array(await store.readFile(`${relDir}/${name}`));
    }
  }
  return runFiles;
}
