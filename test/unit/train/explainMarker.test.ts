/**
 * Explanations find the deciding token: the label says whether the marker "x" occurs (once, at a
 * random position) among distractors "a"–"h". After a small model learns the task, the top
 * attribution of "yes" falls on the marker in at least 90% of the test examples that hold it.
 */
import { strict as assert } from 'node:assert';
import { Rng } from '../../../src/engine/random';
import { explainBatch } from '../../../src/train/explanation';
import { loadRun } from '../../../src/train/loadedRun';
import { inputBatch, predict } from '../../../src/train/prediction';
import { train } from '../../../src/train/trainer';
import { options, setup } from './trainHarness';

const DISTRACTORS = 'abcdefgh';

/** `count` records of 6–12 distractors, half with one marker at a uniform position. */
function records(count: number, seed: number): { input: string; label: string; marker: number }[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const length = 6 + rng.int(7);
    const chars = Array.from({ length }, () => DISTRACTORS[rng.int(DISTRACTORS.length)]);
    const marked = rng.next() < 0.5;
    const marker = marked ? rng.int(length) : -1;
    if (marked) chars[marker] = 'x';
    return { input: chars.join(''), label: marked ? 'yes' : 'no', marker };
  });
}

describe('explain on a trained marker classifier', function () {
  this.timeout(120000);

  it('puts the top attribution on the marker in ≥ 90% of test examples; completeness < 1% at 64 steps', async () => {
    const train_ = records(1500, 1).map(({ input, label }) => JSON.stringify({ input, label })).join('\n') + '\n';
    const s = setup({ 'train.jsonl': train_ });
    await train(options(s, JSON.stringify({
      task: 'many-to-one', data: { train: 'train.jsonl' },
      model: { cell: 'gru', hiddenSize: 12, embeddingSize: 6 },
      training: { epochs: 4, batchSize: 32, optimizer: { learningRate: 0.01 }, seed: 3 },
    })));
    const run = await loadRun(s.store, 'run', 'float64');
    const test = records(200, 2);
    const accuracy = test.filter((r) => {
      const p = predict(run, r.input, { file: 'test' });
      return p.kind === 'class' && p.label === r.label;
    }).length / test.length;
    assert.ok(accuracy >= 0.9, `the model learned the task: accuracy ${accuracy}`);

    const marked = test.filter((r) => r.marker >= 0).slice(0, 60);
    let hits = 0;
    let worstCompleteness = 0;
    for (const r of marked) {
      const e = explainBatch(run, inputBatch(run, r.input, 'test'), { target: 'yes', steps: 64 });
      const top = e.attributions.indexOf(Math.max(...e.attributions));
      if (top === r.marker) hits++;
      worstCompleteness = Math.max(worstCompleteness, e.completenessError / Math.abs(e.output - e.baselineOutput));
    }
    assert.ok(hits / marked.length >= 0.9, `top attribution on the marker in ${hits} of ${marked.length}`);
    assert.ok(worstCompleteness < 0.01, `completeness error up to ${(100 * worstCompleteness).toFixed(3)}% of |f(x) − f(0)|`);
  });
});
