/**
 * `rnn-lab export --trainer` end to end, with the built CLI and PyTorch's own launcher: a tiny
 * many-to-one run and a character language model are trained one epoch by RNN Lab, exported with
 * data.py and train.py, trained 2 epochs by `python3 -m torch.distributed.run --nproc_per_node=2`
 * (gloo, CPU), then `rnn-lab import --run` adds the result and `rnn-lab eval` must reproduce the
 * metrics train.py reported within 1e-4. The loss must fall and both ranks must end with identical weights.
 * The same for a CSV time series (two stores, dates, perSeries statistics, differencing, two targets,
 * forecastSteps 2), and one process for an aligned many-to-many series and seq2seq from TSV pairs.
 */
import { strict as assert } from 'node:assert';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../../src/engine/random';
import { skipWithoutTorch, torchPython } from './python';
import { cell, storesCsv } from './seriesData';

const cli = path.resolve('dist/cli.js');
const examples = path.resolve('examples');

function rnnLab(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `rnn-lab ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

/** The JSON event lines rank 0 printed (torchrun prefixes each with `[default0]:`). */
function events(stdout: string): { event: string; [key: string]: unknown }[] {
  return stdout.split('\n').map((l) => l.replace(/^\[default\d+\]:/, '')).filter((l) => l.startsWith('{"event"')).map((l) => JSON.parse(l));
}

interface Workspace { spec: string; write(dir: string): void }

/** Writes the workspace, trains it one epoch with RNN Lab and exports the run with --trainer into dir/exported. */
function trainAndExport(workspace: Workspace, dir: string): void {
  workspace.write(dir);
  writeFileSync(path.join(dir, 'spec.rnn.json'), workspace.spec);
  const run = lastJson(rnnLab(['train', 'spec.rnn.json', '--json'], dir)).run as string;
  rnnLab(['export', run, '--trainer', '--out', 'exported'], dir);
}

/** A TCP port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `python3 -m torch.distributed.run --nproc_per_node=2 train.py --epochs 2` in `dir`. The free port is
 * chosen, released and then bound by the launcher, so another process can take it in between: a
 * failed launch is printed and tried once more on a new port (a broken train.py fails both times).
 */
async function torchrun(python: string, dir: string): Promise<SpawnSyncReturns<string>> {
  let r: SpawnSyncReturns<string> | undefined;
  for (let attempt = 1; attempt <= 2; attempt++) {
    // -r 1 -t 1: Debian's torch 1.13 on Python ≥ 3.11 cannot parse the launcher's default "0" (Std.NONE).
    r = spawnSync(python, ['-m', 'torch.distributed.run', '--nproc_per_node=2', `--master_port=${await freePort()}`, '-r', '1', '-t', '1',
      '--log_dir', path.join(dir, `logs-${attempt}`), path.join(dir, 'exported', 'train.py'), '--epochs', '2', '--out', path.join(dir, 'pytorch-run')],
    { cwd: dir, encoding: 'utf8', timeout: 240000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    if (r.status === 0) break;
    process.stderr.write(`torchrun attempt ${attempt} exited ${r.status}:\n${r.stdout}\n${r.stderr}\n`);
    rmSync(path.join(dir, 'pytorch-run'), { recursive: true, force: true });
  }
  return r!;
}

const CLASSIFIER: Workspace = {
  spec: JSON.stringify({
    version: 1, name: 'digits-small', task: 'many-to-one',
    data: { train: 'train.jsonl', test: 'test.jsonl', validation: { fraction: 0.2, stratify: true } },
    model: { cell: 'gru', hiddenSize: 16 },
    training: { epochs: 1, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, clipNorm: 1, seed: 1 },
  }),
  write(dir) {
    const lines = (file: string, n: number) => readFileSync(path.join(examples, 'digits', file), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
    writeFileSync(path.join(dir, 'train.jsonl'), lines('digits-train.jsonl', 320));
    writeFileSync(path.join(dir, 'test.jsonl'), lines('digits-test.jsonl', 80));
  },
};

const CHAR_LM: Workspace = {
  spec: JSON.stringify({
    version: 1, name: 'chars', task: 'many-to-many',
    data: { train: 'text.txt', unit: 'char', sequenceLength: 16, validation: { fraction: 0.1 } },
    model: { cell: 'lstm', hiddenSize: 24, embeddingSize: 8 },
    training: { epochs: 1, batchSize: 8, optimizer: { type: 'adam', learningRate: 0.01 }, bptt: { mode: 'truncated', forwardSteps: 16, backpropSteps: 24 }, seed: 3 },
  }),
  write(dir) {
    copyFileSync(path.join(examples, 'genesis', 'genesis.txt'), path.join(dir, 'full.txt'));
    writeFileSync(path.join(dir, 'text.txt'), readFileSync(path.join(dir, 'full.txt'), 'utf8').slice(0, 12000));
  },
};

const STORES: Workspace = {
  spec: JSON.stringify({
    version: 1, name: 'stores', task: 'many-to-one',
    data: { train: 'stores.csv', test: 'later.csv', time: 'date', calendar: ['dayOfWeek', 'month'], missing: 'interpolate', groupBy: 'store', normalize: 'perSeries', difference: true, target: ['sales', 'temp, C'], window: 8, horizon: 1, forecastSteps: 2, validation: { fraction: 0.15 } },
    model: { cell: 'gru', hiddenSize: 16 },
    training: { epochs: 1, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, clipNorm: 1, seed: 4 },
  }),
  write(dir) {
    const rng = new Rng(11);
    writeFileSync(path.join(dir, 'stores.csv'), storesCsv(rng, 240));
    writeFileSync(path.join(dir, 'later.csv'), storesCsv(rng, 40, 240));
  },
};

const REVERSE: Workspace = {
  spec: JSON.stringify({
    version: 1, name: 'reverse', task: 'seq2seq', data: { train: 'pairs.tsv', format: 'tsv', validation: { fraction: 0.2 } },
    model: { cell: 'gru', hiddenSize: 16, embeddingSize: 8 }, training: { epochs: 1, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, seed: 2 },
  }),
  write(dir) {
    const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog'];
    const pairs = Array.from({ length: 160 }, (_, i) => {
      const text = Array.from({ length: 1 + (i % 3) }, (_, k) => words[(i * 5 + k * 3) % words.length]).join(' ');
      return `${text}\t${text.split('').reverse().join('')}`;
    });
    writeFileSync(path.join(dir, 'pairs.tsv'), pairs.join('\n') + '\n');
  },
};

/** Two columns tiled into windows, each step predicting the next change of b (numeric time, a test file). */
const ALIGNED: Workspace = {
  spec: JSON.stringify({
    version: 1, name: 'aligned', task: 'many-to-many',
    data: { train: 'rows.csv', test: 'rows-test.csv', time: 't', difference: true, target: 'b', window: 12, horizon: 1, season: 6, validation: { fraction: 0.2 } },
    model: { cell: 'lstm', hiddenSize: 16 }, training: { epochs: 1, batchSize: 8, optimizer: { type: 'adam', learningRate: 0.01 }, seed: 5 },
  }),
  write(dir) {
    const rows = (from: number, n: number) => Array.from({ length: n }, (_, k) => {
      const i = from + k;
      return `${i},${cell(Math.sin(i / 4) * 5 + (i % 6), i)},${cell(10 + 3 * Math.sin(i / 3) + ((i * 7) % 5) / 4, i + 1)}`;
    });
    writeFileSync(path.join(dir, 'rows.csv'), ['t,a,b', ...rows(0, 400)].join('\n') + '\n');
    writeFileSync(path.join(dir, 'rows-test.csv'), ['t,a,b', ...rows(400, 60)].join('\n') + '\n');
  },
};

/** A CSV table with a header: a text column and a numeric target (its character count over ten). */
const SCORES: Workspace = {
  spec: JSON.stringify({
    version: 1, name: 'scores', task: 'many-to-one', data: { train: 'scores.csv', inputKey: 'text', targetKey: 'score', validation: { fraction: 0.2 } },
    model: { cell: 'gru', hiddenSize: 16, embeddingSize: 8 }, training: { epochs: 1, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, seed: 6 },
  }),
  write(dir) {
    const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog'];
    const rows = Array.from({ length: 200 }, (_, i) => {
      const text = Array.from({ length: 1 + (i % 5) }, (_, k) => words[(i * 3 + k * 5) % words.length]).join(' ');
      return `"${text}",${text.length / 10}`;
    });
    writeFileSync(path.join(dir, 'scores.csv'), ['text,score', ...rows].join('\n') + '\n');
  },
};

describe('export --trainer: train.py under torchrun, imported back', function () {
  this.timeout(300000);
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-trainer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, workspace, metrics] of [['many-to-one classifier', CLASSIFIER, ['accuracy']], ['character language model', CHAR_LM, ['perplexity']],
    ['CSV time series forecaster', STORES, ['rmse.sales', 'rmse.temp, C', 'nrmse']]] as const) {
    it(`${name}: 2 ranks agree, the loss falls, and rnn-lab eval of the import reproduces train.py's ${metrics.join(', ')}`, async function () {
      const found = torchPython();
      if ('missing' in found) return skipWithoutTorch(this, found.missing);
      trainAndExport(workspace, dir);
      assert.ok(readdirSync(path.join(dir, 'exported')).includes('data.py'));
      const r = await torchrun(found.python, dir);
      assert.equal(r.status, 0, `torchrun exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
      const lines = events(r.stdout);
      const trainLoss = lines.filter((e) => e.event === 'metrics' && e.split === 'train').map((e) => (e.metrics as { loss: number }).loss);
      assert.equal(trainLoss.length, 2, r.stdout);
      assert.ok(trainLoss[1] < trainLoss[0], `the training loss should fall: ${trainLoss}`);
      assert.deepEqual(lines.find((e) => e.event === 'replicas'), { event: 'replicas', worldSize: 2, identical: true });
      const done = lines.find((e) => e.event === 'done') as unknown as { metrics: Record<string, number>; split: string };
      const summary = JSON.parse(readFileSync(path.join(dir, 'pytorch-run', 'summary.json'), 'utf8'));
      assert.equal(summary.backend, 'pytorch');
      assert.equal(summary.worldSize, 2);
      assert.equal(summary.device, 'cpu');

      const imported = lastJson(rnnLab(['import', '--run', 'pytorch-run', '--json'], dir));
      assert.equal(imported.event, 'done');
      // By default beside the spec the run names, where the Runs view finds it.
      assert.equal(path.dirname(imported.run), path.join(dir, '.rnnlab', 'runs'));
      const evaluated = lastJson(rnnLab(['eval', imported.run, '--json'], dir));
      assert.equal(evaluated.split, done.split);
      for (const key of ['loss', ...metrics]) {
        assert.ok(Math.abs(evaluated.metrics[key] - done.metrics[key]) <= 1e-4, `${key}: rnn-lab eval ${evaluated.metrics[key]}, train.py ${done.metrics[key]}`);
      }
    });
  }

  for (const [name, workspace, epochs, metrics] of [['seq2seq from TSV pairs', REVERSE, 3, ['tokenAccuracy', 'sequenceAccuracy', 'tokenErrorRate']],
    ['aligned many-to-many CSV time series', ALIGNED, 2, ['rmse', 'naiveRmse', 'seasonalNaiveRmse']], ['CSV table of records, regression', SCORES, 2, ['rmse']]] as const) {
    it(`${name}, one process: the loss falls and rnn-lab eval of the import reproduces train.py's ${metrics.join(', ')}`, function () {
      const found = torchPython();
      if ('missing' in found) return skipWithoutTorch(this, found.missing);
      trainAndExport(workspace, dir);
      const r = spawnSync(found.python, [path.join(dir, 'exported', 'train.py'), '--epochs', String(epochs), '--out', path.join(dir, 'pytorch-run')],
        { cwd: dir, encoding: 'utf8', timeout: 240000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
      assert.equal(r.status, 0, `train.py exited ${r.status}:\n${r.stderr}`);
      const lines = events(r.stdout);
      const trainLoss = lines.filter((e) => e.event === 'metrics' && e.split === 'train').map((e) => (e.metrics as { loss: number }).loss);
      assert.equal(trainLoss.length, epochs, r.stdout);
      assert.ok(trainLoss[epochs - 1] < trainLoss[0], `the training loss should fall: ${trainLoss}`);
      const done = lines.find((e) => e.event === 'done') as unknown as { metrics: Record<string, number> };
      assert.equal(JSON.parse(readFileSync(path.join(dir, 'pytorch-run', 'summary.json'), 'utf8')).worldSize, 1);
      const imported = lastJson(rnnLab(['import', '--run', 'pytorch-run', '--runs-dir', 'runs', '--json'], dir));
      const evaluated = lastJson(rnnLab(['eval', imported.run, '--json'], dir));
      for (const key of ['loss', ...metrics]) {
        assert.ok(Math.abs(evaluated.metrics[key] - done.metrics[key]) <= 1e-4, `${key}: rnn-lab eval ${evaluated.metrics[key]}, train.py ${done.metrics[key]}`);
      }
    });
  }
});
