import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DatasetPreviewPanel } from '../../../src/extension/panels/datasetPreviewPanel';
import { activateExtension, workspaceUri, writeText } from './helpers';

/** Opens the preview of `uri` by the command, waits for the webview's `ready` and returns the snapshot it was sent. */
async function previewOf(uri: vscode.Uri) {
  const panel = await vscode.commands.executeCommand<DatasetPreviewPanel>('rnnLab.previewDataset', uri);
  assert.ok(panel, 'the command returns the panel');
  await panel.whenReady;
  return { panel, message: await panel.snapshot() };
}

describe('Dataset preview panel', () => {
  const folder = workspaceUri('preview-data');
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
  });

  it('selecting a dataset in the Datasets view previews it', async () => {
    const api = await activateExtension();
    const items = (await api.datasets.getChildren()).map((info) => api.datasets.getTreeItem(info));
    const tiny = items.find((item) => item.label === 'data/tiny.jsonl')!;
    assert.equal(tiny.command?.command, 'rnnLab.previewDataset');
  });

  it('JSONL classifier: with the settings of the one spec that names it, class balance and first records', async () => {
    await activateExtension();
    const { panel, message } = await previewOf(workspaceUri('data', 'tiny.jsonl'));
    assert.ok(message.preview, message.error);
    assert.equal(message.preview.settingsFrom, 'spec models/tiny.rnn.json (this file is its data.train)');
    assert.deepEqual(message.preview.classes?.counts.map((c) => c.name).sort(), ['A', 'B']);
    assert.equal(message.preview.records.train + message.preview.records.validation, 48);
    assert.deepEqual(message.preview.firstRecords.rows[0], ['abbbbb', 'B']);
    assert.equal(panel.panel.title, 'Preview: tiny.jsonl');
  });

  it('text without a spec: what init would write, the vocabulary and line lengths', async () => {
    const { message } = await previewOf(workspaceUri('data', 'notes.txt'));
    assert.ok(message.preview, message.error);
    assert.match(message.preview.settingsFrom, /init would write \(no spec names this file\)/);
    assert.equal(message.preview.vocabularies.length, 1);
    assert.ok(message.preview.vocabularies[0].size > 2);
    assert.equal(message.preview.lengths?.of, 'lines');
  });

  it('CSV time series: columns against time, missing cells and the validation boundary', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${2000 + i},${i === 7 ? '' : (i * 1.5).toFixed(1)}`);
    const csv = vscode.Uri.joinPath(folder, 'series.csv');
    await writeText(csv, ['year,value', ...rows].join('\n') + '\n');
    const { message } = await previewOf(csv);
    assert.ok(message.preview, message.error);
    assert.equal(message.preview.series?.x.name, 'year');
    assert.equal(message.preview.series?.columns[0].missing, 1);
    assert.equal(message.preview.series?.boundaries[0].split, 'validation');
  });

  it('TSV pairs: a source and a target vocabulary; a tagger: its tag set', async () => {
    const tsv = vscode.Uri.joinPath(folder, 'pairs.tsv');
    await writeText(tsv, 'abc\tcba\nab\tba\nbca\tacb\n');
    const pairs = (await previewOf(tsv)).message;
    assert.deepEqual(pairs.preview?.vocabularies.map((v) => v.side), ['source', 'target']);
    const tags = vscode.Uri.joinPath(folder, 'tags.jsonl');
    await writeText(tags, [{ input: ['a', 'dog'], labels: ['DET', 'NOUN'] }, { input: ['dogs', 'run'], labels: ['NOUN', 'VERB'] }].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const tagged = (await previewOf(tags)).message;
    assert.deepEqual(tagged.preview?.tags?.map((t) => t.name).sort(), ['DET', 'NOUN', 'VERB']);
  });

  it('a validation file: the settings of the one spec that names it, which says so, and its own first records', async () => {
    const validation = vscode.Uri.joinPath(folder, 'held-out.jsonl');
    await writeText(validation, '{"input": "bbbbba", "label": "B"}\n{"input": "aaaab", "label": "A"}\n');
    const spec = { name: 'roles', task: 'many-to-one', data: { train: '../data/tiny.jsonl', validation: 'held-out.jsonl' }, model: { cell: 'gru', hiddenSize: 4 } };
    await writeText(vscode.Uri.joinPath(folder, 'roles.rnn.json'), JSON.stringify(spec));
    const { message } = await previewOf(validation);
    assert.ok(message.preview, message.error);
    assert.equal(message.preview.settingsFrom, 'spec preview-data/roles.rnn.json (this file is its data.validation)');
    assert.equal(message.preview.role, 'validation');
    assert.deepEqual(message.preview.firstRecords.rows[0], ['bbbbba', 'B']);
    assert.deepEqual([message.preview.records.train, message.preview.records.validation], [48, 2], 'the spec\'s splits');
  });

  it('a malformed file: the panel shows its file:line:column error', async () => {
    const bad = vscode.Uri.joinPath(folder, 'bad.jsonl');
    await writeText(bad, '{"input": "ab", "label": "x"}\n{"input": "ab", "label": }\n');
    const { message } = await previewOf(bad);
    assert.equal(message.preview, null);
    assert.match(message.error ?? '', /^bad\.jsonl:2:\d+: /);
  });
});
