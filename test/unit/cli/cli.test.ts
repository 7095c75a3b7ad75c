/** The built CLI (`npm run build` → dist/cli.js), spawned as a user would run it. */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const cli = path.resolve('dist/cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-cli-'));
  let text = '';
  for (let i = 0; text.length < 3000; i++) text += ['in the beginning ', 'and the earth ', 'was without form ', 'and void. '][(i * 7) % 4];
  writeFileSync(path.join(dir, 'text.txt'), text);
  writeFileSync(path.join(dir, 'lm.rnn.json'), JSON.stringify({
    task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 10 },
    model: { cell: 'rnn', hiddenSize: 12, embeddingSize: 0 }, training: { epochs: 1, batchSize: 8 },
  }, null, 2));
  return dir;
}

describe('rnn-lab CLI', function () {
  this.timeout(120000);
  before(function () {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  });

  it('init on a daily CSV of several stores says what it found: time column, calendar, season, series, blanks', () => {
    const dir = workspace();
    const rows = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10))
      .flatMap((date, i) => [`A,${date},${i === 30 ? '' : 100 + (i % 7)}`, `B,${date},${200 + (i % 7)}`]);
    writeFileSync(path.join(dir, 'stores.csv'), ['store,date,sales', ...rows].join('\n') + '\n');
    const r = run(['init', 'stores.csv'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Found: time column "date" \(never an input\); calendar features dayOfWeek; season 7 for the seasonal naive forecast; several series, named by column "store" \(data.groupBy\); a few blank cells, filled by interpolation \(data.missing\)\./);
    const spec = JSON.parse(readFileSync(path.join(dir, 'stores.rnn.json'), 'utf8'));
    assert.deepEqual([spec.data.time, spec.data.calendar, spec.data.season, spec.data.groupBy, spec.data.missing], ['date', ['dayOfWeek'], 7, 'store', 'interpolate']);
    assert.equal(run(['train', 'stores.rnn.json', '--json'], dir).code, 0, 'the spec init writes trains');
  });

  it('every command has --help (exit 0)', () => {
    const dir = workspace();
    for (const command of ['train', 'sweep', 'eval', 'sample', 'predict', 'gradcheck', 'bench', 'init', 'export', 'import']) {
      const r = run([command, '--help'], dir);
      assert.equal(r.code, 0, command);
      assert.match(r.stdout, /Usage: rnn-lab/);
    }
  });

  it('train --json prints only event lines, start first and done last, with an absolute run path', () => {
    const dir = workspace();
    const r = run(['train', 'lm.rnn.json', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(events[0].event, 'start');
    const done = events.at(-1);
    assert.equal(done.event, 'done');
    assert.ok(path.isAbsolute(done.run) && existsSync(path.join(done.run, 'summary.json')));
    assert.equal(done.split, 'validation');
    assert.equal(typeof done.metrics.bitsPerChar, 'number');
    for (const e of events) assert.ok(['start', 'info', 'progress', 'metrics', 'gradients', 'sample', 'checkpoint', 'done'].includes(e.event));
    assert.equal(path.dirname(done.run), path.join(dir, '.rnnlab', 'runs'));

    const evaluation = run(['eval', done.run, '--json'], dir);
    assert.equal(evaluation.code, 0, evaluation.stderr);
    const line = JSON.parse(evaluation.stdout.trim());
    assert.deepEqual(Object.keys(line).sort(), Object.keys(done).sort());
    assert.equal(line.metrics.bitsPerChar, done.metrics.bitsPerChar);

    const sample = run(['sample', done.run, '--length', '40', '--prime', 'and', '--seed', '3'], dir);
    assert.equal(sample.code, 0, sample.stderr);
    assert.ok(sample.stdout.startsWith('and') && sample.stdout.length >= 40);
    assert.equal(run(['sample', done.run, '--length', '40', '--prime', 'and', '--seed', '3'], dir).stdout, sample.stdout, 'seeded');

    const prediction = run(['predict', done.run, '--input', '"the earth"', '--json'], dir);
    assert.equal(prediction.code, 0, prediction.stderr);
    assert.equal(JSON.parse(prediction.stdout).kind, 'next');
  });

  it('Ctrl-C writes a checkpoint that resume continues from, then exits', async () => {
    const dir = workspace();
    const spec = JSON.parse(readFileSync(path.join(dir, 'lm.rnn.json'), 'utf8'));
    spec.training.epochs = 1000;
    writeFileSync(path.join(dir, 'lm.rnn.json'), JSON.stringify(spec));
    const child = spawn(process.execPath, [cli, 'train', 'lm.rnn.json', '--json'], { cwd: dir });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (stdout.includes('"event":"checkpoint"')) resolve();
    }));
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130);
    const runDir = JSON.parse(stdout.split('\n')[0]).run as string;
    const summary = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8'));
    assert.equal(summary.status, 'cancelled');
    const state = JSON.parse(readFileSync(path.join(runDir, 'state.json'), 'utf8'));
    assert.ok(state.cursor.epoch >= 1 || state.cursor.batch >= 1, 'the cursor moved past the start');
    assert.ok(existsSync(path.join(runDir, 'last.safetensors')));
    const resumed = run(['train', 'lm.rnn.json', '--resume', runDir, '--epochs', String(state.cursor.epoch + 1), '--json'], dir);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(JSON.parse(resumed.stdout.trim().split('\n').at(-1)!).event, 'done');
  });

  it('bad input exits 2 with one line naming file:line:column, no stack trace', () => {
    const dir = workspace();
    writeFileSync(path.join(dir, 'bad.rnn.json'), '{\n  "task": "many-to-many",\n  "data": { "train": "text.txt" },\n  "model": { "cell": "lstmm" }\n}\n');
    const r = run(['train', 'bad.rnn.json'], dir);
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /bad\.rnn\.json:4:\d+: .*cell.*lstmm/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(existsSync(path.join(dir, '.rnnlab')), false, 'nothing written for a bad spec');

    const json = run(['train', 'bad.rnn.json', '--json'], dir);
    const event = JSON.parse(json.stdout.trim());
    assert.deepEqual([event.event, event.line > 0, path.basename(event.file)], ['error', true, 'bad.rnn.json']);

    const missing = run(['train', 'nope.rnn.json'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.rnn\.json: no such file/);
    assert.equal(run(['train', 'lm.rnn.json', '--epochs', 'many'], dir).code, 2);
    assert.equal(run(['frobnicate'], dir).code, 2);
  });

  it('gradcheck prints a table and exits 0 when the gradients match', () => {
    const dir = workspace();
    const r = run(['gradcheck', 'lm.rnn.json'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /rnn\.weight_hh_l0\s+\d\.\d\de-\d+\s+\d+\s+ok/);
  });
});
