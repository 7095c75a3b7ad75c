/** What resuming a run reads back (state, summary, history) and checks (the data is unchanged). */
import type { TrainingState } from './checkpoint';
import { InputError } from './errors';
import { RUN_FILES, RUN_FORMAT_VERSION, decodeText, readJson, runFile, type RunStore } from './runStore';
import type { Summary } from './trainer';

export async function readResumable(store: RunStore, runId: string): Promise<{ state: TrainingState; summary: Summary; metrics: string; gradients: string }> {
  for (const file of [RUN_FILES.state, RUN_FILES.spec, RUN_FILES.last, RUN_FILES.optimizer, RUN_FILES.summary]) {
    if (!(await store.exists(runFile(runId, file)))) {
      throw new InputError(`cannot resume run '${runId}': ${file} is missing (expected a run folder written by rnn-lab train)`, runId);
    }
  }
  const state = await readJson<TrainingState>(store, runFile(runId, RUN_FILES.state));
  if (state.version > RUN_FORMAT_VERSION) {
    throw new InputError(`run '${runId}' has format version ${state.version}; this rnn-lab reads up to ${RUN_FORMAT_VERSION}`, runId);
  }
  const summary = await readJson<Summary>(store, runFile(runId, RUN_FILES.summary));
  const metricsPath = runFile(runId, RUN_FILES.metrics);
  const metrics = (await store.exists(metricsPath)) ? decodeText(await store.readFile(metricsPath)) : '';
  const gradientsPath = runFile(runId, RUN_FILES.gradients);
  const gradients = (await store.exists(gradientsPath)) ? decodeText(await store.readFile(gradientsPath)) : '';
  return { state, summary, metrics, gradients };
}

/** Resume refuses data whose bytes changed since the run started. */
export function checkHashes(saved: Record<string, string>, current: Record<string, string>, specPath: string): void {
  for (const [file, hash] of Object.entries(saved)) {
    if (current[file] !== hash) {
      throw new InputError(
        `cannot resume: ${file} changed since the run started (sha256 ${current[file]?.slice(0, 12) ?? 'missing'}…, expected ${hash.slice(0, 12)}…); train a new run instead`,
        file === undefined ? specPath : file, 1, 1);
    }
  }
}
