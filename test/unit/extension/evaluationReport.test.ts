import { strict as assert } from 'node:assert';
import { asEvaluationResult } from '../../../src/extension/inspector/evaluationResult';
import { evaluationReportHtml, naiveComparison } from '../../../src/extension/results/evaluationReport';

const options = { title: 'run-1', cspSource: 'vscode-resource:', nonce: 'n0nce', locationHref: (file: string, line: number) => `command:open?${file}:${line}` };
const series = (actual: number[], predicted: number[], naive: number[]) =>
  asEvaluationResult({ event: 'done', run: 'r', split: 'test', best: { epoch: 3 }, metrics: { loss: 0.5 }, predictions: { actual, predicted, naive } })!;

describe('evaluation results view', () => {
  it('says plainly when a time-series model loses to the naive forecast', () => {
    const losing = series([1, 2, 3, 4], [4, 1, 5, 0], [0, 1, 2, 3]);
    assert.deepEqual(naiveComparison(losing), { model: Math.sqrt((9 + 1 + 4 + 16) / 4), naive: 1 });
    const html = evaluationReportHtml(losing, options);
    assert.match(html, /The model loses to the naive forecast/);
    assert.match(html, /<polyline class="predicted" points="([\d.]+,[\d.]+ ){3}[\d.]+,[\d.]+"\/>/);
  });

  it('says by how much a model beats the naive forecast, using the reported RMSEs when present', () => {
    const winning = { ...series([1, 2], [1, 2], [0, 1]), metrics: { loss: 0.1, rmse: 2, naiveRmse: 8 } };
    const html = evaluationReportHtml(winning, options);
    assert.match(html, /The model beats the naive forecast .*RMSE 2 against 8, 75\.0% lower/);
    assert.doesNotMatch(html, /loses/);
  });

  it('draws the confusion matrix with recall per row, precision per column, and escapes labels and inputs', () => {
    const result = asEvaluationResult({
      event: 'done', run: 'r', split: 'validation', best: { epoch: 1 }, metrics: { loss: 1, accuracy: 0.75 },
      confusionMatrix: { labels: ['<a>', 'b'], matrix: [[3, 1], [0, 4]] },
      perClass: [{ label: '<a>', precision: 1, recall: 0.75, f1: 0.857, support: 4 }, { label: 'b', precision: 0.8, recall: 1, f1: 0.889, support: 4 }],
      worst: [{ file: '/w/data/x.jsonl', line: 7, input: '<script>', target: '<a>', predicted: 'b', probability: 0.9, loss: 2.3 }],
    })!;
    const html = evaluationReportHtml(result, options);
    assert.match(html, /75\.0%/);
    assert.match(html, /<th scope="row">&lt;a&gt;<\/th><td class="heat-5 diagonal">3<\/td><td class="heat-2">1<\/td><td class="score">75\.0%<\/td>/);
    assert.match(html, /<th scope="row">precision<\/th><td class="score">100\.0%<\/td><td class="score">80\.0%<\/td>/);
    assert.match(html, /<a href="command:open\?\/w\/data\/x\.jsonl:7"[^>]*>x\.jsonl:7<\/a>/);
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /default-src 'none'; style-src 'nonce-n0nce'/);
  });

  it('drops optional parts whose shape is wrong instead of drawing them', () => {
    const result = asEvaluationResult({ event: 'done', run: 'r', split: 'test', best: { epoch: 1 }, metrics: { loss: 1 },
      confusionMatrix: { labels: ['a', 'b'], matrix: [[1]] }, predictions: { actual: [1, 2], predicted: [1] } })!;
    assert.equal(result.confusionMatrix, undefined);
    assert.equal(result.predictions, undefined);
    assert.equal(asEvaluationResult({ event: 'error', message: 'x' }), undefined);
  });
});
