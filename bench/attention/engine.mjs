#!/usr/bin/env node
// The engine side of the CMUdict attention bench: trains one seq2seq run per attention score on
// DIR/train.tsv (from prepare.mjs) with the pinned design (LSTM 256, embedding 64, batch 64,
// Adam 2e-3, clip 1, 6 epochs, no validation split) and prints one JSON line per score with the
// test word accuracy (sequenceAccuracy: exact match under greedy decoding) and the wall time.
//
//   npm run build && node bench/attention/engine.mjs DIR [--scores none,dot,general,additive] [--epochs 6] [--feed]
//     [--initialization pytorch]   (PyTorch's default draws, as cmudict_pytorch.py starts from)
//     [--seed 1]                   (training.seed: the draws and the batch order)
// Batches are cut from a plain shuffle (`data.batching: "random"`), as the PyTorch script does; the
// engine's default, length buckets, would train on different batches than the comparison.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const dir = resolve(args[0] ?? '');
const scores = option('scores', 'none,dot').split(',');
const epochs = Number(option('epochs', '6'));
const feed = args.includes('--feed');
const initialization = option('initialization', undefined);
const seed = Number(option('seed', '1'));
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

for (const attention of scores) {
  const name = `cmu-${attention}${feed ? '-fed' : ''}${initialization ? `-${initialization}` : ''}-seed${seed}`;
  const spec = {
    name, task: 'seq2seq',
    data: { train: 'train.tsv', test: 'test.tsv', sourceUnit: 'char', targetUnit: 'word', validation: { fraction: 0 }, batching: 'random' },
    model: { cell: 'lstm', hiddenSize: 256, embeddingSize: 64, attention, ...(feed && attention !== 'none' && { attentionFeed: true }), ...(initialization && { initialization }) },
    training: { epochs, batchSize: 64, optimizer: { type: 'adam', learningRate: 0.002 }, clipNorm: 1, seed },
  };
  writeFileSync(join(dir, `${name}.rnn.json`), JSON.stringify(spec, null, 2));
  const started = Date.now();
  const r = spawnSync(process.execPath, [cli, 'train', `${name}.rnn.json`, '--json'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  const elapsedMs = Date.now() - started;
  if (r.status !== 0) {
    console.log(JSON.stringify({ side: 'rnn-lab', attention, feed, error: r.stderr.slice(-2000) }));
    continue;
  }
  const done = JSON.parse(r.stdout.trim().split('\n').at(-1));
  console.log(JSON.stringify({ side: 'rnn-lab', attention, feed, initialization: initialization ?? 'glorot', seed, wordAccuracy: done.metrics.sequenceAccuracy, tokenErrorRate: done.metrics.tokenErrorRate, elapsedMs, run: done.run }));
}
