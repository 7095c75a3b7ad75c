/** `csvHeaderNames`: a CSV header read by csv-parse as the trainer reads it, for the editor's checks. */
import { strict as assert } from 'node:assert';
import { csvHeaderNames } from '../../../src/data/csvTable';

describe('csvHeaderNames', () => {
  it('unquotes names, keeps a delimiter inside quotes and trims', () => {
    assert.deepEqual(csvHeaderNames('"sales, EUR", units ,"say ""hi"""\n1,2,3\n'), ['sales, EUR', 'units', 'say "hi"']);
  });

  it('skips blank lines and a BOM, and detects ; and tab', () => {
    assert.deepEqual(csvHeaderNames('\uFEFF\n\na;b;c\n1;2;3\n'), ['a', 'b', 'c']);
    assert.deepEqual(csvHeaderNames('time\tvalue\n2020-01-01\t3\n'), ['time', 'value']);
  });

  it('reads only the header: a sample cut inside a later quoted cell still gives it', () => {
    assert.deepEqual(csvHeaderNames('a,b,c\n1,2,"3\n4,5'), ['a', 'b', 'c']);
  });

  it('gives no names for an empty text or a header that does not parse', () => {
    assert.deepEqual(csvHeaderNames(''), []);
    assert.deepEqual(csvHeaderNames('a,"b\n'), []);
  });
});
