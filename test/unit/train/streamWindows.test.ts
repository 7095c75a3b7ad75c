import { strict as assert } from 'node:assert';
import { stripeLayout, truncatedWindows, windowBatch } from '../../../src/train/streamWindows';

describe('stream stripes and truncated-BPTT windows', () => {
  it('cuts N tokens into B contiguous stripes of ⌊(N−1)/B⌋ steps', () => {
    assert.deepEqual(stripeLayout(101, 4), { stripes: 4, stripeLength: 25 });
    assert.deepEqual(stripeLayout(3, 8), { stripes: 2, stripeLength: 1 });
    assert.throws(() => stripeLayout(1, 4), /at least 2 tokens/);
  });

  it('k1 = k2 gives independent windows covering every step once', () => {
    const windows = truncatedWindows(10, 4, 4);
    assert.deepEqual(windows, [{ start: 0, end: 4, lossFrom: 0 }, { start: 4, end: 8, lossFrom: 0 }, { start: 8, end: 10, lossFrom: 0 }]);
  });

  it('k2 > k1 backpropagates through the last k2 steps and scores only the newest k1', () => {
    const windows = truncatedWindows(12, 3, 5);
    assert.deepEqual(windows[0], { start: 0, end: 3, lossFrom: 0 });
    assert.deepEqual(windows[1], { start: 1, end: 6, lossFrom: 2 });
    assert.deepEqual(windows[3], { start: 7, end: 12, lossFrom: 2 });
    for (const w of windows) assert.ok(w.end - w.start <= 5 && w.end - (w.start + w.lossFrom) <= 3);
    const scored = windows.flatMap((w) => Array.from({ length: w.end - w.start - w.lossFrom }, (_, i) => w.start + w.lossFrom + i));
    assert.deepEqual(scored, Array.from({ length: 12 }, (_, i) => i));
    assert.throws(() => truncatedWindows(12, 5, 3), /backpropSteps/);
  });

  it('a window batch is time-major with next-token targets from each stripe', () => {
    const stream = Int32Array.from({ length: 21 }, (_, i) => i);
    const layout = stripeLayout(stream.length, 2);
    const batch = windowBatch(stream, layout, { start: 3, end: 6, lossFrom: 1 });
    assert.equal(batch.steps, 3);
    assert.deepEqual(Array.from(batch.tokens!), [3, 13, 4, 14, 5, 15]);
    assert.deepEqual(Array.from(batch.targetTokens!), [4, 14, 5, 15, 6, 16]);
    assert.equal(batch.lossFrom, 1);
  });
});
