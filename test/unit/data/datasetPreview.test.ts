import { strict as assert } from 'node:assert';
import { previewDataset } from '../../../src/data/preview/datasetPreview';
import { lengthStats, percentile } from '../../../src/data/preview/lengthStats';
import { timeGaps } from '../../../src/data/preview/seriesPreview';
import { files, specOf, throwsDataError } from './helpers';

const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('dataset preview', () => {
  it('percentiles are nearest-rank and the histogram counts every length once', () => {
    const lengths = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(lengths, 50), 50);
    assert.equal(percentile(lengths, 99), 99);
    const stats = lengthStats(lengths, 'characters', 'records', { key: 'data.maxLength', value: 90 })!;
    assert.equal(stats.histogram.reduce((a, b) => a + b.count, 0), 100);
    assert.ok(stats.histogram.length <= 24);
    assert.deepEqual(stats.percentiles.map((p) => p.value), [50, 90, 95, 99]);
    assert.equal(stats.limit?.over, 10);
    assert.equal(stats.min, 1);
    assert.equal(stats.max, 100);
  });

  it('classification: class balance, and a classWeights warning above 3:1 only', () => {
    const records = [...Array.from({ length: 40 }, (_, i) => ({ input: `good ${i}`, label: 'pos' })), ...Array.from({ length: 10 }, (_, i) => ({ input: `bad ${i}`, label: 'neg' }))];
    const spec = specOf('many-to-one', { train: 'a.jsonl', validation: { fraction: 0 } });
    const preview = previewDataset(spec, files({ 'a.jsonl': jsonl(records) }), 'spec a.rnn.json');
    assert.deepEqual(preview.classes?.counts, [{ name: 'pos', count: 40 }, { name: 'neg', count: 10 }]);
    assert.equal(preview.classes?.ratio, 4);
    assert.match(preview.classes?.warning ?? '', /4\.0:1.*classWeights/);
    const even = previewDataset(spec, files({ 'a.jsonl': jsonl(records.slice(0, 30)) }), 'x');
    assert.equal(even.classes?.warning, undefined, 'one class: no ratio to warn about');
    const three = previewDataset(spec, files({ 'a.jsonl': jsonl([...records.slice(0, 30), ...records.slice(40)]) }), 'x');
    assert.equal(three.classes?.ratio, 3);
    assert.equal(three.classes?.warning, undefined, '3:1 is not above 3:1');
    assert.equal(preview.records.train, 50);
    assert.deepEqual(preview.firstRecords.columns, ['input', 'label']);
    assert.deepEqual(preview.firstRecords.rows[0], ['good 0', 'pos']);
    assert.deepEqual(preview.firstRecords.lines.slice(0, 2), [1, 2]);
  });

  it('tagging: the tag set with counts; lengths are measured before maxLength cuts them', () => {
    const records = [{ input: ['the', 'dog', 'runs'], labels: ['DET', 'NOUN', 'VERB'] }, { input: ['a', 'cat'], labels: ['DET', 'NOUN'] },
      { input: ['dogs', 'run', 'far', 'away', 'now'], labels: ['NOUN', 'VERB', 'ADV', 'ADV', 'ADV'] }];
    const spec = specOf('many-to-many', { train: 't.jsonl', validation: { fraction: 0 }, maxLength: 3 });
    const preview = previewDataset(spec, files({ 't.jsonl': jsonl(records) }), 'x');
    assert.deepEqual(preview.tags, [{ name: 'ADV', count: 3 }, { name: 'NOUN', count: 3 }, { name: 'DET', count: 2 }, { name: 'VERB', count: 2 }]);
    assert.equal(preview.lengths?.max, 5);
    assert.deepEqual(preview.lengths?.limit, { key: 'data.maxLength', value: 3, over: 1 });
  });

  it('text: the vocabulary at the spec settings, top tokens and the unknown share of held-out tokens', () => {
    const train = 'the cat sat on the mat\nthe dog sat\n';
    const spec = specOf('many-to-many', { train: 'a.txt', unit: 'word', minCount: 2, test: 'b.txt', validation: { fraction: 0 } });
    const preview = previewDataset(spec, files({ 'a.txt': train, 'b.txt': 'the bird sat on a log\n' }), 'x');
    const [vocab] = preview.vocabularies;
    assert.equal(vocab.size, 4, '<pad>, <unk>, the, sat');
    assert.deepEqual(vocab.top.slice(0, 3), [{ name: 'the', count: 3 }, { name: '<unk>', count: 4 }, { name: 'sat', count: 2 }].sort((a, b) => b.count - a.count));
    assert.deepEqual(vocab.unknown, [{ split: 'test', tokens: 6, unknown: 4 }]);
    assert.match(vocab.settings, /minCount 2/);
    assert.equal(preview.records.unit, 'words');
    assert.equal(preview.lengths?.of, 'lines');
    assert.deepEqual(preview.lengths?.histogram.map((b) => b.count).filter((n) => n > 0), [1, 1]);
  });

  it('seq2seq (TSV): a source and a target vocabulary', () => {
    const spec = specOf('seq2seq', { train: 'p.tsv', validation: { fraction: 0 } });
    const preview = previewDataset(spec, files({ 'p.tsv': 'ab\tba\nabc\tcba\n' }), 'x');
    assert.deepEqual(preview.vocabularies.map((v) => v.side), ['source', 'target']);
    assert.deepEqual(preview.firstRecords.columns, ['source', 'target']);
    assert.deepEqual(preview.firstRecords.rows[1], ['abc', 'cba']);
  });

  it('CSV: columns against the time column, missing cells, gaps and the validation boundary', () => {
    const rows = ['date,temp,rain'];
    const days = ['01', '02', '03', '04', '07', '08', '09', '10', '11', '12'];
    days.forEach((d, i) => rows.push(`2024-01-${d},${i === 2 ? '' : 10 + i},${i}`));
    const spec = specOf('many-to-one', { train: 's.csv', time: 'date', columns: ['temp', 'rain'], target: 'temp', window: 2, missing: 'interpolate', validation: { fraction: 0.2 } });
    const preview = previewDataset(spec, files({ 's.csv': rows.join('\n') + '\n' }), 'x');
    const series = preview.series!;
    assert.equal(series.x.kind, 'date');
    assert.equal(series.x.values.length, 10);
    assert.deepEqual(series.columns.map((c) => [c.name, c.missing]), [['temp', 1], ['rain', 0]]);
    assert.equal(series.columns[0].values[2], null);
    assert.deepEqual(series.gaps, [{ from: Date.UTC(2024, 0, 4), to: Date.UTC(2024, 0, 7) }]);
    assert.deepEqual(series.boundaries, [{ split: 'validation', x: Date.UTC(2024, 0, 11) }]);
    assert.deepEqual(preview.firstRecords.columns, ['date', 'temp', 'rain']);
  });

  it('time gaps: a month of 31 days among 30-day months is no gap', () => {
    const day = 86400000;
    assert.deepEqual(timeGaps([0, 31, 59, 90, 120].map((d) => d * day)), []);
    assert.deepEqual(timeGaps([0, 1, 2, 5, 6]), [{ from: 2, to: 5 }]);
  });

  it('a bad file is a DataError at file:line:column, as training reports it', () => {
    const spec = specOf('many-to-one', { train: 'a.jsonl' });
    throwsDataError(() => previewDataset(spec, files({ 'a.jsonl': '{"input": "ab", "label": "x"}\n{"input": "ab", "label": \n' }), 'x'), 'a.jsonl', 2, 26, /JSON/);
  });
});
