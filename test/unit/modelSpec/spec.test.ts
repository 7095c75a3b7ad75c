import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeSpecIssues,
  parseSpec,
  resolveSpec,
  SpecError,
  specJsonSchemaText,
  specTextIssues,
  validateSpec,
} from '../../../src/modelSpec';

const minimal = (task: string, train: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ task, data: { train }, model: { cell: 'lstm' }, ...extra }, null, 2);

function issuesOf(text: string) {
  return specTextIssues(text);
}

/** 1-based [line, column] of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): [number, number] {
  const offset = text.indexOf(needle);
  const before = text.slice(0, offset).split('\n');
  return [before.length, before[before.length - 1].length + 1];
}

describe('spec: resolution', () => {
  it('a minimal text spec resolves to a character LM with truncated BPTT k1 = k2 = sequenceLength', () => {
    const spec = parseSpec(minimal('many-to-many', 'data/book.txt'), 'models/book.rnn.json');
    assert.equal(spec.name, 'book');
    assert.equal(spec.version, 1);
    assert.equal(spec.data.format, 'text');
    assert.equal(spec.data.unit, 'char');
    assert.deepEqual(spec.training.bptt, { mode: 'truncated', forwardSteps: 100, backpropSteps: 100 });
    assert.deepEqual(spec.data.validation, { fraction: 0.1, stratify: false });
    assert.equal(spec.model.embeddingSize, 32);
    assert.equal(spec.training.earlyStopping, null);
    assert.equal(spec.data.train, 'data/book.txt', 'paths are kept as written');
  });

  it('sequenceLength sets the truncated window, backpropSteps defaults to forwardSteps', () => {
    const text = JSON.stringify({ task: 'many-to-many', data: { train: 'a.txt', sequenceLength: 40 }, model: { cell: 'gru' } });
    assert.deepEqual(parseSpec(text, 'a.rnn.json').training.bptt, { mode: 'truncated', forwardSteps: 40, backpropSteps: 40 });
    const explicit = JSON.stringify({
      task: 'many-to-many', data: { train: 'a.txt' }, model: { cell: 'gru' },
      training: { bptt: { mode: 'truncated', forwardSteps: 10 } },
    });
    assert.deepEqual(parseSpec(explicit, 'a.rnn.json').training.bptt, { mode: 'truncated', forwardSteps: 10, backpropSteps: 10 });
  });

  it('records default to full BPTT, and optimizer defaults follow the optimizer type', () => {
    const spec = resolveSpec(JSON.parse(minimal('many-to-one', 'd.jsonl', { training: { optimizer: { type: 'sgd' } } })));
    assert.deepEqual(spec.training.bptt, { mode: 'full' });
    assert.equal(spec.training.optimizer.learningRate, 0.1);
    assert.equal(spec.training.optimizer.weightDecay, 0);
    const adamw = resolveSpec(JSON.parse(minimal('many-to-one', 'd.jsonl', { training: { optimizer: { type: 'adamw' } } })));
    assert.equal(adamw.training.optimizer.weightDecay, 0.01);
  });

  it('given values are kept, including null clipNorm and early stopping', () => {
    const spec = resolveSpec({
      task: 'many-to-one', data: { train: 'x.csv', window: 12, columns: ['a'] }, model: { cell: 'rnn', hiddenSize: 7 },
      training: { clipNorm: null, earlyStopping: { patience: 2 } },
    });
    assert.equal(spec.training.clipNorm, null);
    assert.deepEqual(spec.training.earlyStopping, { patience: 2, monitor: 'validation loss', minDelta: 0 });
    assert.equal(spec.model.hiddenSize, 7);
    assert.equal(spec.data.window, 12);
    assert.deepEqual(spec.data.columns, ['a']);
  });
});

describe('spec: resolved specs are specs', () => {
  it('a resolved spec (as saved in a run) validates and resolves to itself', () => {
    for (const task of ['many-to-many', 'many-to-one', 'seq2seq', 'one-to-many']) {
      const file = task === 'many-to-many' ? 'data/book.txt' : task === 'seq2seq' ? 'data/pairs.tsv' : 'data/records.jsonl';
      const resolved = resolveSpec(JSON.parse(minimal(task, file)));
      assert.deepEqual(validateSpec(JSON.parse(JSON.stringify(resolved))), [], task);
      assert.deepEqual(resolveSpec(JSON.parse(JSON.stringify(resolved))), resolved, task);
    }
  });
});

describe('spec: errors name the path, the expectation and file:line:column', () => {
  it('an out-of-range hiddenSize points at its value', () => {
    const text = '{\n  "task": "many-to-one",\n  "data": {"train": "a.jsonl"},\n  "model": {"cell": "gru", "hiddenSize": 0}\n}';
    const [issue] = issuesOf(text);
    assert.equal(issue.path, '/model/hiddenSize');
    assert.match(issue.message, /expected an integer ≥ 1.*got 0/);
    assert.deepEqual([issue.line, issue.column], positionOf(text, '0}'));
  });

  it('a misspelt key is reported at the key, with a suggestion', () => {
    const text = '{"task": "many-to-one", "data": {"train": "a.jsonl"},\n "model": {"cell": "gru", "hiddenSise": 3}}';
    const [issue] = issuesOf(text);
    assert.equal(issue.path, '/model/hiddenSise');
    assert.match(issue.message, /unknown key "hiddenSise": did you mean "hiddenSize"\?/);
    assert.deepEqual([issue.line, issue.column], positionOf(text, '"hiddenSise"'));
  });

  it('an enum lists its choices', () => {
    const [issue] = issuesOf(minimal('many-to-one', 'a.jsonl').replace('"lstm"', '"lstn"'));
    assert.equal(issue.path, '/model/cell');
    assert.match(issue.message, /expected one of "rnn", "lstm", "gru", got "lstn" \(did you mean "lstm"\?\)/);
  });

  it('a missing required key points at its parent object', () => {
    const text = '{"task": "seq2seq",\n "data": {"train": "a.tsv"},\n "model": {}}';
    const [issue] = issuesOf(text);
    assert.equal(issue.path, '/model/cell');
    assert.match(issue.message, /missing required key "cell"/);
    assert.deepEqual([issue.line, issue.column], [3, 11]);
  });

  it('the truncated BPTT variant reports its own fields', () => {
    const text = minimal('many-to-many', 'a.txt', { training: { bptt: { mode: 'truncated', forwardSteps: 0 } } });
    const [issue] = issuesOf(text);
    assert.equal(issue.path, '/training/bptt/forwardSteps');
    assert.match(issue.message, /expected an integer ≥ 1, got 0/);
    const [mode] = issuesOf(minimal('many-to-many', 'a.txt', { training: { bptt: { mode: 'partial' } } }));
    assert.equal(mode.path, '/training/bptt');
    assert.match(mode.message, /"mode": "full" or an object with "mode": "truncated"/);
  });

  it('backpropSteps below forwardSteps is rejected', () => {
    const [issue] = validateSpec(JSON.parse(minimal('many-to-many', 'a.txt', { training: { bptt: { mode: 'truncated', forwardSteps: 20, backpropSteps: 10 } } })));
    assert.equal(issue.path, '/training/bptt/backpropSteps');
    assert.match(issue.message, /≥ forwardSteps \(20\), got 10/);
  });

  it('task and format must fit, and LMs cannot be bidirectional', () => {
    assert.match(validateSpec(JSON.parse(minimal('seq2seq', 'a.txt')))[0].message, /"text" data supports task "many-to-many", got "seq2seq"/);
    const bidi = JSON.parse(minimal('many-to-many', 'a.txt'));
    bidi.model.bidirectional = true;
    assert.equal(validateSpec(bidi)[0].path, '/model/bidirectional');
    assert.match(validateSpec(JSON.parse(minimal('many-to-one', 'a.parquet')))[0].message, /cannot infer the format from "a.parquet"/);
    assert.deepEqual(validateSpec(JSON.parse(minimal('many-to-one', 'a.parquet', {}).replace('"train"', '"format": "csv", "train"'))), []);
  });

  it('attention needs seq2seq, and attentionFeed needs attention; both resolve to their defaults', () => {
    const tagger = JSON.parse(minimal('many-to-one', 'a.jsonl'));
    tagger.model.attention = 'dot';
    const [wrongTask] = validateSpec(tagger);
    assert.equal(wrongTask.path, '/model/attention');
    assert.match(wrongTask.message, /expected "none": attention reads an encoder's outputs, so it needs task "seq2seq", got "many-to-one"/);
    const unfed = JSON.parse(minimal('seq2seq', 'a.tsv'));
    unfed.model.attentionFeed = true;
    assert.equal(validateSpec(unfed)[0].path, '/model/attentionFeed');
    unfed.model.attention = 'additive';
    assert.deepEqual(validateSpec(unfed), []);
    const plain = resolveSpec(JSON.parse(minimal('seq2seq', 'a.tsv')));
    assert.equal(plain.model.attention, 'none');
    assert.equal(plain.model.attentionFeed, false);
  });

  it('syntax errors and duplicate keys carry positions', () => {
    const broken = '{\n  "task": "many-to-one",\n  "data": {"train": "a.jsonl",}\n}';
    const [syntax] = issuesOf(broken);
    assert.deepEqual([syntax.line, syntax.column], positionOf(broken, ',}').map((n, i) => n + i));
    assert.match(syntax.message, /invalid JSON/);
    const [duplicate] = issuesOf('{"task": "many-to-one",\n"task": "seq2seq"}');
    assert.match(duplicate.message, /duplicate key "task"/);
    assert.deepEqual([duplicate.line, duplicate.column], [2, 1]);
    assert.match(issuesOf('')[0].message, /invalid JSON/);
  });

  it('parseSpec throws a SpecError with file, line, column and path', () => {
    const text = '{"task": "many-to-one", "data": {"train": "a.jsonl"},\n "model": {"cell": "gru", "dropout": 1}}';
    assert.throws(
      () => parseSpec(text, 'm.rnn.json'),
      (e: unknown) =>
        e instanceof SpecError && e.file === 'm.rnn.json' && e.line === 2 && e.column === positionOf(text, '1}')[1] &&
        e.path === '/model/dropout' &&
        e.message === `m.rnn.json:2:${e.column}: /model/dropout: expected a number ≥ 0 and < 1, got 1`,
    );
  });

  it('non-objects and wrong types say what was found', () => {
    assert.match(validateSpec(42)[0].message, /expected an object with keys .*got 42/);
    assert.match(validateSpec({ task: 'many-to-one', data: { train: 3 }, model: { cell: 'rnn' } })[0].message, /expected a non-empty string, got 3/);
  });

  it('describeSpecIssues prints one issue a line', () => {
    const text = '{"task": "x", "data": {"train": "a.jsonl"}, "model": {"cell": "y"}}';
    const lines = describeSpecIssues(issuesOf(text), 's.rnn.json').split('\n');
    assert.equal(lines.length, 2);
    assert.equal(lines[0], `s.rnn.json:1:${positionOf(text, '"x"')[1]}: /task: expected one of "many-to-one", "many-to-many", "one-to-many", "seq2seq", got "x"`);
    assert.match(lines[1], new RegExp(`^s\\.rnn\\.json:1:${positionOf(text, '"y"')[1]}: /model/cell: `));
  });
});

describe('spec: JSON Schema file', () => {
  it('schemas/rnn-spec.schema.json is up to date (run `npm run gen:schema`)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'rnn-spec.schema.json'), 'utf8');
    assert.equal(committed, specJsonSchemaText());
  });

  it('every property carries a markdownDescription for hover docs', () => {
    const missing: string[] = [];
    const walk = (schema: Record<string, unknown>, path: string) => {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [key, property] of Object.entries(properties)) {
        if (typeof property.markdownDescription !== 'string') missing.push(`${path}/${key}`);
        walk(property, `${path}/${key}`);
        for (const variant of (property.anyOf ?? []) as Record<string, unknown>[]) walk(variant, `${path}/${key}`);
      }
    };
    walk(JSON.parse(specJsonSchemaText()), '');
    assert.deepEqual(missing, []);
  });
});
