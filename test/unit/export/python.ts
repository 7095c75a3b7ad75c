/** The Python with PyTorch the export checks run: `$PYTHON`, else Debian's /usr/bin/python3, else python3 on PATH. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function torchPython(): { python: string } | { missing: string } {
  const candidates = [process.env.PYTHON, existsSync('/usr/bin/python3') ? '/usr/bin/python3' : undefined, 'python3'].filter((p): p is string => !!p);
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (r.status === 0) return { python };
  }
  return { missing: `PyTorch is not installed for ${candidates.join(' or ')} (apt-get install python3-torch, or run scripts/install-system-deps.sh)` };
}

/** Runs a Python script with a single thread of PyTorch work; throws with its stderr when it fails. */
export function runPython(python: string, args: string[], cwd?: string): string {
  const r = spawnSync(python, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`${python} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

/**
 * Skips a suite when PyTorch is missing on a developer's machine, but fails it in CI (`CI` set),
 * where `npm test` installs python3-torch first: there a skip would hide the export checks.
 */
export function skipWithoutTorch(context: Mocha.Context, missing: string): never | void {
  if (process.env.CI) throw new Error(missing);
  console.warn(`    SKIPPED: ${missing}`);
  context.skip();
}
