/**
 * Labels the training data lacks (issue 10): a tagger whose test file has a tag training never saw
 * trains anyway, warns at the tag's position, leaves it out of the loss and counts it as wrong.
 */
import { strict as assert } from 'node:assert';
import { prepareDataset, toNetworkConfig } from '../../../src/data';
import { RecurrentModel } from '../../../src/engine/model';
import { resolveSpec } from '../../../src/modelSpec';
import { evaluateReport } from '../../../src/train/evaluation';
import type { TrainingEvent } from '../../../src/train/events';
import { loadRun } from '../../../src/train/loadedRun';
import { ConfusionMatrix } from '../../../src/train/metrics';
import { train } from '../../../src/train/trainer';
import { options, setup } from './trainHarness';

const TRAIN = [
  { input: 'the dog runs', labels: ['D', 'N', 'V'] },
  { input: 'a cat sleeps', labels: ['D', 'N', 'V'] },
  { input: 'dogs run', labels: ['N', 'V'] },
].map((r) => JSON.stringify(r)).join('\n') + '\n';
// Line 2 has the unseen tag "ADJ" as its first label (column 34); line 3 has it again.
const TEST = [
  '{"input": "the cat", "labels": ["D", "N"]}',
  '{"input": "big dogs", "labels": ["ADJ", "N"]}',
  '{"input": "red", "labels": ["ADJ"]}',
].join('\n') + '\n';

const taggerSpec = {
  task: 'many-to-many', data: { train: 'train.jsonl', test: 'test.jsonl', unit: 'word', validation: { fraction: 0 } },
  model: { cell: 'gru', hiddenSize: 4, embeddingSize: 3 }, training: { epochs: 2, batchSize: 2 },
};

describe('labels the training data lacks', function () {
  this.timeout(60000);

  it('a tagger with unseen test tags: metrics checked by hand on a model that always predicts one tag', () => {
    const spec = resolveSpec(taggerSpec);
    const data = prepareDataset(spec, (rel) => new TextEncoder().encode(rel === 'test.jsonl' ? TEST : TRAIN));
    assert.deepEqual(data.labels, ['D', 'N', 'V']);
    assert.deepEqual(data.warnings, [{
      file: 'test.jsonl', line: 2, column: 34, message: 'label "ADJ" is not among the 3 training labels (counted as wrong): 2 occurrences in this file',
    }]);
    // Every weight 0 but the head bias: the logits are the bias at every step, so argmax is always N.
    const model = RecurrentModel.create(toNetworkConfig(spec, data), { seed: 1, dtype: 'float64' });
    for (const p of model.params) p.data.fill(0);
    const bias = [0, 2, 1];
    model.param('head.bias').data.set(bias);
    const report = evaluateReport(model, data, data.test!, { batchSize: 2, windowSteps: 10, unit: 'word' });
    // Test tags: D N | ADJ N | ADJ; predictions N everywhere.
    // tokenAccuracy = hits / all tags = 2 (the two N) / 5.
    assert.equal(report.metrics.tokenAccuracy, 2 / 5);
    // loss: mean over the 3 seen tags of −log softmax(bias)[y]: D once, N twice.
    const logZ = Math.log(bias.reduce((s, b) => s + Math.exp(b), 0));
    const expectedLoss = ((logZ - bias[0]) + 2 * (logZ - bias[1])) / 3;
    assert.ok(Math.abs(report.metrics.loss - expectedLoss) < 1e-9, `${report.metrics.loss} vs ${expectedLoss}`);
    // N: precision 2 / (3 seen predicted N + 2 unseen predicted N) = 2/5, recall 2/2 = 1, F1 = 2·0.4·1/1.4 = 4/7.
    // D: support 1, never predicted: F1 0. V: absent and never predicted: F1 0. macroF1 over D, N, V = (4/7)/3.
    assert.ok(Math.abs(report.metrics.macroF1 - 4 / 7 / 3) < 1e-12, `macroF1 ${report.metrics.macroF1}`);
    assert.deepEqual(report.unseenLabels, { ADJ: 2 });
    assert.deepEqual(report.confusionMatrix!.matrix, [[0, 1, 0], [0, 2, 0], [0, 0, 0]]);
  });

  it('the confusion matrix counts an unseen label against the predicted class only', () => {
    const m = new ConfusionMatrix(['a', 'b']);
    m.add(0, 0);
    m.add(1, 1);
    assert.equal(m.macroF1(), 1);
    m.addUnseen(0);
    const [a, b] = m.perClass();
    assert.deepEqual([a.precision, a.recall, b.f1], [0.5, 1, 1]);
    assert.ok(Math.abs(m.macroF1() - (2 / 3 + 1) / 2) < 1e-12);
  });

  it('end to end: training runs, warns with file:line:column, reports macroF1, and eval lists unseenLabels', async () => {
    const s = setup({ 'train.jsonl': TRAIN, 'test.jsonl': TEST });
    const summary = await train(options(s, JSON.stringify(taggerSpec)));
    assert.equal(summary.status, 'completed');
    const warnings = s.events.filter((e): e is Extract<TrainingEvent, { event: 'warning' }> => e.event === 'warning');
    assert.deepEqual(warnings.map((w) => `${w.file}:${w.line}:${w.column}: ${w.message}`),
      ['test.jsonl:2:34: label "ADJ" is not among the 3 training labels (counted as wrong): 2 occurrences in this file']);
    const trainMetrics = s.events.filter((e) => e.event === 'metrics' && e.split === 'train');
    assert.ok(trainMetrics.every((e) => e.event === 'metrics' && e.metrics.macroF1 >= 0 && e.metrics.macroF1 <= 1));
    const done = s.events.at(-1) as Extract<TrainingEvent, { event: 'done' }>;
    assert.equal(done.split, 'test');
    assert.ok(done.metrics.tokenAccuracy <= 3 / 5, 'the 2 unseen tags of 5 are wrong whatever the model predicts');
    assert.ok(Number.isFinite(done.metrics.macroF1) && Number.isFinite(done.metrics.loss));
    // eval of the stored run on the same file: the same metrics, and the unseen labels listed.
    const run = await loadRun(s.store, 'run');
    const data = prepareDataset(run.spec, (rel) => s.files[rel]);
    const report = evaluateReport(run.model, data, data.test!, { batchSize: 2, windowSteps: 10, unit: 'word' });
    assert.deepEqual(report.unseenLabels, { ADJ: 2 });
    assert.equal(report.metrics.tokenAccuracy, done.metrics.tokenAccuracy);
  });
});
