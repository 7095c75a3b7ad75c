/**
 * The time column (`data.time`, `data.calendar`), the delimiter and blank cells (`data.missing`) of
 * CSV series, on files the tests write: a daily series with a date column, a swapped pair of rows,
 * a gap and blank cells.
 */
import { strict as assert } from 'node:assert';
import { inferSpecFromDataset, prepareDataset, type Example, type PreparedDataset } from '../../../src/data';
import { calendarPhase, parseTimeCell } from '../../../src/data/timeColumn';
import { SpecError } from '../../../src/modelSpec';
import { files, specOf, throwsDataError, utf8 } from './helpers';

const examplesOf = (split: PreparedDataset['train'] | undefined): Example[] => (split?.kind === 'examples' ? split.examples : assert.fail('not examples'));

/** `date,weekday,births` for `days` days from 2024-01-01 (a Monday), births = 100 + day index. */
function daily(days: number, edit: (rows: string[][]) => void = () => {}, delimiter = ','): string {
  const rows = Array.from({ length: days }, (_, i) => {
    const date = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
    return [date, String(i % 7), String(100 + i)];
  });
  edit(rows);
  return ['date,weekday,births'.replace(/,/g, delimiter), ...rows.map((r) => r.join(delimiter))].join('\n') + '\n';
}

const spec = (data: Record<string, unknown>) =>
  specOf('many-to-one', { train: 's.csv', window: 3, normalize: false, validation: { fraction: 0 }, ...data });

