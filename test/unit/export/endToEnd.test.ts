/**
 * End to end with the built CLI (dist/cli.js) and PyTorch: train tiny runs, `rnn-lab export` them,
 * and check that the exported model.py's encode + module give `rnn-lab predict`'s answers on raw
 * inputs; then fine-tune one export in PyTorch, save it with model.py's writer, `rnn-lab import`
 * it, and check that predict on the imported run gives PyTorch's fine-tuned answer.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Rng } from '../../../src/engine/random';
import { runPython, torchPython, skipWithoutTorch } from './python';

const cli = path.resolve('dist/cli.js');

function rnnLab(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 120000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[], cwd: string): string {
  const r = rnnLab(args, cwd);
  assert.equal(r.code, 0, `rnn-lab ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Datasets and specs of thirteen runs: word classifier (plain, and lower-cased with the words tokenizer
 * and minCount), feature classifier, char LM, time series (levels, differenced many-to-one and
 * many-to-many, two targets three steps ahead, dated with every calendar feature, and two stores in
 * one file with per-series statistics), tagger, one-to-many, seq2seq (also with fed additive attention).
 */
function workspace(dir: string): void {
  const rng = new Rng(7);
  const pick = <T>(a: readonly T[]): T => a[rng.int(a.length)];
  const words = ['red', 'green', 'blue', 'cat', 'dog', 'sun', 'moon'];
  const lines: string[] = [];
  for (let i = 0; i < 120; i++) {
    const seq = Array.from({ length: 2 + rng.int(6) }, () => pick(words));
    lines.push(JSON.stringify({ input: seq.join(' '), label: ['red', 'cat', 'sun'].includes(seq[0]) ? 'A' : 'B' }));
  }
  writeFileSync(path.join(dir, 'words.jsonl'), lines.join('\n') + '\n');
  // The same sentences in mixed case with punctuation and one rare word each (minCount 3 makes them <unk>).
  const cased = lines.map((l, i) => {
    const { input, label } = JSON.parse(l);
    const text = input.split(' ').map((w: string, k: number) => ((i + k) % 3 === 0 ? w.toUpperCase() : (i + k) % 3 === 1 ? w[0].toUpperCase() + w.slice(1) : w)).join(', ');
    return JSON.stringify({ input: `${text} rare${i}!`, label });
  });
  writeFileSync(path.join(dir, 'cased.jsonl'), cased.join('\n') + '\n');
  const features: string[] = [];
  for (let i = 0; i < 100; i++) {
    const seq = Array.from({ length: 2 + rng.int(5) }, () => [5 + 2 * rng.normal(), -3 + 0.5 * rng.normal()].map((v) => Math.round(v * 1000) / 1000));
    features.push(JSON.stringify({ input: seq, label: seq[0][0] > 5 ? 'high' : 'low' }));
  }
  writeFileSync(path.join(dir, 'features.jsonl'), features.join('\n') + '\n');
  let text = '';
  while (text.length < 2000) text += pick(['in the beginning ', 'and the earth ', 'was without form ', 'and void. ']);
  writeFileSync(path.join(dir, 'text.txt'), text);
  const rows = ['t,level'];
  for (let t = 0; t < 200; t++) rows.push(`${t},${(50 + 30 * Math.sin(t / 5) + 5 * rng.normal()).toFixed(2)}`);
  writeFileSync(path.join(dir, 'series.csv'), rows.join('\n') + '\n');
  const days = ['date;load'];
  for (let d = 0; d < 150; d++) days.push(`${new Date(Date.UTC(2024, 0, 1 + d, 6 * (d % 4))).toISOString().slice(0, 16)};${(100 + 20 * Math.sin(d / 3) + 3 * rng.normal()).toFixed(1)}`);
  writeFileSync(path.join(dir, 'daily.csv'), days.join('\n') + '\n');
  const stores = ['store,date,sales'];
  for (let d = 0; d < 80; d++) {
    const date = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
    stores.push(`A,${date},${(20 + 5 * Math.sin(d / 2) + rng.normal()).toFixed(2)}`, `B,${date},${(900 + 60 * Math.cos(d / 3) + 5 * rng.normal()).toFixed(1)}`);
  }
  writeFileSync(path.join(dir, 'stores.csv'), stores.join('\n') + '\n');
  const pairs: string[] = [];
  for (let i = 0; i < 80; i++) {
    const s = Array.from({ length: 1 + rng.int(5) }, () => pick(['a', 'b', 'c'])).join('');
    pairs.push(`${s}\t${[...s].reverse().join('')}`);
  }
  writeFileSync(path.join(dir, 'pairs.tsv'), pairs.join('\n') + '\n');
  const tagged: string[] = [];
  for (let i = 0; i < 60; i++) {
    const ws = Array.from({ length: 2 + rng.int(5) }, () => pick(['the', 'cat', 'dog', 'runs', 'sees']));
    tagged.push(JSON.stringify({ input: ws.join(' '), labels: ws.map((w) => (w === 'the' ? 'D' : ['runs', 'sees'].includes(w) ? 'V' : 'N')) }));
  }
  writeFileSync(path.join(dir, 'tags.jsonl'), tagged.join('\n') + '\n');
  const generated: string[] = [];
  for (let i = 0; i < 60; i++) {
    const v = [rng.next(), rng.next(), rng.next()].map((x) => Math.round(x * 1000) / 1000);
    generated.push(JSON.stringify({ input: v, target: 'ab'.repeat(1 + Math.floor(v[0] * 3)) }));
  }
  writeFileSync(path.join(dir, 'vectors.jsonl'), generated.join('\n') + '\n');
  const specs: Record<string, object> = {
    cased: { task: 'many-to-one', data: { train: 'cased.jsonl', unit: 'word', tokenizer: 'words', lowercase: true, minCount: 3 }, model: { cell: 'gru', hiddenSize: 6, embeddingSize: 4 } },
    words: { task: 'many-to-one', data: { train: 'words.jsonl', unit: 'word' }, model: { cell: 'lstm', hiddenSize: 6, layers: 2, bidirectional: true, merge: 'sum', connections: 'skip', embeddingSize: 5, dropout: 0.1 } },
    features: { task: 'many-to-one', data: { train: 'features.jsonl' }, model: { cell: 'gru', hiddenSize: 5, layers: 2, connections: 'dense' } },
    lm: { task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 12 }, model: { cell: 'rnn', activation: 'relu', hiddenSize: 10, embeddingSize: 0 } },
    series: { task: 'many-to-one', data: { train: 'series.csv', columns: ['level'], target: 'level', window: 8, horizon: 1, normalize: true }, model: { cell: 'lstm', hiddenSize: 6 } },
    changes: { task: 'many-to-one', data: { train: 'series.csv', columns: ['level'], target: 'level', window: 8, difference: true }, model: { cell: 'gru', hiddenSize: 6 } },
    stepChanges: { task: 'many-to-many', data: { train: 'series.csv', columns: ['t', 'level'], target: 'level', window: 6, difference: true }, model: { cell: 'rnn', hiddenSize: 5 } },
    forecast: { task: 'many-to-one', data: { train: 'series.csv', target: ['level', 't'], forecastSteps: 3, window: 6, difference: true }, model: { cell: 'gru', hiddenSize: 4 } },
    stores: { task: 'many-to-one', data: { train: 'stores.csv', groupBy: 'store', time: 'date', calendar: ['dayOfWeek'], normalize: 'perSeries', window: 4, difference: true }, model: { cell: 'gru', hiddenSize: 4 } },
    calendar: { task: 'many-to-one', data: { train: 'daily.csv', time: 'date', calendar: ['dayOfWeek', 'dayOfMonth', 'dayOfYear', 'month', 'hour'], window: 5, difference: true }, model: { cell: 'lstm', hiddenSize: 5 } },
    tags: { task: 'many-to-many', data: { train: 'tags.jsonl', unit: 'word' }, model: { cell: 'gru', hiddenSize: 6, bidirectional: true, merge: 'mean' } },
    vectors: { task: 'one-to-many', data: { train: 'vectors.jsonl', unit: 'char', sequenceLength: 8 }, model: { cell: 'lstm', hiddenSize: 6, layers: 2, connections: 'skip' } },
    pairs: { task: 'seq2seq', data: { train: 'pairs.tsv', sourceUnit: 'char', targetUnit: 'char' }, model: { cell: 'gru', hiddenSize: 8, bidirectional: true, merge: 'concat' } },
    attended: { task: 'seq2seq', data: { train: 'pairs.tsv', sourceUnit: 'char', targetUnit: 'char' }, model: { cell: 'lstm', hiddenSize: 8, attention: 'additive', attentionFeed: true } },
  };
  for (const [name, spec] of Object.entries(specs)) {
    writeFileSync(path.join(dir, `${name}.rnn.json`), JSON.stringify({ name, ...spec, training: { epochs: 2, batchSize: 16, seed: 3 } }, null, 2));
  }
}

