import { strict as assert } from 'node:assert';
import { Rng } from '../../../src/engine/random';
import { draw, planSweep, type SweepSpec } from '../../../src/train/sweep/sweepPlan';
import { medianAt, stopAtMedian } from '../../../src/train/sweep/medianStopping';

describe('sweep plan', () => {
  it('a grid is the full product of the lists in key order, the last key varying fastest, an int range as its integers', () => {
    const plan = planSweep({ method: 'grid', parameters: { 'model.cell': ['rnn', 'gru'], 'model.layers': { int: [1, 3] } } }, 1);
    assert.equal(plan.combinations, 6);
    assert.deepEqual(plan.trials.map((t) => t.parameters), [
      { 'model.cell': 'rnn', 'model.layers': 1 }, { 'model.cell': 'rnn', 'model.layers': 2 }, { 'model.cell': 'rnn', 'model.layers': 3 },
      { 'model.cell': 'gru', 'model.layers': 1 }, { 'model.cell': 'gru', 'model.layers': 2 }, { 'model.cell': 'gru', 'model.layers': 3 },
    ]);
    assert.deepEqual(plan.trials.map((t) => t.trial), [1, 2, 3, 4, 5, 6]);
  });

  it('trials caps a grid at its first combinations, and grid is the default method', () => {
    const plan = planSweep({ trials: 4, parameters: { 'model.hiddenSize': [64, 128, 256], 'model.dropout': [0, 0.5] } }, 1);
    assert.equal(plan.method, 'grid');
    assert.equal(plan.combinations, 6);
    assert.deepEqual(plan.trials.map((t) => [t.parameters['model.hiddenSize'], t.parameters['model.dropout']]), [[64, 0], [64, 0.5], [128, 0], [128, 0.5]]);
  });

  const random: SweepSpec = {
    method: 'random', trials: 8,
    parameters: { 'model.hiddenSize': [64, 128, 256], 'training.optimizer.learningRate': { logUniform: [1e-4, 1e-2] }, 'model.layers': { int: [1, 3] }, 'model.dropout': { uniform: [0, 0.5] } },
  };

  it('random search draws `trials` points, the same ones from the same seed, within every range', () => {
    const a = planSweep({ ...random, seed: 7 }, 1);
    assert.equal(a.trials.length, 8);
    assert.deepEqual(planSweep({ ...random, seed: 7 }, 99).trials, a.trials, 'sweep.seed decides, not training.seed');
    assert.notDeepEqual(planSweep({ ...random, seed: 8 }, 1).trials, a.trials);
    for (const { parameters: p } of a.trials) {
      assert.ok([64, 128, 256].includes(p['model.hiddenSize'] as number));
      const lr = p['training.optimizer.learningRate'] as number;
      assert.ok(lr >= 1e-4 && lr <= 1e-2, `learning rate ${lr}`);
      assert.ok([1, 2, 3].includes(p['model.layers'] as number));
      const dropout = p['model.dropout'] as number;
      assert.ok(dropout >= 0 && dropout <= 0.5, `dropout ${dropout}`);
    }
  });

  it('random search without sweep.seed draws from training.seed', () => {
    assert.deepEqual(planSweep(random, 5).trials, planSweep({ ...random, seed: 5 }, 1).trials);
    assert.equal(planSweep(random, 5).seed, 5);
  });

  it('an int range includes both ends, and nothing outside them', () => {
    const rng = new Rng(3);
    const seen = new Set<unknown>();
    for (let i = 0; i < 300; i++) seen.add(draw({ int: [1, 3] }, rng));
    assert.deepEqual([...seen].sort(), [1, 2, 3]);
  });

  it('a logUniform draw spreads evenly over the decades', () => {
    const rng = new Rng(4);
    const draws = Array.from({ length: 2000 }, () => draw({ logUniform: [1e-4, 1e-2] }, rng) as number);
    const belowMiddle = draws.filter((v) => v < 1e-3).length / draws.length;
    assert.ok(Math.abs(belowMiddle - 0.5) < 0.05, `share below 1e-3: ${belowMiddle}`);
  });
});

describe('median stopping', () => {
  it('the median of the finished trials at an epoch: middle value, or the mean of the two middle ones', () => {
    assert.equal(medianAt([[3, 2], [1, 5], [2, 4]], 1), 2);
    assert.equal(medianAt([[3, 2], [1, 5], [2, 4], [9]], 2), 4);
    assert.equal(medianAt([[3, 2], [1, 5], [2, 4], [9, 1]], 2), 3);
    assert.equal(medianAt([[1]], 2), undefined, 'no finished trial reached epoch 2');
  });

  it('stops a trial worse than the median from afterEpochs on, never before, never without finished trials', () => {
    const finished = [[1.0, 0.8, 0.6], [1.2, 1.0, 0.9]];
    assert.equal(stopAtMedian(1.5, 1, 2, finished), false, 'before afterEpochs');
    assert.equal(stopAtMedian(1.5, 2, 2, finished), true, 'worse than the median 0.9 at epoch 2');
    assert.equal(stopAtMedian(0.85, 2, 2, finished), false, 'better than the median');
    assert.equal(stopAtMedian(0.9, 2, 2, finished), false, 'equal to the median is not worse');
    assert.equal(stopAtMedian(5, 2, 2, []), false, 'nothing to compare with');
    assert.equal(stopAtMedian(undefined, 3, 2, finished), false, 'nothing monitored');
  });
});
