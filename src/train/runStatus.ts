/** Marking a run whose trainer could not (a worker that died, ran out of memory) as `failed`. */
import { RUN_FILES, readJson, runFile, writeJson, type RunStore } from './runStore';
import type { Summary } from './trainer';

/** Sets summary.json's status to `failed` with `message` when it still says `running`; false when it did not. */
export async function markRunFailed(store: RunStore, runId: string, message: string): Promise<boolean> {
  const file = runFile(runId, RUN_FILES.summary);
  if (!(await store.exists(file))) return false;
  const summary = await readJson<Summary>(store, file);
  if (summary.status !== 'running') return false;
  await writeJson(store, file, { ...summary, status: 'failed', message });
  return true;
}
