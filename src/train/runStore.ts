/**
 * Run folders and the storage they live in.
 *
 * A run is a folder `<runsDir>/<YYYYMMDD-HHMMSS>-<name>/` holding the files of `RUN_FILES`.
 * Every write goes through a `RunStore`, whose paths are relative to the runs directory
 * (`<runId>/last.safetensors`): the CLI uses the Node fs adapter (`nodeRunStore.ts`), the extension a
 * `vscode.workspace.fs` adapter, and the training worker one that posts the bytes to its host.
 * `writeFileAtomic` must leave either the old or the new content, never a torn file.
 */

export interface RunStore {
  /** Writes the whole file so that a crash at any moment leaves the old content or the new one. */
  writeFileAtomic(relPath: string, bytes: Uint8Array): Promise<void>;
  /** Throws when the file is absent. */
  readFile(relPath: string): Promise<Uint8Array>;
  exists(relPath: string): Promise<boolean>;
  /** Names of the entries of a folder (not paths), sorted; [] when it is absent. */
  list(relDir: string): Promise<string[]>;
  /** Creates the folder and its parents; no error when it exists. */
  mkdir(relDir: string): Promise<void>;
  /**
   * Creates the folder (and its parents) and returns true, or returns false when it already exists.
   * Of two callers claiming the same folder at once, exactly one gets true: run ids rely on it.
   */
  claimFolder(relDir: string): Promise<boolean>;
  /** Removes a file or a folder with its contents; no error when it is absent. */
  remove(relPath: string): Promise<void>;
  /** Moves a file over `to` (replacing it) in one atomic step. */
  rename(from: string, to: string): Promise<void>;
  /**
   * Writes several files of one folder as one set (checkpointSet.ts): after a crash at any moment and
   * `recoverSet`, the folder holds all of the old files or all of the new ones.
   */
  writeSet(relDir: string, files: Record<string, Uint8Array>): Promise<void>;
  /** Deletes the temporary files that writes killed midway left in a folder; returns how many. */
  removeTemporaries(relDir: string): Promise<number>;
}

/** The files of a run folder. */
export const RUN_FILES = {
  spec: 'spec.json',
  metrics: 'metrics.jsonl',
  /** The `gradients` events (gradient flow through time), so a finished run's dashboard shows them. */
  gradients: 'gradients.jsonl',
  best: 'best.safetensors',
  last: 'last.safetensors',
  state: 'state.json',
  optimizer: 'optimizer.safetensors',
  vocab: 'vocab.json',
  normalization: 'normalization.json',
  /** Language models: a stretch of training text that `rnn-lab sample` warms the state up on (src/train/warmup.ts). */
  warmup: 'warmup.txt',
  summary: 'summary.json',
} as const;

/** Version of the run folder format, stored in state.json and summary.json. */
export const RUN_FORMAT_VERSION = 1;

const RESERVED_WINDOWS_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const MAX_NAME_LENGTH = 60;

/**
 * A run-name part valid as a folder name on Windows, macOS and Linux: only `[A-Za-z0-9._-]`,
 * no leading/trailing dot or dash, no reserved device name, at most 60 characters.
 */
export function safeRunName(name: string): string {
  let safe = name.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-{2,}/g, '-');
  safe = safe.slice(0, MAX_NAME_LENGTH).replace(/^[.-]+|[.-]+$/g, '');
  if (safe === '') safe = 'run';
  if (RESERVED_WINDOWS_NAMES.test(safe.split('.')[0])) safe = `${safe}-run`;
  return safe;
}

/** `YYYYMMDD-HHMMSS` in local time. */
export function runTimestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/**
 * A new run id `<YYYYMMDD-HHMMSS>-<name>`, suffixed `-2`, `-3`, … when that folder already exists.
 * The run folder is created here (claimed), so two runs started in the same second never share it.
 */
export async function newRunId(store: RunStore, name: string, now: Date): Promise<string> {
  const base = `${runTimestamp(now)}-${safeRunName(name)}`;
  let id = base;
  for (let n = 2; !(await store.claimFolder(id)); n++) id = `${base}-${n}`;
  return id;
}

/** `<runId>/<file>`. */
export function runFile(runId: string, file: string): string {
  return `${runId}/${file}`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function writeJson(store: RunStore, relPath: string, value: unknown): Promise<void> {
  return store.writeFileAtomic(relPath, encoder.encode(JSON.stringify(value, null, 2) + '\n'));
}

export async function readJson<T = unknown>(store: RunStore, relPath: string): Promise<T> {
  return JSON.parse(decoder.decode(await store.readFile(relPath))) as T;
}

export function encodeText(text: string): Uint8Array {
  return encoder.encode(text);
}

export function decodeText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
