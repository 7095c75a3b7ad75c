import { strict as assert } from 'node:assert';
import { parseSpec, specTextIssues, SpecError } from '../../../src/modelSpec';
import { applyParametersToText } from '../../../src/modelSpec/sweepParameters';
import { PostingRunStore } from '../../../src/train/postingRunStore';
import { readJson } from '../../../src/train/runStore';
import type { Summary } from '../../../src/train/runTypes';
import { runSweep, type SweepEvent, type SweepOptions, type TrialJob } from '../../../src/train/sweep/runSweep';
import { readSweep } from '../../../src/train/sweep/sweepRecord';
import { train } from '../../../src/train/trainer';
import { options as trainOptions, setup } from './trainHarness';
import { pseudoText } from './trainerSetup';

/** A small LM spec with a 3-trial grid over the hidden size. */
function sweepSpec(sweep: Record<string, unknown>, training: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name: 'lm', task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 10 },
    model: { cell: 'gru', hiddenSize: 8, embeddingSize: 4 },
    training: { epochs: 2, batchSize: 4, seed: 11, optimizer: { learningRate: 0.01 }, ...training },
    sweep,
  }, null, 2);
}

interface Harness { options: SweepOptions; events: SweepEvent[]; jobs: TrialJob[]; runs: PostingRunStore; sweeps: PostingRunStore }

function harness(specText: string, extra: Partial<SweepOptions> = {}): Harness {
  const data = setup({ 'text.txt': pseudoText(1500, 3) });
  const sweeps = new PostingRunStore(() => undefined);
  const events: SweepEvent[] = [];
  const jobs: TrialJob[] = [];
  const h: Harness = {
    events, jobs, runs: data.store, sweeps,
    options: {
      specText, specPath: 'model.rnn.json', specFileFromSweeps: '../../model.rnn.json', sweeps, runs: data.store,
      totalThreads: 4, onEvent: (e) => events.push(e),
      trainTrial: (job) => {
        jobs.push(job);
        return train(trainOptions(data, job.specText, {
          ...(job.resume ? { resume: job.runId, runId: undefined } : { runId: job.runId }),
          sweep: job.sweep, threads: job.threads, stopAfterEpoch: job.stopAfterEpoch, signal: h.options.signal,
        }));
      },
      ...extra,
    },
  };
  return h;
}

describe('sweep runs', function () {
  this.timeout(60000);

  it('trains one run per trial, each with its parameters, the spec\'s training.seed, and sweep {id, trial, parameters} in summary.json', async () => {
    const h = harness(sweepSpec({ parameters: { 'model.hiddenSize': [4, 6, 8] } }));
    const record = await runSweep(h.options);
    assert.equal(record.status, 'completed');
    assert.deepEqual(record.trials.map((t) => t.status), ['completed', 'completed', 'completed']);
    for (const trial of record.trials) {
      const summary = await readJson<Summary>(h.runs, `${trial.runId}/summary.json`);
      assert.deepEqual(summary.sweep, { id: record.id, trial: trial.trial, parameters: trial.parameters });
      assert.equal(summary.seed, 11);
      assert.equal(summary.threads, 4);
      const spec = await readJson<{ model: { hiddenSize: number } }>(h.runs, `${trial.runId}/spec.json`);
      assert.equal(spec.model.hiddenSize, trial.parameters['model.hiddenSize']);
      assert.equal(trial.curve.length, 2, 'one monitored value per epoch');
    }
    assert.deepEqual(await readSweep(h.sweeps, record.id), record, 'the sweep file holds the final record');
    assert.deepEqual(h.events.map((e) => e.event), ['sweep', ...Array(3).fill(['trialStart', 'trialEnd']).flat(), 'sweepDone']);
  });

  it('--parallel divides the threads among the trials running at once', async () => {
    const h = harness(sweepSpec({ parameters: { 'model.hiddenSize': [4, 6, 8] } }), { parallel: 2 });
    const record = await runSweep(h.options);
    assert.deepEqual(record.trials.map((t) => t.threads), [2, 2, 2]);
    assert.deepEqual(h.events[0], { event: 'sweep', id: record.id, file: `${record.id}.json`, method: 'grid', trials: 3, toRun: 3, parallel: 2, threads: 2, monitor: 'validation loss' });
  });

  it('a cancelled sweep resumes: finished trials are skipped, the cancelled one continues from its checkpoint, the rest run', async () => {
    const controller = new AbortController();
    const h = harness(sweepSpec({ parameters: { 'model.hiddenSize': [4, 6, 8] } }), { signal: controller.signal });
    const base = h.options.trainTrial;
    // Cancel trial 2 after its first epoch (as Ctrl-C or Cancel would), deterministically.
    h.options.trainTrial = (job) => base(job.trial !== 2 ? job : {
      ...job, stopAfterEpoch: (epoch, monitored) => (controller.abort(), job.stopAfterEpoch(epoch, monitored)),
    });
    const first = await runSweep(h.options);
    assert.equal(first.status, 'cancelled');
    assert.deepEqual(first.trials.map((t) => t.status), ['completed', 'cancelled', 'pending']);
    const cancelledRun = first.trials[1].runId;

    h.jobs.length = 0;
    h.events.length = 0;
    h.options.signal = undefined;
    h.options.trainTrial = base;
    const resumed = await runSweep({ ...h.options, resume: first.id });
    assert.equal(resumed.id, first.id);
    assert.equal(resumed.status, 'completed');
    assert.deepEqual(resumed.trials.map((t) => t.status), ['completed', 'completed', 'completed']);
    assert.deepEqual(h.jobs.map((j) => [j.trial, j.resume]), [[2, true], [3, false]], 'trial 1 is skipped, trial 2 resumed');
    assert.equal(resumed.trials[1].runId, cancelledRun, 'the cancelled trial keeps its run');
    assert.equal((h.events[0] as Extract<SweepEvent, { event: 'sweep' }>).toRun, 2);
  });

  it('median stopping stops a trial worse than the median of the finished ones at the same epoch, status stopped', async () => {
    // Trial 1 learns (lr 0.01); trial 2 barely moves (lr 1e-5) and is worse at epoch 1 already.
    const spec = sweepSpec({ parameters: { 'training.optimizer.learningRate': [0.01, 0.00001] }, medianStopping: { afterEpochs: 1 } }, { epochs: 3 });
    const h = harness(spec);
    const record = await runSweep(h.options);
    assert.deepEqual(record.trials.map((t) => t.status), ['completed', 'stopped']);
    assert.equal(record.trials[1].curve.length, 1, 'stopped after its first epoch');
    const summary = await readJson<Summary>(h.runs, `${record.trials[1].runId}/summary.json`);
    assert.equal(summary.status, 'stopped');
    assert.equal(summary.completedEpochs, 1);
    assert.ok(summary.metrics, 'a stopped trial is evaluated like a finished one');
  });

  it('a trial whose parameters make an invalid spec is refused before any training, at the parameter\'s line and column', async () => {
    const text = sweepSpec({ parameters: { 'model.bidirectional': [false, true] } });
    const h = harness(text);
    await assert.rejects(runSweep(h.options), (error: SpecError) => {
      const line = text.split('\n').findIndex((l) => l.includes('"model.bidirectional"')) + 1;
      assert.equal(error.line, line);
      assert.match(error.message, /trial 2 .*\/model\/bidirectional: expected false: next-step prediction cannot read the future/);
      return true;
    });
    assert.equal(h.jobs.length, 0);
  });
});

