/**
 * A run whose loss explodes without reaching Infinity (plain SGD at learning rate 3 on a small
 * regression, `divergence: {lossFactor: 2, patienceBatches: 2}`) stops as `diverged` in RNN Lab and in
 * the exported train.py alike: exit code 1, summary.json's `status` and a `message` in the engine's
 * words (the epoch, batch, update and losses may differ: the weights start from another initialisation),
 * an `error` event on stdout, and no weights from inside the explosion.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { skipWithoutTorch, torchPython } from './python';
import { regressionWorkspace as workspace, rnnLab } from './trainerWorkspace';

const EXPLODING = { epochs: 3, batchSize: 8, optimizer: { type: 'sgd', learningRate: 3 }, clipNorm: null, seed: 1, divergence: { lossFactor: 2, patienceBatches: 2 } };

/** The engine's message with the run's own numbers (epoch, batch, update, losses) as wildcards. */
function messagePattern(message: string): RegExp {
  const escaped = message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = escaped
    .replace(/epoch \d+, batch \d+ \\\(update \d+\\\)/, 'epoch \\d+, batch \\d+ \\(update \\d+\\)')
    .replace(/exploded: [^,]+,/, 'exploded: [-+.e\\d]+,')
    .replace(/first batch's loss \\\([^)]+\\\)/, "first batch's loss \\([-+.e\\d]+\\)");
  return new RegExp(`^${pattern}$`);
}

describe('export --trainer: an exploding loss stops train.py as diverged, as it stops RNN Lab', function () {
  this.timeout(180000);
  it('status diverged, exit 1, the engine\'s message, an error event, no best weights from the explosion', function () {
    const found = torchPython();
    if ('missing' in found) return skipWithoutTorch(this, found.missing);
    const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-diverge-'));
    try {
      // RNN Lab: the exploding spec diverges in its first epoch.
      const boom = rnnLab(['train', workspace(dir, 'boom', EXPLODING), '--runs-dir', 'runs-boom'], dir);
      assert.equal(boom.status, 1, boom.stderr);
      const [boomRun] = readdirSync(path.join(dir, 'runs-boom'));
      const engine = JSON.parse(readFileSync(path.join(dir, 'runs-boom', boomRun, 'summary.json'), 'utf8'));
      assert.equal(engine.status, 'diverged');
      assert.match(engine.message, /the loss exploded: .* above 2 × the first batch's loss .* for 2 batches in a row/);
      const resolvedTraining = JSON.parse(readFileSync(path.join(dir, 'runs-boom', boomRun, 'spec.json'), 'utf8')).training;

      // A calm run of the same data to export, then its train.py given the exploding training keys.
      const calm = rnnLab(['train', workspace(dir, 'calm', { ...EXPLODING, epochs: 1, optimizer: { type: 'sgd', learningRate: 0.01 } }), '--runs-dir', 'runs-calm'], dir);
      assert.equal(calm.status, 0, calm.stderr);
      const [calmRun] = readdirSync(path.join(dir, 'runs-calm'));
      const exported = rnnLab(['export', path.join('runs-calm', calmRun), '--trainer', '--out', 'exported'], dir);
      assert.equal(exported.status, 0, exported.stderr);
      const specFile = path.join(dir, 'exported', 'spec.json');
      writeFileSync(specFile, JSON.stringify({ ...JSON.parse(readFileSync(specFile, 'utf8')), training: resolvedTraining }));

      const r = spawnSync(found.python, [path.join(dir, 'exported', 'train.py'), '--out', path.join(dir, 'pytorch')], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
      assert.equal(r.status, 1, `train.py should exit 1 on divergence: ${r.stderr.slice(-2000)}`);
      const summary = JSON.parse(readFileSync(path.join(dir, 'pytorch', 'summary.json'), 'utf8'));
      assert.equal(summary.status, 'diverged');
      assert.match(summary.message, messagePattern(engine.message));
      const error = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((e) => e.event === 'error');
      assert.equal(error?.message, summary.message);
      assert.ok(!existsSync(path.join(dir, 'pytorch', 'best.safetensors')), 'no best weights from a run that diverged in its first epoch');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
