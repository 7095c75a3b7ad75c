/**
 * Several targets and several steps ahead (`data.target` as an array, `data.forecastSteps`), on a
 * tiny series the tests write: the windows' targets, predict's values and shape, and eval's metrics,
 * each checked by hand. The model's head is zeroed, so its outputs are the head bias, known in advance.
 */
import { strict as assert } from 'node:assert';
import { prepareDataset, toNetworkConfig, type Example, type PreparedDataset } from '../../../src/data';
import { RecurrentModel } from '../../../src/engine/model';
import { resolveSpec, SpecError, type ResolvedSpec } from '../../../src/modelSpec';
import { evaluateReport } from '../../../src/train/evaluation';
import { monitoredValue, parseMonitor, reportedMetrics } from '../../../src/train/earlyStopping';
import { ForecastErrors, forecastMetricNames } from '../../../src/train/forecastMetrics';
import type { LoadedRun } from '../../../src/train/loadedRun';
import { predict } from '../../../src/train/prediction';

const close = (a: number, b: number, where: string) => assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)), `${where}: ${a} vs ${b}`);
const examplesOf = (split: PreparedDataset['train'] | undefined): Example[] => (split?.kind === 'examples' ? split.examples : assert.fail('not examples'));

// a = 1, 2, 4, 7, 11, 16, … (changes 1, 2, 3, …); b = 10·row; c = noise the model may read
const ROWS = 12;
const A = Array.from({ length: ROWS }, (_, i) => 1 + (i * (i + 1)) / 2);
const B = Array.from({ length: ROWS }, (_, i) => 10 * i);
const C = Array.from({ length: ROWS }, (_, i) => (i * 7) % 5);
const CSV = 'c,b,a\n' + A.map((a, i) => `${C[i]},${B[i]},${a}`).join('\n') + '\n';
const BIAS = [0.5, -1, 2, 3, -0.25, 1.5];

function setup(data: Record<string, unknown>): { spec: ResolvedSpec; prepared: PreparedDataset; run: LoadedRun; model: RecurrentModel } {
  const spec = resolveSpec({
    task: 'many-to-one', data: { train: 's.csv', target: ['a', 'b'], forecastSteps: 3, window: 2, normalize: false, validation: { fraction: 0 }, ...data },
    model: { cell: 'gru', hiddenSize: 3 },
  });
  const prepared = prepareDataset(spec, () => new TextEncoder().encode(CSV));
  const model = RecurrentModel.create(toNetworkConfig(spec, prepared), { seed: 2 });
  model.param('head.weight').data.fill(0);
  const bias = model.param('head.bias').data;
  bias.set(BIAS.slice(0, bias.length));
  const run = { runId: 'r', spec, model, weights: 'best', normalization: prepared.normalization } as unknown as LoadedRun;
  return { spec, prepared, run, model };
}

