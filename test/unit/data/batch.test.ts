import { strict as assert } from 'node:assert';
import { dataInfo, inferSpecFromDataset, makeBatch, prepareDataset, toNetworkConfig, type Example } from '../../../src/data';
import { resolveSpec } from '../../../src/modelSpec';
import { files, specOf, utf8 } from './helpers';

const examplesOf = (split: { kind: string; examples?: Example[] }) => (split.kind === 'examples' ? split.examples! : assert.fail('not examples'));
const noValidation = { validation: { fraction: 0 } };

describe('data: makeBatch and toNetworkConfig', () => {
  it('token inputs: time-major T×B, padded with <pad>, lengths and class labels', () => {
    const spec = specOf('many-to-one', { train: 'd.jsonl', ...noValidation });
    const data = prepareDataset(spec, files({ 'd.jsonl': '{"input": "abc", "label": "x"}\n{"input": "b", "label": "y"}\n' }));
    const batch = makeBatch(examplesOf(data.train), data);
    const id = (t: string) => data.inputVocab!.id(t);
    assert.equal(batch.steps, 3);
    assert.deepEqual(Array.from(batch.lengths), [3, 1]);
    assert.deepEqual(Array.from(batch.tokens!), [id('a'), id('b'), id('b'), 0, id('c'), 0]);
    assert.deepEqual(Array.from(batch.classLabels!), [0, 1]);
    const config = toNetworkConfig(spec, data);
    assert.deepEqual(config.input, { kind: 'tokens', vocabSize: data.inputVocab!.size, embeddingSize: 32 });
    assert.deepEqual(config.output, { kind: 'classes', size: 2 });
  });

  it('feature inputs: T×B×X, aligned tags with −1 padding', () => {
    const spec = specOf('many-to-many', { train: 'd.jsonl', normalize: false, ...noValidation });
    const data = prepareDataset(spec, files({ 'd.jsonl': '{"input": [[1,2],[3,4]], "labels": ["A","B"]}\n{"input": [[5,6]], "labels": ["B"]}\n' }));
    const batch = makeBatch(examplesOf(data.train), data);
    assert.deepEqual(Array.from(batch.features!), [1, 2, 5, 6, 3, 4, 0, 0]);
    assert.deepEqual(Array.from(batch.targetTokens!), [0, 1, 1, -1]);
    assert.deepEqual(toNetworkConfig(spec, data).input, { kind: 'features', size: 2 });
  });

  it('seq2seq: decoder input <bos> y…, decoder target y… <eos>, −1 after', () => {
    const spec = specOf('seq2seq', { train: 'p.tsv', ...noValidation });
    const data = prepareDataset(spec, files({ 'p.tsv': 'ab\txyz\nb\ty\n' }));
    const batch = makeBatch(examplesOf(data.train), data);
    const v = data.outputVocab!;
    const [x, y, z] = ['x', 'y', 'z'].map((t) => v.id(t));
    assert.equal(batch.decoderSteps, 4);
    assert.deepEqual(Array.from(batch.decoderInput!), [v.bos, v.bos, x, y, y, 0, z, 0]);
    assert.deepEqual(Array.from(batch.decoderTarget!), [x, y, y, v.eos, z, -1, v.eos, -1]);
    assert.deepEqual(Array.from(batch.decoderLengths!), [4, 2]);
    const config = toNetworkConfig(spec, data);
    assert.deepEqual(config.output, { kind: 'classes', size: v.size });
    assert.deepEqual(config.decoder, { vocabSize: v.size, embeddingSize: 32 });
  });

  it('one-to-many: init vectors B×V and no input steps; regression: values output', () => {
    const spec = specOf('one-to-many', { train: 'g.jsonl', ...noValidation });
    const data = prepareDataset(spec, files({ 'g.jsonl': '{"input": [1, 2], "target": "ab"}\n{"input": [3, 4], "target": "b"}\n' }));
    const batch = makeBatch(examplesOf(data.train), data);
    assert.equal(batch.steps, 0);
    assert.deepEqual(Array.from(batch.initVectors!), [1, 2, 3, 4]);
    assert.equal(toNetworkConfig(spec, data).initVectorSize, 2);

    const series = specOf('many-to-many', { train: 's.csv', window: 2, normalize: false, ...noValidation });
    const ts = prepareDataset(series, files({ 's.csv': 'v\n1\n2\n3\n4\n5\n' }));
    const tsBatch = makeBatch(examplesOf(ts.train), ts);
    assert.deepEqual(Array.from(tsBatch.lengths), [2, 2]);
    assert.deepEqual(Array.from(tsBatch.targetValues!), [2, 4, 3, 5]);
    assert.deepEqual(toNetworkConfig(series, ts).output, { kind: 'values', size: 1 });
  });

  it('a text LM predicts its own vocabulary', () => {
    const spec = specOf('many-to-many', { train: 'b.txt' });
    const data = prepareDataset(spec, files({ 'b.txt': 'hello world' }));
    assert.deepEqual(toNetworkConfig(spec, data).output, { kind: 'classes', size: data.inputVocab!.size });
  });
});

