import { strict as assert } from 'node:assert';
import { dataRoleOf } from '../../../src/data/preview/dataRole';
import { answerPreview } from '../../../src/extension/dataScan/datasetPreviewWorker';
import { specOf, utf8 } from './helpers';

const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const train = jsonl(Array.from({ length: 12 }, (_, i) => ({ input: `train ${i}`, label: i % 2 ? 'odd' : 'even' })));
const validation = jsonl([{ input: 'held out 1', label: 'odd' }, { input: 'held out 2', label: 'even' }]);
const test = jsonl([{ input: 'final 1', label: 'even' }]);
const specText = JSON.stringify({ name: 'roles', task: 'many-to-one', model: { cell: 'gru' }, data: { train: 'd/train.jsonl', validation: 'd/val.jsonl', test: 'd/test.jsonl' } });
const files = () => ({ 'd/train.jsonl': utf8(train), 'd/val.jsonl': utf8(validation), 'd/test.jsonl': utf8(test) });

describe('dataset preview: the role of the file in its spec', () => {
  it('dataRoleOf finds data.train, data.validation (a file, not a fraction) and data.test', () => {
    const spec = specOf('many-to-one', { train: 'a.jsonl', validation: 'b.jsonl', test: 'c.jsonl' });
    assert.deepEqual(dataRoleOf(spec.data, (path) => path === 'b.jsonl'), { role: 'validation', path: 'b.jsonl' });
    assert.deepEqual(dataRoleOf(spec.data, (path) => path === 'c.jsonl'), { role: 'test', path: 'c.jsonl' });
    assert.deepEqual(dataRoleOf(spec.data, (path) => path === 'a.jsonl'), { role: 'train', path: 'a.jsonl' });
    assert.equal(dataRoleOf(spec.data, (path) => path === 'other.jsonl'), undefined);
    const fraction = specOf('many-to-one', { train: 'a.jsonl', validation: { fraction: 0.2 } });
    assert.deepEqual(dataRoleOf(fraction.data, () => true), { role: 'train', path: 'a.jsonl' }, 'a fraction names no file');
  });

  for (const [role, path, first] of [['validation', 'd/val.jsonl', 'held out 1'], ['test', 'd/test.jsonl', 'final 1']] as const) {
    it(`a ${role} file: the spec's settings, its role said, its own first records, the spec's splits`, () => {
      const answer = answerPreview({ spec: { text: specText, file: 'models/roles.rnn.json', role }, dataFile: path, files: files() });
      assert.ok('preview' in answer, 'error' in answer ? answer.error : '');
      const { preview } = answer;
      assert.equal(preview.settingsFrom, `spec models/roles.rnn.json (this file is its data.${role})`);
      assert.equal(preview.role, role);
      assert.equal(preview.file, path);
      assert.equal(preview.firstRecords.rows[0][0], first);
      assert.deepEqual(preview.records, { unit: 'records', train: 12, validation: 2, test: 1 });
    });
  }
});