describe('several targets, several steps ahead', () => {
  it('windows: k×Y targets, step-major, x[t+h+s] (or its change from x[t] with difference)', () => {
    const { prepared } = setup({});
    assert.equal(prepared.targetSize, 6);
    assert.deepEqual(prepared.normalization!.targets, ['a', 'b']);
    assert.equal(prepared.normalization!.target, undefined, 'target stays for single-target runs only');
    assert.equal(prepared.normalization!.forecastSteps, 3);
    const train = examplesOf(prepared.train);
    // window rows 0–1 (t = 1), targets rows 2, 3, 4; the last window's targets end at row 11
    assert.equal(train.length, ROWS - 2 - 3 + 1);
    assert.deepEqual(Array.from(train[0].target!), [4, 20, 7, 30, 11, 40]);
    assert.deepEqual(Array.from(train[0].input), [0, 0, 1, 2, 10, 2]);
    const differenced = examplesOf(setup({ difference: true }).prepared.train);
    // t = 2 (rows 1–2 are the differenced window), targets rows 3, 4, 5 minus row 2
    assert.deepEqual(Array.from(differenced[0].target!), [7 - 4, 30 - 20, 11 - 4, 40 - 20, 16 - 4, 50 - 20]);
    assert.deepEqual(Array.from(differenced[0].base!), [4, 20, 4, 20, 4, 20]);
  });

  it('predict: values steps × forecastSteps × targets with their shape, levels with difference', () => {
    const plain = predict(setup({}).run, [[0, 0, 1], [2, 10, 2]], { file: '--input' });
    assert.deepEqual(plain, { kind: 'values', steps: 1, values: BIAS, shape: [1, 3, 2] });
    const { run, prepared } = setup({ difference: true, normalize: true });
    const norm = prepared.normalization!;
    const prediction = predict(run, [[0, 0, 1], [2, 10, 2], [4, 20, 4]], { file: '--input' });
    assert.ok(prediction.kind === 'values');
    assert.deepEqual(prediction.shape, [1, 3, 2]);
    // output i is target y = i % 2 (column a = 2, b = 1): last level + bias·std + mean of the column's changes
    prediction.values.forEach((v, i) => {
      const [column, last] = i % 2 === 0 ? [2, 4] : [1, 20];
      close(v, last + BIAS[i] * norm.std[column] + norm.mean[column], `value ${i}`);
    });
  });

  it('eval metrics by hand: rmse.<column> and nrmse for two targets; rmse, naiveRmse and rmse@<s> for one', () => {
    const { model, prepared } = setup({});
    const report = evaluateReport(model, prepared, prepared.train, { batchSize: 4, windowSteps: 2, unit: 'char' });
    const windows = examplesOf(prepared.train).length;
    const rmse = (series: number[], y: number) => {
      let sum = 0;
      for (let j = 2; j < 2 + windows; j++) for (let s = 0; s < 3; s++) sum += (BIAS[2 * s + y] - series[j + s]) ** 2;
      return Math.sqrt(sum / (3 * windows));
    };
    const std = (x: number[]) => {
      const mean = x.reduce((s, v) => s + v, 0) / x.length;
      return Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
    };
    assert.deepEqual(Object.keys(report.metrics).sort(), ['loss', 'nrmse', 'rmse.a', 'rmse.b']);
    close(report.metrics['rmse.a'], rmse(A, 0), 'rmse.a');
    close(report.metrics['rmse.b'], rmse(B, 1), 'rmse.b');
    close(report.metrics.nrmse, (rmse(A, 0) / std(A) + rmse(B, 1) / std(B)) / 2, 'nrmse');
    assert.deepEqual(report.predictions!.shape, [windows, 3, 2]);
    assert.deepEqual(report.predictions!.actual.slice(0, 6), [4, 20, 7, 30, 11, 40]);
    assert.deepEqual(report.predictions!.naive.slice(0, 6), [2, 10, 2, 10, 2, 10], 'the last observed level of each target');

    const single = new ForecastErrors(['a'], 2, [1]);
    // two windows: step 1 errors 1 and 3, step 2 errors 2 and 2; naive errors 0, 4, 1, 1
    single.add(0, 0, 11, 10, 10); single.add(1, 0, 12, 11, 10);
    single.add(0, 0, 13, 14, 10); single.add(1, 0, 8, 9, 10);
    const m = single.metrics();
    close(m.rmse, Math.sqrt((1 + 4 + 9 + 4) / 4), 'rmse');
    close(m['rmse@1'], Math.sqrt((1 + 9) / 2), 'rmse@1');
    close(m['rmse@2'], Math.sqrt((4 + 4) / 2), 'rmse@2');
    close(m.naiveRmse, Math.sqrt((0 + 1 + 16 + 1) / 4), 'naiveRmse');
    assert.deepEqual(forecastMetricNames(['a'], 2), ['rmse', 'naiveRmse', 'rmse@1', 'rmse@2']);
    assert.deepEqual(forecastMetricNames(['a', 'b'], 3), ['rmse.a', 'rmse.b', 'nrmse']);
  });

  it('every forecast metric is a valid earlyStopping.monitor, and improves downwards', () => {
    const { prepared, model } = setup({});
    const monitor = (m: string) => parseMonitor(m, prepared, model.config.output, 'char');
    for (const name of ['rmse.a', 'rmse.b', 'nrmse']) {
      assert.deepEqual(monitor(`validation ${name}`), { split: 'validation', metric: name });
      assert.equal(monitoredValue({ split: 'validation', metric: name }, { loss: 1, [name]: 2.5 }), 2.5, 'lower is better');
    }
    assert.match(String(monitor('validation rmse')), /does not report "rmse".*"validation rmse\.a", "validation rmse\.b", "validation nrmse"/);
    const single = setup({ target: 'a', season: 3 });
    assert.deepEqual(reportedMetrics('validation', single.prepared, single.model.config.output, 'char'),
      ['loss', 'rmse', 'naiveRmse', 'rmse@1', 'rmse@2', 'rmse@3', 'seasonalNaiveRmse']);
    // the spec accepts such names
    assert.doesNotThrow(() => resolveSpec({ task: 'many-to-one', data: { train: 's.csv' }, model: { cell: 'gru' }, training: { earlyStopping: { monitor: 'validation rmse@2' } } }));
    assert.doesNotThrow(() => resolveSpec({ task: 'many-to-one', data: { train: 's.csv' }, model: { cell: 'gru' }, training: { earlyStopping: { monitor: 'validation rmse.sales_2' } } }));
  });

  it('spec: forecastSteps > 1 needs many-to-one; a target list names /data/target/i', () => {
    assert.throws(() => resolveSpec({ task: 'many-to-many', data: { train: 's.csv', forecastSteps: 2 }, model: { cell: 'gru' } }),
      (e: SpecError) => e.issues.some((i) => i.path === '/data/forecastSteps' && /need task "many-to-one"/.test(i.message)));
    assert.throws(() => resolveSpec({ task: 'many-to-one', data: { train: 's.csv', time: 'a', target: ['b', 'a'] }, model: { cell: 'gru' } }),
      (e: SpecError) => e.issues.some((i) => i.path === '/data/target/1'));
    const old = setup({ target: 'a', forecastSteps: undefined });
    assert.equal(old.prepared.normalization!.target, 'a');
    assert.deepEqual(old.prepared.normalization!.targets, ['a']);
    assert.equal(old.prepared.targetSize, 1);
  });
});
