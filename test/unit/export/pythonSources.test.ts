/**
 * The Python an export writes is real Python: every source in src/export/python and the assembled
 * model.py (its modules inlined, CONFIG injected) compile with `python3 -m py_compile`.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { NetworkConfig } from '../../../src/engine/types';
import { modelPySource } from '../../../src/export/modelPy';
import { skipWithoutTorch } from './python';

const SOURCES = path.join(__dirname, '../../../src/export/python');
const CONFIG: NetworkConfig = {
  task: 'many-to-many', cell: 'lstm', activation: 'tanh', hiddenSize: 3, layers: 2, bidirectional: false, merge: 'concat',
  connections: 'skip', dropout: 0, recurrentInit: 'orthogonal', input: { kind: 'features', size: 2 }, output: { kind: 'values', size: 1 },
};

describe('export Python sources', () => {
  it('every src/export/python/*.py and the assembled model.py compile (python3 -m py_compile)', function () {
    const python: string | undefined = [process.env.PYTHON, '/usr/bin/python3', 'python3'].find((p) => p && spawnSync(p, ['-c', '0']).status === 0);
    if (!python) return skipWithoutTorch(this, 'no python3 to compile the exported Python with');
    const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-pycompile-'));
    try {
      const exported = path.join(dir, 'model.py');
      writeFileSync(exported, modelPySource(CONFIG, { name: 'compiled' }));
      const files = [...readdirSync(SOURCES).filter((f) => f.endsWith('.py')).map((f) => path.join(SOURCES, f)), exported];
      assert.ok(files.length >= 8, `expected model.py and the modules it inlines in ${SOURCES}`);
      for (const file of files) {
        // -c: compile to a throwaway location, not a __pycache__ inside src/
        const r: { status: number | null; stderr: string } = spawnSync(python!, ['-c', 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)', file, path.join(dir, 'out.pyc')], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${path.basename(file)} does not compile:\n${r.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
