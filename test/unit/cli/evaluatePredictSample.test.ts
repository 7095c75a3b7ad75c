/** `rnn-lab eval`, `predict` and `sample` on small trained runs, spawning the built CLI (dist/cli.js). */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../../src/engine/random';

const cli = path.resolve('dist/cli.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Trains `spec` (written as spec.rnn.json beside `files`) and returns the run folder. */
function trained(spec: object, files: Record<string, string>): { dir: string; runDir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-use-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  writeFileSync(path.join(dir, 'spec.rnn.json'), JSON.stringify(spec));
  const r = run(['train', 'spec.rnn.json', '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  return { dir, runDir: JSON.parse(r.stdout.trim().split('\n').at(-1)!).run };
}

function jsonl(count: number, seed: number, make: (rng: Rng) => object): string {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => JSON.stringify(make(rng))).join('\n') + '\n';
}

const word = (rng: Rng, n: number) => Array.from({ length: n }, () => 'abcd'[rng.int(4)]).join('');
/** 80 TSV pairs `source<TAB>reversed source` of 2–5 letters. */
function reversalPairs(seed: number): string {
  const rng = new Rng(seed);
  return Array.from({ length: 80 }, () => {
    const source = word(rng, 2 + rng.int(4));
    return `${source}\t${[...source].reverse().join('')}`;
  }).join('\n') + '\n';
}

const classified = (rng: Rng) => {
  const input = word(rng, 5);
  return { input, label: input[0] };
};

describe('rnn-lab eval, predict and sample', function () {
  this.timeout(120000);
  before(function () {
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  });

  it('classifier: eval --json adds the confusion matrix, per-class scores and worst examples; predict prints the sorted distribution', () => {
    const { dir, runDir } = trained(
      { task: 'many-to-one', data: { train: 'train.jsonl', test: 'test.jsonl' }, model: { cell: 'gru', hiddenSize: 8 }, training: { epochs: 3, batchSize: 8 } },
      { 'train.jsonl': jsonl(60, 1, classified), 'test.jsonl': jsonl(25, 2, classified) },
    );
    const r = run(['eval', runDir, '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const done = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(done), ['event', 'run', 'metrics', 'split', 'best', 'confusionMatrix', 'perClass', 'worst']);
    assert.equal(done.split, 'test');
    assert.equal(done.confusionMatrix.matrix.flat().reduce((s: number, n: number) => s + n, 0), 25);
    assert.deepEqual(Object.keys(done.perClass[0]), ['label', 'precision', 'recall', 'f1', 'support']);
    assert.equal(done.worst.length, 10);
    assert.deepEqual(Object.keys(done.worst[0]).sort(), ['file', 'input', 'line', 'loss', 'predicted', 'probability', 'target']);
    assert.equal(done.worst[0].file, path.join(dir, 'test.jsonl'));

    const words = run(['eval', runDir], dir);
    assert.match(words.stdout, /Confusion matrix[\s\S]*Per class[\s\S]*Worst examples/);
    assert.match(words.stdout, /test\.jsonl:\d+/);

    const p = run(['predict', runDir, '--input', '"abcab"', '--json'], dir);
    assert.equal(p.code, 0, p.stderr);
    const prediction = JSON.parse(p.stdout);
    assert.equal(prediction.kind, 'class');
    const probabilities = prediction.classes.map((c: { probability: number }) => c.probability);
    assert.deepEqual([...probabilities].sort((a, b) => b - a), probabilities, 'sorted, most likely first');
    assert.ok(Math.abs(probabilities.reduce((s: number, v: number) => s + v, 0) - 1) < 1e-5);
    assert.equal(prediction.label, prediction.classes[0].label);

    writeFileSync(path.join(dir, 'inputs.jsonl'), '{"input": "abcd"}\n\n"dcba"\nbbbbb\n');
    const file = run(['predict', runDir, '--file', 'inputs.jsonl', '--json'], dir);
    assert.equal(file.code, 0, file.stderr);
    assert.deepEqual(file.stdout.trim().split('\n').map((l) => JSON.parse(l).line), [1, 3, 4]);

    writeFileSync(path.join(dir, 'bad.jsonl'), '{"input": "abcd", "label": "a"}\n{"input": 7, "label": "b"}\n');
    for (const args of [['eval', runDir, '--data', 'bad.jsonl'], ['predict', runDir, '--file', 'bad.jsonl']]) {
      const bad = run(args, dir);
      assert.equal(bad.code, 2, args.join(' '));
      assert.match(bad.stderr, /^bad\.jsonl:2:\d+: /);
      assert.equal(bad.stdout, '', 'nothing printed before the error');
    }
    writeFileSync(path.join(dir, 'latin1.txt'), Buffer.from('abcd\nab\xe9cd\n', 'latin1'));
    const latin1 = run(['predict', runDir, '--file', 'latin1.txt'], dir);
    assert.equal(latin1.code, 2);
    assert.match(latin1.stderr, /^latin1\.txt:2:3: invalid UTF-8 \(bytes e9/, 'the first bad byte, at its line and column');
    const other = run(['eval', runDir, '--data', 'train.jsonl', '--json'], dir);
    assert.equal(JSON.parse(other.stdout).confusionMatrix.matrix.flat().reduce((s: number, n: number) => s + n, 0), 60);
  });

  it('eval --data with a label training lacks: a warning at its position, counted as wrong, listed in unseenLabels', () => {
    const { dir, runDir } = trained(
      { task: 'many-to-one', data: { train: 'train.jsonl' }, model: { cell: 'gru', hiddenSize: 8 }, training: { epochs: 1, batchSize: 8 } },
      { 'train.jsonl': jsonl(40, 5, classified) },
    );
    writeFileSync(path.join(dir, 'new.jsonl'), '{"input": "abcd", "label": "a"}\n{"input": "bbbb", "label": "zebra"}\n{"input": "cc", "label": "zebra"}\n');
    const r = run(['eval', runDir, '--data', 'new.jsonl', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, 'warning: new.jsonl:2:28: label "zebra" is not among the 4 training labels (counted as wrong): 2 occurrences in this file\n');
    const done = JSON.parse(r.stdout);
    assert.deepEqual(done.unseenLabels, { zebra: 2 });
    assert.ok(done.metrics.accuracy <= 1 / 3, 'the two unseen labels are wrong');
    assert.equal(done.confusionMatrix.matrix.flat().reduce((s: number, n: number) => s + n, 0), 1, 'only the seen label has a row');
    assert.match(run(['eval', runDir, '--data', 'new.jsonl'], dir).stdout, /Labels training lacks \(counted as wrong, left out of the loss\): "zebra" ×2/);
  });

  it('tagger: predict --json gives one label per step', () => {
    const tagged = (rng: Rng) => {
      const input = word(rng, 3 + rng.int(3));
      return { input, labels: Array.from(input, (c) => (c === 'a' ? 'A' : 'O')) };
    };
    const { dir, runDir } = trained(
      { task: 'many-to-many', data: { train: 'train.jsonl' }, model: { cell: 'rnn', hiddenSize: 8 }, training: { epochs: 2, batchSize: 8 } },
      { 'train.jsonl': jsonl(60, 3, tagged) },
    );
    const evaluation = JSON.parse(run(['eval', runDir, '--json'], dir).stdout);
    assert.equal(evaluation.split, 'validation');
    assert.deepEqual(evaluation.confusionMatrix.labels, ['A', 'O']);
    const prediction = JSON.parse(run(['predict', runDir, '--input', '"abcad"', '--json'], dir).stdout);
    assert.equal(prediction.kind, 'labels');
    assert.deepEqual(prediction.tokens, ['a', 'b', 'c', 'a', 'd']);
    assert.equal(prediction.labels.length, 5);
    assert.equal(prediction.probabilities.length, 5);
  });

  it('time series: eval --json has predictions against the naive baseline; predict gives values in original units', () => {
    const csv = 'day,level\n' + Array.from({ length: 120 }, (_, i) => `${i},${(500 + 200 * Math.sin(i / 4)).toFixed(1)}`).join('\n') + '\n';
    const { dir, runDir } = trained(
      { task: 'many-to-one', data: { train: 'series.csv', columns: ['level'], target: 'level', window: 8 }, model: { cell: 'gru', hiddenSize: 8 }, training: { epochs: 2, batchSize: 8 } },
      { 'series.csv': csv },
    );
    const done = JSON.parse(run(['eval', runDir, '--json'], dir).stdout);
    const { actual, predicted, naive } = done.predictions;
    assert.ok(actual.length > 0 && predicted.length === actual.length && naive.length === actual.length);
    assert.ok(actual.every((v: number) => v >= 299 && v <= 701), 'original units');
    assert.match(run(['eval', runDir], dir).stdout, /naive last-value forecast/);
    const prediction = JSON.parse(run(['predict', runDir, '--input', '[500, 550, 590, 640, 670, 690, 700, 695]', '--json'], dir).stdout);
    assert.equal(prediction.kind, 'values');
    assert.equal(prediction.values.length, 1);
    assert.ok(prediction.values[0] > 100 && prediction.values[0] < 1000, `${prediction.values[0]} in original units`);
  });

  it('time series with difference: eval predictions and predict answer levels, not changes', () => {
    const csv = 'day,level\n' + Array.from({ length: 120 }, (_, i) => `${i},${(500 + 200 * Math.sin(i / 4)).toFixed(1)}`).join('\n') + '\n';
    const { dir, runDir } = trained(
      { task: 'many-to-one', data: { train: 'series.csv', columns: ['level'], target: 'level', window: 8, difference: true }, model: { cell: 'gru', hiddenSize: 8 }, training: { epochs: 2, batchSize: 8 } },
      { 'series.csv': csv },
    );
    const { actual, naive } = JSON.parse(run(['eval', runDir, '--json'], dir).stdout).predictions;
    assert.ok(actual.every((v: number) => v >= 299 && v <= 701), `levels in original units: ${actual.slice(0, 3)}`);
    naive.slice(1).forEach((v: number, i: number) => assert.ok(Math.abs(v - actual[i]) < 1e-3, `naive ${v} is the previous level ${actual[i]}`));
    const prediction = JSON.parse(run(['predict', runDir, '--input', '[500, 550, 590, 640, 670, 690, 700, 695, 690]', '--json'], dir).stdout);
    assert.ok(prediction.values[0] > 500 && prediction.values[0] < 900, `${prediction.values[0]}: the last level 690 plus a change`);
    // eval --data on a new file: its first window + 1 (differencing) rows are only context
    writeFileSync(path.join(dir, 'new.csv'), 'day,level\n' + Array.from({ length: 20 }, (_, i) => `${i},${(300 + 10 * i).toFixed(1)}`).join('\n') + '\n');
    const other = JSON.parse(run(['eval', runDir, '--data', 'new.csv', '--json'], dir).stdout).predictions;
    assert.deepEqual(other.actual.map((v: number) => Math.round(v)), Array.from({ length: 11 }, (_, i) => 390 + 10 * i));
  });

  it('several series with per-series statistics: predict --file reads {series, rows} lines', () => {
    const rows = Array.from({ length: 40 }, (_, d) => [`A,${d},${(20 + 5 * Math.sin(d / 2)).toFixed(2)}`, `B,${d},${(900 + 60 * Math.cos(d / 3)).toFixed(1)}`]).flat();
    const { dir, runDir } = trained(
      { task: 'many-to-one', data: { train: 'stores.csv', groupBy: 'store', time: 'day', normalize: 'perSeries', window: 4 }, model: { cell: 'gru', hiddenSize: 4 }, training: { epochs: 1, batchSize: 8 } },
      { 'stores.csv': 'store,day,sales\n' + rows.join('\n') + '\n' },
    );
    writeFileSync(path.join(dir, 'inputs.jsonl'), '{"series": "A", "rows": [20, 22, 24, 23]}\n{"series": "B", "rows": [900, 930, 950, 940]}\n');
    const lines = run(['predict', runDir, '--file', 'inputs.jsonl', '--json'], dir).stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => [l.line, l.kind, l.shape]), [[1, 'values', [1, 1, 1]], [2, 'values', [1, 1, 1]]]);
    assert.ok(lines[0].values[0] < 100 && lines[1].values[0] > 500, `each in its series' units: ${lines.map((l) => l.values[0])}`);
    assert.match(run(['predict', runDir, '--input', '[1, 2, 3]'], dir).stderr, /expected \{"series": id, "rows": \[\.\.\.\]\}/);
  });

  it('language model: top-10 next tokens; sample --help shows one default per option; seeded samples', () => {
    const text = 'the cat sat on the mat and the dog ran far away. '.repeat(40);
    const { dir, runDir } = trained(
      { task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 12 }, model: { cell: 'gru', hiddenSize: 12 }, training: { epochs: 1, batchSize: 8 } },
      { 'text.txt': text },
    );
    const prediction = JSON.parse(run(['predict', runDir, '--input', 'the ca', '--json'], dir).stdout);
    assert.equal(prediction.kind, 'next');
    assert.equal(prediction.top.length, 10);
    const help = run(['sample', '--help'], dir).stdout;
    const lengthHelp = help.slice(help.indexOf('--length <n>'), help.indexOf('--temperature <t>'));
    assert.match(lengthHelp, /500/);
    assert.doesNotMatch(lengthHelp, /\(default: /, 'a second, contradictory default');
    const sample = (seed: string, ...extra: string[]) => run(['sample', runDir, '--length', '80', '--prime', 'the ', '--seed', seed, ...extra], dir);
    const first = sample('5');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(sample('5').stdout, first.stdout);
    assert.notEqual(sample('6').stdout, first.stdout);
    assert.doesNotMatch(first.stdout, /<unk>|<pad>/);
    assert.equal(sample('5', '--top-k', '1').stdout, sample('9', '--greedy').stdout, 'top-1 sampling is greedy');
    assert.equal(run(['sample', runDir, '--beam', '2'], dir).code, 2, '--beam is for seq2seq');
  });

  it('seq2seq: greedy, sampled and beam decodings, seeded, never printing special tokens', () => {
    const pairs = reversalPairs(4);
    const { dir, runDir } = trained(
      { task: 'seq2seq', data: { train: 'pairs.tsv' }, model: { cell: 'gru', hiddenSize: 12 }, training: { epochs: 3, batchSize: 8 } },
      { 'pairs.tsv': pairs },
    );
    const decode = (...extra: string[]) => run(['sample', runDir, '--input', 'abcd', ...extra], dir);
    for (const args of [[], ['--beam', '3'], ['--temperature', '1.5', '--seed', '2'], ['--top-k', '2', '--seed', '2']]) {
      const r = decode(...args);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /<(pad|unk|bos|eos)>/, args.join(' '));
      assert.ok(r.stdout.trim().length <= 12, 'at most 3× the source');
    }
    assert.equal(decode('--beam', '1').stdout, decode().stdout, 'beam width 1 is greedy');
    assert.equal(decode('--temperature', '2', '--seed', '3').stdout, decode('--temperature', '2', '--seed', '3').stdout);
    const p = JSON.parse(run(['predict', runDir, '--input', 'abcd', '--json'], dir).stdout);
    assert.equal(p.kind, 'sequence');
    assert.equal(p.text, decode().stdout.trim());
    assert.ok(p.logProbability <= 0);
    const refused = run(['predict', runDir, '--input', 'abcd', '--json', '--attention'], dir);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr + refused.stdout, /--attention needs a seq2seq run with "model.attention"/);
  });

  it('seq2seq with attention: eval, beam decoding, and predict --attention --json with the alignment over the source tokens', () => {
    const pairs = reversalPairs(5);
    const { dir, runDir } = trained(
      { task: 'seq2seq', data: { train: 'pairs.tsv' }, model: { cell: 'lstm', hiddenSize: 12, attention: 'general', attentionFeed: true }, training: { epochs: 3, batchSize: 8 } },
      { 'pairs.tsv': pairs },
    );
    const evaluated = run(['eval', runDir, '--json'], dir);
    assert.equal(evaluated.code, 0, evaluated.stderr);
    const worst = JSON.parse(evaluated.stdout).worst;
    assert.ok(worst.length > 0);
    for (const w of worst) {
      const { sourceTokens, tokens, attention } = w.alignment;
      assert.equal(sourceTokens.join(''), w.input);
      assert.equal(tokens.at(-1), '<eos>');
      assert.equal(attention.length, tokens.length);
      for (const row of attention) assert.ok(row.length === sourceTokens.length && Math.abs(row.reduce((s: number, a: number) => s + a, 0) - 1) < 1e-3);
    }
    assert.equal(run(['sample', runDir, '--input', 'abcd', '--beam', '3'], dir).code, 0);
    const r = run(['predict', runDir, '--input', 'abcd', '--json', '--attention'], dir);
    assert.equal(r.code, 0, r.stderr);
    const p = JSON.parse(r.stdout);
    assert.equal(p.kind, 'sequence');
    assert.deepEqual(p.sourceTokens, ['a', 'b', 'c', 'd']);
    assert.ok(p.tokens.length > 0);
    assert.equal(p.attention.length, p.tokens.length);
    for (const row of p.attention) {
      assert.equal(row.length, 4);
      assert.ok(Math.abs(row.reduce((s: number, a: number) => s + a, 0) - 1) < 1e-5);
    }
    assert.equal(JSON.parse(run(['predict', runDir, '--input', 'abcd', '--json'], dir).stdout).attention, undefined, 'only when asked');
    const words = run(['predict', runDir, '--input', 'abcd', '--attention'], dir);
    assert.equal(words.code, 0, words.stderr);
  });
});
