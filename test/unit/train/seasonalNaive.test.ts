/**
 * `data.season`: the seasonal naive forecast, the latest value a whole number of seasons before the
 * target, beside the last-value one in eval (metrics and predictions) and the results view.
 */
import { strict as assert } from 'node:assert';
import { prepareDataset, toNetworkConfig, type Example } from '../../../src/data';
import { RecurrentModel } from '../../../src/engine/model';
import { asEvaluationResult } from '../../../src/extension/inspector/evaluationResult';
import { evaluationReportHtml, seasonalNaiveRmse } from '../../../src/extension/results/evaluationReport';
import { resolveSpec } from '../../../src/modelSpec';
import { evaluateReport } from '../../../src/train/evaluation';

// a weekly pattern on a slow trend: one season back is close, the day before is not
const PATTERN = [5, 9, 4, 12, 7, 15, 3];
const LEVELS = Array.from({ length: 60 }, (_, i) => PATTERN[i % 7] + 0.1 * i);
const TEST = Array.from({ length: 14 }, (_, i) => PATTERN[(60 + i) % 7] + 0.1 * (60 + i));

function evaluated(data: Record<string, unknown>) {
  const csv = (values: number[]) => 'v\n' + values.join('\n') + '\n';
  const spec = resolveSpec({ task: 'many-to-one', data: { train: 'a.csv', test: 'b.csv', window: 3, season: 7, ...data }, model: { cell: 'gru', hiddenSize: 3 } });
  const prepared = prepareDataset(spec, (rel) => new TextEncoder().encode(csv(rel === 'a.csv' ? LEVELS : TEST)));
  const model = RecurrentModel.create(toNetworkConfig(spec, prepared), { seed: 4 });
  return { prepared, report: evaluateReport(model, prepared, prepared.test!, { batchSize: 5, windowSteps: 3, unit: 'char' }) };
}

describe('seasonal naive forecast (data.season)', () => {
  it('is the value one season before each target; its RMSE is reported beside the last-value one', () => {
    const { report } = evaluated({});
    const all = [...LEVELS, ...TEST];
    const { actual, seasonalNaive, naive } = report.predictions!;
    assert.equal(actual.length, TEST.length);
    seasonalNaive!.forEach((v, i) => assert.ok(Math.abs(v - all[LEVELS.length + i - 7]) < 1e-9, `point ${i}`));
    const byHand = Math.sqrt(actual.reduce((s, a, i) => s + (a - all[LEVELS.length + i - 7]) ** 2, 0) / actual.length);
    assert.ok(Math.abs(report.metrics.seasonalNaiveRmse - byHand) < 1e-6);
    assert.ok(Math.abs(byHand - 0.7) < 1e-6, 'one season of trend: 7 × 0.1');
    assert.ok(report.metrics.naiveRmse > 3 * report.metrics.seasonalNaiveRmse, `last value ${report.metrics.naiveRmse} is far worse`);
    assert.equal(naive.length, actual.length);
  });

  it('seen from the last observed row: a season shorter than the lead steps back whole seasons', () => {
    const { prepared } = evaluated({ season: 2, horizon: 2, forecastSteps: 3 });
    const test = (prepared.test as { examples: Example[] }).examples[0];
    // the first test target row is 60, seen from t = 58: rows 60, 61, 62 → 58 (one season back), 57 (two back), 58 (one back)
    const all = [...LEVELS, ...TEST];
    assert.deepEqual(Array.from(test.seasonal!), [all[58], all[57], all[58]]);
    // a short season: even the first training window has a value one season back
    const first = (prepared.train as { examples: Example[] }).examples[0];
    assert.deepEqual(Array.from(first.seasonal!).map(Number.isNaN), [false, false, false]);
    const { prepared: long } = evaluated({ season: 30 });
    assert.ok(Number.isNaN((long.train as { examples: Example[] }).examples[0].seasonal![0]), 'no row one season back');
  });

  it('the results view draws it and compares; a null (never observed) point is skipped', () => {
    const { report } = evaluated({});
    const done = JSON.parse(JSON.stringify({ event: 'done', run: 'r', split: 'test', best: { epoch: 1 }, ...report }));
    done.predictions.seasonalNaive[0] = null;
    const result = asEvaluationResult(done)!;
    assert.ok(Number.isNaN(result.predictions!.seasonalNaive![0]));
    const html = evaluationReportHtml(result, { title: 'r', nonce: 'n', cspSource: 'c', locationHref: () => undefined });
    assert.match(html, /<polyline class="seasonal" points="[^"]+"/);
    assert.match(html, /seasonal naive \(one season back\)/);
    assert.match(html, /Against the seasonal naive forecast \(the value one season back\): RMSE/);
    delete result.metrics.seasonalNaiveRmse;
    const { actual, seasonalNaive } = result.predictions!;
    const byHand = Math.sqrt(actual.slice(1).reduce((s, a, i) => s + (a - seasonalNaive![i + 1]) ** 2, 0) / (actual.length - 1));
    assert.ok(Math.abs(seasonalNaiveRmse(result)! - byHand) < 1e-9);
  });
});
