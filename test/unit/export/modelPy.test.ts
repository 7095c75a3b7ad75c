/** model.py's text: valid Python for any spec name, with CONFIG equal to the network config. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import type { NetworkConfig } from '../../../src/engine/types';
import { modelPySource } from '../../../src/export/modelPy';

const CONFIG: NetworkConfig = {
  task: 'seq2seq', cell: 'gru', activation: 'tanh', hiddenSize: 7, layers: 3, bidirectional: true, merge: 'mul',
  connections: 'dense', dropout: 0.5, recurrentInit: 'identity', input: { kind: 'tokens', vocabSize: 9, embeddingSize: 0 },
  output: { kind: 'classes', size: 11 }, decoder: { vocabSize: 11, embeddingSize: 4 },
};

describe('model.py source', () => {
  it('parses as Python whatever the spec name, and its CONFIG literal is the network config', function () {
    const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', '0']).status === 0);
    if (!python) {
      console.warn('    SKIPPED: no python3 to parse model.py with');
      this.skip();
    }
    const source = modelPySource(CONFIG, { name: 'odd """ name \\ with\nnewline "' });
    const script = 'import ast, json, sys\n' +
      'tree = ast.parse(sys.stdin.read())\n' +
      'config = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "CONFIG")\n' +
      'print(json.dumps({"doc": ast.get_docstring(tree).splitlines()[0], "config": ast.literal_eval(config)}))';
    const r = spawnSync(python!, ['-c', script], { input: source, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { doc, config } = JSON.parse(r.stdout);
    assert.deepEqual(config, CONFIG);
    assert.equal(doc, 'RNN Lab export of "odd name with newline": seq2seq, gru, 3 layers of 7, bidirectional (mul), dense connections.');
  });
});
