import { strict as assert } from 'node:assert';
import { prepareDataset } from '../../../src/data';
import { files, specOf, throwsDataError, utf8 } from './helpers';

const lm = (data: Record<string, unknown>) => specOf('many-to-many', { train: 'book.txt', ...data });

describe('data: text language-model streams', () => {
  it('character streams: one id per code point, vocabulary by count, last 10% held out', () => {
    const text = 'abracadabra é😀\r\n'.repeat(10);
    const data = prepareDataset(lm({}), files({ 'book.txt': text }));
    const vocab = data.inputVocab!;
    assert.deepEqual(vocab.tokens.slice(0, 3), ['<pad>', '<unk>', 'a']);
    assert.equal(vocab.id('😀') > 1, true, 'astral characters are one token');
    assert.equal(vocab.has('\r'), false, 'CR is dropped');
    const train = data.train.kind === 'stream' ? data.train.tokens : assert.fail();
    const validation = data.validation.kind === 'stream' ? data.validation.tokens : assert.fail();
    const all = Array.from(text.replace(/\r/g, ''));
    assert.equal(train.length + validation.length, all.length);
    assert.equal(validation.length, Math.round(0.1 * all.length));
    assert.equal(vocab.decode(train) + vocab.decode(validation), all.join(''));
    assert.equal(data.outputVocab, vocab);
    assert.match(data.hashes['book.txt'], /^[0-9a-f]{64}$/);
  });

  it('word streams keep case and split on whitespace, across the 1 MB decoding chunks', () => {
    const words = Array.from({ length: 400000 }, (_, i) => (i % 7 === 0 ? 'The' : `w${i % 13}`));
    const text = words.map((w, i) => w + (i % 5 ? ' ' : '\n\t')).join('');
    const data = prepareDataset(lm({ unit: 'word', validation: { fraction: 0 } }), files({ 'book.txt': text }));
    const tokens = data.train.kind === 'stream' ? data.train.tokens : assert.fail();
    assert.ok(text.length > 1 << 20, 'the text spans several chunks');
    assert.equal(tokens.length, words.length);
    assert.deepEqual(data.inputVocab!.decode(tokens.subarray(0, 3)).split(' '), words.slice(0, 3));
    assert.equal(data.inputVocab!.decode(tokens), words.join(' '));
    assert.equal(data.inputVocab!.has('the'), false, 'case is kept');
  });

  it('a validation file and a test file use the train vocabulary, unseen tokens become <unk>', () => {
    const data = prepareDataset(lm({ validation: 'val.txt', test: 'test.txt' }), files({ 'book.txt': 'abab', 'val.txt': 'abz', 'test.txt': 'q' }));
    const vocab = data.inputVocab!;
    assert.deepEqual(data.validation.kind === 'stream' && Array.from(data.validation.tokens), [vocab.id('a'), vocab.id('b'), vocab.unk]);
    assert.deepEqual(data.test?.kind === 'stream' && Array.from(data.test.tokens), [vocab.unk]);
    assert.equal(data.train.kind === 'stream' && data.train.tokens.length, 4);
  });

  it('invalid UTF-8 names its line and column', () => {
    const bytes = new Uint8Array([...utf8('first line\nsé'), 0xc3, 0x28, ...utf8('rest\n')]);
    throwsDataError(() => prepareDataset(lm({}), files({ 'book.txt': bytes })), 'book.txt', 2, 3, /invalid UTF-8 \(bytes c3 28/);
  });

  it('an empty file is an error', () => {
    throwsDataError(() => prepareDataset(lm({}), files({ 'book.txt': '' })), 'book.txt', 1, 1, /empty file/);
    throwsDataError(() => prepareDataset(lm({ unit: 'word' }), files({ 'book.txt': ' \n ' })), 'book.txt', 1, 1, /no words/);
  });

  it('a missing file is a DataError naming it', () => {
    throwsDataError(() => prepareDataset(lm({ test: 'gone.txt' }), files({ 'book.txt': 'ab' })), 'gone.txt', 1, 1, /cannot read the file \(ENOENT/);
  });
});
