/**
 * data.py's first batch equals the engine's, exactly, for each task shape `export --trainer` ports:
 * many-to-one over tokens (stratified split, bucket batching, maxLength) and over features (z-scored,
 * random batching), an aligned tagger, a character language model (CRLF text, truncated BPTT with
 * k2 > k1), seq2seq from JSONL (length limits) and from TSV pairs, and one-to-many. Same seed, same files, the run's vocab.json and normalization.json.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makeBatch, prepareDataset } from '../../../src/data';
import { Rng } from '../../../src/engine/random';
import type { Batch } from '../../../src/engine/types';
import { modelPySource } from '../../../src/export/modelPy';
import { trainerSources } from '../../../src/export/trainerFiles';
import { parseSpec } from '../../../src/modelSpec';
import { recordEpochBatches } from '../../../src/train/batchPlan';
import { stripeLayout, truncatedWindows, windowBatch } from '../../../src/train/streamWindows';
import { epochSeed } from '../../../src/train/trainer';
import { vocabularyFile } from '../../../src/train/vocabularyFile';
import { runPython, skipWithoutTorch, torchPython } from './python';

const WORDS = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran', 'far', 'away'];

function records(rng: Rng, n: number, make: (rng: Rng, i: number) => object): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify(make(rng, i))).join('\n') + '\n';
}
const sentence = (rng: Rng) => Array.from({ length: 1 + rng.int(9) }, () => WORDS[rng.int(WORDS.length)]);

interface Case { name: string; files: Record<string, string>; spec: object }

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
  ];
}

/** The engine's first training batch of epoch 1, as the trainer builds it. */
function engineFirstBatch(dir: string, c: Case): Batch {
  const spec = parseSpec(JSON.stringify(c.spec), path.join(dir, 'spec.rnn.json'));
  const data = prepareDataset(spec, (p) => readFileSync(path.join(dir, p)));
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
  writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(vocabularyFile(data)));
  if (data.normalization) writeFileSync(path.join(dir, 'normalization.json'), JSON.stringify(data.normalization));
  const train = data.train;
  if (train.kind === 'stream') {
    const layout = stripeLayout(train.tokens.length, spec.training.batchSize);
    const bptt = spec.training.bptt as { forwardSteps: number; backpropSteps: number };
    return windowBatch(train.tokens, layout, truncatedWindows(layout.stripeLength, bptt.forwardSteps, bptt.backpropSteps)[0]);
  }
  const order = recordEpochBatches(train.examples, spec.training.batchSize, spec.data.batching, epochSeed(spec.training.seed, 0));
  return makeBatch(Array.from(order[0], (k) => train.examples[k]), data);
}

const SCRIPT = `
import json, os, sys
sys.path.insert(0, sys.argv[1])
import data
out = []
for folder in sys.argv[2:]:
    spec = json.load(open(os.path.join(folder, "spec.json")))
    batch = data.Dataset(spec, folder, folder).first_batch()
    out.append({k: (v.flatten().tolist() if hasattr(v, "flatten") else v) for k, v in batch.items()})
print(json.dumps(out))
`;

/** The engine's batch under data.py's key names, as plain arrays. */
function expectedOf(engine: Batch): Record<string, unknown> {
  const expected: Record<string, unknown> = { lengths: Array.from(engine.lengths) };
  if (engine.tokens) expected.tokens = Array.from(engine.tokens);
  if (engine.features) expected.features = Array.from(engine.features);
  if (engine.classLabels) expected.class_labels = Array.from(engine.classLabels);
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
  let engine: Batch[] = [];
  let python: Record<string, unknown>[] | undefined;
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
    engine = all.map((c, i) => engineFirstBatch(folders[i], c));
    // One Python process for every case: importing torch is the slow part.
    python = JSON.parse(runPython(found.python, [path.join(root, 'first_batch.py'), root, ...folders]));
  });
  after(() => root && rmSync(root, { recursive: true, force: true }));

  all.forEach((c, i) => {
    it(`${c.name}: the first batch is the engine's, exactly`, function () {
      if (missing) return skipWithoutTorch(this, missing);
      assert.deepEqual(python![i], expectedOf(engine[i]));
    });
  });
});
