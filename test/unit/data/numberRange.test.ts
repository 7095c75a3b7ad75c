/**
 * Numbers beyond what the model holds (float32: ±3.4e38; JSON reads 1e400 as Infinity) in every
 * numeric field of every reader are a DataError at the number, naming it as written — never a
 * silent Infinity or NaN in the examples. The seeded fuzzing of such literals is in fuzz.test.ts.
 */
import { prepareDataset } from '../../../src/data';
import { files, specOf, throwsDataError } from './helpers';

const BEYOND = /is beyond the range of numbers \(±3\.4e38, float32, which the model computes in\): expected a finite number/;
const prepare = (task: string, file: string, text: string, data: Record<string, unknown> = {}) =>
  () => prepareDataset(specOf(task, { train: file, validation: { fraction: 0 }, ...data }), files({ [file]: text }));

describe('data: numbers beyond float32 are positioned errors', () => {
  it('JSONL: inputs (flat and nested), regression targets (a number or a vector), init vectors, numeric sources', () => {
    const ok = '\n{"input": [1, 2], "target": 3}\n';
    const cases: [string, string, number, RegExp][] = [
      ['many-to-one', '{"input": [1, 2, 1e400], "target": 3}' + ok, 18, /^"input": 1e400 is beyond/],
      ['many-to-one', '{"input": [[1, 2], [3, -1E+999]], "target": 3}' + ok, 24, /^"input": -1E\+999 is beyond/],
      ['many-to-one', '{"input": [1, 2], "target": 1e400}' + ok, 29, /^"target": 1e400 is beyond/],
      ['many-to-one', '{"input": [1, 2], "target": [1, 4.5e38]}' + ok, 33, /^"target": 4\.5e38 is beyond/],
      ['many-to-one', '{"input": [1e39], "target": 1}' + ok, 12, /^"input": 1e39 is beyond/],
      ['one-to-many', '{"input": [1, 1e400], "target": "ab"}\n{"input": [1, 2], "target": "cd"}\n', 15, /^"input": 1e400 is beyond/],
      ['one-to-many', '{"input": -2e500, "target": "ab"}\n{"input": 1, "target": "cd"}\n', 11, /^"input": -2e500 is beyond/],
      ['seq2seq', '{"source": [1e400, 2], "target": "ab"}\n{"source": [1, 2], "target": "cd"}\n', 13, /^"source": 1e400 is beyond/],
    ];
    for (const [task, text, column, reason] of cases) {
      throwsDataError(prepare(task, 'a.jsonl', text), 'a.jsonl', 1, column, reason);
      throwsDataError(prepare(task, 'a.jsonl', text), 'a.jsonl', 1, column, BEYOND);
    }
    // a label is a class name: a huge finite number is fine, only Infinity is not
    throwsDataError(prepare('many-to-one', 'a.jsonl', '{"input": "ab", "label": 1e400}\n{"input": "cd", "label": 2}\n'), 'a.jsonl', 1, 26, /^"label": 1e400 is beyond/);
    throwsDataError(prepare('many-to-many', 'a.jsonl', '{"input": "ab", "labels": [1, -1e400]}\n'), 'a.jsonl', 1, 31, /^"labels": -1e400 is beyond/);
  });

  it('CSV: a series cell and a records target, as written', () => {
    throwsDataError(prepare('many-to-one', 's.csv', 'a,b\n1,2\n3,-6e1753\n5,6\n7,8\n', { window: 1 }), 's.csv', 3, 3, /^column "b": "-6e1753" is beyond/);
    throwsDataError(prepare('many-to-one', 's.csv', 'a,b\n1,2\n3,4\n1e39,6\n7,8\n', { window: 1 }), 's.csv', 4, 1, /^column "a": "1e39" is beyond/);
    throwsDataError(prepare('many-to-one', 'r.csv', 'text,y\nab,1\ncd, 2e400\n', { inputKey: 'text', targetKey: 'y' }), 'r.csv', 3, 4, /^column "y": "2e400" is beyond/);
  });
});
