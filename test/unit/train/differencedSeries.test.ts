/**
 * `difference: true`: the model reads and predicts changes, but `predict` takes raw levels and
 * answers a level (last level + predicted change), and eval's predictions are levels too. The
 * oracle is the model's own forward pass on hand-differenced, hand-z-scored inputs.
 */
import { strict as assert } from 'node:assert';
import { makeBatch, prepareDataset, toNetworkConfig, type Example, type PreparedDataset } from '../../../src/data';
import { RecurrentModel } from '../../../src/engine/model';
import { resolveSpec, type ResolvedSpec } from '../../../src/modelSpec';
import { evaluateReport } from '../../../src/train/evaluation';
import type { LoadedRun } from '../../../src/train/loadedRun';
import { predict } from '../../../src/train/prediction';

const close = (a: number, b: number, where: string) => assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)), `${where}: ${a} vs ${b}`);

/** A yearly-like series around 180 with a trend and a wobble: levels far from their changes. */
const LEVELS = Array.from({ length: 40 }, (_, i) => Math.round((150 + 1.5 * i + 12 * Math.sin(i / 2)) * 10) / 10);
const TEST = [184.8, 159, 171.5, 190.2, 177.7, 181.1];

function setup(task: 'many-to-one' | 'many-to-many'): { spec: ResolvedSpec; data: PreparedDataset; model: RecurrentModel; run: LoadedRun } {
  const csv = (values: number[]) => 'year,level\n' + values.map((v, i) => `${1900 + i},${v}`).join('\n') + '\n';
  const spec = resolveSpec({
    task, data: { train: 'train.csv', test: 'test.csv', columns: ['level'], target: 'level', window: 4, difference: true },
    model: { cell: 'gru', hiddenSize: 5 },
  });
  const data = prepareDataset(spec, (rel) => new TextEncoder().encode(csv(rel === 'train.csv' ? LEVELS : TEST)));
  const model = RecurrentModel.create(toNetworkConfig(spec, data), { seed: 3 });
  // a head bias far from 0 makes the predicted change large: a change reported as a level is obvious
  model.param('head.bias').data[0] = 2;
  const run = { runId: 'r', spec, model, weights: 'best', normalization: data.normalization } as unknown as LoadedRun;
  return { spec, data, model, run };
}

/** The model's predicted changes (original units) for raw level rows, computed by hand. */
function changesByHand(data: PreparedDataset, model: RecurrentModel, levels: number[]): number[] {
  const norm = data.normalization!;
  const z = levels.slice(1).map((v, t) => (v - levels[t] - norm.mean[0]) / norm.std[0]);
  const aligned = model.config.task === 'many-to-many';
  const example: Example = { input: Float32Array.from(z), steps: z.length, target: new Float32Array(aligned ? z.length : 1), line: 1, file: 'x' };
  const outputs = model.forward(makeBatch([example], data), { training: false }).outputs;
  return Array.from(outputs, (o) => o * norm.std[0] + norm.mean[0]);
}

describe('difference: predictions are levels (last level + predicted change)', () => {
  it('predict takes raw levels, differences them, and answers the last level plus the change', () => {
    const { data, model, run } = setup('many-to-one');
    const window = [170.2, 176.9, 181.3, 184.8, 184.8];
    const prediction = predict(run, window, { file: '--input' });
    assert.equal(prediction.kind, 'values');
    const [change] = changesByHand(data, model, window);
    assert.ok(Math.abs(change) > 1, `the head bias makes a visible change (${change})`);
    if (prediction.kind === 'values') close(prediction.values[0], 184.8 + change, 'level');
  });

  it('many-to-many predict: each step is that step\'s level plus its change', () => {
    const { data, model, run } = setup('many-to-many');
    const window = [170.2, 176.9, 181.3, 184.8];
    const prediction = predict(run, window, { file: '--input' });
    assert.ok(prediction.kind === 'values');
    const changes = changesByHand(data, model, window);
    assert.equal(prediction.steps, 3);
    prediction.values.forEach((v, s) => close(v, window[s + 1] + changes[s], `step ${s}`));
  });

  it('predict with one row of a differenced series is an input error', () => {
    const { run } = setup('many-to-one');
    assert.throws(() => predict(run, [184.8], { file: '--input' }), /at least 2 rows/);
  });

  it('eval predictions: actual are the file\'s levels, naive the previous level, predicted = naive + change', () => {
    const { data, model } = setup('many-to-one');
    const report = evaluateReport(model, data, data.test!, { batchSize: 4, windowSteps: 4, unit: 'char' });
    const { actual, predicted, naive } = report.predictions!;
    // every test row has a target: its context comes from the train tail
    assert.deepEqual(actual.map((v) => Math.round(v * 10) / 10), TEST);
    const all = [...LEVELS, ...TEST];
    naive.forEach((v, i) => close(v, all[LEVELS.length + i - 1], `naive ${i}`));
    TEST.forEach((_, i) => {
      const end = LEVELS.length + i; // the target row; the window's last row is end − 1
      const [change] = changesByHand(data, model, all.slice(end - 5, end));
      close(predicted[i], naive[i] + change, `predicted ${i}`);
    });
    // RMSE over levels equals RMSE over changes: the metric itself was right before
    const rmse = Math.sqrt(actual.reduce((s, a, i) => s + (a - predicted[i]) ** 2, 0) / actual.length);
    close(report.metrics.rmse, rmse, 'rmse');
  });
  it('worst examples show the input window as levels, as the file has them, not as changes', () => {
    const all = [...LEVELS, ...TEST];
    for (const task of ['many-to-one', 'many-to-many'] as const) {
      const { data, model } = setup(task);
      const report = evaluateReport(model, data, data.test!, { batchSize: 4, windowSteps: 4, unit: 'char' });
      assert.ok(report.worst!.length > 0, task);
      for (const w of report.worst!) {
        // test.csv line L holds TEST[L − 2], the example's first target row; the window ends the row
        // before it (many-to-one), or `steps − 1` rows after that (aligned: one target per step)
        const [shape, values] = w.input.split(': ');
        const steps = Number(/^(\d+)×1$/.exec(shape)?.[1]);
        assert.equal(steps, task === 'many-to-one' ? 4 : w.line === 2 ? 4 : 2, `${task} line ${w.line}: ${shape}`);
        const last = LEVELS.length + w.line - 2 - 1 + (task === 'many-to-one' ? 0 : steps - 1);
        values.split(' | ').map(Number).forEach((v, t) => close(v, all[last - steps + 1 + t], `${task} line ${w.line} step ${t}`));
      }
    }
  });
  it('worst examples say "changes" when a value column is no target (its levels are unknown)', () => {
    const csv = 'level,other\n' + LEVELS.map((v, i) => `${v},${i % 5}`).join('\n') + '\n';
    const spec = resolveSpec({ task: 'many-to-one', data: { train: 's.csv', columns: ['level', 'other'], target: 'level', window: 3, difference: true }, model: { cell: 'gru', hiddenSize: 3 } });
    const data = prepareDataset(spec, () => new TextEncoder().encode(csv));
    const model = RecurrentModel.create(toNetworkConfig(spec, data), { seed: 1 });
    const report = evaluateReport(model, data, data.validation!, { batchSize: 4, windowSteps: 3, unit: 'char' });
    assert.match(report.worst![0].input, /^3×2 changes: /);
  });
});
