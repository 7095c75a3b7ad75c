import { strict as assert } from 'node:assert';
import { inferSpecFromDataset, prepareDataset, type Example } from '../../../src/data';
import { resolveSpec, specTextIssues } from '../../../src/modelSpec';
import { files, specOf, throwsDataError, utf8 } from './helpers';

const examplesOf = (split: { kind: string; examples?: Example[] } | undefined) => (split?.kind === 'examples' ? split.examples! : assert.fail('not examples'));
const noValidation = { validation: { fraction: 0 } };

describe('data: CSV and TSV records with a header', () => {
  it('inputKey with labelKey reads a CSV classifier (quoted cells, lowercase applied), not a time series', () => {
    const spec = specOf('many-to-one', { train: 'r.csv', unit: 'word', lowercase: true, inputKey: 'text', labelKey: 'class', ...noValidation });
    assert.equal(spec.data.records, true);
    const data = prepareDataset(spec, files({ 'r.csv': 'id,text,class\n1,"Good, GOOD film",pos\n2,bad film,neg\n' }));
    assert.equal(data.kind, 'records');
    assert.deepEqual(data.labels, ['neg', 'pos']);
    const [first, second] = examplesOf(data.train);
    assert.deepEqual(data.inputVocab!.decode(first.input as Int32Array), 'good, good film');
    assert.deepEqual([first.label, second.label, first.line, second.line], [1, 0, 2, 3]);
  });

  it('a TSV tagger: space-separated tokens and tags with equal counts; a numeric target column is regression', () => {
    const tagger = specOf('many-to-many', { train: 't.tsv', inputKey: 'words', labelsKey: 'tags', ...noValidation });
    const data = prepareDataset(tagger, files({ 't.tsv': 'words\ttags\nthe dog runs\tD N V\n\ndogs  run\tN V\n' }));
    assert.deepEqual(data.labels, ['D', 'N', 'V']);
    const train = examplesOf(data.train);
    assert.deepEqual(train.map((e) => Array.from(e.labels!)), [[0, 1, 2], [1, 2]]);
    assert.equal(data.inputVocab!.decode(train[1].input as Int32Array), 'dogs run');
    const regression = specOf('many-to-one', { train: 'v.csv', unit: 'word', inputKey: 'text', targetKey: 'score', ...noValidation });
    const values = prepareDataset(regression, files({ 'v.csv': 'text,score\na b,1.5\nc,-2\n' }));
    assert.deepEqual(examplesOf(values.train).map((e) => e.target![0]), [1.5, -2]);
    const pairs = specOf('seq2seq', { train: 'p.tsv', inputKey: 'en', targetKey: 'fr', unit: 'word', ...noValidation });
    const translated = prepareDataset(pairs, files({ 'p.tsv': 'en\tfr\nthe cat\tle chat\n' }));
    assert.deepEqual(translated.outputVocab!.tokens.slice(4), ['chat', 'le']);
  });

  it('errors name the cell: unequal tag counts, an empty label, a non-numeric target, a missing column, a short TSV row', () => {
    const tagger = specOf('many-to-many', { train: 't.tsv', inputKey: 'words', labelsKey: 'tags' });
    throwsDataError(() => prepareDataset(tagger, files({ 't.tsv': 'words\ttags\na b\tX Y\nthe dog runs\tD N\n' })), 't.tsv', 3, 14,
      /column "tags": expected 3 space-separated tags \(one per token of "words"\), got 2/);
    throwsDataError(() => prepareDataset(tagger, files({ 't.tsv': 'words\ttags\na b\tX Y\nc\n' })), 't.tsv', 3, 2, /expected 2 tab-separated cells as in the header, got 1/);
    throwsDataError(() => prepareDataset(tagger, files({ 't.tsv': 'word\ttags\na\tX\n' })), 't.tsv', 1, 1, /no column "words" in the header: expected one of "word", "tags"/);
    const classifier = specOf('many-to-one', { train: 'r.csv', inputKey: 'text', labelKey: 'class' });
    throwsDataError(() => prepareDataset(classifier, files({ 'r.csv': 'text,class\nab,x\n"c,d",\n' })), 'r.csv', 3, 7, /column "class": expected a label/);
    throwsDataError(() => prepareDataset(classifier, files({ 'r.csv': 'text,class\n,x\n' })), 'r.csv', 2, 1, /column "text": empty sequence/);
    const regression = specOf('many-to-one', { train: 'v.csv', inputKey: 'text', targetKey: 'score' });
    throwsDataError(() => prepareDataset(regression, files({ 'v.csv': 'text,score\nab,1\ncd,high\n' })), 'v.csv', 3, 4, /column "score": expected a number \(regression target\), got "high"/);
    throwsDataError(() => prepareDataset(regression, files({ 'v.csv': 'text,other\nab,1\n' })), 'v.csv', 1, 1, /no column "score" in the header/);
  });

  it('without inputKey and a label or target key, CSV stays a time series and TSV headerless pairs', () => {
    const series = specOf('many-to-one', { train: 's.csv', window: 2, labelKey: 'x' });
    assert.equal(series.data.records, false);
    assert.equal(prepareDataset(series, files({ 's.csv': 'a\n1\n2\n3\n4\n' })).kind, 'timeseries');
    const pairs = specOf('seq2seq', { train: 'p.tsv', targetKey: 'fr' });
    assert.equal(pairs.data.records, false);
    assert.equal(examplesOf(prepareDataset(pairs, files({ 'p.tsv': 'ab\tba\ncd\tdc\n' })).train).length + 0 >= 1, true);
    const explicit = specOf('many-to-one', { train: 's.csv', window: 2, inputKey: 'a', labelKey: 'b', records: false });
    assert.equal(explicit.data.records, false, 'records: false keeps a time series whatever keys are set');
    const old = { ...series, data: { ...series.data } };
    delete old.data.records;
    assert.equal(prepareDataset(old, files({ 's.csv': 'a\n1\n2\n3\n4\n' })).kind, 'timeseries', 'a stored spec without records reads as before');
  });

  it('the spec: tasks of table records, a tokenizer needs words, misspelt keys get a suggestion', () => {
    const spec = (data: object, task = 'many-to-one') => JSON.stringify({ task, data, model: { cell: 'gru' } }, null, 2);
    const [task] = specTextIssues(spec({ train: 'a.csv', inputKey: 'x', targetKey: 'y' }, 'one-to-many'));
    assert.equal(task.path, '/task');
    assert.match(task.message, /"csv" records .* supports task "many-to-one" or "many-to-many" or "seq2seq", got "one-to-many"/);
    const charText = spec({ train: 'a.txt', tokenizer: 'words' }, 'many-to-many');
    const [tokenizer] = specTextIssues(charText);
    assert.equal(tokenizer.path, '/data/tokenizer');
    assert.match(tokenizer.message, /a tokenizer cuts words: expected "data.unit" "word", got "char"/);
    assert.deepEqual([tokenizer.line, tokenizer.column], [5, 18], "at the value");
    const [side] = specTextIssues(spec({ train: 'a.jsonl', unit: 'word', sourceUnit: 'char', sourceTokenizer: 'words' }, 'seq2seq'));
    assert.equal(side.path, '/data/sourceTokenizer');
    const [typo] = specTextIssues(spec({ train: 'a.jsonl', minCont: 2 }));
    assert.match(typo.message, /unknown key "minCont": did you mean "minCount"\?/);
    const [range] = specTextIssues(spec({ train: 'a.jsonl', minCount: 0 }));
    assert.equal(range.path, '/data/minCount');
    const maxText = spec({ train: 'a.jsonl', targetMaxVocabulary: 0 }, 'seq2seq');
    const [max] = specTextIssues(maxText);
    assert.equal(max.path, '/data/targetMaxVocabulary');
    assert.deepEqual([max.line, max.column], [5, 28]);
    const [lower] = specTextIssues(spec({ train: 'a.jsonl', sourceLowercase: 'yes' }, 'seq2seq'));
    assert.equal(lower.path, '/data/sourceLowercase');
    assert.match(lower.message, /expected true or false, got "yes"/);
    const [words] = specTextIssues(spec({ train: 'a.jsonl', tokenizer: 'word' }));
    assert.equal(words.path, '/data/tokenizer');
    assert.match(words.message, /"whitespace".*"words"/);
    assert.deepEqual(resolveSpec(JSON.parse(spec({ train: 'a.jsonl' }))).data.maxVocabulary, null);
  });

  it('init and the wizard: word data gets lowercase, minCount 2 and the words tokenizer; a CSV/TSV header of text and label is records', () => {
    const infer = (name: string, text: string) => {
      const spec = inferSpecFromDataset(name, utf8(text));
      const resolved = resolveSpec(spec);
      assert.doesNotThrow(() => prepareDataset({ ...resolved, data: { ...resolved.data, validation: { fraction: 0, stratify: false } } }, files({ [name]: text })), name);
      return spec;
    };
    const words = infer('c.jsonl', '{"text": "Good film.", "label": "pos"}\n');
    assert.deepEqual([words.data.unit, words.data.lowercase, words.data.tokenizer, words.data.minCount], ['word', true, 'words', 2]);
    const tagger = infer('t.jsonl', '{"input": ["I", "run"], "tags": ["PRON", "VERB"]}\n');
    assert.deepEqual([tagger.data.lowercase, tagger.data.tokenizer, tagger.data.minCount], [true, undefined, 2], 'arrays are never re-cut');
    const chars = infer('n.jsonl', '{"input": "abc", "label": 1}\n');
    assert.deepEqual([chars.data.lowercase, chars.data.minCount], [undefined, undefined], 'characters keep case and every character');
    const pairs = infer('p.tsv', 'the cat\tle chat\n');
    assert.deepEqual([pairs.data.sourceLowercase, pairs.data.targetLowercase, pairs.data.targetTokenizer, pairs.data.targetMinCount], [true, undefined, 'words', 2], 'a generated target keeps its case');
    const csv = infer('r.csv', 'id,text,label\n1,"a fine film",pos\n2,dull,neg\n');
    assert.deepEqual([csv.task, csv.data.inputKey, csv.data.labelKey, csv.data.unit], ['many-to-one', 'text', 'label', 'word']);
    assert.equal(resolveSpec(csv).data.records, true);
    const tsv = infer('t.tsv', 'words\ttags\nthe dog\tD N\n');
    assert.deepEqual([tsv.task, tsv.data.inputKey, tsv.data.labelsKey], ['many-to-many', 'words', 'tags']);
    assert.equal(infer('s.csv', 'date,a\n2020,1\n2021,3\n').data.inputKey, undefined, 'numbers stay a time series');
  });
});
