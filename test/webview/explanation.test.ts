/**
 * The Explain Prediction view (src/extension/results/explanationReport.ts) in headless Chromium, in
 * the four themes: tokens shaded by attribution with the prediction and its alternatives, and a
 * forecast's steps × columns; every text reaches 4.5:1, and a screenshot of each is kept.
 */
import assert from 'node:assert/strict';
import { explanationReportHtml, type ExplanationResult } from '../../src/extension/results/explanationReport';
import { textContrasts, type ContrastFinding } from './contrast';
import { WebviewHarness } from './harness';
import { THEME_NAMES } from './themes';

const MIN_RATIO = 4.5;

const CLASSIFIER: ExplanationResult = {
  kind: 'explanation', target: 'yes', prediction: 'yes', method: 'ig',
  tokens: [...'the cat sat on x mat'], attributions: [...'the cat sat on x mat'].map((c, i) => (c === 'x' ? 2.4 : Math.sin(i) * 0.3)),
  shape: [20], completenessError: 0.0004, output: 3.1, baselineOutput: 0.2, alternatives: [{ label: 'yes', probability: 0.93 }, { label: 'no', probability: 0.07 }],
};

const T = 12;
const FORECAST: ExplanationResult = {
  kind: 'explanation', target: 'sales', prediction: 1234.5, method: 'ig', attributions: Array.from({ length: T * 3 }, (_, i) => Math.cos(i) * (i / 3)),
  shape: [T, 3], columns: ['sales', 'visits', 'price'], completenessError: 0.01, output: 1234.5, baselineOutput: 1100,
};

function failures(findings: ContrastFinding[]): string {
  return findings.filter((f) => f.ratio < MIN_RATIO).map((f) => `${f.ratio}:1 "${f.text}" ${f.where} (${f.color} on ${f.background})`).join('\n');
}

describe('Explain Prediction view', function () {
  const harness = new WebviewHarness();
  before(async () => harness.start());
  after(async () => harness.stop());

  for (const theme of THEME_NAMES) {
    it(`tokens shaded by attribution, the prediction and its alternatives, in ${theme}; text ≥ 4.5:1`, async () => {
      const view = await harness.openHtml(explanationReportHtml(CLASSIFIER, { title: 'marker-gru', cspSource: 'http://127.0.0.1', nonce: 'n0nce' }), theme);
      assert.equal(await view.count('.tokens .token'), 20);
      assert.equal(await view.count('.tokens .token.pos-5'), 1, 'only the marker has the strongest shade');
      assert.match(await view.page.locator('.tokens .token.pos-5').innerText(), /^x/);
      assert.equal(await view.count('table.alternatives tr.explained'), 1);
      const findings = await textContrasts(view);
      await view.screenshot(`explanation-tokens-${theme}`);
      await view.close();
      assert.ok(findings.length > 40, `texts measured: ${findings.length}`);
      assert.equal(failures(findings), '', 'texts below 4.5:1');
    });

    it(`a forecast: a bar per step and the steps × columns grid, in ${theme}; text ≥ 4.5:1`, async () => {
      const view = await harness.openHtml(explanationReportHtml(FORECAST, { title: 'sales-lstm', cspSource: 'http://127.0.0.1', nonce: 'n0nce' }), theme);
      assert.equal(await view.count('svg rect.bar-pos, svg rect.bar-neg'), T);
      assert.equal(await view.count('table.grid tbody tr'), T);
      assert.equal(await view.count('table.grid thead th'), 4);
      const findings = await textContrasts(view);
      await view.screenshot(`explanation-forecast-${theme}`);
      await view.close();
      assert.equal(failures(findings), '', 'texts below 4.5:1');
    });
  }

  it('no console errors (CSP violations included)', () => {
    assert.deepEqual(harness.consoleProblems, []);
  });
});
