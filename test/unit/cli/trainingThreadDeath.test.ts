/**
 * `rnn-lab train --threads 2` whose shard worker exits (process.exit(7), injected by
 * exitAfterStepPreload.ts) in epoch 2: the CLI prints the error, exits non-zero and leaves a failed
 * run whose epoch-1 checkpoint resumes to a completed run. Bounded: a hang fails at LIMIT_MS.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const cli = path.resolve('dist/cli.js');
const preload = path.resolve('test/unit/train/parallel/exitAfterStepPreload.ts');
const LIMIT_MS = 120_000;

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: LIMIT_MS, killSignal: 'SIGKILL' });
  assert.notEqual(r.signal, 'SIGKILL', `rnn-lab ${args.slice(-4).join(' ')} hung: still running after ${LIMIT_MS / 1000} s`);
  return r;
}

describe('rnn-lab train when a training thread dies', function () {
  this.timeout(3 * LIMIT_MS);

  it('prints the error, exits 1, records a failed run, and the run resumes from its last checkpoint', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-thread-death-'));
    let text = '';
    for (let i = 0; text.length < 4000; i++) text += ['in the beginning ', 'and the earth ', 'was without form ', 'and void. '][(i * 7) % 4];
    writeFileSync(path.join(dir, 'text.txt'), text);
    // batches of 16 × 24 steps at H = 96 split over 2 threads (threadPool.ts shardsFor); ~9 batches an epoch
    writeFileSync(path.join(dir, 'lm.rnn.json'), JSON.stringify({
      task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 24 },
      model: { cell: 'gru', hiddenSize: 96, embeddingSize: 32 }, training: { epochs: 3, batchSize: 16, seed: 7 },
    }));
    const tsx = require.resolve('tsx/cjs');
    // the worker's notifies: 1 when ready, 1 per step; the 14th comes after epoch 1 (9 batches) ends
    const failed = run(['-r', tsx, '-r', preload, cli, 'train', 'lm.rnn.json', '--threads', '2', '--json'], dir, { RNN_LAB_TEST_EXIT_AFTER_NOTIFIES: '14' });
    assert.equal(failed.status, 1, `exit code (stderr: ${failed.stderr.slice(-500)})`);
    assert.match(failed.stderr, /training thread 1 exited with code 7/);
    const events = failed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { event: string; epoch?: number; message?: string });
    assert.equal(events.at(-1)!.event, 'error');
    assert.match(events.at(-1)!.message!, /training thread 1 exited with code 7/);
    assert.ok(events.some((e) => e.event === 'checkpoint' && e.epoch === 1), 'epoch 1 was checkpointed before the thread died');
    const runs = path.join(dir, '.rnnlab', 'runs');
    const [runId] = readdirSync(runs);
    const summary = () => JSON.parse(readFileSync(path.join(runs, runId, 'summary.json'), 'utf8')) as { status: string; epochs?: number };
    assert.equal(summary().status, 'failed');

    const resumed = run([cli, 'train', 'lm.rnn.json', '--resume', runId], dir);
    assert.equal(resumed.status, 0, `resume exit code (stderr: ${resumed.stderr.slice(-500)})`);
    assert.equal(summary().status, 'completed');
  });
});
