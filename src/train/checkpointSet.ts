/**
 * Checkpoint sets: the files of one checkpoint (last weights, optimizer state, state.json with the
 * cursor, metrics/gradients history, summary.json, and best.safetensors when it changed) are written
 * as one set, so that a process killed at any moment leaves one consistent checkpoint.
 *
 * A set is written through a small journal inside the run folder:
 *   1. every file to `<run>/.checkpoint/<name>` (each an atomic write),
 *   2. `<run>/.checkpoint/commit.json` naming them: the commit point,
 *   3. every file renamed over `<run>/<name>` (the layout readers know),
 *   4. `<run>/.checkpoint/` removed.
 * `recoverSet` finishes a committed journal (roll forward) or discards one that never committed, so
 * the run folder holds either the whole new set or the whole previous one. Each file also carries
 * the set's generation (`generation` in the JSON files and in the safetensors metadata;
 * state.json's `bestGeneration` for best.safetensors), which `readCheckpointSet` verifies on resume.
 */
import { decodeSafetensors } from '../engine/safetensors';
import type { TrainingState } from './checkpoint';
import { RUN_FILES, decodeText, encodeText, readJson, runFile, type RunStore } from './runStore';
import type { Summary } from './runTypes';

/** The journal folder inside a run folder. */
export const PENDING_DIR = '.checkpoint';
const COMMIT_FILE = 'commit.json';

type JournalStore = Pick<RunStore, 'writeFileAtomic' | 'rename' | 'remove'>;

/**
 * Writes `files` (names inside `relDir`) as one set through the journal described above.
 * `writeJournalFile` may be a plain (non-atomic) write where atomic writes are costly: a torn journal
 * file, or a torn commit.json (which then does not parse), only ever belongs to an uncommitted set.
 */
export async function writeSetJournaled(
  store: JournalStore, relDir: string, files: Record<string, Uint8Array>,
  writeJournalFile: (relPath: string, bytes: Uint8Array) => Promise<void> = (relPath, bytes) => store.writeFileAtomic(relPath, bytes),
): Promise<void> {
  const pending = runFile(relDir, PENDING_DIR);
  const names = Object.keys(files);
  await store.remove(pending);
  for (const name of names) await writeJournalFile(runFile(pending, name), files[name]);
  await writeJournalFile(runFile(pending, COMMIT_FILE), encodeText(JSON.stringify({ files: names }) + '\n'));
  for (const name of names) await store.rename(runFile(pending, name), runFile(relDir, name));
  await store.remove(pending);
}

/** What `recoverSet` found: no journal, a committed set it completed, or an unfinished one it discarded. */
export type Recovery = 'none' | 'completed' | 'discarded';

/** Completes or discards the journal a killed `writeSetJournaled` left in `relDir`. */
export async function recoverSet(store: RunStore, relDir: string): Promise<Recovery> {
  const pending = runFile(relDir, PENDING_DIR);
  if (!(await store.exists(pending))) return 'none';
  let names: string[] | undefined;
  try {
    names = (await readJson<{ files: string[] }>(store, runFile(pending, COMMIT_FILE))).files;
  } catch {
    names = undefined;
  }
  if (names) {
    for (const name of names) {
      if (await store.exists(runFile(pending, name))) await store.rename(runFile(pending, name), runFile(relDir, name));
    }
  }
  await store.remove(pending);
  return names ? 'completed' : 'discarded';
}

/** A verified checkpoint of a run, as resume needs it. */
export interface CheckpointSet {
  state: TrainingState;
  summary: Summary;
  last: Uint8Array;
  optimizer: Uint8Array;
  best: Uint8Array | undefined;
  metricsLines: string[];
  gradientLines: string[];
}

/** Why a run folder holds no checkpoint that resume can use. */
export class NoCheckpoint extends Error {
  /** @param partial true when some checkpoint files exist but do not form a consistent set. */
  constructor(message: string, readonly partial: boolean) {
    super(message);
  }
}

/**
 * Reads the run's checkpoint and verifies that its files belong together: last, optimizer, summary
 * and state.json of the same generation, best.safetensors of state.json's `bestGeneration`, and the
 * history files holding at least the lines the state counted (lines after them, written when the run
 * finished, are dropped). Runs written before generations existed are read unverified.
 */
export async function readCheckpointSet(store: RunStore, runId: string): Promise<CheckpointSet> {
  const file = (name: string) => runFile(runId, name);
  const required = [RUN_FILES.state, RUN_FILES.last, RUN_FILES.optimizer, RUN_FILES.summary];
  const present = await Promise.all(required.map((name) => store.exists(file(name))));
  if (!present.slice(0, 3).some(Boolean)) throw new NoCheckpoint('no checkpoint was written yet', false);
  const missing = required.filter((_, i) => !present[i]);
  if (missing.length > 0) throw new NoCheckpoint(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`, true);
  let state: TrainingState;
  let summary: Summary;
  try {
    state = await readJson<TrainingState>(store, file(RUN_FILES.state));
    summary = await readJson<Summary>(store, file(RUN_FILES.summary));
  } catch (error) {
    throw new NoCheckpoint(`state.json or summary.json cannot be read (${(error as Error).message})`, true);
  }
  const last = await store.readFile(file(RUN_FILES.last));
  const optimizer = await store.readFile(file(RUN_FILES.optimizer));
  const best = (await store.exists(file(RUN_FILES.best))) ? await store.readFile(file(RUN_FILES.best)) : undefined;
  const metricsLines = await readLines(store, file(RUN_FILES.metrics));
  const gradientLines = await readLines(store, file(RUN_FILES.gradients));
  const generation = state.generation;
  if (generation === undefined) return { state, summary, last, optimizer, best, metricsLines, gradientLines };

  const mismatches: string[] = [];
  const expect = (name: string, found: number | undefined, wanted: number) => {
    if (found !== wanted) mismatches.push(`${name} is generation ${found ?? 'none'}, expected ${wanted}`);
  };
  expect(RUN_FILES.summary, summary.generation, generation);
  expect(RUN_FILES.last, generationOf(last), generation);
  expect(RUN_FILES.optimizer, generationOf(optimizer), generation);
  if (state.bestGeneration !== undefined && state.bestGeneration !== null) expect(RUN_FILES.best, best && generationOf(best), state.bestGeneration);
  const lines = state.historyLines ?? { metrics: metricsLines.length, gradients: gradientLines.length };
  if (metricsLines.length < lines.metrics) mismatches.push(`metrics.jsonl has ${metricsLines.length} lines, expected ${lines.metrics}`);
  if (gradientLines.length < lines.gradients) mismatches.push(`gradients.jsonl has ${gradientLines.length} lines, expected ${lines.gradients}`);
  if (mismatches.length > 0) throw new NoCheckpoint(`its files do not belong together (${mismatches.join('; ')})`, true);
  return {
    state, summary, last, optimizer, best,
    metricsLines: metricsLines.slice(0, lines.metrics), gradientLines: gradientLines.slice(0, lines.gradients),
  };
}

/** The `generation` metadata of a safetensors file (undefined when absent or unreadable). */
function generationOf(bytes: Uint8Array): number | undefined {
  try {
    const value = decodeSafetensors(bytes).metadata.generation;
    return value === undefined ? undefined : Number(value);
  } catch {
    return undefined;
  }
}

async function readLines(store: RunStore, relPath: string): Promise<string[]> {
  if (!(await store.exists(relPath))) return [];
  return decodeText(await store.readFile(relPath)).split('\n').filter((line) => line.trim() !== '');
}