describe('sweep spec', () => {
  const issues = (sweep: unknown) => specTextIssues(sweepSpec(sweep as Record<string, unknown>)).map((i) => `${i.path}: ${i.message}`);

  it('a parameter naming no spec key is an error with a did-you-mean, at the key', () => {
    const text = sweepSpec({ parameters: { 'model.hiddenSzie': [4] } });
    const [issue] = specTextIssues(text);
    assert.match(issue.message, /unknown key "model.hiddenSzie".*did you mean "model.hiddenSize"\?/);
    const line = text.split('\n').findIndex((l) => l.includes('hiddenSzie')) + 1;
    assert.deepEqual([issue.line, issue.column], [line, text.split('\n')[line - 1].indexOf('"model.hiddenSzie"') + 1]);
  });

  it('listed values and range ends must be valid values of their key; grids take lists and int ranges only', () => {
    assert.deepEqual(issues({ parameters: { 'model.cell': ['lstm', 'grux'] } }), ['/sweep/parameters/model.cell/1: expected one of "rnn", "lstm", "gru", got "grux" (did you mean "gru"?)']);
    assert.deepEqual(issues({ parameters: { 'model.layers': { int: [0, 2] } } }), ['/sweep/parameters/model.layers/int/0: expected an integer ≥ 1 and ≤ 16, got 0']);
    assert.deepEqual(issues({ parameters: { 'model.layers': { int: [3, 2] } } }), ['/sweep/parameters/model.layers/int: expected low ≤ high, got [3, 2]']);
    assert.match(issues({ parameters: { 'model.dropout': { uniform: [0, 0.5] } } })[0], /a grid tries lists: .*"method": "random"/);
    assert.deepEqual(issues({ method: 'random', parameters: { 'model.dropout': { uniform: [0, 0.5] } } }), []);
    assert.match(issues({ method: 'random', parameters: { 'model.hiddenSize': { uniform: [4, 8] } } })[0], /takes integers: expected \{"int": \[4, 8\]\}/);
    assert.deepEqual(issues({ parameters: { 'sweep.trials': [1] } }), ['/sweep/parameters/sweep.trials: "sweep" cannot be swept: expected a key of task, data, model or training']);
  });

  it('the trained spec ignores sweep, and a trial\'s text keeps every other key at its line', () => {
    const text = sweepSpec({ parameters: { 'model.hiddenSize': [4] } });
    assert.equal(parseSpec(text, 'm.rnn.json').model.hiddenSize, 8);
    assert.equal('sweep' in parseSpec(text, 'm.rnn.json'), false);
    const trial = applyParametersToText(text, { 'model.hiddenSize': 4, 'training.optimizer.momentum': 0.5 });
    assert.equal(parseSpec(trial, 'm.rnn.json').model.hiddenSize, 4);
    assert.equal(parseSpec(trial, 'm.rnn.json').training.optimizer.momentum, 0.5);
    const lineOf = (t: string, key: string) => t.split('\n').findIndex((l) => l.includes(key));
    assert.equal(lineOf(trial, '"train"'), lineOf(text, '"train"'));
  });
});
