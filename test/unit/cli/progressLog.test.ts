/** Progress when stderr is not a TTY (CI logs, `| tee`): plain lines at a modest rate, never `\r` redraws. */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ProgressLog } from '../../../src/cli/progressLog';
import type { ProgressEvent } from '../../../src/train/events';

const cli = path.resolve('dist/cli.js');

function progress(epoch: number, batch: number, batches = 100): ProgressEvent {
  return { event: 'progress', epoch, epochs: 2, batch, batches, loss: 1.5, tokensPerSecond: 12345, etaMs: 83000, learningRate: 0.01 };
}

describe('CLI progress log (stderr not a TTY)', function () {
  this.timeout(120000);

  it('prints at most one line per interval, plus one at every epoch end, with batch, loss, tokens/s and ETA', () => {
    const lines: string[] = [];
    let nowMs = 0;
    const log = new ProgressLog((text) => lines.push(text), { intervalMs: 10000, now: () => nowMs });
    for (let batch = 1; batch <= 100; batch++) { nowMs = batch * 1000; log.update(progress(1, batch)); }
    for (let batch = 1; batch <= 100; batch++) { nowMs = 100000 + batch * 1000; log.update(progress(2, batch)); }
    // 100 s an epoch at one line per 10 s: 9 interval lines (10 s … 90 s) and the end line, each epoch.
    assert.equal(lines.length, 20, lines.join(''));
    assert.equal(lines[0], 'epoch 1/2 batch 10/100  loss 1.5000  12.3k tok/s  ETA 1m23s\n');
    assert.equal(lines[9], 'epoch 1/2 batch 100/100  loss 1.5000  12.3k tok/s  ETA 1m23s\n');
    assert.ok(lines.every((l) => !l.includes('\r') && !l.includes('\x1b')), 'no terminal control codes in a log');
  });

  it('the built CLI writes progress lines to a piped stderr; --json stdout stays one event a line', () => {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-progress-'));
    let text = '';
    for (let i = 0; text.length < 3000; i++) text += ['in the beginning ', 'and the earth ', 'was without form '][(i * 7) % 3];
    writeFileSync(path.join(dir, 'text.txt'), text);
    writeFileSync(path.join(dir, 'lm.rnn.json'), JSON.stringify({
      task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 10 },
      model: { cell: 'rnn', hiddenSize: 8, embeddingSize: 0 }, training: { epochs: 2, batchSize: 8 },
    }));
    const human = spawnSync(process.execPath, [cli, 'train', 'lm.rnn.json'], { cwd: dir, encoding: 'utf8', timeout: 60000, stdio: 'pipe' });
    assert.equal(human.status, 0, human.stderr);
    const progressLines = human.stderr.split('\n').filter((l) => l.startsWith('epoch '));
    assert.ok(progressLines.length >= 2, `a line at each of the 2 epoch ends, got:\n${human.stderr}`);
    for (const line of progressLines) {
      assert.match(line, /^epoch [12]\/2 batch \d+\/\d+ {2}loss \d+\.\d{4} {2}\d+(\.\d)?k? tok\/s {2}ETA \d+(s|m\d\ds)$/);
    }
    assert.ok(!human.stderr.includes('\r'), 'no carriage-return redraws in a pipe');

    const json = spawnSync(process.execPath, [cli, 'train', 'lm.rnn.json', '--json'], { cwd: dir, encoding: 'utf8', timeout: 60000, stdio: 'pipe' });
    assert.equal(json.status, 0, json.stderr);
    for (const line of json.stdout.trim().split('\n')) assert.equal(typeof JSON.parse(line).event, 'string');
    assert.ok(!/^epoch /m.test(json.stderr), '--json prints no human progress lines');
  });
});
