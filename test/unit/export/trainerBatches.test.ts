/**
 * data.py's first batch equals the engine's, exactly, for each task shape `export --trainer` ports:
 * many-to-one over tokens (stratified split, bucket batching, maxLength) and over features (z-scored,
 * random batching), an aligned tagger, and a character language model (CRLF text, truncated BPTT with
 * k2 > k1). Same seed, same files, the run's vocab.json and normalization.json.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
spec = json.load(open(os.path.join(sys.argv[1], "spec.json")))
batch = data.Dataset(spec, sys.argv[1], sys.argv[1]).first_batch()
print(json.dumps({k: (v.flatten().tolist() if hasattr(v, "flatten") else v) for k, v in batch.items()}))
`;

describe('export --trainer: data.py builds the engine\'s batches', function () {
  this.timeout(120000);
  for (const c of cases()) {
    it(`${c.name}: the first batch is the engine's, exactly`, function () {
      const found = torchPython();
      if ('missing' in found) return skipWithoutTorch(this, found.missing);
      const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-batches-'));
      try {
        for (const [name, text] of Object.entries(c.files)) writeFileSync(path.join(dir, name), text);
        const engine = engineFirstBatch(dir, c);
        writeFileSync(path.join(dir, 'model.py'), modelPySource({ task: 'many-to-one', cell: 'rnn', activation: 'tanh', hiddenSize: 1, layers: 1, bidirectional: false, merge: 'concat', connections: 'none', dropout: 0, recurrentInit: 'orthogonal', input: { kind: 'features', size: 1 }, output: { kind: 'classes', size: 1 } }, { name: 'batches' }));
        writeFileSync(path.join(dir, 'data.py'), trainerSources(undefined)['data.py']);
        writeFileSync(path.join(dir, 'first_batch.py'), SCRIPT);
        const python = JSON.parse(runPython(found.python, [path.join(dir, 'first_batch.py'), dir]));
        const expected: Record<string, unknown> = { lengths: Array.from(engine.lengths) };
        if (engine.tokens) expected.tokens = Array.from(engine.tokens);
        if (engine.features) expected.features = Array.from(engine.features);
        if (engine.classLabels) expected.class_labels = Array.from(engine.classLabels);
        if (engine.targetTokens) expected.target_tokens = Array.from(engine.targetTokens);
        if (engine.lossFrom) expected.loss_from = engine.lossFrom;
        assert.deepEqual(python, expected);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
