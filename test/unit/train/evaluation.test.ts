import { strict as assert } from 'node:assert';
import { prepareDataset, toNetworkConfig, type PreparedDataset } from '../../../src/data';
import { RecurrentModel } from '../../../src/engine/model';
import { Rng } from '../../../src/engine/random';
import { resolveSpec } from '../../../src/modelSpec';
import { evaluateReport, evaluateSplit, type EvaluationOptions } from '../../../src/train/evaluation';
import { ConfusionMatrix, WorstExamples } from '../../../src/train/metrics';

const close = (a: number, b: number, tolerance = 1e-5) => Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b));

/** A spec's dataset from in-memory files, and an untrained model for it (evaluation needs no training). */
function setup(spec: Record<string, unknown>, files: Record<string, string>, seed = 1): { data: PreparedDataset; model: RecurrentModel } {
  const resolved = resolveSpec(spec);
  const data = prepareDataset(resolved, (rel) => new TextEncoder().encode(files[rel]));
  const model = RecurrentModel.create(toNetworkConfig(resolved, data), { seed });
  // larger head weights spread the losses out, so ranking them means something
  const head = model.param('head.weight').data;
  for (let i = 0; i < head.length; i++) head[i] *= 4;
  return { data, model };
}

const options: EvaluationOptions = { batchSize: 3, windowSteps: 10, unit: 'char' };

function lines(count: number, seed: number, make: (rng: Rng) => object): string {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => JSON.stringify(make(rng))).join('\n') + '\n';
}

const word = (rng: Rng, n: number) => Array.from({ length: n }, () => 'abcd'[rng.int(4)]).join('');

