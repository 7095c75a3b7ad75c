import assert from 'node:assert/strict';
import type { HostToWebview, TrainingEvent } from '../../src/protocol/hostWebview';
import { syntheticRun } from './fixtures';
import { buildBundle, WebviewHarness, type WebviewPage } from './harness';
import { THEME_NAMES } from './themes';

const seriesCounts = async (view: WebviewPage, chart: number): Promise<Record<string, number>> => {
  const text = await view.page.locator('.chart').nth(chart).getAttribute('data-series');
  return Object.fromEntries((text ?? '').split(';').filter(Boolean).map((p) => { const i = p.lastIndexOf(':'); return [p.slice(0, i), Number(p.slice(i + 1))]; }));
};

const batchOf = (events: TrainingEvent[]): HostToWebview => ({ type: 'batch', messages: events.map((event) => ({ type: 'trainingEvent' as const, event })) });

/**
 * Posts epochs first..last of a long synthetic run from inside the page (plain JS source, so that
 * the test's TypeScript transform adds nothing to it): progress every batch, gradients every 5th,
 * metrics and a sample per epoch.
 */
const IN_PAGE_EPOCHS = `function (first, last) {
  let seed = 12345 + first;
  const batches = 2000;
  for (let epoch = first; epoch <= last; epoch++) {
    const messages = [];
    for (let batch = 1; batch <= batches; batch++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = seed / 4294967296;
      const x = epoch - 1 + batch / batches;
      messages.push({ type: 'trainingEvent', event: { event: 'progress', epoch, epochs: 30, batch, batches,
        loss: 0.4 + 2.1 * Math.exp(-x / 3) + 0.15 * (noise - 0.5), tokensPerSecond: 21000, etaMs: 1000, learningRate: 0.002 } });
      if (batch % 5 === 0) {
        const hiddenGradNorms = [0, 1].map((k) => Array.from({ length: 40 }, (_, t) => (k + 1) * 0.05 * Math.pow(0.9, 39 - t)));
        messages.push({ type: 'trainingEvent', event: { event: 'gradients', epoch, batch, hiddenGradNorms, gradNorm: 3 + noise, clipNorm: 5,
          paramGradNorms: { 'rnn.weight_ih_l0': 1 + noise, 'rnn.weight_hh_l0': noise, 'head.weight': 2 * noise } } });
      }
    }
    messages.push({ type: 'trainingEvent', event: { event: 'metrics', epoch, split: 'train', metrics: { loss: 1 / epoch, accuracy: 1 - 1 / (epoch + 1) } } });
    messages.push({ type: 'trainingEvent', event: { event: 'sample', epoch, temperature: 0.8, text: 'epoch ' + epoch + ': sample text' } });
    window.postMessage({ type: 'batch', messages }, '*');
  }
}`;

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

    // Controls post typed messages.
    await view.page.click('vscode-button[data-control="pause"]');
    await view.page.click('vscode-button[data-control="stop"]');
    await view.send({ type: 'confusionMatrix', labels: ['noun', 'verb', 'adj'], counts: [[50, 3, 2], [4, 40, 1], [6, 2, 30]], split: 'validation' });
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
    // The compared run's latest gradient flow is drawn as its own strip under this run's.
    assert.equal(await view.count('.compare-strips canvas.heatmap.compared'), 1);
    assert.match(await view.page.locator('.compare-strips h3').innerText(), /^demo-gru · epoch 6, batch 10$/);

    for (const theme of THEME_NAMES) {
      await view.setTheme(theme);
      await view.page.waitForTimeout(250);
      await view.screenshot(`dashboard-live-${theme}`);
    }
    await view.close();
  });

  it('keeps buffers bounded and retains no memory over a long run (72,000 events)', async () => {
    const view = await harness.open('dark');
    await view.send({ type: 'dashboard', restoreUri: 'file:///ws/.rnnlab/runs/r', run: { id: 'long', label: 'long run', status: 'running', live: true }, events: [], otherRuns: [] });
    // The events are made inside the page: large strings handed to page.evaluate stay referenced by
    // the DevTools session, which would hide the page's own memory behaviour.
    const sendEpochs = (from: number, to: number) => view.page.evaluate(`(${IN_PAGE_EPOCHS})(${from}, ${to})`);
    const heap = () => view.page.evaluate(() => {
      (globalThis as unknown as { gc?: () => void }).gc?.(); // chromium runs with --expose-gc
      return (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
    });
    // Each epoch is 2,000 progress events, 400 gradients, one metrics and one sample.
    await sendEpochs(1, 10);
    await view.waitForRendered(10 * 2402);
    const heapAfterFirstThird = await heap();
    await sendEpochs(11, 30);
    await view.waitForRendered(30 * 2402);
    const loss = await seriesCounts(view, 0);
    assert.ok(loss['train (batches)'] <= 1000 && loss['train (batches)'] >= 500, `batch-loss points: ${loss['train (batches)']}`);
    assert.equal(loss.train, 30);
    assert.ok((await seriesCounts(view, 2)).total <= 600);
    const heapAtEnd = await heap();
    console.log(`      72,000 events; batch-loss points ${loss['train (batches)']}; JS heap after gc ${(heapAfterFirstThird / 1e6).toFixed(1)} MB at 1/3, ${(heapAtEnd / 1e6).toFixed(1)} MB at the end`);
    assert.ok(heapAfterFirstThird > 0 && heapAtEnd < heapAfterFirstThird * 1.25 + 1e6, `retained heap grew from ${heapAfterFirstThird} to ${heapAtEnd} bytes`);
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

  it('draws without CSP violations or console errors', async () => {
    // Self-contained: it draws a whole dashboard itself, so it means the same when run alone.
    const first = harness.consoleProblems.length;
    const view = await harness.open('dark');
    const run = syntheticRun(3, 20);
    await view.send({ type: 'dashboard', restoreUri: 'file:///ws/.rnnlab/runs/r', run: { id: 'csp', label: 'csp check', task: 'many-to-one', status: 'running', live: true },
      events: run, otherRuns: [] });
    await view.waitForRendered(run.length);
    await view.send({ type: 'confusionMatrix', labels: ['a', 'b'], counts: [[5, 1], [2, 7]], split: 'validation' });
    await view.send({ type: 'hiddenState', requestId: 1, answer: { steps: ['x', 'y'], layers: [{ label: 'layer 1', width: 2, values: [0.1, -0.2, 0.3, 0.4] }] } });
    await view.page.waitForSelector('canvas.hidden-state');
    assert.equal(await view.count('.u-over'), 3, 'the charts were drawn');
    assert.equal(await view.count('table.confusion tbody td'), 4, 'the confusion matrix was drawn');
    assert.ok(Number(await view.page.evaluate(() => document.styleSheets.length)) >= 1, 'the stylesheet was applied');
    await view.close();
    assert.deepEqual(harness.consoleProblems.slice(first), [], 'this page logged no CSP violation, error or warning');
    assert.deepEqual(harness.consoleProblems, [], 'nor did any page of this file');
  });
});
