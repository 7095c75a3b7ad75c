import { strict as assert } from 'node:assert';
import { prepareDataset, Vocabulary } from '../../../src/data';
import { compareCodePoints } from '../../../src/data/vocabulary';
import { tokenize } from '../../../src/data/tokenize';
import { files, specOf } from './helpers';

const words = (text: string, more: { tokenizer?: 'whitespace' | 'words'; lowercase?: boolean } = {}) =>
  tokenize(text, { unit: 'word', tokenizer: 'whitespace', lowercase: false, ...more });

describe('data: tokenizer, lowercase, minCount, maxVocabulary', () => {
  it('"whitespace" keeps today\'s split; "words" splits off every Unicode punctuation character (P*)', () => {
    const text = 'Hello,  world! «Ça va?» — it\'s 3.5 (ok)…\u00a0¿Sí? 「日本」';
    assert.deepEqual(words(text), ['Hello,', 'world!', '«Ça', 'va?»', '—', "it's", '3.5', '(ok)…', '¿Sí?', '「日本」']);
    assert.deepEqual(words(text, { tokenizer: 'words' }),
      ['Hello', ',', 'world', '!', '«', 'Ça', 'va', '?', '»', '—', 'it', "'", 's', '3', '.', '5', '(', 'ok', ')', '…', '¿', 'Sí', '?', '「', '日本', '」']);
    assert.deepEqual(words('$5 + 2 = 7 ^_^', { tokenizer: 'words' }), ['$5', '+', '2', '=', '7', '^', '_', '^'], 'symbols (S*) stay, connectors (Pc) split');
  });

  it('lowercase lower-cases each token on its own, after the cut', () => {
    assert.deepEqual(words('The CAT, the Cat.', { tokenizer: 'words', lowercase: true }), ['the', 'cat', ',', 'the', 'cat', '.']);
    assert.deepEqual(words('ΟΔΟΣ.ΑΣ', { tokenizer: 'words', lowercase: true }), ['οδος', '.', 'ας'], 'final sigma decided within a token');
    assert.deepEqual(tokenize('AbÉ', { unit: 'char', tokenizer: 'whitespace', lowercase: true }), ['a', 'b', 'é']);
  });

  it('ids: specials, then descending count, ties in code-point order (not UTF-16 order)', () => {
    const counts = new Map([['b', 2], ['a', 2], ['\u{1F600}', 1], ['\uFF21', 1], ['c', 3]]);
    const vocab = Vocabulary.fromCounts(counts, { unit: 'char', tokenizer: 'whitespace', lowercase: false }, false);
    assert.deepEqual(vocab.tokens, ['<pad>', '<unk>', 'c', 'a', 'b', '\uFF21', '\u{1F600}']);
    assert.ok(compareCodePoints('\uFF21', '\u{1F600}') < 0 && '\u{1F600}' < '\uFF21', 'UTF-16 order would put the emoji first');
    assert.deepEqual(vocab.counts, [0, 0, 3, 2, 2, 1, 1]);
  });

  it('minCount and maxVocabulary cut by the same order; what they cut is counted under <unk>', () => {
    const counts = new Map([['x', 5], ['y', 2], ['z', 2], ['w', 1], ['v', 1]]);
    const text = { unit: 'word' as const, tokenizer: 'words' as const, lowercase: true };
    const rare = Vocabulary.fromCounts(counts, text, true, { minCount: 2, maxVocabulary: null });
    assert.deepEqual(rare.tokens, ['<pad>', '<unk>', '<bos>', '<eos>', 'x', 'y', 'z']);
    assert.equal(rare.counts![rare.unk], 2);
    const small = Vocabulary.fromCounts(counts, text, false, { minCount: 1, maxVocabulary: 2 });
    assert.deepEqual(small.tokens, ['<pad>', '<unk>', 'x', 'y']);
    assert.equal(small.counts![small.unk], 4);
    assert.equal(small.id('z'), small.unk);
    assert.deepEqual(small.toJSON(), { unit: 'word', tokenizer: 'words', lowercase: true, tokens: ['<pad>', '<unk>', 'x', 'y'], counts: [0, 4, 5, 2] });
    assert.deepEqual(new Vocabulary(small.toJSON()).split('The X,Y'), ['the', 'x', ',', 'y']);
  });

  it('an old vocab.json (no tokenizer, lowercase or counts; any order) loads and decodes as before', () => {
    const old = { unit: 'word' as const, tokens: ['<pad>', '<unk>', 'zeta', 'Alpha', 'beta,'] };
    const vocab = new Vocabulary(old);
    assert.deepEqual(vocab.toJSON(), old);
    assert.deepEqual(vocab.split('Alpha beta, Gamma'), ['Alpha', 'beta,', 'Gamma']);
    assert.deepEqual(Array.from(vocab.encode(vocab.split('zeta Alpha beta, x'))), [2, 3, 4, 1]);
    assert.equal(vocab.decode([3, 2, 4]), 'Alpha zeta beta,');
  });

  it('records: minCount counts the training split only, so tokens seen only in held-out records are <unk>', () => {
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ input: `Common COMMON only${i}`, label: i % 2 ? 'a' : 'b' }));
    const spec = specOf('many-to-one', { train: 'r.jsonl', unit: 'word', lowercase: true, minCount: 1, validation: { fraction: 0.25 } });
    const data = prepareDataset(spec, files({ 'r.jsonl': lines.join('\n') }));
    const vocab = data.inputVocab!;
    assert.equal(vocab.tokens[2], 'common');
    assert.equal(vocab.counts![2], 30, 'two per training record, both cases');
    assert.equal(vocab.size, 2 + 1 + 15, 'each only-i of the 15 training records');
    const validation = data.validation.kind === 'examples' ? data.validation.examples : assert.fail();
    assert.equal(validation.length, 5);
    for (const e of validation) assert.deepEqual(Array.from(e.input), [2, 2, vocab.unk]);
    assert.deepEqual(data.notes, ['vocabulary 18 words; 33.3% of validation tokens unknown']);
    const rare = prepareDataset({ ...spec, data: { ...spec.data, minCount: 2 } }, files({ 'r.jsonl': lines.join('\n') }));
    assert.deepEqual(rare.inputVocab!.tokens, ['<pad>', '<unk>', 'common']);
    assert.deepEqual(rare.notes, ['vocabulary 3 words (minCount 2; 33.3% of training tokens are <unk>); 33.3% of validation tokens unknown']);
  });

  it('streams: the vocabulary is counted on the training part, before the held-out tail', () => {
    const spec = specOf('many-to-many', { train: 'b.txt', unit: 'word', tokenizer: 'words', lowercase: true, validation: { fraction: 0.2 } });
    const data = prepareDataset(spec, files({ 'b.txt': 'The cat. the CAT, the dog! Tail Tail' }));
    const vocab = data.inputVocab!;
    assert.deepEqual(vocab.tokens, ['<pad>', '<unk>', 'the', 'cat', '!', ',', '.', 'dog']);
    assert.equal(vocab.decode(data.validation.kind === 'stream' ? data.validation.tokens : []), '<unk> <unk>');
    assert.deepEqual(data.notes, ['vocabulary 8 words; 100.0% of validation tokens unknown']);
    const chars = prepareDataset(specOf('many-to-many', { train: 'b.txt', lowercase: true, maxVocabulary: 2, validation: { fraction: 0 } }), files({ 'b.txt': 'aAbBBc' }));
    assert.deepEqual(chars.inputVocab!.tokens, ['<pad>', '<unk>', 'b', 'a']);
    assert.equal(chars.notes![0], 'vocabulary 4 characters (maxVocabulary 2; 16.7% of training tokens are <unk>)');
  });

  it('seq2seq: each side has its own keys, defaulting to data.*', () => {
    const spec = specOf('seq2seq', {
      train: 's.jsonl', unit: 'word', lowercase: true, targetLowercase: false, sourceTokenizer: 'words', targetMinCount: 2, validation: { fraction: 0 },
    });
    assert.deepEqual([spec.data.sourceLowercase, spec.data.targetLowercase, spec.data.sourceTokenizer, spec.data.targetTokenizer], [true, false, 'words', 'whitespace']);
    assert.deepEqual([spec.data.sourceMinCount, spec.data.targetMinCount, spec.data.sourceMaxVocabulary], [1, 2, null]);
    const data = prepareDataset(spec, files({ 's.jsonl': '{"source": "Hi, Bob", "target": "Salut Bob"}\n{"source": "HI", "target": "Salut Ann."}\n' }));
    assert.deepEqual(data.inputVocab!.tokens, ['<pad>', '<unk>', 'hi', ',', 'bob']);
    assert.deepEqual(data.outputVocab!.tokens, ['<pad>', '<unk>', '<bos>', '<eos>', 'Salut']);
    assert.deepEqual(data.notes, ['source vocabulary 5 words', 'target vocabulary 5 words (minCount 2; 50.0% of training tokens are <unk>)']);
  });

  it('a fixed codec (a stored run\'s) is used as it is, whatever its order', () => {
    const spec = specOf('many-to-one', { train: 'r.jsonl', unit: 'word', validation: { fraction: 0 } });
    const inputVocab = new Vocabulary({ unit: 'word', tokens: ['<pad>', '<unk>', 'rare', 'common'] });
    const data = prepareDataset(spec, files({ 'r.jsonl': '{"input": "common common rare new", "label": "x"}\n' }), { inputVocab, labels: ['y', 'x'] });
    assert.equal(data.inputVocab, inputVocab);
    const [e] = data.train.kind === 'examples' ? data.train.examples : assert.fail();
    assert.deepEqual([Array.from(e.input), e.label], [[3, 3, 2, 1], 1]);
  });
});
