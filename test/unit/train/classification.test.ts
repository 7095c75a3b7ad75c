/**
 * Classification keys of issue 10 end to end: class weights, stratified validation, macroF1 and
 * early stopping on any reported metric, each bad value a positioned spec error raised before
 * anything is written.
 */
import { strict as assert } from 'node:assert';
import { prepareDataset, type Example } from '../../../src/data';
import { Rng } from '../../../src/engine/random';
import { resolveSpec, SpecError } from '../../../src/modelSpec';
import { metricDirection } from '../../../src/train/earlyStopping';
import { evaluateReport } from '../../../src/train/evaluation';
import type { TrainingEvent } from '../../../src/train/events';
import { loadRun } from '../../../src/train/loadedRun';
import { train } from '../../../src/train/trainer';
import { options, setup } from './trainHarness';

/**
 * 95/5 records of 8 characters: the majority draws from "abcd" uniformly, the minority draws "a"
 * with probability 0.45: a weak signal that an unweighted model drowns in the prior.
 */
function imbalanced(count: number, seed: number): string {
  const rng = new Rng(seed);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const minority = rng.next() < 0.05;
    const input = Array.from({ length: 8 }, () => (minority && rng.next() < 0.45 ? 'a' : 'abcd'[rng.int(4)])).join('');
    lines.push(JSON.stringify({ input, label: minority ? 'rare' : 'common' }));
  }
  return lines.join('\n') + '\n';
}

const classifier = (training: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
  task: 'many-to-one', data: { train: 'train.jsonl', ...data }, model: { cell: 'gru', hiddenSize: 8, embeddingSize: 4 },
  training: { epochs: 2, batchSize: 16, ...training },
});

/** A SpecError at model.rnn.json:line:column on `path` whose message matches. */
function specErrorAt(error: unknown, path: string, line: number, column: number, message: RegExp): boolean {
  assert.ok(error instanceof SpecError, `expected a SpecError, got ${error}`);
  assert.equal(error.path, path);
  assert.equal(`${error.file}:${error.line}:${error.column}`, `model.rnn.json:${line}:${column}`);
  assert.match(error.message, message);
  return true;
}

/** The spec as a user would indent it, so that positions are lines and columns of a real file. */
const pretty = (spec: object) => JSON.stringify(spec, null, 2);

