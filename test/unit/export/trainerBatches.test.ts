/**
 * data.py's first batch equals the engine's, exactly, for each task shape `export --trainer` ports:
 * many-to-one over tokens (stratified split, bucket batching, maxLength) and over features (z-scored,
 * random batching), an aligned tagger, a character language model (CRLF text, truncated BPTT with
 * k2 > k1), seq2seq from JSONL (length limits) and from TSV pairs, one-to-many, CSV time series (one
 * column like sunspots; dates with calendar features, blank cells, groupBy, perSeries statistics,
 * differencing, horizon, forecastSteps, several targets; aligned many-to-many with a validation file)
 * and tables of records (CSV and TSV with a header). Same seed, same files, the run's vocab.json and
 * normalization.json; the validation and test splits too, every example of them.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeBatch, prepareDataset } from '../../../src/data';
import { Rng } from '../../../src/engine/random';
import type { Batch } from '../../../src/engine/types';
import type { Split } from '../../../src/data/dataset';
import { modelPySource } from '../../../src/export/modelPy';
import { trainerSources } from '../../../src/export/trainerFiles';
import { parseSpec } from '../../../src/modelSpec';
import { recordEpochBatches } from '../../../src/train/batchPlan';
import { stripeLayout, truncatedWindows, windowBatch } from '../../../src/train/streamWindows';
import { epochSeed } from '../../../src/train/trainer';
import { vocabularyFile } from '../../../src/train/vocabularyFile';
import { runPython, skipWithoutTorch, torchPython } from './python';
import { cell, storesCsv } from './seriesData';

const WORDS = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran', 'far', 'away'];

function records(rng: Rng, n: number, make: (rng: Rng, i: number) => object): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify(make(rng, i))).join('\n') + '\n';
}
const sentence = (rng: Rng) => Array.from({ length: 1 + rng.int(9) }, () => WORDS[rng.int(WORDS.length)]);

interface Case { name: string; files: Record<string, string>; spec: object }

function csvCases(rng: Rng, training: (extra?: object) => object): Case[] {
  const levels = (n: number, from: number) => Array.from({ length: n }, (_, i) => `${1700 + from + i},${cell(60 + 50 * Math.sin((from + i) / 1.7) + 9 * rng.next(), i)}`);
  const quoted = (text: string) => `"${text.replace(/"/g, '""')}"`;
  return [
    {
      name: 'time series like sunspots: one column, many-to-one, a test file',
      files: { 'train.csv': ['year,level', ...levels(70, 0)].join('\n') + '\n', 'test.csv': ['year,level', ...levels(20, 70)].join('\n') + '\n' },
      spec: { version: 1, name: 'spots', task: 'many-to-one', data: { train: 'train.csv', test: 'test.csv', columns: ['level'], target: 'level', window: 6, horizon: 1 }, model: { cell: 'gru', hiddenSize: 4 }, training: training() },
    },
    {
      name: 'time series: date column, calendar, interpolated blanks, groupBy, perSeries, difference, horizon 2, forecastSteps 3, two targets, season',
      files: { 'stores.csv': storesCsv(rng, 60), 'later.csv': storesCsv(rng, 15, 60) },
      spec: {
        version: 1, name: 'stores', task: 'many-to-one',
        data: { train: 'stores.csv', test: 'later.csv', time: 'date', calendar: ['dayOfWeek', 'dayOfMonth', 'dayOfYear', 'month', 'hour'], missing: 'interpolate', groupBy: 'store', normalize: 'perSeries', difference: true, target: ['sales', 'temp, C'], window: 5, horizon: 2, forecastSteps: 3, season: 7, validation: { fraction: 0.2 } },
        model: { cell: 'lstm', hiddenSize: 4 }, training: training({ batchSize: 5 }),
      },
    },
    {
      name: 'time series, aligned many-to-many: tab-separated, numeric time, blank rows dropped, difference, a validation file',
      files: {
        'rows.csv': ['t\ta\tb', ...Array.from({ length: 50 }, (_, i) => `${i * 2}\t${i % 7 === 2 ? '' : cell(rng.next() * 9 + i / 4, i)}\t${cell(Math.cos(i) * 3, i + 2)}`)].join('\n') + '\n',
        'rows-val.csv': ['t\ta\tb', ...Array.from({ length: 16 }, (_, i) => `${100 + i * 2}\t${cell(rng.next() * 9 + 12, i)}\t${cell(Math.cos(i) * 3, i)}`)].join('\n') + '\n',
      },
      spec: { version: 1, name: 'aligned', task: 'many-to-many', data: { train: 'rows.csv', validation: 'rows-val.csv', time: 't', missing: 'drop', difference: true, target: 'b', window: 7, horizon: 1, season: 4 }, model: { cell: 'rnn', hiddenSize: 4 }, training: training({ batchSize: 3 }) },
    },
    {
      name: 'time series: groupBy with pooled statistics, listed columns, previous-value fill (a blank at the top), a validation file with a new series',
      files: {
        'blocks.csv': ['id,x,y,label', ...['a', 'b'].flatMap((id, g) => Array.from({ length: 30 }, (_, i) => `${id},${(i === 0 && g === 0) || i % 8 === 5 ? '' : cell(g * 5 + rng.next() * 3, i)},${cell(i / 3 + g, i)},w${i}`))].join('\n') + '\n',
        'blocks-val.csv': ['id,x,y,label', ...['b', 'c'].flatMap((id, g) => Array.from({ length: 12 }, (_, i) => `${id},${cell(g + rng.next() * 3, i)},${i % 4 === 1 ? '' : cell(i / 2, i)},v`))].join('\n') + '\n',
      },
      spec: { version: 1, name: 'blocks', task: 'many-to-one', data: { train: 'blocks.csv', validation: 'blocks-val.csv', groupBy: 'id', columns: ['y', 'x'], missing: 'previous', window: 4, horizon: 3 }, model: { cell: 'gru', hiddenSize: 4 }, training: training() },
    },
    {
      name: 'time series: blanks interpolated in rows, normalize false, forecastSteps 2, delimiter given, quoted numbers',
      files: { 'plain.csv': ['"u",v', ...Array.from({ length: 40 }, (_, i) => `"${cell(rng.next() * 20 - 10, i)}",${i % 6 === 2 || i % 6 === 3 ? ' ' : cell(Math.sin(i) * 4, i)}`)].join('\n') + '\n' },
      spec: { version: 1, name: 'plain', task: 'many-to-one', data: { train: 'plain.csv', delimiter: ',', missing: 'interpolate', normalize: false, forecastSteps: 2, window: 3, validation: { fraction: 0.25 } }, model: { cell: 'gru', hiddenSize: 4 }, training: training({ batchSize: 6 }) },
    },
    {
      name: 'CSV table of records, many-to-one classes: quoted cells with commas and quotes, stratified split',
      files: { 'reviews.csv': ['id,review,stars', ...Array.from({ length: 40 }, (_, i) => `${i},${quoted(`${sentence(rng).join(i % 3 ? ' ' : ', ')}${i % 5 ? '' : ' "so" good'}`)},${[' 3', 'five', '1'][rng.int(3)]}`)].join('\r\n') + '\r\n' },
      spec: { version: 1, name: 'reviews', task: 'many-to-one', data: { train: 'reviews.csv', unit: 'word', tokenizer: 'words', lowercase: true, inputKey: 'review', labelKey: 'stars', validation: { fraction: 0.25, stratify: true } }, model: { cell: 'gru', hiddenSize: 4, embeddingSize: 3 }, training: training() },
    },
    {
      name: 'CSV table of records, many-to-one regression over characters',
      files: { 'scores.csv': ['text,score', ...Array.from({ length: 30 }, (_, i) => `${sentence(rng).join(' ')},${cell(rng.next() * 4 - 1, i)}`)].join('\n') + '\n' },
      spec: { version: 1, name: 'scores', task: 'many-to-one', data: { train: 'scores.csv', inputKey: 'text', targetKey: 'score', validation: { fraction: 0.2 } }, model: { cell: 'gru', hiddenSize: 4, embeddingSize: 3 }, training: training() },
    },
    {
      name: 'TSV table of records, many-to-many tagger: tokens and tags cut on whitespace',
      files: { 'tags.tsv': ['words\ttags', ...Array.from({ length: 30 }, () => { const w = sentence(rng); return `${w.join('  ')}\t${w.map((x) => (x.length > 2 ? 'L' : 'S')).join(' ')}`; })].join('\n') + '\n' },
      spec: { version: 1, name: 'tags', task: 'many-to-many', data: { train: 'tags.tsv', unit: 'word', lowercase: true, inputKey: 'words', labelsKey: 'tags', validation: { fraction: 0.2 } }, model: { cell: 'gru', hiddenSize: 4, embeddingSize: 3 }, training: training() },
    },
    {
      name: 'CSV table of records, seq2seq: source words to target characters',
      files: { 'pairs.csv': ['src,tgt', ...Array.from({ length: 30 }, () => { const w = sentence(rng); return `${quoted(w.join(' '))},${w.map((x) => x[0]).join('')}`; })].join('\n') + '\n' },
      spec: { version: 1, name: 'pairs', task: 'seq2seq', data: { train: 'pairs.csv', records: true, sourceUnit: 'word', targetUnit: 'char', inputKey: 'src', targetKey: 'tgt', validation: { fraction: 0.2 } }, model: { cell: 'gru', hiddenSize: 4, embeddingSize: 3 }, training: training() },
    },
  ];
}

function cases(): Case[] {
  const rng = new Rng(5);
  const training = (extra: object = {}) => ({ epochs: 1, batchSize: 4, seed: 7, ...extra });
  return [
    {
      name: 'many-to-one over words: stratified split, bucket batching, maxLength',
      files: { 'train.jsonl': records(rng, 60, (r) => ({ text: sentence(r).join(' '), label: ['pos', 'neg', 3][r.int(3)] })) },
      spec: { version: 1, name: 'words', task: 'many-to-one', data: { train: 'train.jsonl', unit: 'word', inputKey: 'text', maxLength: 6, truncate: 'start', validation: { fraction: 0.25, stratify: true } }, model: { cell: 'gru', hiddenSize: 4, embeddingSize: 3 }, training: training() },
    },
    {
      name: 'many-to-one over features: z-scored, random batching',
      files: { 'train.jsonl': records(rng, 40, (r) => ({ input: Array.from({ length: 2 + r.int(5) }, () => [r.next() * 10 - 3, r.int(17), 0.1 * r.next()]), label: r.int(4) })) },
      spec: { version: 1, name: 'features', task: 'many-to-one', data: { train: 'train.jsonl', batching: 'random', validation: { fraction: 0.2 } }, model: { cell: 'lstm', hiddenSize: 4 }, training: training({ batchSize: 5 }) },
    },
    {
      name: 'many-to-many tagger',
      files: { 'train.jsonl': records(rng, 30, (r) => { const words = sentence(r); return { input: words, labels: words.map((w) => (w.length > 2 ? 'L' : 'S')) }; }) },
      spec: { version: 1, name: 'tagger', task: 'many-to-many', data: { train: 'train.jsonl', unit: 'word', validation: { fraction: 0.1 } }, model: { cell: 'rnn', hiddenSize: 4, embeddingSize: 3 }, training: training() },
    },
    {
      name: 'character language model: CRLF text, truncated BPTT with k2 > k1',
      files: { 'train.txt': Array.from({ length: 40 }, () => sentence(rng).join(' ')).join('\r\n') + 'É\r\n' },
      spec: { version: 1, name: 'chars', task: 'many-to-many', data: { train: 'train.txt', unit: 'char', sequenceLength: 8, validation: { fraction: 0.1 } }, model: { cell: 'lstm', hiddenSize: 4, embeddingSize: 3 }, training: training({ bptt: { mode: 'truncated', forwardSteps: 5, backpropSteps: 9 } }) },
    },
    {
      name: 'seq2seq over words to characters: sourceMaxLength, targetMaxLength, bucket batching by both lengths',
      files: { 'train.jsonl': records(rng, 40, (r) => { const words = sentence(r); return { source: words.join(' '), target: words.map((w) => w[0]).join('') }; }) },
      spec: { version: 1, name: 'initials', task: 'seq2seq', data: { train: 'train.jsonl', sourceUnit: 'word', targetUnit: 'char', sourceMaxLength: 7, targetMaxLength: 5, truncate: 'start', validation: { fraction: 0.15 } }, model: { cell: 'gru', hiddenSize: 4, embeddingSize: 3 }, training: training() },
    },
    {
      name: 'seq2seq from TSV pairs',
      files: { 'pairs.tsv': Array.from({ length: 30 }, () => { const w = sentence(rng).join(' '); return `${w}\t${w.split('').reverse().join('')}`; }).join('\r\n') + '\r\n' },
      spec: { version: 1, name: 'reverse', task: 'seq2seq', data: { train: 'pairs.tsv', format: 'tsv', validation: { fraction: 0.2 } }, model: { cell: 'lstm', hiddenSize: 4, embeddingSize: 3 }, training: training({ batchSize: 3 }) },
    },
    {
      name: 'one-to-many from vectors',
      files: { 'train.jsonl': records(rng, 25, (r) => ({ input: [r.next(), r.int(3)], target: sentence(r).slice(0, 3) })) },
      spec: { version: 1, name: 'describe', task: 'one-to-many', data: { train: 'train.jsonl', targetUnit: 'word', validation: { fraction: 0.2 } }, model: { cell: 'gru', hiddenSize: 4, embeddingSize: 3 }, training: training() },
    },
    ...csvCases(rng, training),
  ];
}

/**
 * The engine's first training batch of epoch 1, as the trainer builds it; for records and series also
 * the validation and test splits whole, as one batch each (series windows take context from the training rows).
 */
