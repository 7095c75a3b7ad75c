import { strict as assert } from 'node:assert';
import { prepareDataset, type Example } from '../../../src/data';
import { UNSEEN_TARGET } from '../../../src/engine/losses';
import { files, specOf, throwsDataError } from './helpers';

const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const examplesOf = (split: { kind: string; examples?: Example[] } | undefined) => (split?.kind === 'examples' ? split.examples! : assert.fail('not examples'));
const noValidation = { validation: { fraction: 0 } };

describe('data: JSONL records', () => {
  it('many-to-one classification: string sequences, labels compared as strings and sorted numerically', () => {
    const text = jsonl([{ input: 'ab', label: 10 }, { input: 'ba', label: '2' }, { input: 'abc', label: '10' }]);
    const data = prepareDataset(specOf('many-to-one', { train: 'd.jsonl', ...noValidation }), files({ 'd.jsonl': text }));
    assert.deepEqual(data.labels, ['2', '10']);
    const [a, b, c] = examplesOf(data.train);
    assert.deepEqual([a.label, b.label, c.label], [1, 0, 1]);
    assert.equal(c.steps, 3);
    assert.deepEqual(Array.from(c.input), ['a', 'b', 'c'].map((t) => data.inputVocab!.id(t)));
    assert.deepEqual([a.line, a.file], [1, 'd.jsonl']);
  });

  it('word unit and token arrays; custom key names', () => {
    const text = jsonl([{ x: 'the cat  sat', y: 'pos' }, { x: ['The', 'dog'], y: 'neg' }]);
    const data = prepareDataset(specOf('many-to-one', { train: 'd.jsonl', unit: 'word', inputKey: 'x', labelKey: 'y', ...noValidation }), files({ 'd.jsonl': text }));
    const [a, b] = examplesOf(data.train);
    assert.equal(a.steps, 3);
    assert.equal(b.steps, 2);
    assert.notEqual(data.inputVocab!.id('The'), data.inputVocab!.id('the'));
  });

  it('numeric features are z-scored with training statistics, which are stored', () => {
    const text = jsonl([{ input: [[1, 10], [3, 30]], label: 'a' }, { input: [[5, 50]], label: 'b' }]);
    const data = prepareDataset(specOf('many-to-one', { train: 'd.jsonl', ...noValidation }), files({ 'd.jsonl': text }));
    assert.equal(data.featureSize, 2);
    assert.deepEqual(data.normalization!.mean, [3, 30]);
    const std = Math.sqrt(8 / 3);
    assert.ok(Math.abs(data.normalization!.std[0] - std) < 1e-12);
    const [a] = examplesOf(data.train);
    assert.ok(Math.abs(a.input[0] - (1 - 3) / std) < 1e-6);
    const raw = prepareDataset(specOf('many-to-one', { train: 'd.jsonl', normalize: false, ...noValidation }), files({ 'd.jsonl': text }));
    assert.equal(raw.normalization, undefined);
    assert.deepEqual(Array.from(examplesOf(raw.train)[0].input), [1, 10, 3, 30]);
  });

  it('many-to-one regression, aligned tagging, seq2seq and one-to-many shapes', () => {
    const regression = prepareDataset(specOf('many-to-one', { train: 'r.jsonl', ...noValidation }), files({ 'r.jsonl': jsonl([{ input: [1, 2], target: [0.5, 1] }]) }));
    assert.equal(regression.targetSize, 2);
    assert.deepEqual(Array.from(examplesOf(regression.train)[0].target!), [0.5, 1]);

    const tagging = prepareDataset(specOf('many-to-many', { train: 't.jsonl', ...noValidation }), files({ 't.jsonl': jsonl([{ input: ['I', 'run'], labels: ['PRON', 'VERB'] }]) }));
    assert.deepEqual(tagging.labels, ['PRON', 'VERB']);
    assert.deepEqual(Array.from(examplesOf(tagging.train)[0].labels!), [0, 1]);

    const s2s = prepareDataset(specOf('seq2seq', { train: 's.jsonl', ...noValidation }), files({ 's.jsonl': jsonl([{ source: 'abc', target: 'cba' }]) }));
    const vocab = s2s.outputVocab!;
    assert.deepEqual(vocab.tokens.slice(0, 4), ['<pad>', '<unk>', '<bos>', '<eos>']);
    assert.equal(vocab.decode(examplesOf(s2s.train)[0].targetTokens!), 'cba');

    const gen = prepareDataset(specOf('one-to-many', { train: 'g.jsonl', ...noValidation }), files({ 'g.jsonl': jsonl([{ input: [1, 0], target: 'hi' }]) }));
    const [e] = examplesOf(gen.train);
    assert.equal(gen.initVectorSize, 2);
    assert.deepEqual(Array.from(e.initVector!), [1, 0]);
    assert.equal(e.steps, 0);
  });

  it('the default validation split is a seeded 10% of the records, the same for the same seed', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ input: 'ab'.repeat(1 + (i % 3)), label: i % 2 }));
    const run = (seed: number) => prepareDataset(specOf('many-to-one', { train: 'd.jsonl' }, { training: { seed } }), files({ 'd.jsonl': jsonl(records) }));
    const lines = (seed: number) => examplesOf(run(seed).validation).map((e) => e.line);
    assert.equal(lines(1).length, 5);
    assert.deepEqual(lines(1), lines(1));
    assert.notDeepEqual(lines(1), lines(2));
    const data = run(1);
    const all = [...examplesOf(data.train), ...examplesOf(data.validation)].map((e) => e.line).sort((a, b) => a - b);
    assert.deepEqual(all, records.map((_, i) => i + 1), 'train and validation partition the file');
  });

  it('errors name file:line:column, the value and what was expected', () => {
    const spec = specOf('many-to-one', { train: 'd.jsonl', ...noValidation });
    const check = (text: string, line: number, column: number, reason: RegExp) => throwsDataError(() => prepareDataset(spec, files({ 'd.jsonl': text })), 'd.jsonl', line, column, reason);
    check('{"input": "ab", "label": 1}\n{"input": "ab", "label": }\n', 2, 26, /invalid JSON/);
    check('{"input": "ab", "label": 1}\n\n[1, 2]\n', 3, 1, /expected a JSON object, got \[1,2\]/);
    check('{"input": "ab"}\n', 1, 1, /missing key "label": expected \{"input": <sequence>, "label": <label>\}/);
    check('{"input": "ab", "label": 1}\n{"input": 5, "label": 1}\n', 2, 11, /"input": expected a string, an array of tokens.*got 5/);
    check('{"input": [[1, 2], [3]], "label": 1}\n', 1, 20, /expected 2 features at step 1 \(as at step 0\), got 1/);
    check('{"input": [1, "x"], "label": 1}\n', 1, 15, /"input": expected a finite number, got "x"/);
    check('{"input": [[1], [2]], "label": 1}\n{"input": [[1, 2]], "label": 1}\n', 2, 11, /expected 1 feature\(s\) per step as in the first training record, got 2/);
    check('{"input": "ab", "label": null}\n', 1, 26, /expected a label \(a non-empty string or a number\), got null/);
    check('{"input": "", "label": 1}\n', 1, 11, /empty sequence ""/);
    check('\n\n', 1, 1, /empty file/);
  });

  it('labels a test file has that training lacks are warnings at their first position; label counts that do not match the steps are errors', () => {
    const spec = specOf('many-to-one', { train: 'd.jsonl', test: 't.jsonl', ...noValidation });
    const data = prepareDataset(spec, files({
      'd.jsonl': '{"input": "a", "label": "x"}\n{"input": "b", "label": "z"}\n',
      't.jsonl': '{"input": "a", "label": "x"}\n{"input": "a", "label": "y"}\n{"input": "b", "label": "y"}\n',
    }));
    assert.deepEqual(data.warnings, [{ file: 't.jsonl', line: 2, column: 25, message: 'label "y" is not among the 2 training labels (counted as wrong): 2 occurrences in this file' }]);
    assert.deepEqual(examplesOf(data.test!).map((e) => e.label), [0, UNSEEN_TARGET, UNSEEN_TARGET]);
    assert.deepEqual(data.test!.kind === 'examples' && data.test!.unseenLabels, { y: 2 });
    const tagging = specOf('many-to-many', { train: 'd.jsonl', ...noValidation });
    throwsDataError(() => prepareDataset(tagging, files({ 'd.jsonl': '{"input": "ab", "labels": ["N"]}\n' })), 'd.jsonl', 1, 27, /expected 2 labels \(one per step of "input"\), got 1/);
  });
});