describe('evaluation report', () => {
  it('confusion matrix counts and per-class precision, recall, F1 and support on a hand-made case', () => {
    const m = new ConfusionMatrix(['cat', 'dog', 'eel']);
    const pairs: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 1], [1, 1], [1, 1], [2, 0]];
    for (const [actual, predicted] of pairs) m.add(actual, predicted);
    assert.deepEqual(m.toJSON(), { labels: ['cat', 'dog', 'eel'], matrix: [[3, 1, 0], [0, 2, 0], [1, 0, 0]] });
    const [cat, dog, eel] = m.perClass();
    // cat: 3 hits of 4 predicted cat, of 4 true cats; dog: 2 of 3 predicted, 2 of 2 true; eel never predicted
    assert.deepEqual([cat.precision, cat.recall, cat.support], [0.75, 0.75, 4]);
    assert.ok(close(cat.f1, 0.75));
    assert.deepEqual([dog.precision, dog.recall, dog.support], [2 / 3, 1, 2]);
    assert.ok(close(dog.f1, 0.8));
    assert.deepEqual(eel, { label: 'eel', precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('worst examples keep the highest losses, highest first, earlier first among ties, describing only those kept', () => {
    const worst = new WorstExamples<{ loss: number; name: string }>(3);
    let described = 0;
    const losses = [0.5, 2, 1, 2, 3, 0.1, 2];
    losses.forEach((loss, i) => worst.add(loss, () => (described++, { loss, name: `#${i}` })));
    assert.deepEqual(worst.items.map((w) => w.name), ['#4', '#1', '#3']);
    assert.equal(described, 5, '0.1 and the last 2 (a tie with the third kept) are not described');
  });

  it('many-to-one classifier: matrix counts every test example, accuracy is its trace, worst losses average to the loss', () => {
    const make = (rng: Rng) => {
      const input = word(rng, 5);
      return { input, label: input[0] };
    };
    const { data, model } = setup(
      { task: 'many-to-one', data: { train: 'train.jsonl', test: 'test.jsonl' }, model: { cell: 'gru', hiddenSize: 6 } },
      { 'train.jsonl': lines(40, 1, make), 'test.jsonl': lines(9, 2, make) },
    );
    const report = evaluateReport(model, data, data.test!, options);
    assert.deepEqual(report.metrics, evaluateSplit(model, data, data.test!, options), 'same metrics as training reports');
    const { labels, matrix } = report.confusionMatrix!;
    assert.deepEqual(labels, ['a', 'b', 'c', 'd']);
    const total = matrix.flat().reduce((s, n) => s + n, 0);
    assert.equal(total, 9);
    assert.ok(close(labels.reduce((s, _, i) => s + matrix[i][i], 0) / total, report.metrics.accuracy));
    assert.deepEqual(report.perClass!.map((c) => c.support), matrix.map((row) => row.reduce((s, n) => s + n, 0)));
    const worst = report.worst!;
    assert.equal(worst.length, 9, 'all 9 test examples (fewer than 10)');
    for (let i = 1; i < worst.length; i++) assert.ok(worst[i - 1].loss >= worst[i].loss);
    assert.ok(close(worst.reduce((s, w) => s + w.loss, 0) / 9, report.metrics.loss), 'per-example losses are the loss terms');
    assert.deepEqual(worst.map((w) => w.line).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const w of worst) {
      assert.equal(w.file, 'test.jsonl');
      assert.equal(w.target, w.input[0], 'the label is the first letter of the input preview');
      assert.ok(w.probability! > 0 && w.probability! <= 1 && labels.includes(w.predicted));
    }
  });

  it('tagger: the matrix counts every tagged step and its trace gives tokenAccuracy', () => {
    const make = (rng: Rng) => {
      const input = word(rng, 2 + rng.int(4));
      return { input, labels: Array.from(input, (c) => (c === 'a' ? 'A' : 'O')) };
    };
    const { data, model } = setup(
      { task: 'many-to-many', data: { train: 'train.jsonl', test: 'test.jsonl' }, model: { cell: 'rnn', hiddenSize: 6 } },
      { 'train.jsonl': lines(30, 3, make), 'test.jsonl': lines(14, 4, make) },
    );
    const testSteps = data.test!.kind === 'examples' ? data.test!.examples.reduce((s, e) => s + e.steps, 0) : 0;
    const report = evaluateReport(model, data, data.test!, options);
    const { matrix } = report.confusionMatrix!;
    assert.equal(matrix.flat().reduce((s, n) => s + n, 0), testSteps);
    assert.ok(close((matrix[0][0] + matrix[1][1]) / testSteps, report.metrics.tokenAccuracy));
    assert.equal(report.worst!.length, 10);
    for (const w of report.worst!) assert.equal(w.target.split(' ').length, w.input.length, 'one label per input character');
  });

  it('time series: predictions in original units reproduce rmse and naiveRmse', () => {
    const series = (from: number, count: number) =>
      'day,level\n' + Array.from({ length: count }, (_, i) => `${from + i},${(100 + 30 * Math.sin((from + i) / 3)).toFixed(2)}`).join('\n') + '\n';
    const { data, model } = setup(
      { task: 'many-to-one', data: { train: 'train.csv', test: 'test.csv', columns: ['level'], target: 'level', window: 6 }, model: { cell: 'gru', hiddenSize: 5 } },
      { 'train.csv': series(0, 80), 'test.csv': series(80, 25) },
    );
    const report = evaluateReport(model, data, data.test!, options);
    const { actual, predicted, naive } = report.predictions!;
    assert.equal(actual.length, 25, 'every test target, the first ones with the tail of train as context');
    const rmse = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length);
    assert.ok(close(rmse(predicted, actual), report.metrics.rmse, 1e-4));
    assert.ok(close(rmse(naive, actual), report.metrics.naiveRmse, 1e-4));
    assert.ok(close(actual[0], 100 + 30 * Math.sin(80 / 3), 1e-4), 'original units');
    assert.ok(close(naive[1], actual[0], 1e-4), 'the naive forecast is the previous value');
  });

  it('a text stream reports its metrics and no details', () => {
    const { data, model } = setup(
      { task: 'many-to-many', data: { train: 'text.txt', sequenceLength: 10 }, model: { cell: 'rnn', hiddenSize: 6 } },
      { 'text.txt': 'the cat sat on the mat. '.repeat(20) },
    );
    const report = evaluateReport(model, data, data.validation, options);
    assert.deepEqual(Object.keys(report), ['metrics']);
    assert.equal(typeof report.metrics.bitsPerChar, 'number');
  });
});
