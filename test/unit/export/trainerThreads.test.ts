/**
 * `train.py --threads N` runs PyTorch's CPU work on N threads (torch.set_num_threads), as `rnn-lab
 * train --threads N` does the engine's, and records the count in summary.json's `threads` as RNN Lab
 * does; a count below 1 is refused (exit 2, naming the flag). `npm run bench:examples` relies on it.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { skipWithoutTorch, torchPython } from './python';
import { regressionWorkspace, rnnLab } from './trainerWorkspace';

describe('export --trainer: train.py --threads', function () {
  this.timeout(180000);
  it('sets the thread count and records it in summary.json; refuses 0', function () {
    const found = torchPython();
    if ('missing' in found) return skipWithoutTorch(this, found.missing);
    const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-threads-'));
    try {
      const spec = regressionWorkspace(dir, 'threads', { epochs: 1, batchSize: 8, optimizer: { type: 'adam', learningRate: 0.01 }, seed: 1 });
      assert.equal(rnnLab(['train', spec, '--runs-dir', 'runs'], dir).status, 0);
      const [run] = readdirSync(path.join(dir, 'runs'));
      assert.equal(rnnLab(['export', path.join('runs', run), '--trainer', '--out', 'exported'], dir).status, 0);
      const trainPy = (args: string[]) => spawnSync(found.python, [path.join(dir, 'exported', 'train.py'), ...args], { encoding: 'utf8' });
      for (const threads of [1, 2]) {
        const out = path.join(dir, `pytorch-${threads}`);
        const r = trainPy(['--out', out, '--threads', String(threads)]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')).threads, threads);
      }
      const refused = trainPy(['--threads', '0']);
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /--threads takes a positive integer, got 0/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
