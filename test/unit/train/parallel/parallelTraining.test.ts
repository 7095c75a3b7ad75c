/**
 * Whole trainings on several threads: the thread count's precedence (flag, spec, setting, cores),
 * its record in summary.json and its reuse on resume, determinism for a fixed count, and a
 * cancelled 2-thread run that resumes bit-identically. The models here are large enough that
 * `shardsFor` splits their batches (else a run stays on one thread whatever it asks).
 */
import { strict as assert } from 'node:assert';
import { CancelledError } from '../../../../src/train/errors';
import type { TrainingEvent } from '../../../../src/train/events';
import { threadsFor } from '../../../../src/train/parallel/threadCount';
import { train, type Summary } from '../../../../src/train/trainer';
import { encoder, options, setup, weights } from '../trainHarness';
import { lmSpec, pseudoText } from '../trainerSetup';

/** An LM whose batches split in two: 16 stripes × 24 steps × GRU H = 96 over 32-wide embeddings. */
function splitSpec(training: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name: 'lm', task: 'many-to-many',
    data: { train: 'text.txt', sequenceLength: 24 },
    model: { cell: 'gru', hiddenSize: 96, embeddingSize: 32, dropout: 0.2 },
    training: { epochs: 2, batchSize: 16, optimizer: { type: 'adam', learningRate: 0.01 }, ...training },
  });
}

const FILES = { 'text.txt': pseudoText(6000, 11) };

async function summaryOf(s: ReturnType<typeof setup>, runId = 'run'): Promise<Summary> {
  return JSON.parse(new TextDecoder().decode(await s.store.readFile(`${runId}/summary.json`)));
}

describe('training on several threads', function () {
  this.timeout(300_000);

  it('threads come from --threads, else training.threads, else the setting, else the cores (threadsFor)', async () => {
    const files = { 'text.txt': pseudoText(1500, 3) };
    const cases: Array<[string, string, Partial<Parameters<typeof options>[2]>, number]> = [
      ['flag over spec and setting', lmSpec({ epochs: 1, threads: 3 }), { threads: 5, defaultThreads: 4 }, 5],
      ['spec over setting', lmSpec({ epochs: 1, threads: 3 }), { defaultThreads: 4 }, 3],
      ['setting', lmSpec({ epochs: 1 }), { defaultThreads: 4 }, 4],
      ['cores divided among 1 training', lmSpec({ epochs: 1 }), {}, threadsFor(1)],
      ['cores divided among 64 trainings', lmSpec({ epochs: 1 }), { concurrentTrainings: 64 }, 1],
    ];
    for (const [what, spec, extra, expected] of cases) {
      const s = setup(files);
      const summary = await train(options(s, spec, extra));
      assert.equal(summary.threads, expected, what);
      assert.equal((await summaryOf(s)).threads, expected, `${what}: summary.json`);
      const start = s.events.find((e) => e.event === 'start') as Extract<TrainingEvent, { event: 'start' }>;
      assert.equal(start.threads, expected, `${what}: start event`);
    }
  });

  it('threadsFor divides the cores and never gives more in total (at least 1 each)', () => {
    const cores = threadsFor(1);
    for (const n of [1, 2, 3, 4, 7, 16]) {
      assert.ok(threadsFor(n) >= 1);
      if (n <= cores) assert.ok(n * threadsFor(n) <= cores, `${n} trainings × ${threadsFor(n)} threads exceed ${cores} cores`);
    }
  });

  it('a resumed run keeps its thread count, whatever the flag says; a run from before threads resumes on 1', async () => {
    const files = { 'text.txt': pseudoText(1500, 4) };
    const s = setup(files);
    await train(options(s, lmSpec({ epochs: 1 }), { threads: 3 }));
    const resumed = await train(options(s, lmSpec(), { resume: 'run', runId: undefined, overrides: { epochs: 2 }, threads: 1 }));
    assert.equal(resumed.threads, 3);
    assert.ok(s.events.some((e) => e.event === 'info' && /resuming on 3 threads/.test(e.message)));
    const old = setup(files);
    await train(options(old, lmSpec({ epochs: 1 }), { threads: 2 }));
    const summary = await summaryOf(old);
    delete summary.threads;
    await old.store.writeFileAtomic('run/summary.json', encoder.encode(JSON.stringify(summary)));
    assert.equal((await train(options(old, lmSpec(), { resume: 'run', runId: undefined, overrides: { epochs: 2 } }))).threads, 1);
  });

  it('2 threads: bit-identical run to run, and within float32 summation order of 1 thread', async () => {
    const noDropout = (epochs: number) => JSON.stringify({ ...JSON.parse(splitSpec({ epochs, optimizer: { type: 'sgd', learningRate: 0.1 } })), model: { cell: 'gru', hiddenSize: 96, embeddingSize: 32 } });
    const [a, b, one] = [setup(FILES), setup(FILES), setup(FILES)];
    await train(options(a, noDropout(1), { threads: 2 }));
    await train(options(b, noDropout(1), { threads: 2 }));
    await train(options(one, noDropout(1), { threads: 1 }));
    const [wa, wb, w1] = [await weights(a, 'run'), await weights(b, 'run'), await weights(one, 'run')];
    assert.deepEqual(wa, wb, 'two 2-thread runs differ');
    assert.notDeepEqual(wa, w1, 'the 2-thread run equals the 1-thread run bit for bit: were its batches split at all?');
    wa.forEach((w, i) => {
      const scale = Math.max(...Array.from(w1[i], Math.abs));
      const worst = Math.max(...Array.from(w, (x, j) => Math.abs(x - w1[i][j])));
      assert.ok(worst <= 1e-4 * scale, `tensor ${i}: 1 and 2 threads differ by ${worst} (largest ${scale}) after an epoch`);
    });
  });

  it('a 2-thread run cancelled mid-epoch leaves a checkpoint and resumes bit-identically on 2 threads (dropout on)', async () => {
    const straight = setup(FILES);
    await train(options(straight, splitSpec(), { threads: 2 }));
    const split = setup(FILES);
    const controller = new AbortController();
    let progress = 0;
    await assert.rejects(train(options(split, splitSpec(), {
      threads: 2, signal: controller.signal, progressIntervalMs: 0,
      onEvent: (e) => { if (e.event === 'progress' && ++progress === 5) controller.abort(); },
    })), CancelledError);
    const state = JSON.parse(new TextDecoder().decode(await split.store.readFile('run/state.json')));
    assert.ok(state.cursor.batch > 0, 'cancelled inside an epoch');
    assert.equal((await summaryOf(split)).threads, 2);
    assert.equal((await summaryOf(split)).status, 'cancelled');
    const resumed = await train(options(split, splitSpec(), { resume: 'run', runId: undefined }));
    assert.equal(resumed.threads, 2);
    assert.deepEqual(await weights(split, 'run'), await weights(straight, 'run'));
  });
});
