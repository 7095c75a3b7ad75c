/**
 * The training worker's `RunStore`: it keeps the run's files in memory (for resume and reads) and
 * sends every change to the host, whose own RunStore (vscode.workspace.fs) applies it in order: a
 * write atomically, a set through its journal (checkpointSet.ts), renames and removals as they come.
 */
import type { StoreChangeMessage } from '../protocol/hostWorker';
import type { RunStore } from './runStore';

export class PostingRunStore implements RunStore {
  private readonly files = new Map<string, Uint8Array>();
  private readonly claimed = new Set<string>();

  /** @param post sends a change to the host; @param initial existing files (resume). */
  constructor(private readonly post: (change: StoreChangeMessage) => void, initial: Record<string, Uint8Array> = {}) {
    for (const [relPath, bytes] of Object.entries(initial)) this.files.set(relPath, bytes);
  }

  async writeFileAtomic(relPath: string, bytes: Uint8Array): Promise<void> {
    this.files.set(relPath, bytes);
    this.post({ type: 'writeFile', relPath, bytes: bytes.slice() });
  }

  async writeSet(relDir: string, files: Record<string, Uint8Array>): Promise<void> {
    const copies: Record<string, Uint8Array> = {};
    for (const [name, bytes] of Object.entries(files)) {
      this.files.set(`${relDir}/${name}`, bytes);
      copies[name] = bytes.slice();
    }
    this.post({ type: 'writeSet', relDir, files: copies });
  }

  async rename(from: string, to: string): Promise<void> {
    const bytes = this.files.get(from);
    if (!bytes) throw new Error(`no such run file: ${from}`);
    this.files.delete(from);
    this.files.set(to, bytes);
    this.post({ type: 'renameFile', from, to });
  }

  /** The host removed them when it read the run folder for this worker (trainingService). */
  async removeTemporaries(): Promise<number> {
    return 0;
  }

  async readFile(relPath: string): Promise<Uint8Array> {
    const bytes = this.files.get(relPath);
    if (!bytes) throw new Error(`no such run file: ${relPath}`);
    return bytes;
  }

  async exists(relPath: string): Promise<boolean> {
    const prefix = relPath.endsWith('/') ? relPath : relPath + '/';
    return this.files.has(relPath) || [...this.files.keys()].some((k) => k.startsWith(prefix));
  }

  async list(relDir: string): Promise<string[]> {
    const prefix = relDir === '' ? '' : relDir.replace(/\/$/, '') + '/';
    const names = new Set<string>();
    for (const key of this.files.keys()) if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split('/')[0]);
    return [...names].sort();
  }

  async mkdir(): Promise<void> {}

  /** The host names the run (`StartMessage.runId`); in memory a folder exists once a file is in it or it was claimed. */
  async claimFolder(relDir: string): Promise<boolean> {
    const taken = this.claimed.has(relDir) || [...this.files.keys()].some((k) => k.startsWith(`${relDir}/`));
    this.claimed.add(relDir);
    return !taken;
  }

  async remove(relPath: string): Promise<void> {
    if (!(await this.exists(relPath))) return;
    for (const key of [...this.files.keys()]) if (key === relPath || key.startsWith(relPath + '/')) this.files.delete(key);
    this.post({ type: 'removeFile', relPath });
  }
}
