import * as assert from 'node:assert/strict';
import { sweepProgress } from '../../../src/train/sweep/sweepProgress';
import type { SweepRecord, SweepTrialRecord } from '../../../src/train/sweep/sweepRecord';

const trial = (n: number, status: SweepTrialRecord['status'], runId?: string): SweepTrialRecord =>
  ({ trial: n, parameters: { 'model.hiddenSize': 4 * n }, status, curve: [], ...(runId && { runId }) });

const record = (status: SweepRecord['status'], trials: SweepTrialRecord[]): SweepRecord => ({
  version: 1, id: '20260101-000000-m-sweep', name: 'm', specFile: '../m.rnn.json', specText: '{}', method: 'grid', seed: 1,
  monitor: 'validation loss', medianStopping: null, status, createdAt: '2026-01-01T00:00:00.000Z', trials,
});

describe('sweepProgress (the Runs view sweep node)', () => {
  const nothingRuns = () => 'cancelled';

  it('counts finished trials and offers a cancelled sweep with trials left for resuming', () => {
    const progress = sweepProgress(record('cancelled', [trial(1, 'completed', 'r1'), trial(2, 'cancelled', 'r2'), trial(3, 'pending')]), nothingRuns, false);
    assert.deepEqual(progress, { status: 'cancelled', finished: 1, trials: 3, resumable: true });
  });

  it('a completed sweep is not resumable; stopped and diverged trials count as finished', () => {
    const progress = sweepProgress(record('completed', [trial(1, 'completed', 'r1'), trial(2, 'stopped-early', 'r2'), trial(3, 'diverged', 'r3')]), nothingRuns, false);
    assert.deepEqual(progress, { status: 'completed', finished: 3, trials: 3, resumable: false });
  });

  it('a record left "running" by a process that is gone reads interrupted and can be resumed', () => {
    const left = record('running', [trial(1, 'completed', 'r1'), trial(2, 'running', 'r2')]);
    assert.deepEqual(sweepProgress(left, (id) => (id === 'r2' ? 'interrupted' : 'completed'), false), { status: 'interrupted', finished: 1, trials: 2, resumable: true });
  });

  it('is running while a trial trains (the CLI elsewhere) or while this window runs it between trials', () => {
    const live = record('running', [trial(1, 'completed', 'r1'), trial(2, 'running', 'r2')]);
    assert.equal(sweepProgress(live, (id) => (id === 'r2' ? 'running' : 'completed'), false).status, 'running');
    const between = record('running', [trial(1, 'completed', 'r1'), trial(2, 'pending')]);
    const here = sweepProgress(between, () => 'completed', true);
    assert.equal(here.status, 'running');
    assert.equal(here.resumable, false, 'a running sweep is not offered for resuming');
  });
});
