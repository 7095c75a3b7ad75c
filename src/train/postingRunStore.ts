/**
 * The training worker's `RunStore`: it keeps the run's files in memory (for resume and reads) and
 * sends every write to the host, whose own RunStore (vscode.workspace.fs) writes it atomically.
 */
import type { RunStore } from './runStore';

export class PostingRunStore implements RunStore {
  private readonly files = new Map<string, Uint8Array>();
  private readonly claimed = new Set<string>();

  /** @param post sends `{relPath, bytes}` to the host; @param initial existing files (resume). */
  constructor(private readonly post: (relPath: string, bytes: Uint8Array) => void, initial: Record<string, Uint8Array> = {}) {
    for (const [relPath, bytes] of Object.entries(initial)) this.files.set(relPath, bytes);
  }

  async writeFileAtomic(relPath: string, bytes: Uint8Array): Promise<void> {
    this.files.set(relPath, bytes);
    this.post(relPath, bytes.slice());
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
    for (const key of [...this.files.keys()]) if (key === relPath || key.startsWith(relPath + '/')) this.files.delete(key);
  }
}
