import { strict as assert } from 'node:assert';
import { isHostToWorker } from '../../../src/protocol/hostWorker';

describe('host → training worker messages', () => {
  const start = { type: 'start', specText: '{}', specPath: 'a.rnn.json', files: {}, runId: 'r' };

  it('start carries thread counts (a trial\'s share, the setting, concurrent trainings) as positive integers, or not at all', () => {
    assert.ok(isHostToWorker(start));
    assert.ok(isHostToWorker({ ...start, threads: 2, defaultThreads: 4, concurrentTrainings: 3 }));
    for (const bad of [0, -1, 1.5, '2', null]) {
      for (const key of ['threads', 'defaultThreads', 'concurrentTrainings']) assert.ok(!isHostToWorker({ ...start, [key]: bad }), `${key} ${String(bad)}`);
    }
  });
});
