/**
 * Several series in one file (`data.groupBy`, `normalize: "perSeries"`), on two interleaved series
 * the tests write: no window crosses series, each series keeps its validation tail, time order and
 * fills are per series, and per-series statistics reach predict.
 */
import { strict as assert } from 'node:assert';
import { prepareDataset, toNetworkConfig, type Example, type PreparedDataset } from '../../../src/data';
import { RecurrentModel } from '../../../src/engine/model';
import { SpecError } from '../../../src/modelSpec';
import type { LoadedRun } from '../../../src/train/loadedRun';
import { inputBatch } from '../../../src/train/prediction';
import { files, specOf, throwsDataError } from './helpers';

const examplesOf = (split: PreparedDataset['train'] | undefined): Example[] => (split?.kind === 'examples' ? split.examples : assert.fail('not examples'));

/** Stores A (values 0, 1, 2, …) and B (1000, 1010, …) on the same days, rows interleaved A, B, A, B, … */
function stores(days: number, edit: (rows: string[][]) => void = () => {}): string {
  const rows = Array.from({ length: days }, (_, d) => {
    const date = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
    return [['A', date, String(d)], ['B', date, String(1000 + 10 * d)]];
  }).flat();
  edit(rows);
  return 'store,date,sales\n' + rows.map((r) => r.join(',')).join('\n') + '\n';
}

const spec = (data: Record<string, unknown>) =>
  specOf('many-to-one', { train: 's.csv', groupBy: 'store', time: 'date', window: 3, normalize: false, validation: { fraction: 0.2 }, ...data });

describe('data: several series in one file (groupBy)', () => {
  it('no window crosses series; the validation tail is the last fraction of each series', () => {
    const data = prepareDataset(spec({}), files({ 's.csv': stores(10) }));
    assert.deepEqual(data.normalization!.columns, ['sales'], 'the series and time columns are not inputs');
    const train = examplesOf(data.train);
    for (const e of train) {
      const values = [...e.input, ...e.target!];
      const series = e.series === 'A' ? values.every((v) => v < 100) : values.every((v) => v >= 1000);
      assert.ok(series, `${e.series} at line ${e.line}: ${values}`);
      // consecutive values of one series
      assert.ok(values.every((v, i) => i === 0 || v - values[i - 1] === (e.series === 'A' ? 1 : 10)), `${values}`);
    }
    // each series: 10 rows, the last 2 held out; training windows target rows 3–7
    assert.deepEqual(train.filter((e) => e.series === 'A').map((e) => e.target![0]), [3, 4, 5, 6, 7]);
    const validation = examplesOf(data.validation);
    assert.deepEqual(validation.map((e) => [e.series, e.target![0]]), [['A', 8], ['A', 9], ['B', 1080], ['B', 1090]]);
    assert.deepEqual(validation.map((e) => e.line), [18, 20, 19, 21]);
  });

  it('time order, gaps and blank cells are per series', () => {
    // the same dates repeat across series: fine; a swap inside B is an error at its line
    const swapped = stores(6, (rows) => ([rows[5], rows[7]] = [rows[7], rows[5]]));
    throwsDataError(() => prepareDataset(spec({}), files({ 's.csv': swapped })), 's.csv', 9, 3, /"2024-01-03" is not after "2024-01-04"/);
    // a blank in B's first row takes B's next value, never A's
    const blanks = stores(8, (rows) => (rows[1][2] = ''));
    const data = prepareDataset(spec({ missing: 'previous' }), files({ 's.csv': blanks }));
    const firstB = examplesOf(data.train).find((e) => e.series === 'B')!;
    assert.deepEqual([...firstB.input], [1010, 1010, 1020]);
    assert.match(data.warnings![0].message, /column "sales": 1 blank cell filled/);
    assert.match(data.notes![0], /^s\.csv: 2 series; no gaps; series "A": time column "date": 8 rows/);
  });

  it('normalize "perSeries": each series z-scored with its own training statistics, which predict applies by name', () => {
    const data = prepareDataset(spec({ normalize: 'perSeries' }), files({ 's.csv': stores(20) }));
    const norm = data.normalization!;
    assert.deepEqual(Object.keys(norm.series!), ['A', 'B']);
    // A's training rows are 0…15: mean 7.5; B's 1000…1150: mean 1075
    assert.equal(norm.series!.A.mean[0], 7.5);
    assert.equal(norm.series!.B.mean[0], 1075);
    assert.ok(Math.abs(norm.series!.B.std[0] - 10 * norm.series!.A.std[0]) < 1e-9);
    const train = examplesOf(data.train);
    const firstB = train.find((e) => e.series === 'B')!;
    assert.deepEqual([...firstB.input], [...train[0].input], 'both series look alike in their own units');

    const sp = spec({ normalize: 'perSeries' });
    const model = RecurrentModel.create(toNetworkConfig(sp, data), { seed: 1 });
    const run = { runId: 'r', spec: sp, model, weights: 'best', normalization: norm } as unknown as LoadedRun;
    const batch = inputBatch(run, { series: 'B', rows: [1000, 1010, 1020] }, '--input');
    assert.deepEqual(Array.from(batch.features!), Array.from(firstB.input));
    assert.throws(() => inputBatch(run, [1000, 1010, 1020], '--input'), /expected \{"series": id, "rows": \[\.\.\.\]\}: each series has its own statistics/);
    assert.throws(() => inputBatch(run, { series: 'C', rows: [1, 2, 3] }, '--input'), /unknown series "C": expected one of "A", "B"/);
  });

  it('a test file continues each series; a series training lacks is an error with per-series statistics', () => {
    const test = 'store,date,sales\nB,2024-01-21,1200\nA,2024-01-21,20\n';
    const data = prepareDataset({ ...spec({}), data: { ...spec({}).data, test: 't.csv' } }, files({ 's.csv': stores(20), 't.csv': test }));
    assert.deepEqual(examplesOf(data.test).map((e) => [e.series, [...e.input], e.target![0]]), [['B', [1170, 1180, 1190], 1200], ['A', [17, 18, 19], 20]]);
    const perSeries = spec({ normalize: 'perSeries' });
    throwsDataError(() => prepareDataset({ ...perSeries, data: { ...perSeries.data, test: 't.csv' } }, files({ 's.csv': stores(20), 't.csv': test.replace('B,', 'C,') })),
      't.csv', 2, 1, /series "C" is not in the training data/);
  });

  it('spec issues: perSeries without groupBy, the series column as an input or the target', () => {
    const issue = (data: Record<string, unknown>, path: string) =>
      assert.throws(() => specOf('many-to-one', { train: 's.csv', ...data }), (e: SpecError) => e.issues.some((i) => i.path === path), path);
    issue({ normalize: 'perSeries' }, '/data/normalize');
    issue({ groupBy: 'store', columns: ['store', 'sales'] }, '/data/columns/0');
    issue({ groupBy: 'store', target: 'store' }, '/data/target');
  });
});
