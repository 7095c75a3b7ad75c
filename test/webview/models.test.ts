import assert from 'node:assert/strict';
import { buildDiagramModel } from '../../src/extension/panels/diagramModel';
import { formatParamCount, isHostToWebview, isWebviewToHost } from '../../src/protocol/hostWebview';
import { DecimatingSeries } from '../../webview/dashboard/decimatingSeries';
import { parameterGroup } from '../../webview/dashboard/runHistory';
import { architectureMessage, TASK_CASES } from './fixtures';

describe('webview models (plain Node)', () => {
  it('DecimatingSeries stays bounded and keeps a linear curve on the line', () => {
    const series = new DecimatingSeries(100);
    for (let i = 0; i < 100_000; i++) series.push(i, 2 * i + 1);
    const { xs, ys } = series.snapshot();
    assert.ok(xs.length <= 101 && xs.length >= 50, `${xs.length} points`);
    for (let i = 0; i < xs.length; i++) assert.ok(Math.abs(ys[i] - (2 * xs[i] + 1)) < 1e-6);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i] > xs[i - 1]);
  });

  it('parameter counts follow the engine shapes, with unknown sizes symbolic', () => {
    const model = buildDiagramModel({ task: 'many-to-one', data: { train: 'd.jsonl' }, model: { cell: 'rnn', hiddenSize: 10, embeddingSize: 4 } }, 'tiny');
    // embedding V×4, rnn 10×4 + 10×10 + 10 + 10, head C×10 + C
    assert.equal(formatParamCount(model.totalParams), '160 + 4·V + 11·C');
    const known = buildDiagramModel({ task: 'many-to-one', data: { train: 'd.jsonl' }, model: { cell: 'rnn', hiddenSize: 10, embeddingSize: 4 } }, 'tiny',
      { inputVocab: 50, outputSize: 3 });
    assert.deepEqual(known.totalParams, { constant: 160 + 200 + 33, terms: {} });
  });

  it('guards accept the fixtures and reject malformed messages', () => {
    for (const c of TASK_CASES) assert.ok(isHostToWebview(architectureMessage(c)));
    assert.ok(!isHostToWebview({ type: 'architecture', restoreUri: 'x', specName: 's', issues: [], diagram: { name: 'x' } }));
    assert.ok(!isHostToWebview({ type: 'trainingEvent', event: { event: 'progress', loss: 'NaN' } }));
    assert.ok(!isHostToWebview({ type: 'confusionMatrix', labels: ['a', 'b'], counts: [[1, 2]] }));
    assert.ok(isWebviewToHost({ type: 'control', action: 'pause' }));
    assert.ok(!isWebviewToHost({ type: 'control', action: 'explode' }));
    assert.ok(!isWebviewToHost({ type: 'sampleRequest', requestId: 1, temperature: -1 }));
  });

  it('groups parameters by layer for the gradient-norm curves', () => {
    assert.equal(parameterGroup('rnn.weight_hh_l0_reverse'), 'layer 1');
    assert.equal(parameterGroup('decoder.rnn.bias_ih_l1'), 'decoder layer 2');
    assert.equal(parameterGroup('head.weight'), 'head');
  });
});
