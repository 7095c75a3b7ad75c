import { strict as assert } from 'node:assert';
import { isHostToWorker } from '../../../src/protocol/hostWorker';

describe('host → training worker messages', () => {
  const start = { type: 'start', specText: '{}', specPath: 'a.rnn.json', files: {}, runId: 'r' };

  it('start carries the thread setting and the concurrent-training count as positive integers, or not at all', () => {
    assert.ok(isHostToWorker(start));
    assert.ok(isHostToWorker({ ...start, threads: 2, concurrentTrainings: 3 }));
    for (const bad of [0, -1, 1.5, '2', null]) {
      assert.ok(!isHostToWorker({ ...start, threads: bad }), `threads ${String(bad)}`);
      assert.ok(!isHostToWorker({ ...start, concurrentTrainings: bad }), `concurrentTrainings ${String(bad)}`);
    }
  });
});
