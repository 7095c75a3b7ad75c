/**
 * A run whose process was killed (SIGKILL, a closed VS Code) keeps `status: "running"` in
 * summary.json, since nothing was left to write otherwise. summary.json's `owner` (pid and host)
 * lets the Runs view tell such an orphan from a run another process is still training.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { isOrphaned } from '../../../src/train/runStatus';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('orphaned runs', function () {
  this.timeout(180000);
  const here = { host: 'box', pid: 100, trainsIt: false, isAlive: (pid: number) => pid === 200 };

  it('a running run is orphaned only when its owner on this host is gone, or is this process not training it', () => {
    assert.equal(isOrphaned({ status: 'running', owner: { host: 'box', pid: 300 } }, here), true, 'owner process gone');
    assert.equal(isOrphaned({ status: 'running', owner: { host: 'box', pid: 200 } }, here), false, 'owner alive');
    assert.equal(isOrphaned({ status: 'running', owner: { host: 'box', pid: 100 } }, here), true, 'this process, not training it');
    assert.equal(isOrphaned({ status: 'running', owner: { host: 'box', pid: 100 } }, { ...here, trainsIt: true }), false, 'this process, training it');
    assert.equal(isOrphaned({ status: 'running', owner: { host: 'other', pid: 300 } }, here), false, 'another host: cannot tell');
    assert.equal(isOrphaned({ status: 'running' }, here), false, 'a run from before owners: cannot tell');
    assert.equal(isOrphaned({ status: 'cancelled', owner: { host: 'box', pid: 300 } }, here), false, 'not running');
  });

  it('a CLI training records its pid and host; SIGKILLed, its run is orphaned, while alive it is not', async () => {
    const cli = path.resolve('dist/cli.js');
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-orphan-'));
    writeFileSync(path.join(dir, 'text.txt'), 'in the beginning and the earth was without form and void. '.repeat(60));
    writeFileSync(path.join(dir, 'lm.rnn.json'), JSON.stringify({
      task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 10 },
      model: { cell: 'gru', hiddenSize: 8, embeddingSize: 4 }, training: { epochs: 100000, batchSize: 8, seed: 1 },
    }));
    const runsDir = path.join(dir, 'runs');
    const child = spawn(process.execPath, [cli, 'train', 'lm.rnn.json', '--json', '--runs-dir', runsDir], { cwd: dir });
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    const hereNow = { host: hostname(), pid: process.pid, trainsIt: false, isAlive };
    let summaryFile: string;
    try {
      let stdout = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk;
          if (stdout.includes('"event":"checkpoint"')) resolve();
        });
        child.on('close', () => reject(new Error(`the training ended before its first checkpoint: ${stdout}`)));
      });
      summaryFile = path.join(runsDir, readdirSync(runsDir)[0], 'summary.json');
      const live = JSON.parse(readFileSync(summaryFile, 'utf8'));
      assert.deepEqual(live.owner, { pid: child.pid, host: hostname() });
      assert.equal(isOrphaned(live, hereNow), false, 'a run its process is still training');
    } finally {
      child.kill('SIGKILL'); // also when an assertion above failed: never leave a 100,000-epoch training behind
      await closed;
    }
    const killed = JSON.parse(readFileSync(summaryFile, 'utf8'));
    assert.equal(killed.status, 'running', 'a killed process could not say otherwise');
    assert.equal(isOrphaned(killed, hereNow), true);
  });
});
