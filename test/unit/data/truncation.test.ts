import { strict as assert } from 'node:assert';
import { prepareDataset, type Example, type Split } from '../../../src/data';
import { files, specOf } from './helpers';

/** The truncation lines among a dataset's notes (the vocabulary lines are tested in vocabulary.test.ts). */
const truncated = (notes: string[] | undefined) => (notes ?? []).filter((n) => n.startsWith('truncated'));

const examplesOf = (split: Split | undefined): Example[] => (split?.kind === 'examples' ? split.examples : assert.fail('not examples'));
const noValidation = { validation: { fraction: 0 } };
const TAGGED = [
  '{"input": "a b c d e", "labels": ["A", "B", "C", "D", "E"]}',
  '{"input": "a b", "labels": ["A", "B"]}',
  '{"input": "c d e f", "labels": ["C", "D", "E", "F"]}',
].join('\n') + '\n';

describe('data: maxLength and truncate', () => {
  it('a tagger\'s labels are cut with their tokens: "end" keeps the first steps, "start" the last', () => {
    const read = files({ 't.jsonl': TAGGED });
    const cut = (truncate: string) => {
      const data = prepareDataset(specOf('many-to-many', { train: 't.jsonl', unit: 'word', maxLength: 3, truncate, ...noValidation }), read);
      return { data, rows: examplesOf(data.train).map((e) => [e.steps, data.inputVocab!.decode(e.input as Int32Array), Array.from(e.labels!, (l) => data.labels![l]).join(' ')]) };
    };
    const end = cut('end');
    assert.deepEqual(end.rows, [[3, 'a b c', 'A B C'], [2, 'a b', 'A B'], [3, 'c d e', 'C D E']]);
    assert.deepEqual(truncated(end.data.notes), ['truncated 2 of 3 train records to maxLength 3 (truncate "end": the end of each dropped)']);
    assert.deepEqual(cut('start').rows, [[3, 'c d e', 'C D E'], [2, 'a b', 'A B'], [3, 'd e f', 'D E F']]);
    // The labels are still those of the whole file, and nothing is cut without maxLength.
    assert.deepEqual(end.data.labels, ['A', 'B', 'C', 'D', 'E', 'F']);
    assert.deepEqual(truncated(prepareDataset(specOf('many-to-many', { train: 't.jsonl', unit: 'word', ...noValidation }), read).notes), []);
  });

  it('seq2seq: sourceMaxLength and targetMaxLength cut each side; every split is cut and counted', () => {
    const read = files({ 's.tsv': 'abcdef\tuvwxyz\nab\tuv\n', 'v.tsv': 'abcd\tuv\n' });
    const data = prepareDataset(specOf('seq2seq', { train: 's.tsv', validation: 'v.tsv', sourceMaxLength: 3, targetMaxLength: 4 }), read);
    const [first, second] = examplesOf(data.train);
    assert.equal(data.inputVocab!.decode(first.input as Int32Array), 'abc');
    assert.equal(data.outputVocab!.decode(first.targetTokens!), 'uvwx');
    assert.equal(second.steps, 2);
    assert.deepEqual(examplesOf(data.validation).map((e) => e.steps), [3]);
    assert.deepEqual(truncated(data.notes), ['truncated 1 of 2 train, 1 of 1 validation records to sourceMaxLength 3, targetMaxLength 4 (truncate "end": the end of each dropped)']);
  });

  it('numeric features are cut per step, and the normalisation comes from what is kept', () => {
    const read = files({ 'f.jsonl': '{"input": [[1], [2], [100]], "label": 0}\n{"input": [[3], [4]], "label": 1}\n' });
    const data = prepareDataset(specOf('many-to-one', { train: 'f.jsonl', maxLength: 2, ...noValidation }), read);
    assert.deepEqual(examplesOf(data.train).map((e) => e.steps), [2, 2]);
    assert.equal(data.normalization!.mean[0], 2.5, 'mean of 1, 2, 3, 4: the cut 100 is not in it');
  });
});
