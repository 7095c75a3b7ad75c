import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DataError, makeBatch, prepareDataset } from '../../../src/data';
import { files, specOf, utf8 } from './helpers';

/** A byte-level edit: overwrite, insert or delete at a relative position, or truncate. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), bytes: fc.array(fc.constantFrom(...utf8('{}[]",:;\t\n\r .-eE0123456789xNaNTZ')), { maxLength: 4 }).chain((b) => fc.constantFrom(b, [...b, 0xff], [0xe2, 0x82])) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

function mutate(base: Uint8Array, edits: Edit[]): Uint8Array {
  let bytes = Array.from(base);
  for (const e of edits) {
    const at = Math.floor(e.at * (bytes.length + 1));
    if (e.kind === 'set' && bytes.length) bytes[Math.min(at, bytes.length - 1)] = e.byte;
    else if (e.kind === 'insert') bytes.splice(at, 0, ...e.bytes);
    else if (e.kind === 'delete') bytes.splice(at, e.length);
    else if (e.kind === 'truncate') bytes = bytes.slice(0, at);
  }
  return Uint8Array.from(bytes);
}

const cases: { format: string; file: string; spec: ReturnType<typeof specOf>; text: string }[] = [
  { format: 'text', file: 'b.txt', spec: specOf('many-to-many', { train: 'b.txt', unit: 'word' }), text: 'In the beginning\nwas the word, é 😀\n'.repeat(3) },
  {
    format: 'jsonl', file: 'd.jsonl', spec: specOf('many-to-one', { train: 'd.jsonl' }),
    text: '{"input": [[1, 2], [3, 4]], "label": 1}\n{"input": [[5, 6]], "label": "2"}\n{"input": [[0, 1], [1, 0], [2, 2]], "label": 1}\n',
  },
  { format: 'jsonl seq2seq', file: 's.jsonl', spec: specOf('seq2seq', { train: 's.jsonl' }), text: '{"source": "abc", "target": ["c", "b"]}\n{"source": ["x"], "target": "y"}\n' },
  { format: 'csv', file: 's.csv', spec: specOf('many-to-one', { train: 's.csv', window: 2 }), text: 'date,a,b\n' + Array.from({ length: 8 }, (_, i) => `d${i},${i}.5,${-i}e1`).join('\n') + '\n' },
  {
    format: 'csv with ISO dates, calendar features and interpolated blanks', file: 'd.csv',
    spec: specOf('many-to-one', { train: 'd.csv', window: 2, time: 'date', calendar: ['dayOfWeek', 'hour'], missing: 'interpolate' }),
    text: 'date,a,b\n' + Array.from({ length: 8 }, (_, i) => `${new Date(Date.UTC(2024, 1, 27 + i, i, 30)).toISOString().slice(0, 16)}Z,${i % 3 ? i : ''},${-i}e1`).join('\n') + '\n',
  },
  {
    format: 'csv with ; and dropped blanks', file: 'e.csv', spec: specOf('many-to-one', { train: 'e.csv', window: 2, time: 'year', missing: 'drop' }),
    text: 'year;a;b\n' + Array.from({ length: 8 }, (_, i) => `${1990 + i};${i % 4 ? `${i},5` : ''};${i}`).join('\n') + '\n',
  },
  {
    format: 'csv with tabs and the previous value', file: 'f.csv', spec: specOf('many-to-many', { train: 'f.csv', window: 3, missing: 'previous' }),
    text: 'a\tb\n' + Array.from({ length: 8 }, (_, i) => `${i % 3 ? i : ' '}\t${i * 2}`).join('\n') + '\n',
  },
  { format: 'tsv', file: 'p.tsv', spec: specOf('seq2seq', { train: 'p.tsv', sourceUnit: 'word' }), text: 'the cat\tle chat\na dog\tun chien\n' },
  {
    format: 'csv records', file: 'r.csv', spec: specOf('many-to-one', { train: 'r.csv', unit: 'word', tokenizer: 'words', lowercase: true, minCount: 2, inputKey: 'text', labelKey: 'y' }),
    text: 'id,text,y\n1,"The cat, sat.",a\n2,a dog,b\n3,"""quoted"" cat",a\n4,dog dog,2\n',
  },
  {
    format: 'jsonl regression (vector targets)', file: 'g.jsonl', spec: specOf('many-to-one', { train: 'g.jsonl' }),
    text: '{"input": [[1, 2e5], [3, 4]], "target": [0.5, 2e30]}\n{"input": [[5, 6]], "target": [1, -3e37]}\n{"input": [[0, 1]], "target": [7, 8]}\n',
  },
  {
    format: 'jsonl one-to-many (init vectors)', file: 'v.jsonl', spec: specOf('one-to-many', { train: 'v.jsonl' }),
    text: '{"input": [1, -2.5e37], "target": "ab"}\n{"input": [3e9, 4], "target": "ba"}\n{"input": [0, 1], "target": "aa"}\n',
  },
  {
    format: 'tsv records', file: 't.tsv', spec: specOf('many-to-many', { train: 't.tsv', inputKey: 'words', labelsKey: 'tags' }),
    text: 'words\ttags\nthe cat sat\tD N V\na dog\tD N\nÉté 😀\tN X\n',
  },
];

describe('data: seeded fuzzing of every reader', () => {
  for (const { format, file, spec, text } of cases) {
    it(`${format}: 1,000 mutations and truncations give a dataset or a DataError naming ${file}:line`, () => {
      const base = utf8(text);
      assert.doesNotThrow(() => prepareDataset(spec, files({ [file]: base })), 'the unmutated file is valid');
      let errors = 0;
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
          const bytes = mutate(base, edits);
          const lines = bytes.reduce((n, b) => n + (b === 0x0a ? 1 : 0), 1);
          try {
            const data = prepareDataset(spec, files({ [file]: bytes }));
            if (data.train.kind === 'examples' && data.train.examples.length) makeBatch(data.train.examples, data);
            for (const split of [data.train, data.validation]) {
              const bad = split.kind === 'examples' && split.examples.find((e) => ![...e.input, ...(e.target ?? []), ...(e.initVector ?? [])].every(Number.isFinite));
              if (bad) throw new Error(`a non-finite value in the example at ${bad.file}:${bad.line}`);
            }
          } catch (e) {
            if (!(e instanceof DataError)) throw new Error(`not a DataError: ${(e as Error)?.stack ?? e}`);
            errors++;
            if (e.file !== file || !(e.line >= 1 && e.line <= lines + 1) || !(e.column >= 1)) throw new Error(`bad position in ${e.message}`);
            if (!e.message.startsWith(`${file}:${e.line}:${e.column}: `)) throw new Error(`bad message ${e.message}`);
          }
        }),
        { seed: 20240601, numRuns: 1000 },
      );
      assert.ok(errors > 0, 'some mutations are rejected');
    });
  }
  // Numbers that JSON reads as Infinity (1e400) or float32 cannot hold (1e39): each numeric field's
  // numbers in turn replaced by a random such literal give a DataError at that number, naming it.
  const numeric: { task: string; file: string; text: string; data?: Record<string, unknown> }[] = [
    { task: 'many-to-one', file: 'g.jsonl', text: '{"input": [[1, 2], [3, 4]], "target": [0.5, 2]}\n{"input": [[5, 6]], "target": [7, 8]}\n' },
    { task: 'one-to-many', file: 'v.jsonl', text: '{"input": [1, -2.5], "target": "ab"}\n{"input": [3, 0.25], "target": "ba"}\n' },
    { task: 'seq2seq', file: 'n.jsonl', text: '{"source": [1, 2], "target": "ab"}\n{"source": [[3], [4]], "target": "ba"}\n' },
    { task: 'many-to-one', file: 's.csv', text: 'a,b\n1,2\n3,4\n5,6\n7,8\n', data: { window: 1 } },
  ];
  for (const { task, file, text, data } of numeric) {
    it(`${task} ${file}: every number replaced by one beyond ±3.4e38 is a DataError at it`, () => {
      const spec = specOf(task, { train: file, validation: { fraction: 0 }, ...data });
      assert.doesNotThrow(() => prepareDataset(spec, files({ [file]: text })), 'the unreplaced file is valid');
      const tokens = [...text.matchAll(/-?\d+(\.\d+)?/g)]; // the texts hold digits in numbers only
      const literal = fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 39, max: 5000 }), fc.constantFrom('e', 'E', 'e+'))
        .map(([negative, digit, exponent, e]) => `${negative ? '-' : ''}${digit}${e}${exponent}`);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: tokens.length - 1 }), literal, (which, big) => {
          const token = tokens[which];
          const mutated = text.slice(0, token.index) + big + text.slice(token.index! + token[0].length);
          const line = text.slice(0, token.index).split('\n').length;
          const column = token.index! - text.lastIndexOf('\n', token.index! - 1);
          try {
            prepareDataset(spec, files({ [file]: mutated }));
          } catch (e) {
            if (!(e instanceof DataError)) throw e;
            assert.equal(`${e.file}:${e.line}:${e.column}`, `${file}:${line}:${column}`, e.message);
            assert.ok(e.reason.includes(`${big}${file.endsWith('.csv') ? '"' : ''} is beyond the range of numbers`), e.message);
            return;
          }
          assert.fail(`${big} in place of ${token[0]} at ${file}:${line}:${column} was accepted`);
        }),
        { seed: 20240602, numRuns: 200 },
      );
    });
  }
});
