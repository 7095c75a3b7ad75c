/** `eval --data` on a CSV: the new file is a series of its own; its first window rows are only context. */
import { strict as assert } from 'node:assert';
import { prepareDataset, type Example } from '../../../src/data';
import { files, specOf, throwsDataError } from './helpers';

const csv = (values: number[]) => 'v\n' + values.join('\n') + '\n';
const examplesOf = (split: { kind: string; examples?: Example[] } | undefined) => (split?.kind === 'examples' ? split.examples! : assert.fail('not examples'));

describe('data: a test file that stands alone (eval --data)', () => {
  const spec = specOf('many-to-one', { train: 'a.csv', test: 'b.csv', window: 3, normalize: false, validation: { fraction: 0 } });
  const read = files({ 'a.csv': csv([1, 2, 3, 4, 5, 6]), 'b.csv': csv([100, 101, 102, 103, 104]) });

  it('takes its context from its own first rows, never from the training series', () => {
    const alone = examplesOf(prepareDataset(spec, read, undefined, { testStandsAlone: true }).test);
    assert.deepEqual(alone.map((e) => [...e.input, ...e.target!]), [[100, 101, 102, 103], [101, 102, 103, 104]]);
    assert.deepEqual(alone.map((e) => `${e.file}:${e.line}`), ['b.csv:5', 'b.csv:6']);
    // the run's own data.test continues the training series, as before
    const continued = examplesOf(prepareDataset(spec, read).test);
    assert.equal(continued.length, 5);
    assert.deepEqual([...continued[0].input], [4, 5, 6]);
  });

  it('a file shorter than one window is an error naming it', () => {
    throwsDataError(() => prepareDataset(spec, files({ 'a.csv': csv([1, 2, 3, 4, 5, 6]), 'b.csv': csv([1, 2, 3]) }), undefined, { testStandsAlone: true }),
      'b.csv', 4, 1, /too few rows for one evaluation window: expected at least 4 rows/);
  });
});