describe('classification: class weights, stratified validation, macroF1, early stopping', function () {
  this.timeout(120000);

  it('classWeights "balanced" raises the minority recall of a 95/5 classifier', async () => {
    const files = { 'train.jsonl': imbalanced(1200, 1), 'test.jsonl': imbalanced(2000, 2) };
    const recall = async (classWeights: unknown) => {
      const s = setup(files);
      await train(options(s, JSON.stringify(classifier({ epochs: 6, classWeights, optimizer: { learningRate: 0.01 } }, { test: 'test.jsonl' }))));
      const run = await loadRun(s.store, 'run');
      const data = prepareDataset(run.spec, (rel) => s.files[rel]);
      const report = evaluateReport(run.model, data, data.test!, { batchSize: 64, windowSteps: 10, unit: 'char' });
      return report.perClass!.find((c) => c.label === 'rare')!.recall;
    };
    const plain = await recall(null);
    const balanced = await recall('balanced');
    assert.ok(balanced > plain + 0.2, `minority recall: balanced ${balanced.toFixed(3)} vs unweighted ${plain.toFixed(3)}`);
  });

  it('"balanced" weighs n / (K · n_c) over the training split; {label: weight} names labels; the network stores them', async () => {
    const lines = ['a', 'a', 'a', 'b'].map((label, i) => JSON.stringify({ input: 'xy'.slice(0, 1 + (i % 2)), label })).join('\n') + '\n';
    const s = setup({ 'train.jsonl': lines });
    const summary = await train(options(s, JSON.stringify(classifier({ epochs: 1, classWeights: 'balanced' }, { validation: { fraction: 0 } }))));
    assert.deepEqual(summary.network.output, { kind: 'classes', size: 2, weights: [4 / (2 * 3), 4 / (2 * 1)] });
    const named = setup({ 'train.jsonl': lines });
    const named2 = await train(options(named, JSON.stringify(classifier({ epochs: 1, classWeights: { b: 5 } }, { validation: { fraction: 0 } }))));
    assert.deepEqual(named2.network.output, { kind: 'classes', size: 2, weights: [1, 5] });
  });

  it('a classWeights label the data lacks is an error at its key, with "did you mean", before anything is written', async () => {
    const s = setup({ 'train.jsonl': imbalanced(50, 3) });
    const spec = pretty(classifier({ classWeights: { rare: 3, comon: 2 } }));
    await assert.rejects(train(options(s, spec)), (e: unknown) =>
      specErrorAt(e, '/training/classWeights/comon', 16, 16, /label "comon" does not occur in the training data: did you mean "common"\?/));
    assert.equal(await s.store.exists('run'), false);
    const values = setup({ 'train.jsonl': '{"input": "ab", "target": 1.5}\n'.repeat(4) });
    await assert.rejects(train(options(values, pretty(classifier({ classWeights: 'balanced' })))), (e: unknown) =>
      specErrorAt(e, '/training/classWeights', 14, 21, /applies to classifiers and taggers/));
  });

  it('validation {"fraction": f} is stratified by default for new classifiers: each class keeps its share', () => {
    const text = imbalanced(400, 4);
    const spec = resolveSpec(classifier({}, { validation: { fraction: 0.25 } }));
    assert.deepEqual(spec.data.validation, { fraction: 0.25, stratify: true }, 'the resolved spec records stratify');
    const rare = (examples: Example[]) => examples.filter((e) => e.label === 1).length;
    const all = text.split('\n').filter((l) => l.includes('"rare"')).length;
    const heldOut = (seed: number, validation: object) => {
      const data = prepareDataset(resolveSpec(classifier({ seed }, { validation })), () => new TextEncoder().encode(text));
      return data.validation.kind === 'examples' ? data.validation.examples : [];
    };
    const seeds = [1, 2, 3, 4, 5, 6];
    for (const seed of seeds) {
      const validation = heldOut(seed, { fraction: 0.25 });
      assert.equal(validation.length, 100);
      assert.equal(rare(validation), Math.round(all * 0.25), `seed ${seed}: ${all} rare records, a quarter of them held out`);
    }
    // Not stratified: a plain shuffle, whose count of rare records drifts from seed to seed.
    const counts = seeds.map((seed) => rare(heldOut(seed, { fraction: 0.25, stratify: false })));
    assert.ok(counts.some((n) => n !== Math.round(all * 0.25)), `plain shuffles hold out ${counts.join(', ')} rare records`);
  });

  it('metrics and done carry macroF1; the best checkpoint follows the monitored metric in its direction', async () => {
    const s = setup({ 'train.jsonl': imbalanced(200, 5) });
    const summary = await train(options(s, JSON.stringify(classifier({ epochs: 10, earlyStopping: { monitor: 'validation macroF1', patience: 100 } }))));
    const metrics = s.events.filter((e): e is Extract<TrainingEvent, { event: 'metrics' }> => e.event === 'metrics');
    assert.ok(metrics.length > 0 && metrics.every((e) => typeof e.metrics.macroF1 === 'number'));
    const done = s.events.at(-1) as Extract<TrainingEvent, { event: 'done' }>;
    assert.ok(done.metrics.macroF1 >= 0 && done.metrics.macroF1 <= 1);
    // The best epoch has the highest validation macroF1 (it goes up; the first among equals), here not the lowest loss.
    const validation = metrics.filter((e) => e.split === 'validation').map((e) => e.metrics);
    const bestF1 = validation.findIndex((m) => m.macroF1 === Math.max(...validation.map((v) => v.macroF1))) + 1;
    const bestLoss = validation.findIndex((m) => m.loss === Math.min(...validation.map((v) => v.loss))) + 1;
    assert.notEqual(bestF1, bestLoss, 'this run tells the two monitors apart');
    assert.equal(summary.best!.epoch, bestF1);
  });

  it('a monitored metric the task does not report, or early stopping without validation data, is a positioned error before anything is written', async () => {
    const s = setup({ 'train.jsonl': imbalanced(60, 6) });
    await assert.rejects(train(options(s, pretty(classifier({ earlyStopping: { monitor: 'validation rmse' } })))), (e: unknown) =>
      specErrorAt(e, '/training/earlyStopping/monitor', 15, 18,
        /this classifier does not report "rmse" on the validation split: expected one of "validation loss", "validation accuracy", "validation macroF1"/));
    await assert.rejects(train(options(s, pretty(classifier({ earlyStopping: { patience: 2 } }, { validation: { fraction: 0 } })))), (e: unknown) =>
      specErrorAt(e, '/training/earlyStopping', 17, 22, /needs validation data/));
    assert.equal(await s.store.exists('run'), false);
  });

  it('"train loss" can be monitored without validation data; best and early stopping follow it', async () => {
    const s = setup({ 'train.jsonl': imbalanced(80, 7) });
    const summary = await train(options(s, JSON.stringify(classifier({ epochs: 6, earlyStopping: { monitor: 'train loss', patience: 1, minDelta: 10 } }, { validation: { fraction: 0 } }))));
    assert.equal(summary.status, 'stopped-early');
    assert.equal(summary.completedEpochs, 2, 'epoch 1 sets the best; epoch 2 cannot beat it by 10 nats');
    const losses = s.events.flatMap((e) => (e.event === 'metrics' && e.split === 'train' ? [e.metrics.loss] : []));
    assert.equal(summary.best!.epoch, losses.indexOf(Math.min(...losses)) + 1, `the best train loss of ${losses.join(', ')}`);
  });

  it('an old run whose monitor this version rejects resumes with its old meaning (validation loss)', async () => {
    const text = 'the cat sat on the mat and ran far away. '.repeat(60);
    const lm = (earlyStopping: object, epochs: number) => JSON.stringify({
      task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 10 }, model: { cell: 'gru', hiddenSize: 8, embeddingSize: 4 },
      training: { epochs, batchSize: 4, earlyStopping },
    });
    const s = setup({ 'text.txt': text });
    await assert.rejects(train(options(s, lm({ monitor: 'validation accuracy' }, 1))), SpecError, 'a new language model cannot monitor accuracy');
    await train(options(s, lm({ monitor: 'validation loss' }, 1)));
    const stored = JSON.parse(new TextDecoder().decode(await s.store.readFile('run/spec.json')));
    stored.training.earlyStopping.monitor = 'validation accuracy';
    await s.store.writeFileAtomic('run/spec.json', new TextEncoder().encode(JSON.stringify(stored)));
    const resumed = await train(options(s, lm({}, 2), { resume: 'run', runId: undefined, overrides: { epochs: 2 } }));
    assert.equal(resumed.completedEpochs, 2);
  });

  it('"validation accuracy" is tokenAccuracy for a tagger, and directions are declared per metric', async () => {
    assert.deepEqual(['loss', 'rmse', 'perplexity', 'bitsPerChar', 'tokenErrorRate', 'accuracy', 'macroF1', 'sequenceAccuracy'].map(metricDirection),
      ['down', 'down', 'down', 'down', 'down', 'up', 'up', 'up']);
    const tags = ['{"input": "ab", "labels": ["x", "y"]}', '{"input": "ba", "labels": ["y", "x"]}'].join('\n').repeat(1).split('\n');
    const s = setup({ 'train.jsonl': Array.from({ length: 20 }, (_, i) => tags[i % 2]).join('\n') + '\n' });
    const spec = { task: 'many-to-many', data: { train: 'train.jsonl' }, model: { cell: 'rnn', hiddenSize: 4 },
      training: { epochs: 2, earlyStopping: { monitor: 'validation accuracy' } } };
    const summary = await train(options(s, JSON.stringify(spec)));
    assert.equal(summary.status, 'completed');
  });
});
