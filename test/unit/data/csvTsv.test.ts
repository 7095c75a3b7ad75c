import { strict as assert } from 'node:assert';
import { prepareDataset, type Example } from '../../../src/data';
import { files, specOf, throwsDataError } from './helpers';

const examplesOf = (split: { kind: string; examples?: Example[] } | undefined) => (split?.kind === 'examples' ? split.examples! : assert.fail('not examples'));
const csv = (rows: number[]) => 'date,value\n' + rows.map((v, i) => `2020-01-${String(i + 1).padStart(2, '0')},${v}`).join('\n') + '\n';

describe('data: CSV time series', () => {
  it('skips non-numeric columns, windows many-to-one targets horizon steps ahead, z-scores with training rows', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const spec = specOf('many-to-one', { train: 's.csv', window: 3, horizon: 2 });
    const data = prepareDataset(spec, files({ 's.csv': csv(values) }));
    assert.deepEqual(data.normalization!.columns, ['value']);
    assert.equal(data.normalization!.target, 'value');
    const trainRows = values.slice(0, 9);
    const mean = trainRows.reduce((s, v) => s + v, 0) / 9;
    assert.ok(Math.abs(data.normalization!.mean[0] - mean) < 1e-12, 'statistics come from the first 90% of rows');
    const z = (v: number) => (v - mean) / data.normalization!.std[0];
    const train = examplesOf(data.train);
    // targets at rows 4..8 (0-based), inputs rows j-4..j-2
    assert.equal(train.length, 5);
    assert.deepEqual(Array.from(train[0].input), [1, 2, 3].map(z).map(Math.fround));
    assert.equal(train[0].target![0], Math.fround(z(5)));
    assert.equal(train[0].line, 6, 'the line of the first target (header is line 1)');
    const [validation] = examplesOf(data.validation);
    assert.deepEqual(Array.from(validation.input), [6, 7, 8].map(z).map(Math.fround), 'validation context comes from the rows before it');
    assert.equal(validation.target![0], Math.fround(z(10)));
  });

  it('differencing models the change over the horizon, and a test file takes its context from the train tail', () => {
    const spec = specOf('many-to-one', { train: 's.csv', test: 't.csv', window: 2, horizon: 1, difference: true, normalize: false, validation: { fraction: 0 } });
    const data = prepareDataset(spec, files({ 's.csv': csv([1, 3, 6, 10]), 't.csv': csv([15, 21]) }));
    assert.equal(data.normalization!.difference, true);
    const train = examplesOf(data.train);
    assert.deepEqual(train.map((e) => [...e.input, ...e.target!]), [[2, 3, 4]]);
    const test = examplesOf(data.test);
    assert.deepEqual(test.map((e) => [...e.input, ...e.target!]), [[3, 4, 5], [4, 5, 6]]);
    assert.deepEqual(test.map((e) => `${e.file}:${e.line}`), ['t.csv:2', 't.csv:3']);
  });

  it('aligned many-to-many tiles windows with next-value targets; columns choose inputs and the target', () => {
    const text = 'a,b\n' + Array.from({ length: 7 }, (_, i) => `${i},${10 * i}`).join('\n');
    const spec = specOf('many-to-many', { train: 's.csv', columns: ['b', 'a'], target: 'a', window: 3, normalize: false, validation: { fraction: 0 } });
    const data = prepareDataset(spec, files({ 's.csv': text }));
    assert.equal(data.featureSize, 2);
    const train = examplesOf(data.train);
    assert.deepEqual(train.map((e) => e.steps), [3, 3]);
    assert.deepEqual(Array.from(train[0].input), [0, 0, 10, 1, 20, 2]);
    assert.deepEqual(Array.from(train[0].target!), [1, 2, 3]);
    assert.deepEqual(Array.from(train[1].target!), [4, 5, 6]);
  });

  it('errors: listed non-numeric columns, empty and NaN cells, unknown columns, short series', () => {
    const read = (text: string) => files({ 's.csv': text });
    const spec = (data: Record<string, unknown>) => specOf('many-to-one', { train: 's.csv', window: 2, ...data });
    throwsDataError(() => prepareDataset(spec({ columns: ['date', 'value'] }), read(csv([1, 2, 3, 4]))), 's.csv', 2, 1, /column "date" is not numeric \(got "2020-01-01"\): expected a number/);
    throwsDataError(() => prepareDataset(spec({}), read('t,v\n1,2\n2,\n3,4\n')), 's.csv', 3, 3, /column "v": a blank cell: expected a number, or set data.missing to "drop", "previous" or "interpolate"/);
    throwsDataError(() => prepareDataset(spec({}), read('t,v\n1,2\n2,NaN\n')), 's.csv', 3, 3, /column "v": expected a number, got "NaN"/);
    throwsDataError(() => prepareDataset(spec({ columns: ['w'] }), read('t,v\n1,2\n')), 's.csv', 1, 1, /no column "w" in the header: expected one of "t", "v"/);
    throwsDataError(() => prepareDataset(spec({}), read('t,v\n1,2\n2,3\n')), 's.csv', 3, 1, /too few rows for one training window: expected at least 3 rows/);
    throwsDataError(() => prepareDataset(spec({}), read('t,v\n1,2\n2,3,4\n')), 's.csv', 3, 1, /malformed CSV: Invalid Record Length/);
    throwsDataError(() => prepareDataset(spec({}), read('t,v\n')), 's.csv', 1, 1, /no data rows/);
    throwsDataError(() => prepareDataset(spec({}), read('')), 's.csv', 1, 1, /empty file/);
  });
});

describe('data: TSV pairs', () => {
  it('reads source<TAB>target lines without a header, with separate units', () => {
    const spec = specOf('seq2seq', { train: 'p.tsv', sourceUnit: 'char', targetUnit: 'word', validation: { fraction: 0 } });
    const data = prepareDataset(spec, files({ 'p.tsv': 'abc\tone two\r\nba\ttwo\n\n' }));
    const [a, b] = examplesOf(data.train);
    assert.equal(a.steps, 3);
    assert.equal(data.outputVocab!.decode(a.targetTokens!), 'one two');
    assert.equal(data.outputVocab!.unit, 'word');
    assert.equal(b.line, 2);
  });

  it('a line without a tab, with two tabs or an empty side is an error at its column', () => {
    const spec = specOf('seq2seq', { train: 'p.tsv' });
    throwsDataError(() => prepareDataset(spec, files({ 'p.tsv': 'a\tb\nabc\n' })), 'p.tsv', 2, 4, /no tab in "abc": expected source<TAB>target/);
    throwsDataError(() => prepareDataset(spec, files({ 'p.tsv': 'a\tb\tc\n' })), 'p.tsv', 1, 4, /a second tab/);
    throwsDataError(() => prepareDataset(spec, files({ 'p.tsv': 'a\t\n' })), 'p.tsv', 1, 3, /target: empty sequence/);
  });
});
