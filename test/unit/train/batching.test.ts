/**
 * `data.batching` ("bucket" | "random"), exact resume under both, and old runs: a stored spec.json
 * without the keys of issue 10 resumes and evaluates with the behaviour from before them.
 */
import { strict as assert } from 'node:assert';
import { Rng } from '../../../src/engine/random';
import { LEGACY_DEFAULTS } from '../../../src/modelSpec';
import { epochBatches, paddingFraction } from '../../../src/train/batchPlan';
import { CancelledError } from '../../../src/train/errors';
import type { TrainingEvent } from '../../../src/train/events';
import { loadRun } from '../../../src/train/loadedRun';
import { train } from '../../../src/train/trainer';
import { encoder, options, setup, weights } from './trainHarness';

/** Ragged records: lengths 1…maxLength uniformly, label = first character. */
function raggedRecords(count: number, seed: number, maxLength = 60): string {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const input = Array.from({ length: 1 + rng.int(maxLength) }, () => 'abcd'[rng.int(4)]).join('');
    return JSON.stringify({ input, label: input[0] });
  }).join('\n') + '\n';
}

const recordSpec = (data: Record<string, unknown> = {}, training: Record<string, unknown> = {}) => JSON.stringify({
  task: 'many-to-one', data: { train: 'train.jsonl', ...data }, model: { cell: 'gru', hiddenSize: 6, embeddingSize: 3, dropout: 0.1 },
  training: { epochs: 2, batchSize: 8, ...training },
});

const infoLines = (events: TrainingEvent[]) => events.flatMap((e) => (e.event === 'info' ? [e.message] : []));

describe('batching', function () {
  this.timeout(60000);

  it('bucket batches are a partition of the records, seeded, and cut the padding of a ragged dataset', () => {
    const rng = new Rng(3);
    const lengths = Int32Array.from({ length: 1000 }, () => 1 + rng.int(100));
    for (const batching of ['bucket', 'random'] as const) {
      const batches = epochBatches(lengths, 32, batching, 7);
      const seen = Array.from(batches.flatMap((b) => Array.from(b))).sort((a, b) => a - b);
      assert.deepEqual(seen, Array.from(lengths, (_, i) => i), `${batching}: every record once`);
      assert.deepEqual(epochBatches(lengths, 32, batching, 7), batches, `${batching}: the same seed gives the same batches`);
      assert.notDeepEqual(epochBatches(lengths, 32, batching, 8), batches, `${batching}: another seed, other batches`);
    }
    const bucket = paddingFraction(epochBatches(lengths, 32, 'bucket', 7), lengths);
    const random = paddingFraction(epochBatches(lengths, 32, 'random', 7), lengths);
    assert.ok(random > 0.4, `random padding ${random}`);
    assert.ok(bucket < 0.05, `bucket padding ${bucket}`);
  });

  it('"random" is the order of runs made before batching existed: the epoch seed\'s shuffle, cut in order', () => {
    const order = Int32Array.from({ length: 10 }, (_, i) => i);
    new Rng(42).shuffle(order);
    const expected = [order.slice(0, 4), order.slice(4, 8), order.slice(8)].map((b) => Array.from(b));
    assert.deepEqual(epochBatches(new Array(10).fill(3), 4, 'random', 42).map((b) => Array.from(b)), expected);
  });

  it('padding fraction = padded steps / all steps, by hand', () => {
    const lengths = [1, 3, 2, 2];
    // Batch {0, 1}: 2×3 = 6 steps, 4 used; batch {2, 3}: 4 steps, 4 used → 2 / 10.
    assert.equal(paddingFraction([Int32Array.of(0, 1), Int32Array.of(2, 3)], lengths), 0.2);
  });

  it('training reports the padding of its batching in an info line, lower with "bucket"', async () => {
    const files = { 'train.jsonl': raggedRecords(300, 1) };
    const padding = async (batching: string) => {
      const s = setup(files);
      await train(options(s, recordSpec({ batching }, { epochs: 1 })));
      const line = infoLines(s.events).find((m) => m.startsWith(`batching "${batching}"`));
      assert.ok(line, `an info line for ${batching}: ${infoLines(s.events).join(' | ')}`);
      return Number(/([\d.]+)% of the steps/.exec(line)![1]);
    };
    const bucket = await padding('bucket');
    const random = await padding('random');
    assert.ok(bucket < random / 3, `bucket ${bucket}% vs random ${random}%`);
  });

  for (const batching of ['bucket', 'random']) {
    it(`"${batching}": a run cancelled mid-epoch resumes bit-identically`, async () => {
      const files = { 'train.jsonl': raggedRecords(160, 2) };
      const spec = recordSpec({ batching }, { epochs: 3 });
      const straight = setup(files);
      await train(options(straight, spec));
      const split = setup(files);
      const controller = new AbortController();
      let progress = 0;
      await assert.rejects(train(options(split, spec, {
        signal: controller.signal, progressIntervalMs: 0,
        onEvent: (e) => {
          if (e.event === 'progress' && ++progress === 25) controller.abort();
        },
      })), CancelledError);
      const state = JSON.parse(new TextDecoder().decode(await split.store.readFile('run/state.json')));
      assert.ok(state.cursor.epoch === 1 && state.cursor.batch > 0, `cancelled inside epoch 2: ${JSON.stringify(state.cursor)}`);
      await train(options(split, spec, { resume: 'run', runId: undefined }));
      assert.deepEqual(await weights(split, 'run'), await weights(straight, 'run'));
      const lastTrain = (events: TrainingEvent[]) => events.filter((e) => e.event === 'metrics' && e.split === 'train').at(-1);
      assert.deepEqual(lastTrain(split.events), lastTrain(straight.events), 'the resumed epoch reports the same train metrics');
    });
  }
});

