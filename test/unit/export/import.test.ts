/** `rnn-lab import`: weights into a spec's network, with every difference listed when they do not fit. */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { prepareDataset, toNetworkConfig } from '../../../src/data';
import { RecurrentModel } from '../../../src/engine/model';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from '../../../src/engine/safetensors';
import { importRun } from '../../../src/export/importRun';
import { readCheckpointSet } from '../../../src/train/checkpointSet';
import { NodeRunStore } from '../../../src/train/nodeRunStore';
import { parseSpec } from '../../../src/modelSpec';

const cli = path.resolve('dist/cli.js');
const SPEC = { name: 'tagless', task: 'many-to-one', data: { train: 'words.jsonl', unit: 'word' }, model: { cell: 'gru', hiddenSize: 4, layers: 2, bidirectional: true }, training: { epochs: 1, seed: 5 } };

function workspace(): { dir: string; specPath: string; read: (rel: string) => Uint8Array; model: RecurrentModel } {
  const dir = mkdtempSync(path.join(tmpdir(), 'rnn-lab-import-'));
  const lines = ['a b c', 'b c', 'c a a', 'a', 'b b'].map((input, i) => JSON.stringify({ input, label: i % 2 ? 'odd' : 'even' }));
  writeFileSync(path.join(dir, 'words.jsonl'), lines.join('\n') + '\n');
  const specPath = path.join(dir, 'm.rnn.json');
  writeFileSync(specPath, JSON.stringify(SPEC));
  const read = (rel: string) => readFileSync(path.join(dir, rel));
  const spec = parseSpec(JSON.stringify(SPEC), specPath);
  const model = RecurrentModel.create(toNetworkConfig(spec, prepareDataset(spec, read)), { seed: 11 });
  return { dir, specPath, read, model };
}

describe('import', () => {
  let ws: ReturnType<typeof workspace>;
  beforeEach(() => (ws = workspace()));
  afterEach(() => rmSync(ws.dir, { recursive: true, force: true }));

  it('writes a run whose weights are the imported ones, taking off a DistributedDataParallel "module." prefix', async () => {
    const tensors = ws.model.exportWeights().map((t) => ({ ...t, name: `module.${t.name}` }));
    const weightsPath = path.join(ws.dir, 'ddp.safetensors');
    writeFileSync(weightsPath, encodeSafetensors(tensors));
    const run = await importRun({ specPath: ws.specPath, weightsPath, read: ws.read, runsDir: path.join(ws.dir, 'runs') });
    assert.equal(path.dirname(run), path.join(ws.dir, 'runs'));
    const saved = decodeSafetensors(readFileSync(path.join(run, 'best.safetensors'))).tensors;
    for (const t of ws.model.exportWeights()) assert.deepEqual(saved.get(t.name)!.data, t.data, t.name);
    for (const file of ['spec.json', 'summary.json', 'vocab.json', 'state.json', 'last.safetensors', 'optimizer.safetensors']) {
      assert.ok(existsSync(path.join(run, file)), file);
    }
    assert.equal(JSON.parse(readFileSync(path.join(run, 'summary.json'), 'utf8')).network.cell, 'gru');
    // One verified checkpoint set, so train --resume fine-tunes it instead of starting again.
    const set = await readCheckpointSet(new NodeRunStore(path.dirname(run)), path.basename(run));
    assert.equal(set.state.generation, 1);
  });

  it('lists every missing, unexpected and misshapen tensor in one error naming the weights file', async () => {
    const tensors: NamedTensor[] = ws.model.exportWeights()
      .filter((t) => t.name !== 'rnn.bias_hh_l1_reverse' && t.name !== 'head.bias')
      .map((t) => (t.name === 'rnn.weight_ih_l0' ? { ...t, shape: [t.shape[1], t.shape[0]] } : t));
    tensors.push({ name: 'rnn.weight_ih_l2', shape: [1], data: new Float32Array(1) });
    const weightsPath = path.join(ws.dir, 'bad.safetensors');
    writeFileSync(weightsPath, encodeSafetensors(tensors));
    await assert.rejects(importRun({ specPath: ws.specPath, weightsPath, read: ws.read, runsDir: path.join(ws.dir, 'runs') }), (error: Error & { file?: string }) => {
      assert.equal(error.file, weightsPath);
      assert.match(error.message, /missing rnn\.bias_hh_l1_reverse \[12\]/);
      assert.match(error.message, /missing head\.bias \[2\]/);
      assert.match(error.message, /rnn\.weight_ih_l0: expected shape \[12×\d+\], got \[\d+×12\]/);
      assert.match(error.message, /unexpected rnn\.weight_ih_l2/);
      assert.match(error.message, /4 differences/);
      return true;
    });
    assert.ok(!existsSync(path.join(ws.dir, 'runs')), 'nothing is written for weights that do not fit');
  });

  it('the CLI exits 2 with the differences on one line of stderr', function () {
    this.timeout(120000);
    if (!existsSync(cli)) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
    const tensors = ws.model.exportWeights().filter((t) => t.name !== 'head.weight');
    writeFileSync(path.join(ws.dir, 'w.safetensors'), encodeSafetensors(tensors));
    const r = spawnSync(process.execPath, [cli, 'import', 'm.rnn.json', '--weights', 'w.safetensors'], { cwd: ws.dir, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /w\.safetensors: the weights do not match the spec's network, 1 difference; missing head\.weight \[2×8\]$/m);
  });
});
