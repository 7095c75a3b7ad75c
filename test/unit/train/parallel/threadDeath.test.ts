/**
 * A shard worker that dies between steps (hard end as when out of memory, or process.exit in the
 * worker) fails the next step with a clear error, every later step too, and close() still ends;
 * it never leaves the main thread waiting. Each case runs in a child process (deadWorkerProbe.ts)
 * with a time limit: a step blocks its thread synchronously, so a hang could not be timed out here.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const LIMIT_MS = 60_000;

function probe(mode: string, preload?: string): { second: string | null; third: string | null; closed: boolean } {
  const args = ['-r', 'tsx/cjs', ...(preload ? ['-r', path.join(__dirname, preload)] : []), path.join(__dirname, 'deadWorkerProbe.ts'), mode];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: LIMIT_MS, killSignal: 'SIGKILL' });
  assert.notEqual(run.signal, 'SIGKILL', `the ${mode} probe hung: still running after ${LIMIT_MS / 1000} s (stderr: ${run.stderr.slice(-500)})`);
  assert.equal(run.status, 0, `the ${mode} probe failed: ${run.stderr.slice(-1000)}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

describe('a training thread that dies between steps', function () {
  this.timeout(3 * LIMIT_MS);

  it('ended from outside (as when out of memory): the next step fails naming the thread, later steps too, close() ends', () => {
    const r = probe('terminated');
    assert.match(r.second ?? 'no error', /training thread 1 (ended|exited)/);
    assert.match(r.third ?? 'no error', /training thread 1/);
    assert.ok(r.closed);
  });

  it('ended before the main thread saw it: the step fails when the thread does not take it', () => {
    const r = probe('unnoticed');
    assert.match(r.second ?? 'no error', /training thread 1 (ended|exited|did not take)/);
    assert.ok(r.closed);
  });

  it('process.exit in the worker between steps: the next step fails with the exit code', () => {
    const r = probe('exits', 'exitAfterStepPreload.ts');
    assert.match(r.second ?? 'no error', /training thread 1 exited with code 7/);
    assert.ok(r.closed);
  });
});
