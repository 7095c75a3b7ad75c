import { strict as assert } from 'node:assert';
import { CancelledError, DivergedError, InputError } from '../../../src/train/errors';
import type { TrainingEvent } from '../../../src/train/events';
import { train, type Summary } from '../../../src/train/trainer';
import { encoder, options, setup, weights } from './trainHarness';
import { lmSpec, pseudoText, records } from './trainerSetup';

describe('trainer', function () {
  this.timeout(60000);

  it('emits start, progress, metrics, sample, checkpoint and ends with done, and writes the run files', async () => {
    const s = setup({ 'text.txt': pseudoText(3000, 1) });
    const summary = await train(options(s, lmSpec()));
    assert.equal(summary.status, 'completed');
    const kinds = new Set(s.events.map((e) => e.event));
    for (const k of ['start', 'progress', 'metrics', 'sample', 'checkpoint', 'done']) assert.ok(kinds.has(k as never), k);
    assert.equal(s.events.at(-1)!.event, 'done');
    const done = s.events.at(-1) as Extract<TrainingEvent, { event: 'done' }>;
    assert.equal(done.split, 'validation');
    assert.ok(done.metrics.bitsPerChar > 0 && Number.isFinite(done.metrics.perplexity));
    for (const f of ['spec.json', 'metrics.jsonl', 'gradients.jsonl', 'best.safetensors', 'last.safetensors', 'state.json', 'optimizer.safetensors', 'vocab.json', 'summary.json']) {
      assert.ok(await s.store.exists(`run/${f}`), f);
    }
    // gradients.jsonl holds the emitted gradients events, so a finished run's dashboard shows the gradient flow.
    const saved = new TextDecoder().decode(await s.store.readFile('run/gradients.jsonl')).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(saved, s.events.filter((e) => e.event === 'gradients').map((e) => JSON.parse(JSON.stringify(e))));
    assert.ok(saved.length > 0 && saved[0].hiddenGradNorms.length === 1);
  });

  it('2 epochs straight and 1 epoch + resume give bit-identical weights (records)', async () => {
    const files = { 'train.jsonl': records(120, 3) };
    const spec = (epochs: number) => JSON.stringify({
      task: 'many-to-one', data: { train: 'train.jsonl' }, model: { cell: 'lstm', hiddenSize: 8, embeddingSize: 4, dropout: 0.2 },
      training: { epochs, batchSize: 16 },
    });
    const straight = setup(files);
    await train(options(straight, spec(2)));
    const split = setup(files);
    await train(options(split, spec(1)));
    await train(options(split, spec(2), { resume: 'run', runId: undefined, overrides: { epochs: 2 } }));
    assert.deepEqual(await weights(split, 'run'), await weights(straight, 'run'));
  });

  it('a run cancelled mid-epoch resumes bit-identically, carried LM state included', async () => {
    const files = { 'text.txt': pseudoText(3000, 2) };
    const straight = setup(files);
    await train(options(straight, lmSpec()));
    const split = setup(files);
    const controller = new AbortController();
    let progress = 0;
    const cancelling = options(split, lmSpec(), {
      signal: controller.signal, progressIntervalMs: 0,
      onEvent: (e) => {
        if (e.event === 'progress' && ++progress === 30) controller.abort();
      },
    });
    await assert.rejects(train(cancelling), CancelledError);
    const state = JSON.parse(new TextDecoder().decode(await split.store.readFile('run/state.json')));
    assert.ok(state.cursor.batch > 0, 'cancelled inside an epoch');
    await train(options(split, lmSpec(), { resume: 'run', runId: undefined }));
    assert.deepEqual(await weights(split, 'run'), await weights(straight, 'run'));
  });

  it('resume refuses data whose bytes changed', async () => {
    const s = setup({ 'text.txt': pseudoText(2000, 4) });
    await train(options(s, lmSpec({ epochs: 1 })));
    s.files['text.txt'] = encoder.encode(pseudoText(2000, 5));
    await assert.rejects(train(options(s, lmSpec(), { resume: 'run', runId: undefined, overrides: { epochs: 2 } })),
      (e: unknown) => e instanceof InputError && e.file === 'text.txt' && /changed since the run started/.test(e.message));
  });

  it('early stopping stops once the monitored loss stops improving by minDelta', async () => {
    const s = setup({ 'text.txt': pseudoText(2000, 6) });
    const summary: Summary = await train(options(s, lmSpec({ epochs: 10, earlyStopping: { patience: 2, minDelta: 100 } })));
    assert.equal(summary.status, 'stopped-early');
    assert.equal(summary.completedEpochs, 3, 'epoch 1 sets the best; epochs 2 and 3 do not beat it by 100');
  });

  it('the NaN guard stops with a diagnosis and never writes non-finite weights', async () => {
    const s = setup({ 'text.txt': pseudoText(2000, 7) });
    // One healthy epoch writes a checkpoint; resumed with a learning rate of 1e38, the run diverges
    // in epoch 2 with that checkpoint on disk, which must stay as it was.
    await train(options(s, lmSpec({ epochs: 1, clipNorm: null, optimizer: { type: 'sgd', learningRate: 0.1 } })));
    const checkpointed = await weights(s, 'run');
    assert.ok(checkpointed.every((w) => w.every(Number.isFinite)));
    const saved = JSON.parse(new TextDecoder().decode(await s.store.readFile('run/spec.json')));
    saved.training.optimizer.learningRate = 1e38;
    await s.store.writeFileAtomic('run/spec.json', encoder.encode(JSON.stringify(saved)));
    await assert.rejects(train(options(s, '', { resume: 'run', runId: undefined, overrides: { epochs: 3 } })),
      (e: unknown) => e instanceof DivergedError && /diverged at epoch 2, batch \d+.*(loss|gradient norm|weight)/.test(e.message));
    const summary = JSON.parse(new TextDecoder().decode(await s.store.readFile('run/summary.json')));
    assert.equal(summary.status, 'diverged');
    assert.deepEqual(await weights(s, 'run'), checkpointed, 'last.safetensors still holds the finite epoch-1 weights');
  });
});
