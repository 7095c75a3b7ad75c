/**
 * Run statuses that the trainer cannot write itself: `failed` for a run whose worker died, and
 * `interrupted` for a run whose process was killed (SIGKILL, a closed VS Code) while it said `running`.
 */
import { RUN_FILES, readJson, runFile, writeJson, type RunStore } from './runStore';
import type { Summary } from './runTypes';

/** Sets summary.json's status to `failed` with `message` when it still says `running`; false when it did not. */
export async function markRunFailed(store: RunStore, runId: string, message: string): Promise<boolean> {
  const file = runFile(runId, RUN_FILES.summary);
  if (!(await store.exists(file))) return false;
  const summary = await readJson<Summary>(store, file);
  if (summary.status !== 'running') return false;
  await writeJson(store, file, { ...summary, status: 'failed', message });
  return true;
}

/** The process training a run: summary.json's `owner` while its status is `running`. */
export interface RunOwner { pid: number; host: string }

/**
 * Whether a run that says `running` has no process left to finish it: its owner ran on this host and
 * that process is gone (`isAlive(pid)` false), or is this very process, which is not training it
 * (`trainsIt` false). Runs without an owner (older runs) and runs of other hosts are never judged.
 */
export function isOrphaned(summary: { status?: unknown; owner?: RunOwner }, here: { host: string; pid: number; trainsIt: boolean; isAlive: (pid: number) => boolean }): boolean {
  const { owner } = summary;
  if (summary.status !== 'running' || !owner || owner.host !== here.host) return false;
  return owner.pid === here.pid ? !here.trainsIt : !here.isAlive(owner.pid);
}
