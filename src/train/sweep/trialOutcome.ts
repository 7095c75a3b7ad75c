/**
 * A trial trained in a worker ends with a session status; the sweep wants the run's summary, or the
 * error the in-process trainer would have thrown (CancelledError, DivergedError, any other Error).
 */
import { CancelledError, DivergedError } from '../errors';
import { readJson, type RunStore } from '../runStore';
import type { Summary } from '../runTypes';

export async function trialSummary(status: 'done' | 'cancelled' | 'error', message: string | undefined, runs: RunStore, runId: string, trial: number): Promise<Summary> {
  if (status === 'cancelled') throw new CancelledError(`trial ${trial} cancelled`, runId);
  const summary = await readJson<Summary>(runs, `${runId}/summary.json`).catch(() => undefined);
  if (status === 'error' || !summary) {
    const text = message ?? summary?.message ?? 'the trial failed';
    throw summary?.status === 'diverged' ? new DivergedError(text, runId) : new Error(text);
  }
  return summary;
}