function engineBatches(dir: string, c: Case): Batch[] {
  const spec = parseSpec(JSON.stringify(c.spec), path.join(dir, 'spec.rnn.json'));
  const data = prepareDataset(spec, (p) => readFileSync(path.join(dir, p)));
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
  writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(vocabularyFile(data)));
  if (data.normalization) writeFileSync(path.join(dir, 'normalization.json'), JSON.stringify(data.normalization));
  const train = data.train;
  if (train.kind === 'stream') {
    const layout = stripeLayout(train.tokens.length, spec.training.batchSize);
    const bptt = spec.training.bptt as { forwardSteps: number; backpropSteps: number };
    return [windowBatch(train.tokens, layout, truncatedWindows(layout.stripeLength, bptt.forwardSteps, bptt.backpropSteps)[0])];
  }
  const order = recordEpochBatches(train.examples, spec.training.batchSize, spec.data.batching, epochSeed(spec.training.seed, 0));
  const whole = (split: Split | undefined) => (split?.kind === 'examples' && split.examples.length ? [makeBatch(split.examples, data)] : []);
  return [makeBatch(Array.from(order[0], (k) => train.examples[k]), data), ...whole(data.validation), ...whole(data.test)];
}

const SCRIPT = `
import json, os, sys
sys.path.insert(0, sys.argv[1])
import data
out = []
for folder in sys.argv[2:]:
    spec = json.load(open(os.path.join(folder, "spec.json")))
    dataset = data.Dataset(spec, folder, folder)
    batches = [dataset.first_batch()]
    if not dataset.stream:
        batches += [dataset.batch(split) for split in (dataset.validation, dataset.test) if split]
    out.append([{k: (v.flatten().tolist() if hasattr(v, "flatten") else v) for k, v in batch.items()} for batch in batches])
print(json.dumps(out))
`;

