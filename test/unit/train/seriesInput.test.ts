/**
 * predict's encoding of raw time-series rows is the training windows' encoding: the same z-scores,
 * differences and calendar features, so a window of the file given to predict is the model input
 * it was trained on.
 */
import { strict as assert } from 'node:assert';
import { prepareDataset, toNetworkConfig, type Example } from '../../../src/data';
import { RecurrentModel } from '../../../src/engine/model';
import { resolveSpec } from '../../../src/modelSpec';
import type { LoadedRun } from '../../../src/train/loadedRun';
import { inputBatch } from '../../../src/train/prediction';

const DAYS = Array.from({ length: 30 }, (_, i) => {
  const date = new Date(Date.UTC(2024, 0, 28 + i, i % 3 === 0 ? 6 : 18)).toISOString().slice(0, 16);
  return { date, temp: Math.round((10 + 5 * Math.sin(i / 3)) * 10) / 10, load: 200 + ((i * 37) % 23) };
});
const CSV = 'date;temp;load\n' + DAYS.map((d) => `${d.date};${d.temp};${d.load}`).join('\n') + '\n';

function runOf(data: Record<string, unknown>): { run: LoadedRun; train: Example[] } {
  const spec = resolveSpec({ task: 'many-to-one', data: { train: 's.csv', time: 'date', target: 'load', window: 4, ...data }, model: { cell: 'gru', hiddenSize: 3 } });
  const prepared = prepareDataset(spec, () => new TextEncoder().encode(CSV));
  const model = RecurrentModel.create(toNetworkConfig(spec, prepared), { seed: 1 });
  const run = { runId: 'r', spec, model, weights: 'best', normalization: prepared.normalization } as unknown as LoadedRun;
  return { run, train: prepared.train.kind === 'examples' ? prepared.train.examples : [] };
}

describe('time series: raw rows given to predict encode as the training windows', () => {
  for (const difference of [false, true]) {
    it(`calendar features from each row's time${difference ? ', differenced (one row more)' : ''}`, () => {
      const { run, train } = runOf({ calendar: ['dayOfWeek', 'hour', 'dayOfYear'], difference });
      const example = train[5];
      // its target row is line − 2; its window ends horizon (1) row before, and starts window − 1 (+1 differenced) rows before that
      const end = example.line - 2 - 1;
      const rows = DAYS.slice(end - 3 - (difference ? 1 : 0), end + 1).map((d) => [d.date, d.temp, d.load]);
      const batch = inputBatch(run, rows, '--input');
      assert.equal(batch.steps, 4);
      assert.deepEqual(Array.from(batch.features!), Array.from(example.input));
      if (difference) assert.equal(batch.base![3], rows[4][2]);
    });
  }

  it('rows without the time, or with a number for a date, say what a row must be', () => {
    const { run } = runOf({ calendar: ['month'] });
    assert.throws(() => inputBatch(run, [[1, 2], [3, 4]], '--input'), /each \[time, 2 values\] with the time an ISO 8601 date/);
    assert.throws(() => inputBatch(run, [[20240101, 1, 2]], '--input'), /ISO 8601 date/);
    const plain = runOf({}).run;
    assert.equal(inputBatch(plain, [[1, 2], [3, 4]], '--input').steps, 2, 'without calendar features a row is its values');
  });
});