/** The raw inputs each run is asked about (strings, token lists, feature rows, a series window). */
const INPUTS: Record<string, unknown[]> = {
  words: ['red dog moon', ['cat', 'zebra', 'sun', 'sun'], 'blue'],
  cased: ['RED,dog!Moon?', ['Cat', 'ZEBRA', 'sun.', 'SUN'], '«Blue» rare7 rare7'],
  features: [[[5.5, -3], [1, 2], [3, 3]], [[9, -2.5]]],
  lm: ['and the ear', 'void'],
  series: [[50, 60, 70, 75, 78, 76, 70, 60]],
  changes: [[50, 60, 70, 75, 78, 76, 70, 60, 55], [80, 79]],
  stepChanges: [[[0, 50], [1, 60], [2, 70], [3, 75], [4, 78]]],
  forecast: [[[0, 50], [1, 60], [2, 70], [3, 75], [4, 78], [5, 76], [6, 70]], [[9, 40], [10, 41]]],
  stores: [{ series: 'B', rows: [['2024-03-01', 950], ['2024-03-02', 930.5], ['2024-03-03', 901], ['2024-03-04', 880], ['2024-03-05', 870]] }, { series: 'A', rows: [['2024-03-01', 22], ['2024-03-02', 24]] }],
  calendar: [[['2024-02-27T06:00', 101.5], ['2024-02-28', 99], ['2024-02-29T18:30', 104.2], ['2024-03-01T12:00', 97], ['2024-03-02', 100], ['2024-03-03T06:00', 102]]],
  pairs: ['abcc', 'ba'],
  attended: ['abcc', 'ba'],
  tags: ['the cat sees the dog', ['dog', 'runs']],
  vectors: [[0.9, 0.2, 0.3], [0.1, 0.5, 0.5]],
};

