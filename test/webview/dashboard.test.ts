import assert from 'node:assert/strict';
import type { HostToWebview, TrainingEvent } from '../../src/protocol/hostWebview';
import { syntheticRun } from './fixtures';
import { buildBundle, WebviewHarness, type WebviewPage } from './harness';

const seriesCounts = async (view: WebviewPage, chart: number): Promise<Record<string, number>> => {
  const text = await view.page.locator('.chart').nth(chart).getAttribute('data-series');
  return Object.fromEntries((text ?? '').split(';').filter(Boolean).map((p) => { const i = p.lastIndexOf(':'); return [p.slice(0, i), Number(p.slice(i + 1))]; }));
};

const batchOf = (events: TrainingEvent[]): HostToWebview => ({ type: 'batch', messages: events.map((event) => ({ type: 'trainingEvent' as const, event })) });

describe('training dashboard in chromium', function () {
  const harness = new WebviewHarness();
  before(async function () {
    buildBundle();
    await harness.start();
  });
  after(async () => harness.stop());

  it('replays the snapshot, then follows live batches at 10 a second', async () => {
    const view = await harness.open('dark');
    const run = syntheticRun(6, 40);
    const cut = run.findIndex((e) => e.event === 'metrics' && e.epoch === 3) + 2;
    await view.send({ type: 'dashboard', restoreUri: 'file:///ws/.rnnlab/runs/r', run: { id: 'r1', label: 'demo-lstm · 2025-01-01 12:00', task: 'many-to-many', status: 'running', live: true },
      events: run.slice(0, cut), otherRuns: [{ id: 'r0', label: 'demo-gru' }] });
    await view.waitForRendered(cut);
    // The rest arrives live, 20 messages per batch, one batch every 100 ms.
    for (let i = cut; i < run.length; i += 20) {
      await view.send(batchOf(run.slice(i, i + 20)));
      await view.page.waitForTimeout(100);
    }
    await view.waitForRendered(run.length);
    const loss = await seriesCounts(view, 0);
    assert.deepEqual(loss, { 'train (batches)': 6 * 40, train: 6, validation: 6 });
    const metrics = await seriesCounts(view, 1);
    assert.deepEqual(metrics, { 'accuracy (train)': 6, 'accuracy (validation)': 6 });
    const grads = await seriesCounts(view, 2);
    assert.equal(grads.total, 6 * 8);
    assert.equal(grads['layer 1'], 6 * 8);
    assert.equal(grads['clip 5'], 2);
    assert.equal(await view.page.locator('canvas.heatmap').first().getAttribute('data-rows'), '2');
    assert.equal(await view.page.locator('canvas.heatmap').first().getAttribute('data-cols'), '40');
    assert.equal(await view.count('.sample.epoch'), 6);
    assert.match(await view.page.locator('.facts').innerText(), /6 \/ 6/);
    assert.equal(await view.count('.u-over'), 3, 'three uPlot charts drawn');

    // Controls post typed messages; the test-only click reaches the same control.
    await view.page.click('vscode-button[data-control="pause"]');
    await view.send({ type: 'testClick', control: 'stop' });
    await view.send({ type: 'confusionMatrix', labels: ['noun', 'verb', 'adj'], counts: [[50, 3, 2], [4, 40, 1], [6, 2, 30]] });
    await view.send({ type: 'hiddenState', requestId: 1, answer: {
      steps: [...'hello'], layers: [{ label: 'layer 1', width: 16, values: Array.from({ length: 16 * 5 }, (_, i) => Math.sin(i)) }],
      nextToken: [{ token: ' ', probability: 0.41 }, { token: 'w', probability: 0.22 }, { token: '!', probability: 0.08 }] } });
    await view.page.click('vscode-checkbox[data-run-id="r0"]');
    await view.send({ type: 'compareRuns', runs: [{ id: 'r0', label: 'demo-gru', events: syntheticRun(6, 10, 7) }] });
    await view.page.waitForFunction(() => document.querySelector('.chart')?.getAttribute('data-series')?.includes('demo-gru'));
    const posted = await view.posted();
    assert.deepEqual(posted.filter((m) => m.type === 'control'), [{ type: 'control', action: 'pause' }, { type: 'control', action: 'stop' }]);
    assert.deepEqual(posted.filter((m) => m.type === 'compareRequest'), [{ type: 'compareRequest', runIds: ['r0'] }]);
    assert.equal(await view.count('table.confusion tbody td'), 9);
    assert.equal(await view.page.locator('canvas.hidden-state').getAttribute('data-rows'), '16');
    assert.equal(await view.count('.next-token li'), 3);
    assert.equal((await seriesCounts(view, 0))['demo-gru (validation)'], 6);

    for (const theme of ['light', 'dark', 'high-contrast'] as const) {
      await view.setTheme(theme);
      await view.page.waitForTimeout(250);
      await view.screenshot(`dashboard-live-${theme}`);
    }
    await view.close();
  });

  it('keeps buffers bounded over a long run (60,000 progress events)', async () => {
    const view = await harness.open('dark');
    await view.send({ type: 'dashboard', restoreUri: 'file:///ws/.rnnlab/runs/r', run: { id: 'long', label: 'long run', status: 'running', live: true }, events: [], otherRuns: [] });
    const run = syntheticRun(30, 2000, 3);
    const heap = () => view.page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    let heapAfterFirstThird = 0;
    for (let i = 0; i < run.length; i += 5000) {
      await view.send(batchOf(run.slice(i, i + 5000)));
      if (i <= run.length / 3 && i + 5000 > run.length / 3) heapAfterFirstThird = await heap();
    }
    await view.waitForRendered(run.length);
    const loss = await seriesCounts(view, 0);
    assert.ok(loss['train (batches)'] <= 1000 && loss['train (batches)'] >= 500, `batch-loss points: ${loss['train (batches)']}`);
    assert.equal(loss.train, 30);
    assert.ok((await seriesCounts(view, 2)).total <= 600);
    const heapAtEnd = await heap();
    console.log(`      events ${run.length}, batch-loss points ${loss['train (batches)']}, JS heap ${(heapAfterFirstThird / 1e6).toFixed(1)} MB at 1/3, ${(heapAtEnd / 1e6).toFixed(1)} MB at the end`);
    await view.close();
  });

  it('ignores malformed messages and rejects them with the guard', async () => {
    const view = await harness.open('light');
    await view.page.evaluate(() => window.postMessage({ type: 'dashboard', run: { id: 1 } }, '*'));
    await view.page.evaluate(() => window.postMessage({ type: 'trainingEvent', event: { event: 'progress', loss: 'high' } }, '*'));
    assert.match(await view.page.locator('#root').innerText(), /Loading/);
    await view.close();
    const warnings = harness.consoleProblems.filter((p) => p.includes('malformed'));
    harness.consoleProblems.splice(0, harness.consoleProblems.length, ...harness.consoleProblems.filter((p) => !p.includes('malformed')));
    assert.equal(warnings.length, 2);
  });

  it('draws without CSP violations or console errors', () => {
    assert.deepEqual(harness.consoleProblems, []);
  });
});
