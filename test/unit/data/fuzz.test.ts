import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DataError, makeBatch, prepareDataset } from '../../../src/data';
import { files, specOf, utf8 } from './helpers';

/** A byte-level edit: overwrite, insert or delete at a relative position, or truncate. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), bytes: fc.array(fc.constantFrom(...utf8('{}[]",:\t\n\r .-eE0123456789xNaN')), { maxLength: 4 }).chain((b) => fc.constantFrom(b, [...b, 0xff], [0xe2, 0x82])) }),
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
  { format: 'tsv', file: 'p.tsv', spec: specOf('seq2seq', { train: 'p.tsv', sourceUnit: 'word' }), text: 'the cat\tle chat\na dog\tun chien\n' },
  {
    format: 'csv records', file: 'r.csv', spec: specOf('many-to-one', { train: 'r.csv', unit: 'word', tokenizer: 'words', lowercase: true, minCount: 2, inputKey: 'text', labelKey: 'y' }),
    text: 'id,text,y\n1,"The cat, sat.",a\n2,a dog,b\n3,"""quoted"" cat",a\n4,dog dog,2\n',
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
});
