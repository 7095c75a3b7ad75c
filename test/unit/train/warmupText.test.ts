import { strict as assert } from 'node:assert';
import { Vocabulary } from '../../../src/data';
import { warmupText } from '../../../src/train/warmup';

describe('warm-up text', () => {
  it('leaves out <unk> in a character model, which would be re-read as five characters', () => {
    const vocab = new Vocabulary({ unit: 'char', tokens: ['<pad>', '<unk>', 'a', 'b', '\n'] });
    const text = warmupText(Int32Array.from([2, 1, 3, 4, 2, 1, 3]), vocab);
    assert.equal(text, 'ab\nab');
    assert.deepEqual(Array.from(vocab.encode(vocab.split(text))), [2, 3, 4, 2, 3]);
  });

  it('keeps <unk> as a word in a word model, where it reads back as itself', () => {
    const vocab = new Vocabulary({ unit: 'word', tokens: ['<pad>', '<unk>', 'the', 'cat'] });
    const text = warmupText(Int32Array.from([2, 1, 3]), vocab);
    assert.deepEqual(Array.from(vocab.encode(vocab.split(text))), [2, 1, 3]);
  });
});
