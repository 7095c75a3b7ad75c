import assert from 'node:assert/strict';
import { asTrainingEvent, isHostToWebview, parseHostToWebview, type HostToWebview } from '../../../src/protocol/hostWebview';

const run = { id: 'r1', label: 'tiny · r1', status: 'finished', live: false };
const progress = { event: 'progress', epoch: 1, epochs: 2, batch: 1, batches: 4, loss: 1.5, tokensPerSecond: 10, etaMs: 5, learningRate: 0.01 };

describe('host → webview guards', () => {
  it('a metric saved as null (NaN in JSON) keeps the snapshot, and reads back as NaN', () => {
    // summary.json / metrics.jsonl write NaN as null: one such value must not sink the whole snapshot.
    const snapshot = JSON.parse(JSON.stringify({
      type: 'dashboard', restoreUri: 'file:///r1', run, otherRuns: [],
      events: [
        { event: 'metrics', epoch: 1, split: 'validation', metrics: { loss: 0.7, macroF1: NaN } },
        { event: 'done', run: 'r1', metrics: { loss: NaN, accuracy: 0.5 }, split: 'test', best: { epoch: 1 } },
      ],
    }));
    assert.equal(snapshot.events[1].metrics.loss, null, 'the fixture really carries null');
    const parsed = parseHostToWebview(snapshot);
    assert.ok(parsed && parsed.type === 'dashboard');
    assert.equal(parsed.events.length, 2);
    const done = parsed.events[1];
    assert.ok(done.event === 'done' && Number.isNaN(done.metrics.loss) && done.metrics.accuracy === 0.5);
    const metrics = parsed.events[0];
    assert.ok(metrics.event === 'metrics' && Number.isNaN(metrics.metrics.macroF1));
    assert.ok(isHostToWebview(snapshot));
  });

  it('an unknown or malformed event drops only itself from a batch, a snapshot or a compared run', () => {
    const batch = { type: 'batch', messages: [
      { type: 'trainingEvent', event: progress },
      { type: 'trainingEvent', event: { event: 'somethingNew', detail: 1 } },
      { type: 'trainingEvent', event: { event: 'progress', loss: 'high' } },
      { type: 'trainingEvent', event: { ...progress, batch: 2 } },
    ] };
    const parsed = parseHostToWebview(batch);
    assert.ok(parsed && parsed.type === 'batch');
    assert.deepEqual(parsed.messages.map((m) => m.event.event === 'progress' && m.event.batch), [1, 2]);
    const snapshot = parseHostToWebview({ type: 'dashboard', restoreUri: 'x', run, otherRuns: [], events: [{ event: 'later' }, progress] });
    assert.ok(snapshot && snapshot.type === 'dashboard' && snapshot.events.length === 1);
    const compared = parseHostToWebview({ type: 'compareRuns', runs: [{ id: 'a', label: 'a', events: [progress, 42] }] });
    assert.ok(compared && compared.type === 'compareRuns' && compared.runs[0].events.length === 1);
    // The envelope itself must still be right.
    assert.equal(parseHostToWebview({ type: 'batch', messages: 'x' }), undefined);
    assert.equal(parseHostToWebview({ type: 'dashboard', restoreUri: 'x', run: { id: 1 }, otherRuns: [], events: [] }), undefined);
    assert.equal(parseHostToWebview({ type: 'trainingEvent', event: { event: 'somethingNew' } }), undefined);
  });

  it('accepts the warning and info events (issue 10) and checks their fields', () => {
    const warning = { event: 'warning', file: 'data/test.jsonl', line: 3, column: 12, message: 'label "x" is not among the 2 training labels (counted as wrong)' };
    assert.deepEqual(asTrainingEvent(warning), warning);
    assert.deepEqual(asTrainingEvent({ event: 'info', message: 'vocabulary 12 words' }), { event: 'info', message: 'vocabulary 12 words' });
    assert.equal(asTrainingEvent({ event: 'warning', file: 'x', message: 'no line' }), undefined);
    assert.equal(asTrainingEvent({ event: 'info' }), undefined);
  });

  it('a confusion matrix says which split it counts', () => {
    const message: HostToWebview = { type: 'confusionMatrix', labels: ['a', 'b'], counts: [[1, 0], [0, 1]], split: 'test' };
    assert.ok(isHostToWebview(message));
    assert.ok(!isHostToWebview({ ...message, split: 'train' }));
  });
});
