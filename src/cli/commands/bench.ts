/** `rnn-lab bench`: runs the benchmark bundle (dist/bench.js, from bench/bench.ts) beside this CLI. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../train/errors';
import { fail } from '../failure';

export function benchCommand(options: { json?: boolean }): void {
  const script = path.join(__dirname, 'bench.js');
  try {
    if (!existsSync(script)) throw new InputError('the benchmark is not built: run `npm run build` first', script);
    const result = spawnSync(process.execPath, [script, ...(options.json ? ['--json'] : [])], { stdio: 'inherit' });
    process.exitCode = result.status ?? 1;
  } catch (error) {
    fail(error, script, options.json ?? false);
  }
}
