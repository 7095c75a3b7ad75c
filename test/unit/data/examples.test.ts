import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prepareDataset, toNetworkConfig } from '../../../src/data';
import { parseSpec } from '../../../src/modelSpec';

const root = join(__dirname, '..', '..', '..', 'examples');
const specs = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.rnn.json'));

describe('examples/: every spec parses and its data prepares', () => {
  it('there are the three example specs', () => assert.equal(specs.length, 3));
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
});