/** The engine's batch under data.py's key names, as plain arrays. */
function expectedOf(engine: Batch): Record<string, unknown> {
  const expected: Record<string, unknown> = { lengths: Array.from(engine.lengths) };
  if (engine.tokens) expected.tokens = Array.from(engine.tokens);
  if (engine.features) expected.features = Array.from(engine.features);
  if (engine.classLabels) expected.class_labels = Array.from(engine.classLabels);
  if (engine.targetValues) expected.target_values = Array.from(engine.targetValues);
  if (engine.targetTokens) expected.target_tokens = Array.from(engine.targetTokens);
  if (engine.lossFrom) expected.loss_from = engine.lossFrom;
  if (engine.decoderInput) {
    Object.assign(expected, { decoder_input: Array.from(engine.decoderInput), decoder_target: Array.from(engine.decoderTarget!), decoder_lengths: Array.from(engine.decoderLengths!) });
  }
  if (engine.initVectors) expected.init_vectors = Array.from(engine.initVectors);
  return expected;
}

describe('export --trainer: data.py builds the engine\'s batches', function () {
  this.timeout(120000);
  const all = cases();
  let root = '';
  let engine: Batch[][] = [];
  let python: Record<string, unknown>[][] | undefined;
  let missing: string | undefined;

  before(function () {
    const found = torchPython();
    if ('missing' in found) {
      missing = found.missing;
      return;
    }
    root = mkdtempSync(path.join(tmpdir(), 'rnn-lab-batches-'));
    writeFileSync(path.join(root, 'model.py'), modelPySource({ task: 'many-to-one', cell: 'rnn', activation: 'tanh', hiddenSize: 1, layers: 1, bidirectional: false, merge: 'concat', connections: 'none', dropout: 0, recurrentInit: 'orthogonal', input: { kind: 'features', size: 1 }, output: { kind: 'classes', size: 1 } }, { name: 'batches' }));
    writeFileSync(path.join(root, 'data.py'), trainerSources(undefined)['data.py']);
    writeFileSync(path.join(root, 'first_batch.py'), SCRIPT);
    const folders = all.map((c, i) => {
      const dir = path.join(root, `case${i}`);
      mkdirSync(dir);
      for (const [name, text] of Object.entries(c.files)) writeFileSync(path.join(dir, name), text);
      return dir;
    });
    engine = all.map((c, i) => engineBatches(folders[i], c));
    // One Python process for every case: importing torch is the slow part.
    python = JSON.parse(runPython(found.python, [path.join(root, 'first_batch.py'), root, ...folders]));
  });
  after(() => root && rmSync(root, { recursive: true, force: true }));

  all.forEach((c, i) => {
    it(`${c.name}: the first training batch and the validation and test splits are the engine's, exactly`, function () {
      if (missing) return skipWithoutTorch(this, missing);
      assert.deepEqual(python![i], engine[i].map(expectedOf));
    });
  });
});
