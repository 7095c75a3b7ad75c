import { strict as assert } from 'node:assert';
import type { TrainingEvent } from '../../../src/train/events';
import { train } from '../../../src/train/trainer';
import { options, setup } from './trainHarness';

const pairs = (n: number): string => Array.from({ length: n }, (_, i) => {
  const word = 'abcde'.slice(i % 3, 3 + (i % 3)) + 'xyz'[i % 3];
  return `${word}\t${[...word].reverse().join('')}`;
}).join('\n') + '\n';

const spec = (attention: string) => JSON.stringify({
  task: 'seq2seq', data: { train: 'pairs.tsv', validation: { fraction: 0.2 } },
  model: { cell: 'gru', hiddenSize: 8, embeddingSize: 4, attention }, training: { epochs: 2, batchSize: 8 },
});

describe('the epoch sample of an attention decoder carries its alignment', () => {
  it('sourceTokens, tokens and one row of source weights per generated token, each row summing to 1', async () => {
    const s = setup({ 'pairs.tsv': pairs(40) });
    await train(options(s, spec('dot')));
    const samples = s.events.filter((e): e is Extract<TrainingEvent, { event: 'sample' }> => e.event === 'sample');
    assert.equal(samples.length, 2);
    for (const sample of samples) {
      assert.ok(sample.sourceTokens && sample.tokens && sample.attention, 'alignment fields present');
      assert.ok(sample.sourceTokens.length >= 3);
      assert.equal(sample.attention.length, sample.tokens.length);
      for (const row of sample.attention) {
        assert.equal(row.length, sample.sourceTokens.length);
        assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-3);
      }
      assert.match(sample.text, new RegExp(`^${sample.sourceTokens.join('')} → `));
    }
  });

  it('a decoder without attention sends the plain sample', async () => {
    const s = setup({ 'pairs.tsv': pairs(40) });
    await train(options(s, spec('none')));
    const sample = s.events.find((e) => e.event === 'sample')!;
    assert.deepEqual(Object.keys(sample).sort(), ['epoch', 'event', 'temperature', 'text']);
  });
});
