/** `rnn-lab sweep` and `rnn-lab train` on a spec with a sweep, through the built CLI (dist/cli.js). */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const cli = path.resolve('dist/cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 90000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workspace(epochs: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-sweep-'));
  let text = '';
  for (let i = 0; text.length < 6000; i++) text += ['in the beginning ', 'and the earth ', 'was without form ', 'and void. '][(i * 7) % 4];
  writeFileSync(path.join(dir, 'text.txt'), text);
  writeFileSync(path.join(dir, 'lm.rnn.json'), JSON.stringify({
    task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 10 },
    model: { cell: 'rnn', hiddenSize: 12, embeddingSize: 0 }, training: { epochs, batchSize: 8 },
    sweep: { parameters: { 'model.hiddenSize': [4, 6, 8] } },
  }, null, 2));
  return dir;
}

const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('rnn-lab sweep', function () {
  this.timeout(180000);
  before(function () {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  });

  it('--json prints sweep, trialStart/trialEnd per trial and sweepDone; the sweep file sits beside the runs folder', () => {
    const dir = workspace(1);
    const r = run(['sweep', 'lm.rnn.json', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const events = lines(r.stdout);
    assert.deepEqual(events.map((e) => e.event), ['sweep', 'trialStart', 'trialEnd', 'trialStart', 'trialEnd', 'trialStart', 'trialEnd', 'sweepDone']);
    const id = events[0].id as string;
    const record = JSON.parse(readFileSync(path.join(dir, '.rnnlab', 'sweeps', `${id}.json`), 'utf8'));
    assert.equal(record.status, 'completed');
    assert.equal(record.specFile, '../../lm.rnn.json');
    for (const trial of record.trials) assert.ok(existsSync(path.join(dir, '.rnnlab', 'runs', trial.runId, 'summary.json')));
  });

  it('--parallel 2 runs two trials at once (worker threads), each with its share of the threads, to the same results as one at a time', () => {
    const dir = workspace(2);
    const serial = lines(run(['sweep', 'lm.rnn.json', '--json'], dir).stdout);
    const r = run(['sweep', 'lm.rnn.json', '--json', '--parallel', '2'], dir);
    assert.equal(r.code, 0, r.stderr);
    const parallel = lines(r.stdout);
    assert.equal(parallel[0].parallel, 2);
    const order = parallel.map((e) => `${e.event}${e.trial ?? ''}`);
    assert.ok(order.indexOf('trialStart2') < order.indexOf('trialEnd1'), `trial 2 starts before trial 1 ends: ${order.join(' ')}`);
    const ends = (events: Record<string, unknown>[]) => events.filter((e) => e.event === 'trialEnd').map((e) => [e.trial, e.status, e.best]).sort();
    assert.deepEqual(ends(parallel), ends(serial), 'same trials, same statuses, same best values (seeded)');
    const record = JSON.parse(readFileSync(path.join(dir, '.rnnlab', 'sweeps', `${parallel[0].id}.json`), 'utf8'));
    for (const trial of record.trials) {
      const summary = JSON.parse(readFileSync(path.join(dir, '.rnnlab', 'runs', trial.runId, 'summary.json'), 'utf8'));
      assert.equal(summary.threads, parallel[0].threads);
      assert.deepEqual(summary.sweep, { id: record.id, trial: trial.trial, parameters: trial.parameters });
    }
  });

  it('train on a spec with a sweep trains the spec as written and says the sweep was ignored', () => {
    const dir = workspace(1);
    const r = run(['train', 'lm.rnn.json', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const events = lines(r.stdout);
    assert.equal(events[0].event, 'start');
    assert.match(String(events[1].message), /the spec has a "sweep": trained the spec as written and ignored the sweep/);
    assert.equal((events[0].spec as { model: { hiddenSize: number } }).model.hiddenSize, 12);
  });

  it('Ctrl-C cancels the running trial after its checkpoint; --resume <id> skips the finished trial and completes the rest', async () => {
    const dir = workspace(3);
    const child = spawn(process.execPath, [cli, 'sweep', 'lm.rnn.json', '--json'], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (stdout.includes('"trialEnd"')) resolve();
    }));
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    const id = lines(stdout)[0].id as string;
    assert.match(stderr, new RegExp(`--resume ${id}`));
    const record = JSON.parse(readFileSync(path.join(dir, '.rnnlab', 'sweeps', `${id}.json`), 'utf8'));
    assert.equal(record.status, 'cancelled');
    assert.equal(record.trials[0].status, 'completed');
    assert.ok(record.trials.some((t: { status: string }) => t.status === 'cancelled' || t.status === 'pending'), JSON.stringify(record.trials));

    const resumed = run(['sweep', 'lm.rnn.json', '--resume', id, '--json'], dir);
    assert.equal(resumed.code, 0, resumed.stderr);
    const events = lines(resumed.stdout);
    const started = events.filter((e) => e.event === 'trialStart').map((e) => e.trial);
    assert.ok(!started.includes(1), 'the finished trial is skipped');
    assert.deepEqual(events.at(-1)?.status, 'completed');
    const final = JSON.parse(readFileSync(path.join(dir, '.rnnlab', 'sweeps', `${id}.json`), 'utf8'));
    assert.deepEqual(final.trials.map((t: { status: string }) => t.status), ['completed', 'completed', 'completed']);
  });

  it('a parameter naming no spec key exits 2 naming file:line:column with a did-you-mean', () => {
    const dir = workspace(1);
    const spec = JSON.parse(readFileSync(path.join(dir, 'lm.rnn.json'), 'utf8'));
    spec.sweep.parameters = { 'model.hiddenSzie': [4] };
    writeFileSync(path.join(dir, 'lm.rnn.json'), JSON.stringify(spec, null, 2));
    const r = run(['sweep', 'lm.rnn.json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /lm\.rnn\.json:\d+:\d+: .*unknown key "model.hiddenSzie".*did you mean "model.hiddenSize"/);
  });
});
