import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { prepareDataset, toNetworkConfig } from '../../../src/data';
import { countParameters } from '../../../src/engine/model';
import { parseSpec } from '../../../src/modelSpec';
import { activateExtension, workspaceUri, writeText } from './helpers';

describe('tree views on the fixture workspace', () => {
  it('Models lists the spec with task, cell and parameter count', async () => {
    const api = await activateExtension();
    const items = (await api.models.getChildren()).map((summary) => api.models.getTreeItem(summary));
    const tiny = items.find((item) => item.resourceUri?.path.endsWith('/models/tiny.rnn.json'));
    assert.ok(tiny, `models: ${items.map((i) => i.label).join(', ')}`);
    // The count is the engine's, on the sizes the data gives (vocabulary, classes).
    const specUri = tiny.resourceUri!;
    const read = async (uri: vscode.Uri) => new Uint8Array(await vscode.workspace.fs.readFile(uri));
    const spec = parseSpec(new TextDecoder().decode(await read(specUri)), 'tiny.rnn.json');
    const dataBytes = await read(vscode.Uri.joinPath(specUri, '..', spec.data.train));
    const expected = countParameters(toNetworkConfig(spec, prepareDataset(spec, () => dataBytes)));
    assert.equal(String(tiny.description), `many-to-one · gru · ${expected.toLocaleString('en')} params`);
  });

  it('Datasets lists the data files with format, records and size', async () => {
    const api = await activateExtension();
    const items = (await api.datasets.getChildren()).map((info) => api.datasets.getTreeItem(info));
    const labels = items.map((item) => String(item.label));
    assert.deepEqual(labels.filter((l) => l.startsWith('data/')).sort(), ['data/notes.txt', 'data/tiny.jsonl']);
    const tiny = items.find((item) => item.label === 'data/tiny.jsonl')!;
    assert.match(String(tiny.description), /^jsonl · 48 records · \d+ KB · classification$/);
    const notes = items.find((item) => item.label === 'data/notes.txt')!;
    assert.match(String(notes.description), /^text · 81 characters · \d+ B · character LM$/);
  });

  it('Runs shows a failed run as failed, with an error icon and its message', async () => {
    const api = await activateExtension();
    const runUri = workspaceUri('models', '.rnnlab', 'runs', '20000101-000000-tiny-failed');
    await writeText(vscode.Uri.joinPath(runUri, 'spec.json'), JSON.stringify({ name: 'tiny', task: 'many-to-one' }));
    await writeText(vscode.Uri.joinPath(runUri, 'summary.json'), JSON.stringify({ name: 'tiny', status: 'failed', message: 'no space left on device', metrics: null }));
    try {
      const tiny = (await api.runs.getChildren()).find((n) => n.kind === 'spec' && n.summary.name === 'tiny');
      assert.ok(tiny, 'the tiny spec has runs');
      const node = (await api.runs.getChildren(tiny)).find((n) => n.kind === 'run' && n.run.id === '20000101-000000-tiny-failed');
      assert.ok(node, 'the failed run is listed');
      const item = api.runs.getTreeItem(node);
      assert.match(String(item.description), /^failed/);
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
      assert.match(String(item.tooltip), /failed: no space left on device/);
      assert.equal(item.contextValue, 'rnnLab.run.resumable', 'a run without a checkpoint resumes from the beginning');
    } finally {
      await vscode.workspace.fs.delete(runUri, { recursive: true, useTrash: false });
    }
  });

  it('the three views have welcome content for their empty states', () => {
    const manifest = vscode.extensions.getExtension('rnn-lab.rnn-lab')!.packageJSON as { contributes: { viewsWelcome: { view: string }[] } };
    assert.deepEqual(manifest.contributes.viewsWelcome.map((w) => w.view).sort(), ['rnnLab.datasets', 'rnnLab.models', 'rnnLab.runs']);
  });
});
