/** Where a run argument points: a run folder path, or a run id inside the runs directory. */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../train/errors';

/** The default runs directory of a spec: `<spec dir>/.rnnlab/runs`. */
export function defaultRunsDir(specPath: string): string {
  return path.join(path.dirname(specPath), '.rnnlab', 'runs');
}

/**
 * `run` is a folder (absolute or relative to the working directory) or an id under `runsDir`.
 * Returns the runs directory and the id.
 */
export function locateRun(run: string, runsDir: string | undefined): { runsDir: string; runId: string } {
  const asPath = path.resolve(run);
  if (existsSync(asPath) && statSync(asPath).isDirectory()) return { runsDir: path.dirname(asPath), runId: path.basename(asPath) };
  if (runsDir) {
    const inside = path.join(runsDir, run);
    if (existsSync(inside) && statSync(inside).isDirectory()) return { runsDir, runId: run };
  }
  throw new InputError(`run '${run}' not found: expected a run folder${runsDir ? ` or a run id under ${runsDir}` : ''}`, run);
}
