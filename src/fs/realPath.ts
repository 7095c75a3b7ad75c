/**
 * Where a path really is: symlinks resolved, also for paths that do not exist yet. The CLI's
 * `--allow-root` (src/cli/fileAccess.ts) and the extension's workspace checks judge paths by it.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The real path of `file` (absolute), symlinks resolved. A path that does not exist (yet) resolves
 * through its nearest existing ancestor, so that a missing file under a symlinked folder is judged
 * by where the folder really is; a dangling symlink is judged by where it points.
 */
export function realPathOf(file: string, depth = 0): string {
  const absolute = path.resolve(file);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      lstatSync(existing);
      break;
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return absolute;
      missing.unshift(path.basename(existing));
      existing = parent;
    }
  }
  try {
    return path.join(realpathSync.native(existing), ...missing);
  } catch {
    // `existing` is (or passes through) a dangling symlink: follow it by hand, a bounded number of times.
    if (depth > 40 || !lstatSync(existing).isSymbolicLink()) throw new Error(`cannot resolve ${absolute}: too many symbolic links`);
    const target = path.resolve(path.dirname(existing), readlinkSync(existing));
    return realPathOf(path.join(target, ...missing), depth + 1);
  }
}

/** True when `file` is `root` or inside it (both real, absolute). */
export function isInsideFolder(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel));
}
