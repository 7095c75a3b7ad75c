/**
 * The export's proof: for every cell, bidirectional merge, connection and task shape, PyTorch
 * running the exported model.py on the exported weights reproduces the engine's outputs within
 * rtol 1e-5, atol 1e-5, in float64 and in float32. All cases run in one Python process.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exportFiles } from '../../../src/export/exportRun';
import { caseData, exportCases } from './exportCases';
import { runPython, torchPython, skipWithoutTorch } from './python';

interface CaseResult { name: string; dtype: string; ok: boolean; maxAbsError?: number; worst?: number; error?: string }

describe('PyTorch export reproduces the engine', function () {
  this.timeout(300000);
  const cases = exportCases();
  const results = new Map<string, CaseResult[]>();
  let folder = '';

  before(function () {
    const found = torchPython();
    if ('missing' in found) skipWithoutTorch(this, found.missing);
    folder = mkdtempSync(path.join(tmpdir(), 'rnn-lab-export-'));
    cases.forEach((c, i) => {
      const { data, weights } = caseData(c, 100 + i);
      const dir = path.join(folder, `case-${i}`);
      mkdirSync(dir);
      for (const file of exportFiles({ name: c.name, network: c.config, weights })) writeFileSync(path.join(dir, file.name), file.bytes);
      writeFileSync(path.join(dir, 'case.json'), JSON.stringify(data));
    });
    const python = (found as { python: string }).python;
    const out = runPython(python, [path.resolve(__dirname, 'check_export.py'), folder]);
    for (const line of out.trim().split('\n')) {
      const r = JSON.parse(line) as CaseResult;
      results.set(r.name, [...(results.get(r.name) ?? []), r]);
    }
  });

  after(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it(`covers every cell, merge, connection and task shape (${cases.length} networks)`, () => {
    const names = cases.map((c) => c.name).join('\n');
    for (const word of ['rnn-tanh', 'rnn-relu', 'lstm', 'gru', 'concat', 'sum', 'mean', 'mul', 'none', 'skip', 'dense',
      'many-to-one', 'many-to-many', 'one-to-many', 'seq2seq', 'attention dot', 'attention general', 'attention additive',
      'attention dot fed', 'attention general fed', 'attention additive fed']) assert.match(names, new RegExp(word));
  });

  for (const c of cases) {
    it(c.name, () => {
      const rows = results.get(c.name);
      assert.ok(rows, 'no result from Python for this case');
      for (const r of rows) {
        assert.ok(!r.error, r.error);
        assert.ok(r.ok, `${r.dtype}: max |error| ${r.maxAbsError?.toExponential(2)}, ${r.worst?.toFixed(2)}× the tolerance atol + rtol·|engine|`);
      }
      assert.deepEqual(rows.map((r) => r.dtype).sort(), ['float32', 'float64']);
    });
  }
});