describe('data: spec inference and dataset info', () => {
  it('infers format, task and key names from the first records, and the result resolves', () => {
    const cases: [string, string, string][] = [
      ['book.txt', 'Call me Ishmael.', 'many-to-many'],
      ['pairs.tsv', 'hello\tbonjour\n', 'seq2seq'],
      ['s.csv', 'date,a,b\n2020-01,1,2\n2020-02,3,4\n', 'many-to-one'],
      ['c.jsonl', '{"text": "good film", "sentiment": "pos"}\n', 'many-to-one'],
      ['t.jsonl', '{"input": ["I", "run"], "tags": ["PRON", "VERB"]}\n', 'many-to-many'],
      ['s.jsonl', '{"source": "abc", "target": "cba"}\n', 'seq2seq'],
      ['g.jsonl', '{"input": [1, 0], "target": "hi"}\n', 'one-to-many'],
      ['r.jsonl', '{"input": [1, 2], "target": 0.5}\n', 'many-to-one'],
      ['noext', '{"input": "ab", "label": 1}\n', 'many-to-one'],
    ];
    for (const [name, text, task] of cases) {
      const spec = inferSpecFromDataset(name, utf8(text));
      assert.equal(spec.task, task, name);
      const resolved = resolveSpec(spec);
      assert.doesNotThrow(() => prepareDataset({ ...resolved, data: { ...resolved.data, validation: { fraction: 0, stratify: false } } }, files({ [name]: text })), name);
    }
    const classifier = inferSpecFromDataset('c.jsonl', utf8('{"text": "good film", "sentiment": "pos"}\n'));
    assert.deepEqual([classifier.data.inputKey, classifier.data.labelKey, classifier.data.unit], ['text', 'sentiment', 'word']);
    assert.deepEqual(classifier.data.validation, { fraction: 0.1, stratify: true }, 'a new classifier spec shows its stratified split');
    assert.deepEqual(inferSpecFromDataset('s.csv', utf8('date,a,b\n2020-01,1,2\n')).data.columns, ['a', 'b']);
    // A counting column (year, index) is left out of the inputs; a lone column stays.
    assert.deepEqual(inferSpecFromDataset('y.csv', utf8('year,units\n1990,5\n1991,7\n1992,6\n1993,9\n')).data.columns, ['units']);
    assert.deepEqual(inferSpecFromDataset('i.csv', utf8('t\n1\n2\n3\n')).data.columns, ['t']);
    assert.equal(inferSpecFromDataset('t.jsonl', utf8('{"input": ["I", "run"], "tags": ["PRON", "VERB"]}\n')).data.labelsKey, 'tags');
  });

  it('dataInfo counts records and never throws', () => {
    assert.deepEqual(dataInfo('s.csv', utf8('a,b\n1,2\n3,4\n')), { format: 'csv', records: 2, sizeBytes: 12, detectedTask: 'many-to-one' });
    const broken = dataInfo('x.jsonl', utf8('{"a": 1}\nnot json'));
    assert.equal(broken.records, 2);
    assert.equal(broken.detectedTask, undefined);
    assert.match(broken.error!, /x\.jsonl:2:1: invalid JSON/);
  });
});
