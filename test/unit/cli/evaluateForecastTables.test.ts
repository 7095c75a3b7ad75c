/**
 * `rnn-lab eval` in words for several targets and steps: every target's predictions and a table of
 * RMSE per target and step, each checked by hand on a tiny forecast (2 windows × 2 steps × 2 targets).
 */
import { strict as assert } from 'node:assert';
import { describeReport, type EvaluationDoneLine } from '../../../src/cli/commands/evaluate';
import { forecastBreakdown } from '../../../src/train/forecastBreakdown';

// (window w, step s, target y) at index (w·2 + s)·2 + y; target "a" errs by 1 at step 1 and 3 at
// step 2, target "b" by 10 and 20; the naive forecast is off by 2 (a) and 5 (b) everywhere
const actual = [1, 100, 2, 200, 3, 300, 4, 400];
const predicted = [2, 110, 5, 220, 4, 310, 7, 420];
const naive = [3, 105, 4, 205, 5, 305, 6, 405];
const done: EvaluationDoneLine = {
  event: 'done', run: 'r', split: 'test', best: { epoch: 1 }, metrics: { loss: 1, 'rmse.a': Math.sqrt(5), 'rmse.b': Math.sqrt(250), nrmse: 1 },
  predictions: { actual, predicted, naive, shape: [2, 2, 2], targets: ['a', 'b'] },
};

describe('eval in words: several targets and steps', () => {
  it('breaks the errors down per target and step (and over all steps)', () => {
    const cells = forecastBreakdown(done.predictions!);
    assert.deepEqual(cells.map((c) => [c.target, c.step, c.rmse, c.naiveRmse]), [
      ['a', 1, 1, 2], ['a', 2, 3, 2], ['a', 0, Math.sqrt(5), 2],
      ['b', 1, 10, 5], ['b', 2, 20, 5], ['b', 0, Math.sqrt(250), 5],
    ]);
  });

  it('shows each target\'s predictions, the RMSE table and a verdict per target', () => {
    const text = describeReport(done, ['a', 'b']);
    assert.match(text, /Predictions of a in original units \(2 values, one step ahead of 2; the table below has every step\)\n\s*#\s+actual\s+predicted\s+error\s+naive\n\s*1\s+1\s+2\s+1\s+3\n\s*2\s+3\s+4\s+1\s+5/);
    assert.match(text, /Predictions of b in original units \(2 values[^)]*\)\n\s*#[^\n]*\n\s*1\s+100\s+110\s+10\s+105\n\s*2\s+300\s+310\s+10\s+305/);
    assert.match(text, /RMSE per target and step \(original units\)\ntarget\s+step\s+RMSE\s+naive RMSE\na\s+1\s+1\s+2\na\s+2\s+3\s+2\na\s+all\s+2\.236\s+2\nb\s+1\s+10\s+5\nb\s+2\s+20\s+5\nb\s+all\s+15\.811\s+5/);
    assert.match(text, /a: The model LOSES to the naive last-value forecast: RMSE 2\.236 against 2 \(11\.8% higher\)/);
    assert.match(text, /b: The model LOSES to the naive last-value forecast: RMSE 15\.811 against 5 /);
  });

  it('one target, several steps: the step table beside the reported rmse verdict', () => {
    const one: EvaluationDoneLine = {
      ...done, metrics: { loss: 1, rmse: 0.5, naiveRmse: 2, 'rmse@1': 0.4, 'rmse@2': 0.6 },
      predictions: { actual: [1, 2, 3, 4], predicted: [1.5, 2, 3, 5], naive: [0, 0, 2, 2], shape: [2, 2, 1] },
    };
    const text = describeReport(one, ['y']);
    assert.match(text, /Predictions of y in original units \(2 values, one step ahead of 2/);
    // step 1 errs by 0.5 and 0 (naive 1, 1), step 2 by 0 and 1 (naive 2, 2)
    assert.match(text, /y\s+1\s+0\.354\s+1\ny\s+2\s+0\.707\s+2\ny\s+all\s+0\.559\s+1\.581/);
    assert.match(text, /RMSE 0\.5 beats the naive last-value forecast \(RMSE 2\): 75\.0% lower\./);
  });
});
