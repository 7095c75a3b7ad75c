import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prepareDataset, toNetworkConfig } from '../../../src/data';
import { parseSpec } from '../../../src/modelSpec';

const root = join(__dirname, '..', '..', '..', 'examples');
const specs = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.rnn.json'));

describe('examples/: every spec parses and its data prepares', () => {
  it('there are the seven example specs', () => assert.equal(specs.length, 7));
  for (const file of specs) {
    it(file, () => {
      const path = join(root, file);
      const spec = parseSpec(readFileSync(path, 'utf8'), path);
      const data = prepareDataset(spec, (rel) => readFileSync(join(dirname(path), rel)));
      const config = toNetworkConfig(spec, data);
      assert.ok(config.output.size > 0);
      for (const [rel, hash] of Object.entries(data.hashes)) assert.match(hash, /^[0-9a-f]{64}$/, rel);
    });
  }
  it('digits: 1,438 train and 359 test images, 8 steps of 8 features, 10 classes', () => {
    const path = join(root, 'digits', 'digits-rnn.rnn.json');
    const spec = parseSpec(readFileSync(path, 'utf8'), path);
    const data = prepareDataset(spec, (rel) => readFileSync(join(dirname(path), rel)));
    assert.equal(data.train.kind === 'examples' && data.train.examples.length, 1438);
    assert.equal(data.test?.kind === 'examples' && data.test.examples.length, 359);
    assert.equal(data.featureSize, 8);
    assert.deepEqual(data.labels, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  const prepared = (folder: string, file: string) => {
    const path = join(root, folder, file);
    const spec = parseSpec(readFileSync(path, 'utf8'), path);
    return { spec, data: prepareDataset(spec, (rel) => readFileSync(join(dirname(path), rel))) };
  };

  it('truecase: an aligned word tagger, one of four case tags a word', () => {
    const { spec, data } = prepared('truecase', 'truecase.rnn.json');
    assert.equal(spec.task, 'many-to-many');
    assert.deepEqual([...data.labels!].sort(), ['-', 'Cap', 'UPPER', 'lower']);
    const e = data.test!.kind === 'examples' ? data.test!.examples[0] : undefined;
    assert.equal(e?.labels?.length, e?.steps, 'one tag a step');
  });

  it('pronounce: letters in, phonemes out (seq2seq, two vocabularies)', () => {
    const { spec, data } = prepared('pronounce', 'pronounce.rnn.json');
    assert.equal(spec.task, 'seq2seq');
    assert.equal(data.inputVocab!.unit, 'char');
    assert.equal(data.outputVocab!.unit, 'word');
    assert.ok(data.outputVocab!.has('AA') && data.outputVocab!.has('ZH'));
    assert.equal(data.outputVocab!.size, 39 + 4, '39 ARPAbet phonemes and <pad>, <unk>, <bos>, <eos>');
  });

  it('colors: a 3-value colour vector generates a name (one-to-many)', () => {
    const { spec, data } = prepared('colors', 'colors.rnn.json');
    assert.equal(spec.task, 'one-to-many');
    assert.equal(data.initVectorSize, 3);
  });

  it('truecase-chars: a bidirectional 3-layer stack with skip connections tags characters', () => {
    const { spec, data } = prepared('truecase-chars', 'truecase-chars.rnn.json');
    assert.deepEqual([spec.model.bidirectional, spec.model.layers, spec.model.connections], [true, 3, 'skip']);
    assert.deepEqual([...data.labels!].sort(), ['U', 'l']);
  });
});
