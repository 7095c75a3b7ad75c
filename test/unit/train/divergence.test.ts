import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CancelledError, DivergedError } from '../../../src/train/errors';
import { train, type Summary } from '../../../src/train/trainer';
import { decodeText, encodeText } from '../../../src/train/runStore';
import { loadRun } from '../../../src/train/loadedRun';
import { options, setup, type Setup } from './trainHarness';
import { pseudoText, records } from './trainerSetup';

/** A small ReLU RNN classifier trained with plain SGD at `learningRate`. */
function reluSpec(learningRate: number, training: Record<string, unknown> = {}, hiddenSize = 4): string {
  return JSON.stringify({
    task: 'many-to-one', data: { train: 'train.jsonl' }, model: { cell: 'rnn', activation: 'relu', hiddenSize, embeddingSize: 4 },
    training: { epochs: 3, batchSize: 16, optimizer: { type: 'sgd', learningRate }, clipNorm: null, ...training },
  });
}

const summaryOf = async (s: Setup): Promise<Summary> => JSON.parse(decodeText(await s.store.readFile('run/summary.json')));

describe('divergence beyond NaN', function () {
  this.timeout(120000);

  it('an exploding loss (SGD at learningRate 1e6) stops as diverged, naming epoch, batch and the cure; no exploded best', async () => {
    const s = setup({ 'train.jsonl': records(400, 3) });
    let error: unknown;
    await train(options(s, reluSpec(1e6))).catch((e: unknown) => { error = e; });
    assert.ok(error instanceof DivergedError, `expected DivergedError, got ${String(error)}`);
    // 23 batches an epoch; batch 1 sets the baseline, batches 2-21 explode (patienceBatches 20).
    assert.match(error.message, /diverged at epoch 1, batch 21 \(update 21\): the loss exploded: [\d.e+]+, above 100 × the first batch's loss \([\d.]+\) for 20 batches in a row/);
    assert.match(error.message, /lower learningRate \(now 1000000\) or set clipNorm/);
    const summary = await summaryOf(s);
    assert.equal(summary.status, 'diverged');
    assert.equal(summary.best, null, 'no epoch of exploded weights is the best');
    assert.equal(await s.store.exists('run/best.safetensors'), false);
  });

  it('the root of "validation loss 0, accuracy 1": an exploded epoch is never the best', async () => {
    // 20 records hold out 2 for validation. With logit margins around 1e20, exploded weights that happen to
    // classify both right score a loss of exactly 0 in floating point; that epoch used to become the best.
    const s = setup({ 'train.jsonl': records(20, 3) });
    const spec = reluSpec(1e4, { clipNorm: 5 }, 16);
    const validation: number[] = [];
    await assert.rejects(train(options(s, spec, {
      onEvent: (e) => { if (e.event === 'metrics' && e.split === 'validation') validation.push(e.metrics.loss); },
    })), DivergedError);
    assert.equal((await summaryOf(s)).best, null);
    assert.equal(await s.store.exists('run/best.safetensors'), false);
    // With the check off (a run stored before training.divergence existed), it trains on as before.
    const off = setup({ 'train.jsonl': records(20, 3) });
    const summary = await train(options(off, reluSpec(1e4, { clipNorm: 5, divergence: null }, 16)));
    assert.equal(summary.status, 'completed');
    assert.equal(summary.best?.metrics.loss, 0, 'the saturated validation loss the check guards against');
    assert.ok(validation.length >= 1);
  });

  it('a resumed run keeps the baseline from state.json and trips at the same batch', async () => {
    const files = { 'train.jsonl': records(400, 3) };
    const straight = setup(files);
    const straightError = await train(options(straight, reluSpec(1e6))).catch((e: Error) => e);
    const split = setup(files);
    const controller = new AbortController();
    let progress = 0;
    await assert.rejects(train(options(split, reluSpec(1e6), {
      signal: controller.signal, progressIntervalMs: 0,
      onEvent: (e) => { if (e.event === 'progress' && ++progress === 5) controller.abort(); },
    })), CancelledError);
    const state = JSON.parse(decodeText(await split.store.readFile('run/state.json')));
    assert.ok(state.divergence.baselineLoss > 0 && state.divergence.baselineLoss < 3, 'the first batch set the baseline');
    assert.ok(state.divergence.batchesAbove > 0 && state.cursor.batch > 0, `cancelled inside the explosion (${JSON.stringify(state.divergence)})`);
    const resumedError = await train(options(split, reluSpec(1e6), { resume: 'run', runId: undefined })).catch((e: Error) => e);
    assert.ok(resumedError instanceof DivergedError);
    assert.equal(resumedError.message, (straightError as Error).message);
  });

  it('a run stored before training.divergence existed reads it as null and resumes without the check', async () => {
    const s = setup({ 'train.jsonl': records(400, 3) });
    await train(options(s, reluSpec(1e6, { epochs: 1, divergence: { patienceBatches: 100 } })));
    const stored = JSON.parse(decodeText(await s.store.readFile('run/spec.json')));
    delete stored.training.divergence;
    await s.store.writeFileAtomic('run/spec.json', encodeText(JSON.stringify(stored)));
    assert.equal((await loadRun(s.store, 'run')).spec.training.divergence, null);
    const summary = await train(options(s, reluSpec(1e6), { resume: 'run', runId: undefined, overrides: { epochs: 3 } }));
    assert.equal(summary.status, 'completed', 'as before the check existed');
  });

  it('healthy runs never trip it: a high but working learning rate', async () => {
    const s = setup({ 'text.txt': pseudoText(6000, 11) });
    const spec = JSON.stringify({
      task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 16 }, model: { cell: 'gru', hiddenSize: 32, embeddingSize: 8 },
      training: { epochs: 4, batchSize: 8, optimizer: { type: 'sgd', learningRate: 3 }, clipNorm: 5 },
    });
    const losses: number[] = [];
    const summary = await train(options(s, spec, { onEvent: (e) => { if (e.event === 'metrics' && e.split === 'train') losses.push(e.metrics.loss); } }));
    assert.equal(summary.status, 'completed');
    assert.ok(losses.at(-1)! < losses[0] * 0.8, `the high learning rate works: train loss ${losses.map((l) => l.toFixed(3)).join(' → ')}`);
  });

  for (const example of ['digits/digits-rnn.rnn.json', 'genesis/genesis-char.rnn.json', 'sunspots/sunspots.rnn.json']) {
    it(`healthy runs never trip it: examples/${example} (shortened)`, async () => {
      const specPath = path.resolve('examples', example);
      const s = setup({});
      // Genesis: its first 40 kB, so that one epoch stays short on a loaded CI machine.
      const read = (relPath: string) => readFileSync(path.resolve(path.dirname(specPath), relPath)).subarray(0, example.startsWith('genesis') ? 40000 : undefined);
      const summary = await train({ ...options(s, readFileSync(specPath, 'utf8')), specPath, read, overrides: { epochs: example.startsWith('genesis') ? 1 : 3 } });
      assert.equal(summary.status, 'completed');
      const state = JSON.parse(decodeText(await s.store.readFile('run/state.json')));
      assert.equal(state.divergence.batchesAbove, 0);
    });
  }
});
