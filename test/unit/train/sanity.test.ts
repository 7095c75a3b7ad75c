/**
 * Training sanity (issue 2), seeded: a small character LM learns a real text well below its unigram
 * entropy, and a many-to-one classifier recalls the first token of a length-30 sequence.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../../../src/engine/random';
import { InputError } from '../../../src/train/errors';
import { PostingRunStore } from '../../../src/train/postingRunStore';
import { train } from '../../../src/train/trainer';

const encoder = new TextEncoder();

async function trainOn(files: Record<string, string>, spec: object) {
  const bytes = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, encoder.encode(v)]));
  const started = Date.now();
  const summary = await train({
    specText: JSON.stringify(spec), specPath: 'sanity.rnn.json', store: new PostingRunStore(() => undefined), runId: 'run', onEvent: () => undefined,
    read: (rel) => bytes[rel] ?? (() => { throw new InputError('missing', rel); })(),
  });
  return { summary, seconds: (Date.now() - started) / 1000 };
}

/** H = −Σ p(c) log2 p(c) over the characters of `text`. */
function unigramEntropyBits(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  const n = [...text].length;
  return -[...counts.values()].reduce((h, k) => h + (k / n) * Math.log2(k / n), 0);
}

describe('training sanity', function () {
  this.timeout(120000);

  it('a small character LM ends at least 0.5 bits/char below the unigram entropy of a real text', async () => {
    const text = readFileSync(path.resolve('examples/genesis/genesis.txt'), 'utf8').slice(0, 60000);
    const { summary, seconds } = await trainOn({ 'text.txt': text }, {
      task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 32 },
      model: { cell: 'gru', hiddenSize: 96, embeddingSize: 24 },
      training: { epochs: 4, batchSize: 32, optimizer: { type: 'adam', learningRate: 0.005 }, seed: 1 },
    });
    const entropy = unigramEntropyBits(text);
    const bits = summary.metrics!.bitsPerChar;
    console.log(`      unigram entropy ${entropy.toFixed(3)} bits/char, model ${bits.toFixed(3)} bits/char on validation, ${seconds.toFixed(1)} s`);
    assert.ok(bits <= entropy - 0.5, `${bits} bits/char is not 0.5 below the unigram entropy ${entropy}`);
  });

  it('a many-to-one classifier recalls the first token of a length-30 sequence with accuracy ≥ 0.9', async () => {
    // the key: one of 8 tokens; then 29 distractors from 4 other tokens. The last token says nothing
    // about the label, so a memoryless model is at chance (1/8).
    const rng = new Rng(7);
    const line = () => {
      const tokens = Array.from({ length: 30 }, (_, i) => (i === 0 ? 'ABCDEFGH'[rng.int(8)] : 'wxyz'[rng.int(4)]));
      return JSON.stringify({ input: tokens.join(''), label: tokens[0] });
    };
    const trainText = Array.from({ length: 2000 }, line).join('\n');
    const testText = Array.from({ length: 300 }, line).join('\n');
    const { summary, seconds } = await trainOn({ 'train.jsonl': trainText, 'test.jsonl': testText }, {
      task: 'many-to-one', data: { train: 'train.jsonl', test: 'test.jsonl' },
      model: { cell: 'gru', hiddenSize: 32, embeddingSize: 8 },
      training: { epochs: 12, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, seed: 1 },
    });
    console.log(`      test accuracy ${summary.metrics!.accuracy.toFixed(3)} (chance 0.125), ${seconds.toFixed(1)} s`);
    assert.equal(summary.split, 'test');
    assert.ok(summary.metrics!.accuracy >= 0.9, `accuracy ${summary.metrics!.accuracy}`);
  });
});
