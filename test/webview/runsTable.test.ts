/**
 * The runs table and a sweep's parallel coordinates in headless Chromium: screenshots in the four
 * themes, every DOM and SVG text at ≥ 4.5:1 (contrast.ts), sorting, the best value marked, and a
 * double-click posting `openRun`.
 */
import assert from 'node:assert/strict';
import type { RunsTableMessage } from '../../src/protocol/runsTable';
import { runsTableMessage, type TableRun } from '../../src/extension/panels/runsTableModel';
import { textContrasts } from './contrast';
import { buildBundle, WebviewHarness } from './harness';
import { THEME_NAMES } from './themes';

/** Six trials of a sweep over hidden size and learning rate (log-uniform), one failed. */
function sweepTable(): RunsTableMessage {
  const lrs = [0.0003, 0.001, 0.004, 0.0002, 0.008, 0.002];
  const runs: TableRun[] = lrs.map((lr, i) => {
    const hiddenSize = [32, 64, 128][i % 3];
    const failed = i === 4;
    const loss = failed ? undefined : 1.2 - Math.log10(lr) * 0.1 - hiddenSize / 400;
    return {
      runUri: `file:///ws/.rnnlab/runs/20260101-12000${i}-lm-trial${i + 1}`, id: `20260101-12000${i}-lm-trial${i + 1}`,
      summary: {
        status: failed ? 'diverged' : i === 5 ? 'stopped' : 'completed', backend: 'wasm-simd', threads: 1, elapsedMs: 20000 + i * 7000, split: 'validation',
        best: loss === undefined ? null : { epoch: 3, metrics: { loss } }, metrics: loss === undefined ? null : { loss: loss + 0.01 },
        sweep: { id: 'sw', trial: i + 1, parameters: { 'model.hiddenSize': hiddenSize, 'training.optimizer.learningRate': lr } },
      },
      spec: { name: 'lm', model: { cell: 'gru', hiddenSize }, training: { optimizer: { learningRate: lr }, epochs: i === 2 ? 10 : 5 } },
    };
  });
  return runsTableMessage(runs, 'Sweep 20260101-120000-lm-sweep', { id: 'sw', monitor: 'validation loss' });
}

describe('runs table', function () {
  const harness = new WebviewHarness();
  before(async function () {
    buildBundle();
    await harness.start();
  });
  after(async () => harness.stop());

  it('has a column per differing spec value and parameter, never one for a value all runs share', () => {
    const labels = sweepTable().columns.map((c) => c.label);
    assert.deepEqual(labels, ['status', 'best validation loss', 'validation loss', 'model.hiddenSize', 'training.optimizer.learningRate', 'training.epochs', 'backend', 'threads', 'time']);
  });

  for (const theme of THEME_NAMES) {
    it(`draws the table and parallel coordinates, every text ≥ 4.5:1, in ${theme}`, async () => {
      const view = await harness.open(theme, 1100);
      await view.page.setViewportSize({ width: 1500, height: 1200 });
      await view.send(sweepTable());
      await view.page.waitForSelector('table.runs-table tbody tr');
      assert.equal(await view.count('table.runs-table tbody tr'), 6);
      assert.equal(await view.count('svg.parallel-coordinates .pc-line'), 6);
      assert.equal(await view.count('svg.parallel-coordinates .pc-line.best'), 1);
      assert.equal(await view.count('svg.parallel-coordinates .pc-axis'), 3, 'two parameters and the metric');
      await view.page.hover('table.runs-table tbody tr:nth-child(2)');
      const findings = await textContrasts(view);
      await view.screenshot(`runs-table-${theme}`);
      await view.page.locator('svg.parallel-coordinates').screenshot({ path: `test-results/webview/parallel-coordinates-${theme}.png` });
      await view.close();
      assert.ok(findings.length > 60, `texts measured: ${findings.length}`);
      const low = findings.filter((f) => f.ratio < 4.5).map((f) => `${f.ratio}:1 "${f.text}" ${f.where} (${f.color} on ${f.background})`);
      assert.deepEqual(low, [], 'texts below 4.5:1');
    });
  }

  it('sorts by the metric (best first), re-sorts on a header click, marks the best value, and a double-click posts openRun', async () => {
    const view = await harness.open('dark');
    await view.send(sweepTable());
    await view.page.waitForSelector('table.runs-table tbody tr');
    const column = async (n: number) => view.page.locator(`table.runs-table tbody tr td:nth-of-type(${n})`).allTextContents();
    const losses = (await column(2)).map((t) => t.replace(' (best)', ''));
    assert.equal(losses.at(-1), '—', 'the diverged run, without a metric, sorts last');
    const numbers = losses.slice(0, -1).map(Number);
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), 'lowest loss first');
    assert.match((await column(2))[0], /\(best\)/);
    assert.equal(await view.count('td.kind-metric.best'), 2, 'best and final loss columns each mark one value');
    assert.equal(await view.count('td.kind-time.best'), 1);
    await view.page.click('button.sort[data-key="time"]');
    assert.equal((await column(9))[0], '20 s (best)', 'shortest first after sorting by time, marked best');
    await view.page.click('button.sort[data-key="time"]');
    assert.equal((await column(9))[0], '55s', 'a second click reverses');
    await view.page.dblclick('table.runs-table tbody tr:nth-child(1)');
    const posted = await view.posted();
    assert.deepEqual(posted.at(-1), { type: 'openRun', runUri: 'file:///ws/.rnnlab/runs/20260101-120005-lm-trial6' });
    await view.close();
  });
});
