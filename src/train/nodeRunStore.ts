/**
 * `RunStore` on the local file system (CLI and tests). An atomic write goes to a temporary file in
 * the same folder, is flushed with fsync, then renamed over the target: rename is atomic on POSIX
 * and NTFS, so a process killed at any moment leaves the old file or the new one.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunStore } from './runStore';

const TEMP_MARK = '.tmp-';
let tempCounter = 0;

export class NodeRunStore implements RunStore {
  /**
   * @param root absolute path of the runs directory (e.g. `<spec dir>/.rnnlab/runs`).
   * @param guard called with every absolute path before it is read or written; throws to refuse it
   *   (the CLI's `--allow-root`, src/cli/fileAccess.ts).
   */
  constructor(readonly root: string, private readonly guard?: (absolutePath: string) => unknown) {}

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
    try {
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
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