describe('data: the time column, delimiters and blank cells', () => {
  it('parses ISO 8601 dates, date-times and numbers; rejects impossible dates', () => {
    assert.deepEqual(parseTimeCell('2024-02-29'), { value: Date.UTC(2024, 1, 29), kind: 'date' });
    assert.deepEqual(parseTimeCell('2024-02-29T13:45:30.5Z'), { value: Date.UTC(2024, 1, 29, 13, 45, 30, 500), kind: 'date' });
    assert.deepEqual(parseTimeCell('2024-02-29 13:45'), { value: Date.UTC(2024, 1, 29, 13, 45), kind: 'date' });
    assert.deepEqual(parseTimeCell('2024-03'), { value: Date.UTC(2024, 2, 1), kind: 'date' });
    assert.deepEqual(parseTimeCell('1749'), { value: 1749, kind: 'number' });
    for (const bad of ['2023-02-29', '2024-13-01', '2024-01-01T25:00', '01/02/2024', '']) assert.equal(parseTimeCell(bad), undefined, bad);
  });

  it('the time column is never an input; the note gives the range, the step and no gaps', () => {
    const data = prepareDataset(spec({ time: 'date' }), files({ 's.csv': daily(10) }));
    assert.deepEqual(data.normalization!.columns, ['weekday', 'births']);
    assert.equal(data.normalization!.time, 'date');
    assert.equal(data.featureSize, 2);
    assert.deepEqual(Array.from(examplesOf(data.train)[0].input), [0, 100, 1, 101, 2, 102]);
    assert.deepEqual(data.notes, ['s.csv: time column "date": 10 rows from 2024-01-01 to 2024-01-10, step 1 day, no gaps']);
  });

  it('a swapped pair of rows is an error at the first line out of order', () => {
    const swapped = daily(10, (rows) => ([rows[4], rows[5]] = [rows[5], rows[4]]));
    // rows[4] is on line 6; after the swap line 6 holds 2024-01-06 and line 7 holds 2024-01-05
    throwsDataError(() => prepareDataset(spec({ time: 'date' }), files({ 's.csv': swapped })), 's.csv', 7, 1,
      /time column "date": "2024-01-05" is not after "2024-01-06" on the row before: expected times in ascending order \(sort the file by "date"\)/);
    // without data.time the order is not checked (stored runs' behaviour)
    assert.doesNotThrow(() => prepareDataset(spec({}), files({ 's.csv': swapped })));
  });

  it('gaps are counted, the largest named with its line; months and years count in calendar units', () => {
    const gapped = daily(20, (rows) => rows.splice(12, 3) && rows.splice(5, 1));
    const data = prepareDataset(spec({ time: 'date' }), files({ 's.csv': gapped }));
    assert.deepEqual(data.notes, ['s.csv: time column "date": 16 rows from 2024-01-01 to 2024-01-20, step 1 day; 2 gaps, the largest 4 days (from 2024-01-12 to 2024-01-16, line 13)']);
    const monthly = 'month,v\n' + ['2023-11', '2023-12', '2024-01', '2024-02', '2024-05', '2024-06'].map((m, i) => `${m},${i}`).join('\n') + '\n';
    const months = prepareDataset(spec({ time: 'month', window: 2 }), files({ 's.csv': monthly }));
    assert.match(months.notes![0], /step 1 month; 1 gap, the largest 3 months \(from 2024-02 to 2024-05, line 6\)/);
    const years = prepareDataset(spec({ time: 'year', window: 2 }), files({ 's.csv': 'year,v\n1990,1\n1991,2\n1992,3\n1995,4\n' }));
    assert.match(years.notes![0], /step 1; 1 gap, the largest 3 \(from 1992 to 1995, line 5\)/);
  });

  it('calendar features: sin/cos pairs of the step\'s date after the value columns, unnormalised', () => {
    const data = prepareDataset(spec({ time: 'date', columns: ['births'], calendar: ['dayOfWeek', 'month'], normalize: true }), files({ 's.csv': daily(40) }));
    assert.equal(data.featureSize, 5);
    assert.deepEqual(data.normalization!.calendar, ['dayOfWeek', 'month']);
    const [first] = examplesOf(data.train);
    // step 0 is 2024-01-01, a Monday in January: both phases 0
    assert.deepEqual(Array.from(first.input.subarray(1, 5)), [0, 1, 0, 1]);
    // step 2 is Wednesday 2024-01-03: dayOfWeek phase 2/7
    const angle = (2 * Math.PI * 2) / 7;
    assert.deepEqual(Array.from(first.input.subarray(11, 13)), [Math.fround(Math.sin(angle)), Math.fround(Math.cos(angle))]);
    assert.equal(calendarPhase('dayOfYear', Date.UTC(2024, 11, 31)), 365 / 366);
    assert.equal(calendarPhase('dayOfMonth', Date.UTC(2024, 1, 15)), 14 / 29);
    assert.equal(calendarPhase('hour', Date.UTC(2024, 1, 15, 18, 30)), 18.5 / 24);
  });

  it('spec and data errors: calendar without time, time as an input or target, calendar on numbers', () => {
    const specError = (data: Record<string, unknown>, path: string) =>
      assert.throws(() => spec(data), (e: SpecError) => e.issues.some((i) => i.path === path), path);
    specError({ calendar: ['month'] }, '/data/calendar');
    specError({ time: 'date', columns: ['date', 'births'] }, '/data/columns/0');
    specError({ time: 'date', target: 'date' }, '/data/target');
    throwsDataError(() => prepareDataset(spec({ time: 'year', calendar: ['month'], window: 1 }), files({ 's.csv': 'year,v\n1990,1\n1991,2\n1992,3\n' })),
      's.csv', 2, 1, /time column "year": got 1990: expected ISO 8601 dates such as 2020-01-31 \(data.calendar needs dates\)/);
    throwsDataError(() => prepareDataset(spec({ columns: ['date'] }), files({ 's.csv': daily(5) })), 's.csv', 2, 1,
      /column "date" is not numeric \(got "2024-01-01"\): expected a number \(for a date column, set data.time to "date"\)/);
  });

  it('delimiters: ; and tab detected from the header, or given; error columns count that delimiter', () => {
    for (const delimiter of [';', '\t']) {
      const data = prepareDataset(spec({ time: 'date' }), files({ 's.csv': daily(8, () => {}, delimiter) }));
      assert.deepEqual(data.normalization!.columns, ['weekday', 'births'], JSON.stringify(delimiter));
    }
    const text = daily(8, (rows) => (rows[2][2] = 'x'), ';');
    throwsDataError(() => prepareDataset(spec({ time: 'date', delimiter: ';' }), files({ 's.csv': text })), 's.csv', 4, 14, /column "births": expected a number, got "x"/);
    // a wrong explicit delimiter reads one column
    throwsDataError(() => prepareDataset(spec({ delimiter: ',' }), files({ 's.csv': text })), 's.csv', 2, 1, /no numeric column/);
  });

  describe('blank cells (data.missing)', () => {
    // blanks: births on 2024-01-03 (line 4) and 2024-01-04 (line 5); the row of 2024-01-06 is missing (a gap)
    const blanks = daily(12, (rows) => {
      rows[2][2] = '';
      rows[3][2] = ' ';
      rows.splice(5, 1);
    });
    const births = (data: PreparedDataset) => {
      const [first, ...rest] = examplesOf(data.train);
      return [first.input[1], first.input[3], ...[first, ...rest].map((e) => e.input[5])];
    };

    it('"error" (the default) names file:line:column and the key', () => {
      throwsDataError(() => prepareDataset(spec({ time: 'date' }), files({ 's.csv': blanks })), 's.csv', 4, 14,
        /column "births": a blank cell: expected a number, or set data.missing to "drop", "previous" or "interpolate"/);
    });

    it('"drop" drops the rows, with a warning', () => {
      const data = prepareDataset(spec({ time: 'date', missing: 'drop' }), files({ 's.csv': blanks }));
      assert.deepEqual(births(data), [100, 101, 104, 106, 107, 108, 109, 110]);
      assert.deepEqual(data.warnings, [{ file: 's.csv', line: 4, column: 1, message: '2 rows with blank cells dropped (data.missing "drop")' }]);
    });

    it('"previous" carries the value above, with a warning at the first blank', () => {
      const data = prepareDataset(spec({ time: 'date', missing: 'previous' }), files({ 's.csv': blanks }));
      assert.deepEqual(births(data), [100, 101, 101, 101, 104, 106, 107, 108, 109, 110]);
      assert.deepEqual(data.warnings, [{ file: 's.csv', line: 4, column: 14, message: 'column "births": 2 blank cells filled with the previous value (data.missing "previous")' }]);
    });

    it('"interpolate" is linear in time when there is a time column, else in rows', () => {
      const gap = daily(12, (rows) => {
        rows[4][2] = '';
        rows.splice(5, 2); // 2024-01-05 blank, then 01-06 and 01-07 missing: 01-08 has 107
      });
      const inTime = prepareDataset(spec({ time: 'date', missing: 'interpolate' }), files({ 's.csv': gap }));
      // between 103 (01-04) and 107 (01-08), 01-05 is a quarter of the way
      assert.equal(births(inTime)[4], 104);
      assert.match(inTime.warnings![0].message, /1 blank cell filled with values interpolated linearly in time/);
      const inRows = prepareDataset(spec({ missing: 'interpolate', columns: ['births'] }), files({ 's.csv': gap }));
      assert.equal(examplesOf(inRows.train)[2].input[2], 105, 'halfway between the rows above and below');
      assert.match(inRows.warnings![0].message, /interpolated linearly in rows/);
    });

    it('blanks at the top take the first value below; an all-blank column and a blank time are errors', () => {
      const top = daily(8, (rows) => (rows[0][2] = rows[1][2] = ''));
      const data = prepareDataset(spec({ time: 'date', missing: 'previous' }), files({ 's.csv': top }));
      assert.deepEqual(births(data).slice(0, 3), [102, 102, 102]);
      throwsDataError(() => prepareDataset(spec({ missing: 'interpolate', columns: ['births'] }), files({ 's.csv': 'births\n\n \n' })), 's.csv', 1, 1, /column "births": every cell is blank: expected numbers/);
      throwsDataError(() => prepareDataset(spec({ time: 'date', missing: 'previous' }), files({ 's.csv': daily(8, (rows) => (rows[3][0] = '')) })), 's.csv', 5, 1,
        /time column "date": a blank cell: expected a time/);
    });
  });

  it('init: detects a date column as data.time, and a counting column named like time', () => {
    const births = inferSpecFromDataset('births.csv', utf8(daily(30, (rows) => rows.forEach((r, i) => (r[2] = String(100 + ((7 * i) % 13)))))));
    assert.equal(births.data.time, 'date');
    assert.deepEqual(births.data.columns, ['weekday', 'births']);
    assert.equal(inferSpecFromDataset('y.csv', utf8('year,units\n1990,5\n1991,7\n1992,6\n1993,9\n')).data.time, 'year');
    assert.equal(inferSpecFromDataset('i.csv', utf8('t\n1\n2\n3\n')).data.time, undefined, 'a lone counter stays an input');
    assert.equal(inferSpecFromDataset('semi.csv', utf8(daily(30, () => {}, ';'))).data.time, 'date');
  });
});