/** Same kind and discrete answers; every number within rtol 1e-5, atol 1e-5. */
function assertSamePrediction(python: unknown, engine: unknown, where: string): void {
  if (typeof engine === 'number') {
    assert.equal(typeof python, 'number', where);
    const p = python as number;
    assert.ok(Math.abs(p - engine) <= 1e-5 + 1e-5 * Math.abs(engine), `${where}: PyTorch ${p}, rnn-lab ${engine}`);
  } else if (Array.isArray(engine)) {
    assert.ok(Array.isArray(python) && python.length === engine.length, `${where}: ${JSON.stringify(python)} vs ${JSON.stringify(engine)}`);
    engine.forEach((e, i) => assertSamePrediction((python as unknown[])[i], e, `${where}[${i}]`));
  } else if (engine && typeof engine === 'object') {
    assert.ok(python && typeof python === 'object', where);
    assert.deepEqual(Object.keys(python as object).sort(), Object.keys(engine).sort(), where);
    for (const [k, v] of Object.entries(engine)) assertSamePrediction((python as Record<string, unknown>)[k], v, `${where}.${k}`);
  } else {
    assert.equal(python, engine, where);
  }
}

describe('export end to end: rnn-lab train → export → PyTorch predict, and PyTorch → import', function () {
  this.timeout(600000);
  let dir = '';
  let python = '';
  const runs: Record<string, string> = {};

  before(function () {
    const found = torchPython();
    if ('missing' in found) skipWithoutTorch(this, found.missing);
    python = (found as { python: string }).python;
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-export-e2e-'));
    workspace(dir);
    for (const name of Object.keys(INPUTS)) {
      const done = JSON.parse(ok(['train', `${name}.rnn.json`, '--json'], dir).trim().split('\n').at(-1)!);
      assert.equal(done.event, 'done');
      runs[name] = done.run;
    }
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('export --json writes model.py, the weights, spec, vocabulary and normalisation, with the flags the extension passes', () => {
    const out = path.join(dir, 'exported-features');
    const result = JSON.parse(ok(['export', runs.features, '--out', out, '--json'], dir));
    assert.equal(result.out, out);
    assert.deepEqual(result.files.map((f: string) => path.basename(f)).sort(), ['model.py', 'model.safetensors', 'normalization.json', 'spec.json', 'vocab.json']);
    assert.deepEqual(readFileSync(path.join(out, 'model.safetensors')), readFileSync(path.join(runs.features, 'best.safetensors')));
    assert.match(readFileSync(path.join(out, 'model.py'), 'utf8'), /"connections": "dense"/);
  });

  it('encode + the exported module give rnn-lab predict\'s answers; a PyTorch fine-tune imports back with the same answers', () => {
    const job: { predict: { folder: string; raw: unknown }[]; finetune: object } = { predict: [], finetune: {} };
    const expected: { name: string; raw: unknown; prediction: unknown }[] = [];
    for (const [name, raws] of Object.entries(INPUTS)) {
      const out = path.join(dir, `export-${name}`);
      ok(['export', runs[name], '--out', out], dir);
      for (const raw of raws) {
        job.predict.push({ folder: out, raw });
        expected.push({ name, raw, prediction: JSON.parse(ok(['predict', runs[name], '--input', JSON.stringify(raw), '--json'], dir)) });
      }
    }
    const tuned = path.join(dir, 'tuned.safetensors');
    job.finetune = {
      folder: path.join(dir, 'export-words'), out: tuned, check: 'red dog moon',
      raws: ['red dog', 'cat sun moon', 'blue', 'green cat', 'sun', 'dog red'], labels: ['A', 'A', 'B', 'B', 'A', 'B'],
    };
    const jobFile = path.join(dir, 'job.json');
    writeFileSync(jobFile, JSON.stringify(job));
    const result = JSON.parse(runPython(python, [path.resolve(__dirname, 'predict_exported.py'), jobFile]));

    const kinds = new Set<string>();
    expected.forEach((e, i) => {
      kinds.add((e.prediction as { kind: string }).kind);
      assertSamePrediction(result.predictions[i], e.prediction, `${e.name} ${JSON.stringify(e.raw)}`);
    });
    assert.deepEqual([...kinds].sort(), ['class', 'labels', 'next', 'sequence', 'values']);

    // Every parameter moved in PyTorch, including those of the second layer and the reverse direction.
    assert.ok(result.changed.includes('rnn.weight_hh_l1_reverse') && result.changed.includes('skip.0.weight'), result.changed.join(', '));
    const imported = path.join(dir, 'imported-run');
    ok(['import', 'words.rnn.json', '--weights', tuned, '--out', imported], dir);
    const after = JSON.parse(ok(['predict', imported, '--input', JSON.stringify('red dog moon'), '--json'], dir));
    assertSamePrediction(result.finetuned, after, 'fine-tuned in PyTorch, imported');
    const before = expected.find((e) => e.name === 'words')!.prediction as { probability: number };
    assert.notEqual(after.probability, before.probability, 'the import carries the fine-tuned weights, not the originals');
  });
});
