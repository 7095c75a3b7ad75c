/** `rnn-lab predict --hidden` on the built CLI: every layer's T×W hidden states beside the prediction. */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const cli = path.resolve('dist/cli.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60000 });

describe('rnn-lab predict --hidden', function () {
  this.timeout(120000);
  let dir: string;
  let runDir: string;

  before(function () {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-hidden-'));
    writeFileSync(path.join(dir, 'text.txt'), 'in the beginning was the word and the word was '.repeat(40));
    writeFileSync(path.join(dir, 'lm.rnn.json'), JSON.stringify({
      task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 10 },
      model: { cell: 'lstm', hiddenSize: 6, layers: 2, embeddingSize: 4 }, training: { epochs: 1, batchSize: 8 },
    }));
    const trained = run(['train', 'lm.rnn.json', '--json'], dir);
    assert.equal(trained.status, 0, trained.stderr);
    runDir = JSON.parse(trained.stdout.trim().split('\n').at(-1)!).run;
  });

  it('--json adds per-layer T×W states and keeps the next-token distribution', () => {
    const r = run(['predict', runDir, '--input', 'the wo', '--json', '--hidden'], dir);
    assert.equal(r.status, 0, r.stderr);
    const line = JSON.parse(r.stdout.trim());
    assert.equal(line.kind, 'next');
    assert.ok(line.top.length > 0);
    assert.deepEqual(line.hidden.steps, ['t', 'h', 'e', ' ', 'w', 'o']);
    assert.equal(line.hidden.layers.length, 2);
    for (const layer of line.hidden.layers) {
      assert.equal(layer.width, 6);
      assert.equal(layer.states.length, 6);
      for (const row of layer.states) {
        assert.equal(row.length, 6);
        // an LSTM's h = o ⊙ tanh(c) lies in (−1, 1)
        for (const v of row) assert.ok(Number.isFinite(v) && Math.abs(v) < 1, String(v));
      }
    }
  });

  it('without --json prints each layer as T rows under its shape', () => {
    const r = run(['predict', runDir, '--input', 'was', '--hidden'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /layer 1 \(3×6\):\n {2}"w" (-?\d\.\d{3} ?){6}\n/);
    assert.match(r.stdout, /layer 2 \(3×6\)/);
  });

  it('without --hidden the JSON line has no hidden states', () => {
    const r = run(['predict', runDir, '--input', 'was', '--json'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout.trim()).hidden, undefined);
  });
});
