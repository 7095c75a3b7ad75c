import { strict as assert } from 'node:assert';
import { countCodePoints, datasetFacts } from '../../../src/extension/dataScan/datasetFacts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('dataset facts (the Datasets view, computed in the data-scan worker)', () => {
  it('counts characters as code points from the bytes, a BOM excluded', () => {
    for (const text of ['', 'abc', 'ça va? 🙂\n', 'e\u0301', '日本語\r\n']) assert.equal(countCodePoints(bytes(text)), [...text].length, JSON.stringify(text));
    assert.equal(countCodePoints(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), 1);
  });

  it('records: non-blank lines of JSONL, rows below the CSV header, characters of text; and the purpose', () => {
    assert.deepEqual(datasetFacts('t.jsonl', bytes('{"input":"ab","label":"A"}\n\n{"input":"b","label":"B"}\n  \n')), { records: 2, purpose: 'classification' });
    assert.deepEqual(datasetFacts('s.csv', bytes('t,value\n1,2\n2,3\n3,4\n')), { records: 3, purpose: 'time series' });
    assert.deepEqual(datasetFacts('notes.txt', bytes('hello 🙂')), { records: 7, purpose: 'character LM' });
    assert.equal(datasetFacts('x.bin', bytes('?')), undefined);
  });
});
