import assert from 'node:assert/strict';
import { buildBundle, WebviewHarness } from './harness';

const run = { id: 'r1', label: 'tiny · r1', task: 'many-to-one', status: 'finished', live: false } as const;
const start = { event: 'start', run: '/ws/r1', spec: {}, epochs: 2, batchesPerEpoch: 4, parameters: 1234, backend: 'js' } as const;

describe('dashboard state in chromium: null metrics, warnings, unknown events, confusion split', function () {
  const harness = new WebviewHarness();
  before(async function () {
    buildBundle();
    await harness.start();
  });
  after(async () => harness.stop());

  it('draws a snapshot whose summary has a metric saved as null (NaN), showing it as —', async () => {
    const view = await harness.open('dark');
    // As the host sends it after reading summary.json: JSON turned the NaN into null.
    const snapshot = JSON.parse(JSON.stringify({ type: 'dashboard', restoreUri: 'file:///ws/r1', run, otherRuns: [], events: [start,
      { event: 'metrics', epoch: 1, split: 'validation', metrics: { loss: 0.7, accuracy: NaN } },
      { event: 'done', run: '/ws/r1', metrics: { loss: NaN, accuracy: 0.5 }, split: 'test', best: { epoch: 1 } }] }));
    await view.page.evaluate((m) => window.postMessage(m, '*'), snapshot);
    await view.waitForRendered(3);
    const banner = await view.page.locator('.banner').innerText();
    assert.match(banner, /^Finished\. test metrics \(best epoch 1\): loss — · accuracy 0\.5$/);
    assert.doesNotMatch(await view.page.locator('#root').innerText(), /Loading/);
    await view.close();
  });

  it('shows warning (file:line:column) and info events; an unknown event in a batch does not sink the others', async () => {
    const view = await harness.open('light');
    await view.send({ type: 'dashboard', restoreUri: 'file:///ws/r1', run: { ...run, status: 'running', live: true }, events: [start], otherRuns: [] });
    await view.waitForRendered(1);
    await view.page.evaluate(() => window.postMessage({ type: 'batch', messages: [
      { type: 'trainingEvent', event: { event: 'info', message: 'vocabulary 12 words (minCount 2); 3.1% of validation tokens unknown' } },
      { type: 'trainingEvent', event: { event: 'aNewerKind', value: 1 } },
      { type: 'trainingEvent', event: { event: 'warning', file: 'data/test.jsonl', line: 7, column: 31, message: 'label "x" is not among the 2 training labels (counted as wrong)' } },
      { type: 'trainingEvent', event: { event: 'progress', epoch: 1, epochs: 2, batch: 3, batches: 4, loss: 0.9, tokensPerSecond: 100, etaMs: 1000, learningRate: 0.01 } },
    ] }, '*'));
    await view.waitForRendered(4);
    const notes = view.page.locator('section.notes');
    assert.equal(await notes.isVisible(), true);
    assert.equal(await view.page.locator('.notes .warnings li').innerText(), 'data/test.jsonl:7:31 label "x" is not among the 2 training labels (counted as wrong)');
    assert.match(await view.page.locator('.notes .notes-list li').innerText(), /^vocabulary 12 words/);
    assert.match(await view.page.locator('.notes h2').first().innerText(), /^Warnings \(1\)$/);
    const facts = await view.page.locator('.facts').innerText();
    assert.match(facts, /batch\s+3 \/ 4/);
    assert.match(facts, /backend\s+js/);
    await view.close();
  });

  it('the confusion matrix heading names the split it counts', async () => {
    const view = await harness.open('dark');
    await view.send({ type: 'dashboard', restoreUri: 'file:///ws/r1', run, events: [start], otherRuns: [] });
    await view.waitForRendered(1);
    await view.send({ type: 'confusionMatrix', labels: ['A', 'B'], counts: [[3, 1], [0, 4]], split: 'test' });
    assert.equal(await view.page.locator('section[aria-label="Confusion matrix"] h2').innerText(), 'Confusion matrix (test)');
    await view.send({ type: 'confusionMatrix', labels: ['A', 'B'], counts: [[3, 1], [0, 4]], split: 'validation' });
    assert.equal(await view.page.locator('section[aria-label="Confusion matrix"] h2').innerText(), 'Confusion matrix (validation)');
    await view.close();
  });

  it('draws without CSP violations or console errors', () => {
    assert.deepEqual(harness.consoleProblems, []);
  });
});
