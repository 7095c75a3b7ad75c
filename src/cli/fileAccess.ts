/**
 * Every file the CLI opens — specs, data, weights, inputs, and the files of run folders, including
 * the spec a run's `summary.specFile` names — goes through one `FileAccess`. Without `--allow-root`
 * it reads anything; with `--allow-root <dir>` (repeatable) each path must resolve, symlinks
 * included, under one of the roots, else the command stops with exit 2 naming the path and the roots.
 * The extension passes its workspace folders when the workspace is untrusted, so that a spec or run
 * folder from an untrusted source cannot make `rnn-lab` read `~/.ssh/id_rsa` through `"train":
 * "../../.ssh/id_rsa"` or a symlink.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { Option } from 'commander';
import { InputError } from '../train/errors';
import { NodeRunStore } from '../train/nodeRunStore';
import { isInsideFolder, realPathOf } from '../fs/realPath';

/** The repeatable `--allow-root <dir>` option, for every command that opens specs, data or runs. */
export function allowRootOption(): Option {
  return new Option('--allow-root <dir>', 'read specs, data and runs only when they resolve (symlinks included) under this folder; repeatable')
    .argParser((dir: string, previous: string[] | undefined) => [...(previous ?? []), dir]);
}

export interface AllowRootOptions { allowRoot?: string[] }

export class FileAccess {
  /** @param roots real paths of the allowed roots; undefined: no restriction. */
  private constructor(private readonly roots: readonly string[] | undefined) {}

  /** No `--allow-root`: every path is allowed. */
  static readonly unrestricted = new FileAccess(undefined);

  /** The access the options ask for; a root that is not an existing folder is bad input. */
  static fromOptions(options: AllowRootOptions): FileAccess {
    const dirs = options.allowRoot;
    if (!dirs || dirs.length === 0) return FileAccess.unrestricted;
    return new FileAccess(dirs.map((dir) => {
      const absolute = path.resolve(dir);
      try {
        return realpathSync.native(absolute);
      } catch {
        throw new InputError('no such folder: expected an existing folder for --allow-root', dir);
      }
    }));
  }

  /** The one rule: `file` must resolve under a root. Returns its absolute path; throws an InputError (exit 2) otherwise. */
  check(file: string): string {
    const absolute = path.resolve(file);
    if (!this.roots) return absolute;
    const real = realPathOf(absolute);
    if (this.roots.some((root) => isInsideFolder(real, root))) return absolute;
    const via = real === absolute ? '' : ` (through a symlink: ${real})`;
    throw new InputError(`refused to open ${absolute}${via}: it is outside the allowed roots (--allow-root ${this.roots.join(', ')})`, absolute);
  }

  /** Reads a file after `check`; a missing or unreadable file is bad input naming the path. */
  read(file: string): Uint8Array {
    const checked = this.check(file);
    try {
      return readFileSync(checked);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, expected a file' : `cannot read it (${code})`;
      throw new InputError(why, file);
    }
  }

  /** Whether a file exists, asked only of allowed paths. */
  exists(file: string): boolean {
    return existsSync(this.check(file));
  }

  /** Reads dataset files named relative to the spec's folder. */
  dataReader(specPath: string): (relPath: string) => Uint8Array {
    return (relPath) => this.read(path.resolve(path.dirname(specPath), relPath));
  }

  /** The run store of a runs directory; each of its reads and writes is checked. */
  runStore(runsDir: string): NodeRunStore {
    return new NodeRunStore(runsDir, this.roots ? (file) => this.check(file) : undefined);
  }
}