describe('old runs keep their meaning (legacy defaults of stored specs)', function () {
  this.timeout(60000);

  /** Removes every key of LEGACY_DEFAULTS from a stored spec.json, as an RNN Lab older than them wrote it. */
  async function makeOld(store: ReturnType<typeof setup>['store'], runId: string): Promise<Record<string, unknown>> {
    const spec = JSON.parse(new TextDecoder().decode(await store.readFile(`${runId}/spec.json`)));
    for (const { path } of LEGACY_DEFAULTS) {
      const keys = path.split('/').slice(1);
      let parent = spec;
      for (const key of keys.slice(0, -1)) parent = parent?.[key];
      if (parent && typeof parent === 'object') delete parent[keys[keys.length - 1]];
    }
    await store.writeFileAtomic(`${runId}/spec.json`, encoder.encode(JSON.stringify(spec)));
    return spec;
  }

  it('a stored spec without the new keys resumes with random batching and an unstratified split, as before', async () => {
    const files = { 'train.jsonl': raggedRecords(200, 4) };
    const before = { batching: 'random', validation: { fraction: 0.2, stratify: false } };
    const straight = setup(files);
    await train(options(straight, recordSpec(before, { epochs: 2 })));
    const old = setup(files);
    await train(options(old, recordSpec(before, { epochs: 1 })));
    const stored = await makeOld(old.store, 'run');
    assert.deepEqual(stored.data && (stored.data as Record<string, unknown>).validation, { fraction: 0.2 });
    assert.equal((stored.data as Record<string, unknown>).batching, undefined);
    // The spec file now says "bucket" and stratify (the new defaults): resume reads the run's own spec.json.
    await train(options(old, recordSpec({ validation: { fraction: 0.2 } }, { epochs: 2 }), { resume: 'run', runId: undefined, overrides: { epochs: 2 } }));
    assert.deepEqual(await weights(old, 'run'), await weights(straight, 'run'));
    const resumed = JSON.parse(new TextDecoder().decode(await old.store.readFile('run/spec.json')));
    assert.equal(resumed.data.batching, 'random', 'the resumed run records the legacy value');
  });

  it('eval of an old run reads the legacy values', async () => {
    const s = setup({ 'train.jsonl': raggedRecords(60, 5) });
    await train(options(s, recordSpec({}, { epochs: 1 })));
    await makeOld(s.store, 'run');
    const run = await loadRun(s.store, 'run');
    assert.equal(run.spec.data.batching, 'random');
    assert.deepEqual(run.spec.data.validation, { fraction: 0.1, stratify: false });
    assert.equal(run.spec.data.maxLength, null);
    assert.equal(run.spec.training.classWeights, null);
  });
});
