import { strict as assert } from 'node:assert';
import { asEvaluationResult } from '../../../src/extension/inspector/evaluationResult';
import { evaluationReportHtml } from '../../../src/extension/results/evaluationReport';
import { asExplanationResult, explanationReportHtml } from '../../../src/extension/results/explanationReport';

const options = { title: 'run-1', cspSource: 'vscode-resource:', nonce: 'n0nce' };
const line = { kind: 'explanation', target: '<b>', prediction: '<b>', method: 'ig', tokens: ['<', 'x', ' '], attributions: [0.1, -2, 0],
  shape: [3], completenessError: 0.001, output: 1, baselineOutput: -0.5, alternatives: [{ label: '<b>', probability: 0.8 }, { label: 'c', probability: 0.2 }] };

describe('explanation view', () => {
  it('accepts the CLI line and refuses malformed ones', () => {
    assert.ok(asExplanationResult(line));
    assert.equal(asExplanationResult({ ...line, kind: 'class' }), undefined);
    assert.equal(asExplanationResult({ ...line, attributions: ['1'] }), undefined);
    assert.equal(asExplanationResult({ ...line, tokens: ['a'] }), undefined, 'a token per attribution');
    assert.equal(asExplanationResult({ ...line, method: 'shap' }), undefined);
  });

  it('shades each token by its attribution (strongest: the largest magnitude), escapes text, runs no script', () => {
    const html = explanationReportHtml(asExplanationResult(line)!, options);
    assert.match(html, /<span class="token pos-0" [^>]*>&lt;<span class="value">0\.1<\/span>/);
    assert.match(html, /<span class="token neg-5" [^>]*>x<span class="value">-2<\/span>/);
    assert.match(html, /<span class="token pos-0" [^>]*>␣/);
    assert.match(html, /<tr class="explained"><th scope="row">&lt;b&gt;<\/th><td>80\.0%<\/td>/);
    assert.match(html, /f\(x\) − f\(0\) = 1\.5 within 0\.001 \(0\.07%\)/);
    assert.doesNotMatch(html, /<script|<b>/);
    assert.match(html, /default-src 'none'; style-src 'nonce-n0nce'/);
  });

  it('seq2seq: the source is shaded and the generated token explained is marked', () => {
    const html = explanationReportHtml(asExplanationResult({ ...line, target: 'k', prediction: 'k', generated: ['h', 'k', 'a'], step: 1 })!, options);
    assert.match(html, /<h2>Source, shaded by attribution<\/h2>/);
    assert.match(html, /Generated: h <strong>k<\/strong> a<\/p>/);
    const eos = explanationReportHtml(asExplanationResult({ ...line, target: '<eos>', prediction: '<eos>', generated: ['h'], step: 1 })!, options);
    assert.match(eos, /Generated: h <strong>&lt;eos&gt;<\/strong><\/p>/);
  });

  it('draws a forecast as a bar per step and a steps × columns grid', () => {
    const html = explanationReportHtml(asExplanationResult({ kind: 'explanation', target: 'a', prediction: 3.5, method: 'gradxinput',
      attributions: [1, -1, 2, 0.5], shape: [2, 2], columns: ['a', 'b'], completenessError: 0.3 })!, options);
    assert.equal(html.match(/<rect class="bar-(pos|neg)"/g)?.length, 2);
    assert.match(html, /<thead><tr><th scope="col">step<\/th><th scope="col">a<\/th><th scope="col">b<\/th>/);
    assert.match(html, /<tr><th scope="row">1<\/th><td class="pos-5">2<\/td><td class="pos-1">0\.5<\/td><\/tr>/);
  });

  it('the results view links each worst example to Explain Prediction when given an href', () => {
    const result = asEvaluationResult({ event: 'done', run: 'r', split: 'test', best: { epoch: 1 }, metrics: { loss: 1 },
      worst: [{ file: '/w/x.jsonl', line: 7, input: 'ab', target: 'a', predicted: 'b', loss: 2 }, { file: '/w/s.csv', line: 3, input: '1', target: '1', predicted: '2', loss: 1 }] })!;
    const base = { ...options, locationHref: (file: string, n: number) => `command:open?${file}:${n}` };
    const html = evaluationReportHtml(result, { ...base, explainHref: (file: string, n: number) => (file.endsWith('.jsonl') ? `command:explain?${file}:${n}` : undefined) });
    assert.equal(html.match(/class="explain"/g)?.length, 1);
    assert.match(html, /x\.jsonl:7<\/a> <a class="explain" href="command:explain\?\/w\/x\.jsonl:7"[^>]*>explain<\/a>/);
    assert.doesNotMatch(evaluationReportHtml(result, base), /class="explain"/);
  });
});
