/**
 * Opening a run for `--resume`: clean up after a process killed while writing, finish or discard the
 * checkpoint set it was writing (checkpointSet.ts), then read and verify the last consistent one.
 * When no usable checkpoint exists (the run was killed before its first one), resume starts the run
 * again from the beginning with its stored spec, which for the same seed and data gives the same run.
 */
import { NoCheckpoint, PENDING_DIR, readCheckpointSet, recoverSet, type CheckpointSet } from './checkpointSet';
import { InputError } from './errors';
import { RUN_FILES, RUN_FORMAT_VERSION, runFile, type RunStore } from './runStore';

/** What resume tells the user about the run folder it found (emitted after `start`). */
export type ResumeNote = { level: 'info' | 'warning'; message: string };

export interface ResumePoint {
  /** The verified checkpoint to continue from; undefined: start from the beginning. */
  checkpoint: CheckpointSet | undefined;
  /** False when the run was killed before it wrote spec.json: the caller's spec starts it again. */
  hasSpec: boolean;
  notes: ResumeNote[];
}

export async function openResumePoint(store: RunStore, runId: string): Promise<ResumePoint> {
  const notes: ResumeNote[] = [];
  const removed = await store.removeTemporaries(runId) + await store.removeTemporaries(runFile(runId, PENDING_DIR));
  if (removed > 0) notes.push({ level: 'info', message: `removed ${removed} temporary file${removed === 1 ? '' : 's'} left by a write that was interrupted` });
  if (!(await store.exists(runFile(runId, RUN_FILES.spec)))) {
    // Only a folder a run left before writing anything (empty, or its own journal) is started again.
    const known = new Set<string>([...Object.values(RUN_FILES), PENDING_DIR]);
    if ((await store.list(runId)).some((name) => !known.has(name))) {
      throw new InputError(`cannot resume run '${runId}': spec.json is missing (expected a run folder written by rnn-lab train)`, runId);
    }
    await store.remove(runFile(runId, PENDING_DIR));
    notes.push({ level: 'info', message: 'the run stopped before it wrote its spec; starting it from epoch 1 with the given spec' });
    return { checkpoint: undefined, hasSpec: false, notes };
  }
  const recovery = await recoverSet(store, runId);
  if (recovery === 'completed') notes.push({ level: 'info', message: 'completed the checkpoint that was being written when the run stopped' });
  let checkpoint: CheckpointSet | undefined;
  try {
    checkpoint = await readCheckpointSet(store, runId);
  } catch (error) {
    if (!(error instanceof NoCheckpoint)) throw error;
    notes.push(error.partial
      ? { level: 'warning', message: `the run's checkpoint is unusable: ${error.message}; starting again from epoch 1` }
      : { level: 'info', message: `${error.message}; starting from epoch 1` });
    return { checkpoint: undefined, hasSpec: true, notes };
  }
  if (checkpoint.state.version > RUN_FORMAT_VERSION) {
    throw new InputError(`run '${runId}' has format version ${checkpoint.state.version}; this rnn-lab reads up to ${RUN_FORMAT_VERSION}`, runId);
  }
  const { epoch, batch } = checkpoint.state.cursor;
  const where = `epoch ${epoch + 1}${batch > 0 ? `, batch ${batch + 1}` : ''}`;
  if (recovery === 'discarded') {
    notes.push({ level: 'info', message: `the checkpoint being written when the run stopped was incomplete and is discarded; resuming from the previous one (${where})` });
  }
  return { checkpoint, hasSpec: true, notes };
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
