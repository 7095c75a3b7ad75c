/**
 * `RunStore` on the local file system (CLI and tests). An atomic write goes to a temporary file in
 * the same folder, is flushed with fsync, then renamed over the target: rename is atomic on POSIX
 * and NTFS, so a process killed at any moment leaves the old file or the new one.
 *
 * Test-only fault hook: with `RNN_LAB_FAULT_EXIT_AFTER_WRITES=k` in the environment, the store counts
 * its atomic writes (each `writeFileAtomic` and each `rename`) and, once k of them are done, kills its
 * own process with SIGKILL at the next one, after that write's temporary file is on disk and before it
 * is renamed into place: exactly what a kill inside a write leaves behind.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeSetJournaled } from './checkpointSet';
import type { RunStore } from './runStore';

const TEMP_MARK = '.tmp-';
let tempCounter = 0;

/** The environment variable of the fault hook (docs/contracts.md). */
export const FAULT_EXIT_AFTER_WRITES = 'RNN_LAB_FAULT_EXIT_AFTER_WRITES';

function faultLimit(): number | undefined {
  const value = process.env[FAULT_EXIT_AFTER_WRITES];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

export class NodeRunStore implements RunStore {
  private writes = 0;
  private readonly faultAfterWrites = faultLimit();

  /**
   * @param root absolute path of the runs directory (e.g. `<spec dir>/.rnnlab/runs`).
   * @param guard called with every absolute path before it is read or written; throws to refuse it
   *   (the CLI's `--allow-root`, src/cli/fileAccess.ts).
   */
  constructor(readonly root: string, private readonly guard?: (absolutePath: string) => unknown) {}


  /** The fault hook: dies here when the writes done so far reach the limit. */
  private beforeCommit(): void {
    if (this.faultAfterWrites === undefined || this.writes < this.faultAfterWrites) return;
    process.kill(process.pid, 'SIGKILL');
    process.exit(137);
  }

  /** Absolute path of a store-relative path; refuses paths that leave the root, and those the guard refuses. */
  resolve(relPath: string): string {
    const full = path.resolve(this.root, relPath);
    const rel = path.relative(this.root, full);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`path '${relPath}' leaves the runs folder`);
    this.guard?.(full);
    return full;
  }

  async writeFileAtomic(relPath: string, bytes: Uint8Array): Promise<void> {
    const target = this.resolve(relPath);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}${TEMP_MARK}${process.pid}-${tempCounter++}`;
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.beforeCommit();
    try {
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    this.writes++;
  }

  async rename(from: string, to: string): Promise<void> {
    const target = this.resolve(to);
    this.beforeCommit();
    await fs.rename(this.resolve(from), target);
    this.writes++;
  }

  writeSet(relDir: string, files: Record<string, Uint8Array>): Promise<void> {
    return writeSetJournaled(this, relDir, files);
  }

  async removeTemporaries(relDir: string): Promise<number> {
    let names: string[];
    try {
      names = await fs.readdir(this.resolve(relDir));
    } catch {
      return 0;
    }
    const temporaries = names.filter((n) => n.includes(TEMP_MARK));
    for (const name of temporaries) await fs.rm(path.join(this.resolve(relDir), name), { force: true });
    return temporaries.length;
  }

  async readFile(relPath: string): Promise<Uint8Array> {
    const buffer = await fs.readFile(this.resolve(relPath));
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  async exists(relPath: string): Promise<boolean> {
    const full = this.resolve(relPath);
    try {
      await fs.stat(full);
      return true;
    } catch {
      return false;
    }
  }

  async list(relDir: string): Promise<string[]> {
    const full = this.resolve(relDir);
    try {
      const names = await fs.readdir(full);
      return names.filter((n) => !n.includes(TEMP_MARK)).sort();
    } catch {
      return [];
    }
  }

  async mkdir(relDir: string): Promise<void> {
    await fs.mkdir(this.resolve(relDir), { recursive: true });
  }

  async claimFolder(relDir: string): Promise<boolean> {
    const full = this.resolve(relDir);
    await fs.mkdir(path.dirname(full), { recursive: true });
    try {
      await fs.mkdir(full); // not recursive: EEXIST when another process (or call) got there first
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  async remove(relPath: string): Promise<void> {
    await fs.rm(this.resolve(relPath), { recursive: true, force: true });
  }
}
