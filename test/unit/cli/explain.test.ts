/** `rnn-lab explain` on the built CLI: the `explanation` JSON line, the words output, and bad flags. */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const cli = path.resolve('dist/cli.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60000 });

describe('rnn-lab explain', function () {
  this.timeout(120000);
  let dir: string;
  let runDir: string;

  before(function () {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-explain-'));
    const lines = ['abxab', 'babab', 'xaaab', 'bbbba', 'aabxa', 'ababa'].flatMap((input) => Array(10).fill(JSON.stringify({ input, label: input.includes('x') ? 'yes' : 'no' })));
    writeFileSync(path.join(dir, 'train.jsonl'), lines.join('\n') + '\n');
    writeFileSync(path.join(dir, 'c.rnn.json'), JSON.stringify({
      task: 'many-to-one', data: { train: 'train.jsonl' }, model: { cell: 'gru', hiddenSize: 6, embeddingSize: 4 }, training: { epochs: 2, batchSize: 8 },
    }));
    const trained = run(['train', 'c.rnn.json', '--json'], dir);
    assert.equal(trained.status, 0, trained.stderr);
    runDir = JSON.parse(trained.stdout.trim().split('\n').at(-1)!).run;
  });

  it('--json prints one explanation: target, prediction, method, tokens, per-step attributions, completeness error', () => {
    const r = run(['explain', runDir, '--input', 'abxa', '--steps', '64', '--json'], dir);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const e = JSON.parse(lines[0]);
    assert.equal(e.kind, 'explanation');
    assert.equal(e.method, 'ig');
    assert.ok(['yes', 'no'].includes(e.target));
    assert.equal(e.target, e.prediction);
    assert.deepEqual(e.tokens, ['a', 'b', 'x', 'a']);
    assert.equal(e.attributions.length, 4);
    assert.ok(e.completenessError < 0.01 * Math.abs(e.output - e.baselineOutput));
    const g = JSON.parse(run(['explain', runDir, '--input', 'abxa', '--target', 'no', '--method', 'gradxinput', '--json'], dir).stdout);
    assert.equal(g.method, 'gradxinput');
    assert.equal(g.target, 'no');
  });

  it('--file --line explains that line of a dataset, as --input does', () => {
    const byLine = JSON.parse(run(['explain', runDir, '--file', 'train.jsonl', '--line', '21', '--json'], dir).stdout);
    const byInput = JSON.parse(run(['explain', runDir, '--input', 'xaaab', '--json'], dir).stdout);
    assert.deepEqual(byLine.tokens, ['x', 'a', 'a', 'a', 'b']);
    assert.deepEqual(byLine, byInput);
    const past = run(['explain', runDir, '--file', 'train.jsonl', '--line', '999'], dir);
    assert.equal(past.status, 2);
    assert.match(past.stderr, /train\.jsonl:999:1.*no input on line 999/);
    const noLine = run(['explain', runDir, '--file', 'train.jsonl'], dir);
    assert.equal(noLine.status, 2);
    assert.match(noLine.stderr, /--file needs --line/);
  });

  it('words: a line a token with its attribution', () => {
    const r = run(['explain', runDir, '--input', 'abxa'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^integrated gradients of "(yes|no)"/);
    assert.match(r.stdout, /\n {2}"x" +-?\d+\.\d{4} [+-]*\n/);
  });

  it('a bad --target or --method exits 2 with what was expected', () => {
    const r = run(['explain', runDir, '--input', 'ab', '--target', 'yse', '--json'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--target "yse" is not a class of this run: did you mean "yes"\?/);
    assert.equal(JSON.parse(r.stdout.trim()).event, 'error');
    const m = run(['explain', runDir, '--input', 'ab', '--method', 'shap'], dir);
    assert.equal(m.status, 2);
    assert.match(m.stderr, /Allowed choices are ig, gradxinput/);
  });
});
