/**
 * Every DOM and SVG text of the architecture diagrams and the dashboard reaches WCAG AA (4.5:1) in
 * the four themes, measured from the rendered colours (see contrast.ts). Canvas text (uPlot axes)
 * is checked from its pixels: the axis labels are drawn in the theme's foreground colour, and that
 * colour reaches 4.5:1 against the editor background.
 */
import assert from 'node:assert/strict';
import { architectureMessage, STACK_CASES, syntheticRun, TASK_CASES } from './fixtures';
import { buildBundle, WebviewHarness, type WebviewPage } from './harness';
import { contrastRatio, foregroundPixelsLeftOfPlot, textContrasts, type ContrastFinding } from './contrast';
import { THEME_NAMES, THEMES } from './themes';

const MIN_RATIO = 4.5;

function failures(findings: ContrastFinding[]): string {
  const low = findings.filter((f) => f.ratio < MIN_RATIO);
  const seen = new Set<string>();
  return low.filter((f) => !seen.has(f.where + f.color + f.background) && seen.add(f.where + f.color + f.background))
    .map((f) => `${f.ratio}:1 "${f.text}" ${f.where} (${f.color} on ${f.background})`).join('\n');
}

describe('text contrast ≥ 4.5:1 in every theme', function () {
  const harness = new WebviewHarness();
  before(async function () {
    buildBundle();
    await harness.start();
  });
  after(async () => harness.stop());

  for (const theme of THEME_NAMES) {
    it(`architecture diagrams, a layer selected, in ${theme}`, async () => {
      const view = await harness.open(theme);
      const findings: ContrastFinding[] = [];
      for (const name of ['many-to-many', 'seq2seq', 'seq2seq-attention', 'bidirectional-stack', 'deep-dense', 'one-to-many']) {
        await view.send(architectureMessage([...TASK_CASES, ...STACK_CASES].find((c) => c.name === name)!));
        await view.page.waitForSelector('svg.unrolled');
        // Hover and click select a block (the equations follow it).
        await view.page.click('svg.folded .block.layer');
        findings.push(...await textContrasts(view));
        if (name === 'many-to-many') await view.screenshot(`contrast-architecture-${theme}`);
      }
      await view.close();
      assert.ok(findings.length > 200, `texts measured: ${findings.length}`);
      assert.ok(findings.some((f) => f.where.includes('block.layer.selected')), 'the selected layer box was measured');
      assert.equal(failures(findings), '', 'texts below 4.5:1');
    });

    it(`dashboard, with samples, confusion matrix and hidden state, in ${theme}`, async () => {
      const view = await harness.open(theme);
      const run = syntheticRun(4, 20);
      await view.send({ type: 'dashboard', restoreUri: 'file:///ws/.rnnlab/runs/r', run: { id: 'r1', label: 'demo-lstm', task: 'many-to-many', status: 'running', live: true },
        events: run, otherRuns: [{ id: 'r0', label: 'demo-gru' }] });
      await view.waitForRendered(run.length);
      await view.send({ type: 'confusionMatrix', labels: ['noun', 'verb', 'adj'], counts: [[50, 3, 2], [4, 40, 1], [6, 2, 30]], split: 'validation' });
      await view.send({ type: 'hiddenState', requestId: 1, answer: {
        steps: [...'hello'], layers: [{ label: 'layer 1', width: 16, values: Array.from({ length: 16 * 5 }, (_, i) => Math.sin(i)) }],
        nextToken: [{ token: ' ', probability: 0.41 }, { token: 'w', probability: 0.22 }] } });
      await view.page.waitForSelector('table.confusion');
      await view.page.waitForTimeout(200);
      const findings = await textContrasts(view);
      await view.screenshot(`contrast-dashboard-${theme}`);

      // Canvas text: uPlot draws axis labels in the theme's foreground; count pixels of that colour left of
      // the plot area (y tick labels and axis title; no series line is drawn there).
      const foreground = THEMES[theme].vars.foreground;
      const axisPixels = await foregroundPixelsLeftOfPlot(view, foreground);
      await view.close();
      assert.ok(findings.length > 30, `texts measured: ${findings.length}`);
      assert.equal(failures(findings), '', 'texts below 4.5:1');
      assert.ok(axisPixels > 20, `the axis labels are drawn in the foreground ${foreground} (${axisPixels} pixels)`);
      assert.ok(contrastRatio(foreground, THEMES[theme].vars['editor-background']) >= MIN_RATIO, 'the foreground reaches 4.5:1 on the editor background');
    });
  }
});
