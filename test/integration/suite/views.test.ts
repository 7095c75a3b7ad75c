import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { prepareDataset, toNetworkConfig } from '../../../src/data';
import { countParameters } from '../../../src/engine/model';
import { parseSpec } from '../../../src/spec';
import { activateExtension } from './helpers';

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

  it('the three views have welcome content for their empty states', () => {
    const manifest = vscode.extensions.getExtension('rnn-lab.rnn-lab')!.packageJSON as { contributes: { viewsWelcome: { view: string }[] } };
    assert.deepEqual(manifest.contributes.viewsWelcome.map((w) => w.view).sort(), ['rnnLab.datasets', 'rnnLab.models', 'rnnLab.runs']);
  });
});
