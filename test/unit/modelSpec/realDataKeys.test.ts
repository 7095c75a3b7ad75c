/**
 * Spec keys of issue 10 owned by labels/lengths/batching/classification: resolved defaults (every
 * new key written) and positioned errors for bad values.
 */
import { strict as assert } from 'node:assert';
import { parseSpec, specTextIssues } from '../../../src/modelSpec';

const spec = (task: string, train: string, extra: { data?: object; training?: object } = {}) =>
  JSON.stringify({ task, data: { train, ...extra.data }, model: { cell: 'gru' }, ...(extra.training && { training: extra.training }) }, null, 2);

/** The single issue of a spec text, as `line:column path: message`. */
function issue(text: string): string {
  const issues = specTextIssues(text);
  assert.equal(issues.length, 1, JSON.stringify(issues));
  const [i] = issues;
  return `${i.line}:${i.column} ${i.path}: ${i.message}`;
}

/** 1-based line:column of the first occurrence of `needle`. */
function at(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

describe('spec: lengths, batching, class weights, stratify, monitor', () => {
  it('a new spec records every new key with its default', () => {
    const classifier = parseSpec(spec('many-to-one', 'a.jsonl'), 'm.rnn.json');
    assert.deepEqual(
      [classifier.data.maxLength, classifier.data.sourceMaxLength, classifier.data.targetMaxLength, classifier.data.truncate, classifier.data.batching],
      [null, null, null, 'end', 'bucket'],
    );
    assert.deepEqual(classifier.data.validation, { fraction: 0.1, stratify: true });
    assert.equal(classifier.training.classWeights, null);
    const tagger = parseSpec(spec('many-to-many', 'a.jsonl', { data: { maxLength: 50 } }), 'm.rnn.json');
    assert.deepEqual(tagger.data.validation, { fraction: 0.1, stratify: false });
    const s2s = parseSpec(spec('seq2seq', 'a.tsv', { data: { maxLength: 40, targetMaxLength: 20, truncate: 'start' } }), 'm.rnn.json');
    assert.deepEqual([s2s.data.sourceMaxLength, s2s.data.targetMaxLength, s2s.data.truncate], [40, 20, 'start']);
    const early = parseSpec(spec('many-to-one', 'a.jsonl', { training: { earlyStopping: { monitor: 'validation macroF1' }, classWeights: { a: 2 } } }), 'm.rnn.json');
    assert.equal(early.training.earlyStopping!.monitor, 'validation macroF1');
    assert.deepEqual(early.training.classWeights, { a: 2 });
    assert.equal(parseSpec(spec('many-to-one', 'a.jsonl', { data: { validation: 'v.jsonl' } }), 'm.rnn.json').data.validation, 'v.jsonl');
  });

  it('bad values are errors at their file position, with what was expected', () => {
    let text = spec('many-to-one', 'a.jsonl', { data: { batching: 'buckets' } });
    assert.equal(issue(text), `${at(text, '"buckets"')} /data/batching: expected one of "bucket", "random", got "buckets" (did you mean "bucket"?)`);
    text = spec('many-to-one', 'a.jsonl', { data: { truncate: 'middle' } });
    assert.equal(issue(text), `${at(text, '"middle"')} /data/truncate: expected one of "end", "start", got "middle"`);
    text = spec('many-to-one', 'a.jsonl', { data: { maxLength: 0 } });
    assert.equal(issue(text), `${at(text, '0\n')} /data/maxLength: expected an integer ≥ 1, got 0`);
    text = spec('many-to-one', 'a.jsonl', { data: { validation: { fraction: 0.2, stratifY: true } } });
    assert.match(issue(text), new RegExp(`^${at(text, '"stratifY"')} /data/validation/stratifY: unknown key "stratifY": did you mean "stratify"\\?`));
    text = spec('many-to-one', 'a.jsonl', { training: { classWeights: { a: -1 } } });
    assert.match(issue(text), new RegExp(`^${at(text, '-1')} /training/classWeights/a: expected .*> 0.*got -1`));
    text = spec('many-to-one', 'a.jsonl', { training: { classWeights: 'balance' } });
    assert.match(issue(text), new RegExp(`^${at(text, '"balance"')} /training/classWeights: expected .*"balanced"`));
    text = spec('many-to-one', 'a.jsonl', { training: { earlyStopping: { monitor: 'val loss' } } });
    assert.equal(issue(text), `${at(text, '"val loss"')} /training/earlyStopping/monitor: expected a string matching /^(validation|train) \\S+$/ such as "validation loss", "validation accuracy", "validation tokenAccuracy", got "val loss"`);
    text = spec('many-to-many', 'a.txt', { data: { maxLength: 20 } });
    assert.equal(issue(text), `${at(text, '20')} /data/maxLength: expected null or no "maxLength": it applies to records (JSONL, TSV), not to "text" data (use "sequenceLength")`);
  });
});
