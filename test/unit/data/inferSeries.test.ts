/**
 * What `init` (and the New Model wizard) propose for a CSV time series: calendar features and a
 * season that fit the time column's step, the column naming several series (`groupBy`), and
 * `missing` for blank cells — and the specs it writes prepare without error.
 */
import { strict as assert } from 'node:assert';
import { inferSpecFromDataset, prepareDataset, type Example, type PreparedDataset } from '../../../src/data';
import { resolveSpec, type ModelSpec } from '../../../src/modelSpec';
import { files, throwsDataError, utf8 } from './helpers';

const examplesOf = (split: PreparedDataset['train'] | undefined): Example[] => (split?.kind === 'examples' ? split.examples : assert.fail('not examples'));

/** `time,value` rows, `count` of them, each `stepMs` after the last from 2021-01-04 (a Monday). */
function series(count: number, time: (i: number) => string, value: (i: number) => string = (i) => String(100 + (i % 7) + i / 10)): string {
  return 'time,value\n' + Array.from({ length: count }, (_, i) => `${time(i)},${value(i)}`).join('\n') + '\n';
}
const day = (i: number) => new Date(Date.UTC(2021, 0, 4 + i)).toISOString().slice(0, 10);
const hour = (i: number) => new Date(Date.UTC(2021, 0, 4, i)).toISOString().slice(0, 16);
const month = (i: number) => new Date(Date.UTC(2015, i, 1)).toISOString().slice(0, 7);

const infer = (name: string, text: string) => inferSpecFromDataset(name, utf8(text));
/** Prepares the inferred spec on the same text: what `init` writes must train. */
const prepare = (spec: ModelSpec, text: string) => prepareDataset(resolveSpec(spec), files({ [spec.data.train]: text }));

describe('data: init proposes calendar, season, groupBy and missing for a time series', () => {
  it('calendar features and the season follow the time column\'s step, when the series spans two cycles', () => {
    const cases: [string, string, unknown, unknown][] = [
      ['two years daily', series(800, day), ['dayOfWeek', 'dayOfYear'], 7],
      ['two months daily', series(60, day), ['dayOfWeek'], 7],
      ['three years monthly', series(36, month), ['month'], 12],
      ['a year monthly', series(12, month), undefined, undefined],
      ['three weeks hourly', series(500, hour), ['hour', 'dayOfWeek'], 24],
      ['yearly dates', series(40, (i) => `${1950 + i}-01-01`), undefined, undefined],
      ['plain years', series(40, (i) => String(1950 + i)), undefined, undefined],
    ];
    for (const [what, text, calendar, season] of cases) {
      const spec = infer('s.csv', text);
      assert.equal(spec.data.time, 'time', what);
      assert.deepEqual(spec.data.calendar, calendar, what);
      assert.equal(spec.data.season, season, what);
      const data = prepare(spec, text);
      assert.deepEqual(data.normalization!.calendar ?? undefined, calendar, what);
    }
  });

  it('a series column in contiguous blocks, or named like an id with few values, becomes groupBy; no window crosses it', () => {
    const blocks = 'series,date,y\n' + ['north', 'south', 'east'].flatMap((s, k) => Array.from({ length: 40 }, (_, i) => `${s},${day(i)},${k * 100 + i}`)).join('\n') + '\n';
    const spec = infer('b.csv', blocks);
    assert.equal(spec.data.groupBy, 'series');
    assert.equal(spec.data.time, 'date');
    assert.deepEqual(spec.data.columns, ['y']);
    assert.equal(spec.data.window, 10, 'the window fits one series (40 rows), not the file');
    const data = prepare(spec, blocks);
    const train = examplesOf(data.train);
    assert.deepEqual([...new Set(train.map((e) => e.series))], ['north', 'south', 'east']);
    for (const e of train) {
      // series k holds lines 2 + 40k … 41 + 40k; a window of 10 rows and its target stay inside
      const k = Math.floor((e.line - 2) / 40);
      assert.equal(e.series, ['north', 'south', 'east'][k], `line ${e.line}`);
      assert.ok(e.line - 10 >= 2 + 40 * k, `the window of line ${e.line} starts in the series before`);
    }
    // interleaved numeric store ids: by name; the id is no input
    const stores = 'store,date,sales\n' + Array.from({ length: 30 }, (_, i) => [1, 2].map((s) => `${s},${day(i)},${s * 1000 + i}`)).flat().join('\n') + '\n';
    const byName = infer('s.csv', stores);
    assert.equal(byName.data.groupBy, 'store');
    assert.deepEqual(byName.data.columns, ['sales']);
    assert.deepEqual(byName.data.calendar, ['dayOfWeek'], 'the step is measured within a series');
    assert.doesNotThrow(() => prepare(byName, stores));
  });

  it('no groupBy for a cycling label, a row id, or a single series', () => {
    const names = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    const cycling = 'date,weekday,y\n' + Array.from({ length: 30 }, (_, i) => `${day(i)},${names[i % 7]},${i}`).join('\n') + '\n';
    assert.equal(infer('c.csv', cycling).data.groupBy, undefined);
    const ids = 'id,date,y\n' + Array.from({ length: 30 }, (_, i) => `${i + 1},${day(i)},${i}`).join('\n') + '\n';
    assert.equal(infer('i.csv', ids).data.groupBy, undefined);
    const phases = 'date,phase,y\n' + Array.from({ length: 30 }, (_, i) => `${day(i)},${i < 12 ? 'before' : 'after'},${i}`).join('\n') + '\n';
    assert.equal(infer('p.csv', phases).data.groupBy, undefined, 'blocks of one series in time order are periods');
    const one = 'station,date,y\n' + Array.from({ length: 30 }, (_, i) => `A,${day(i)},${i}`).join('\n') + '\n';
    assert.equal(infer('o.csv', one).data.groupBy, undefined);
  });

  it('a few scattered blanks are interpolated; many, or a long run, are left to the error that names data.missing', () => {
    const withBlanks = (blank: (i: number) => boolean) => series(200, day, (i) => (blank(i) ? '' : String(100 + i)));
    const few = withBlanks((i) => i === 50 || i === 120 || i === 121);
    const spec = infer('f.csv', few);
    assert.equal(spec.data.missing, 'interpolate');
    const data = prepare(spec, few);
    assert.match(data.warnings![0].message, /3 blank cells filled with values interpolated linearly in time \(data.missing "interpolate"\)/);
    assert.equal(infer('n.csv', series(200, day)).data.missing, undefined, 'no blanks, no key');
    for (const [what, text, line] of [['10% blank', withBlanks((i) => i % 10 === 5), 7], ['a week blank', withBlanks((i) => i >= 60 && i < 67), 62]] as const) {
      const left = infer('m.csv', text);
      assert.equal(left.data.missing, undefined, what);
      throwsDataError(() => prepare(left, text), 'm.csv', line, 12, /a blank cell: expected a number, or set data.missing to "drop", "previous" or "interpolate"/);
    }
  });
});
