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

  it('draws each worst example\'s attention as target × source tokens shaded by weight; a malformed alignment is dropped', () => {
    const alignment = { sourceTokens: ['c', 'a', '<t>'], tokens: ['K', '<eos>'], attention: [[1, 0, 0], [0.1, 0.2, 0.7]] };
    const result = asEvaluationResult({
      event: 'done', run: 'r', split: 'test', best: { epoch: 1 }, metrics: { loss: 1 },
      worst: [
        { file: '/w/pairs.tsv', line: 3, input: 'ca<t>', target: 'K', predicted: 'S', loss: 2, alignment },
        { file: '/w/pairs.tsv', line: 4, input: 'ab', target: 'X', predicted: 'X', loss: 1, alignment: { ...alignment, attention: [[1, 0]] } },
      ],
    })!;
    assert.equal(result.worst![1].alignment, undefined, 'rows that do not fit the tokens are dropped');
    const html = evaluationReportHtml(result, options);
    assert.match(html, /<h3>Attention of the worst examples<\/h3>/);
    assert.equal((html.match(/<table class="alignment"/g) ?? []).length, 1);
    assert.match(html, /<thead><tr><th class="corner"><\/th><th scope="col">c<\/th><th scope="col">a<\/th><th scope="col">&lt;t&gt;<\/th><\/tr><\/thead>/);
    assert.match(html, /<tr><th scope="row">K<\/th><td class="heat-7" title="1\.000"><\/td><td class="heat-0" title="0\.000"><\/td><td class="heat-0" title="0\.000"><\/td><\/tr>/);
    assert.match(html, /<tr><th scope="row">&lt;eos&gt;<\/th><td class="heat-1" title="0\.100"><\/td><td class="heat-1" title="0\.200"><\/td><td class="heat-5" title="0\.700"><\/td><\/tr>/);
    assert.doesNotMatch(evaluationReportHtml({ ...result, worst: [result.worst![1]] }, options), /Attention of the worst/);
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
  it('several targets and steps: per target a verdict and one chart per step, with its RMSE, and the RMSE table', () => {
    // 2 windows × 2 steps × targets a (errors 1 then 3, naive off by 2) and b (errors 10 then 20, naive off by 5)
    const result = asEvaluationResult({ event: 'done', run: 'r', split: 'test', best: { epoch: 1 }, metrics: { loss: 1, 'rmse.a': 2.236, 'rmse.b': 15.81, nrmse: 1 },
      predictions: { actual: [1, 100, 2, 200, 3, 300, 4, 400], predicted: [2, 110, 5, 220, 4, 310, 7, 420], naive: [3, 105, 4, 205, 5, 305, 6, 405], shape: [2, 2, 2], targets: ['a', 'b'] } })!;
    assert.deepEqual(result.predictions!.shape, [2, 2, 2]);
    const html = evaluationReportHtml(result, options);
    assert.deepEqual([...html.matchAll(/<figure class="chart small">/g)].length, 4);
    for (const caption of ['a, 1 step ahead: RMSE 1 (naive 2)', 'a, 2 steps ahead: RMSE 3 (naive 2)', 'b, 1 step ahead: RMSE 10 (naive 5)', 'b, 2 steps ahead: RMSE 20 (naive 5)']) {
      assert.ok(html.includes(`aria-label="${caption}"`), caption);
    }
    assert.match(html, /<h3>a<\/h3><p class="verdict bad"[^>]*><strong>The model loses to the naive forecast<\/strong> \(repeat the last value\): RMSE 2\.236 against 2\./);
    assert.match(html, /<h3>b<\/h3><p class="verdict bad"[^>]*>.*RMSE 15\.81 against 5\./);
    assert.match(html, /<tr><th scope="row">b<\/th><td>2<\/td><td>20<\/td><td>5<\/td><\/tr><tr><th scope="row">b<\/th><td>all<\/td><td>15\.81<\/td><td>5<\/td><\/tr>/);
    // each chart draws one value per window, of its own target and step: b at step 2 is 200 and 400
    const chart = html.slice(html.indexOf('aria-label="b, 2 steps ahead'));
    assert.match(chart, /<polyline class="actual" points="[\d.]+,[\d.]+ [\d.]+,[\d.]+"\/>/);
    assert.match(chart, /<text class="tick" x="50" y="[\d.]+" text-anchor="end">200<\/text>/, 'the y range is b\'s own');
  });

  it('many steps: eight charts spread from the first step to the last, and a note', () => {
    const k = 20;
    const values = Array.from({ length: 3 * k }, (_, i) => i);
    const result = asEvaluationResult({ event: 'done', run: 'r', split: 'test', best: { epoch: 1 }, metrics: { loss: 1, rmse: 1, naiveRmse: 2 },
      predictions: { actual: values, predicted: values, naive: values, shape: [3, k, 1] } })!;
    const html = evaluationReportHtml(result, options);
    const labels = [...html.matchAll(/aria-label="(\d+) steps? ahead/g)].map((m) => Number(m[1]));
    assert.deepEqual(labels, [1, 4, 6, 9, 12, 15, 17, 20]);
    assert.match(html, /8 of 20 steps drawn; the table below has every step/);
    assert.match(html, /The model beats the naive forecast .*RMSE 1 against 2/, 'one target keeps the reported verdict');
  });
});
