/**
 * `targetLevels`, the one target de-normalisation lookup of eval and predict: output i is target
 * i mod Y, in its column's units, with the series' own statistics and a differenced series' base level.
 */
import { strict as assert } from 'node:assert';
import type { Normalization } from '../../../src/data';
import { targetLevels } from '../../../src/data/seriesCodec';

describe('targetLevels (target de-normalisation)', () => {
  const twoTargets: Normalization = {
    mean: [10, 100, 1000], std: [2, 20, 200], columns: ['a', 'b', 'c'], targets: ['c', 'a'], forecastSteps: 2,
    series: { north: { mean: [0, 0, 5], std: [1, 1, 3] } },
  };

  it('cycles the outputs of a step through the targets, each in its own column\'s units', () => {
    const levels = targetLevels(twoTargets, undefined, 4);
    assert.equal(levels.targets, 2);
    // k = 2 steps × Y = 2 targets, step-major: c, a, c, a
    assert.deepEqual([0, 1, 2, 3].map((i) => levels.level(1, i, undefined)), [1200, 12, 1200, 12]);
  });

  it('uses a series\' own statistics when it has them, the pooled ones otherwise', () => {
    assert.equal(targetLevels(twoTargets, 'north', 4).level(2, 0, undefined), 2 * 3 + 5);
    assert.equal(targetLevels(twoTargets, 'south', 4).level(2, 0, undefined), 2 * 200 + 1000);
  });

  it('adds the base level to a differenced target\'s change', () => {
    const norm: Normalization = { mean: [1], std: [4], columns: ['x'], target: 'x', difference: true };
    assert.equal(targetLevels(norm, undefined, 1).level(0.5, 0, 50), 50 + 0.5 * 4 + 1);
  });

  it('leaves the values of records (no target columns) as they are, one target per output', () => {
    const levels = targetLevels({ mean: [3], std: [2] }, undefined, 3);
    assert.equal(levels.targets, 3);
    assert.equal(levels.level(0.25, 2, undefined), 0.25);
    assert.equal(targetLevels(undefined, undefined, 2).level(7, 1, undefined), 7);
  });
});
