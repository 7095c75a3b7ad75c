/**
 * `rnn-lab import --run DIR`: a run folder written elsewhere (as train.py --out writes it) becomes a
 * run of the runs folder, checked first: its spec must parse and its weights must be the network's,
 * strictly, or nothing is written.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RecurrentModel } from '../../../src/engine/model';
import { decodeSafetensors, encodeSafetensors } from '../../../src/engine/safetensors';
import type { NetworkConfig } from '../../../src/engine/types';
import { importRunFolder } from '../../../src/export/importRunFolder';
import { readCheckpointSet } from '../../../src/train/checkpointSet';
import { NodeRunStore } from '../../../src/train/nodeRunStore';

const NETWORK: NetworkConfig = {
  task: 'many-to-one', cell: 'lstm', activation: 'tanh', hiddenSize: 3, layers: 1, bidirectional: false, merge: 'concat',
  connections: 'none', dropout: 0, recurrentInit: 'orthogonal', input: { kind: 'features', size: 2 }, output: { kind: 'classes', size: 2 },
};
const SPEC = { version: 1, name: 'foreign', task: 'many-to-one', data: { train: 'train.jsonl' }, model: { cell: 'lstm', hiddenSize: 3 }, training: { epochs: 2 } };

/** A folder as train.py --out writes it, weights under DDP's `module.` prefix. */
function foreignRun(dir: string, model: RecurrentModel): string {
  const runDir = path.join(dir, 'pytorch-run');
  mkdirSync(runDir);
  writeFileSync(path.join(runDir, 'spec.json'), JSON.stringify(SPEC));
  writeFileSync(path.join(runDir, 'summary.json'), JSON.stringify({
    name: 'foreign', task: 'many-to-one', status: 'completed', backend: 'pytorch', device: 'cpu', worldSize: 2, completedEpochs: 2,
    network: NETWORK, metrics: { loss: 0.5, accuracy: 0.75 }, split: 'validation', best: { epoch: 2, metrics: { loss: 0.5 } }, specFile: '../spec.rnn.json',
  }));
  const weights = encodeSafetensors(model.exportWeights().map((t) => ({ ...t, name: `module.${t.name}` })));
  writeFileSync(path.join(runDir, 'best.safetensors'), weights);
  writeFileSync(path.join(runDir, 'last.safetensors'), weights);
  writeFileSync(path.join(runDir, 'metrics.jsonl'), '{"epoch":1,"split":"train","loss":0.7}\n');
  writeFileSync(path.join(runDir, 'vocab.json'), JSON.stringify({ labels: ['a', 'b'] }));
  return runDir;
}

describe('import --run', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-import-run-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies a train.py run folder into the runs folder as one verified checkpoint set, keeping backend, device and world size', async () => {
    const model = RecurrentModel.create(NETWORK, { seed: 4 });
    const runsDir = path.join(dir, 'runs');
    const run = await importRunFolder({ runDir: foreignRun(dir, model), runsDir });
    assert.equal(path.dirname(run), runsDir);
    const saved = decodeSafetensors(readFileSync(path.join(run, 'best.safetensors'))).tensors;
    for (const t of model.exportWeights()) assert.deepEqual(saved.get(t.name)!.data, t.data, t.name);
    const summary = JSON.parse(readFileSync(path.join(run, 'summary.json'), 'utf8'));
    assert.deepEqual([summary.backend, summary.device, summary.worldSize, summary.metrics.accuracy], ['pytorch', 'cpu', 2, 0.75]);
    // specFile is re-based onto the new folder: it still names the spec beside the imported folder.
    assert.equal(path.resolve(run, summary.specFile), path.join(dir, 'spec.rnn.json'));
    assert.equal(readFileSync(path.join(run, 'metrics.jsonl'), 'utf8'), '{"epoch":1,"split":"train","loss":0.7}\n');
    assert.deepEqual(JSON.parse(readFileSync(path.join(run, 'vocab.json'), 'utf8')), { labels: ['a', 'b'] });
    const set = await readCheckpointSet(new NodeRunStore(runsDir), path.basename(run));
    assert.equal(set.state.generation, 1);
  });

  it('refuses weights that are not the network\'s, listing the differences, and writes nothing', async () => {
    const runDir = foreignRun(dir, RecurrentModel.create(NETWORK, { seed: 4 }));
    const other = RecurrentModel.create({ ...NETWORK, hiddenSize: 4 }, { seed: 4 });
    writeFileSync(path.join(runDir, 'last.safetensors'), encodeSafetensors(other.exportWeights()));
    await assert.rejects(importRunFolder({ runDir, runsDir: path.join(dir, 'runs') }), (error: Error & { file?: string }) => {
      assert.equal(error.file, path.join(runDir, 'last.safetensors'));
      assert.match(error.message, /the weights do not match the spec's network, \d+ differences/);
      assert.match(error.message, /rnn\.weight_hh_l0: expected shape \[12×3\], got \[16×4\]/);
      return true;
    });
    assert.ok(!existsSync(path.join(dir, 'runs')));
  });

  it('refuses a folder without spec.json, and a spec with a misspelt key at its position', async () => {
    const runDir = foreignRun(dir, RecurrentModel.create(NETWORK, { seed: 4 }));
    writeFileSync(path.join(runDir, 'spec.json'), JSON.stringify({ ...SPEC, trainig: {} }));
    await assert.rejects(importRunFolder({ runDir, runsDir: path.join(dir, 'runs') }), /trainig.*did you mean "training"/s);
    rmSync(path.join(runDir, 'spec.json'));
    await assert.rejects(importRunFolder({ runDir, runsDir: path.join(dir, 'runs') }), /not a run folder: spec\.json is missing/);
  });
});
