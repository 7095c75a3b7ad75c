import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, readText, workspaceUri } from './helpers';

describe('New Model wizard', () => {
  it('writes the spec from its answers beside the dataset and opens it', async () => {
    await activateExtension();
    const dataset = workspaceUri('data', 'tiny.jsonl');
    const specUri = await vscode.commands.executeCommand<vscode.Uri>('rnnLab.newModel', {
      dataset, task: 'many-to-one', cell: 'lstm', hiddenSize: 16, layers: 2, bidirectional: true, connections: 'skip',
    });
    assert.ok(specUri);
    assert.equal(specUri.path, workspaceUri('data', 'tiny.rnn.json').path);
    const spec = JSON.parse(await readText(specUri));
    assert.equal(spec.data.train, 'tiny.jsonl');
    assert.deepEqual(spec.model, { cell: 'lstm', hiddenSize: 16, layers: 2, bidirectional: true, connections: 'skip' });
    assert.equal(spec.task, 'many-to-one');
    assert.equal(spec.training.seed, 1);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), specUri.toString());
    const again = await vscode.commands.executeCommand<vscode.Uri>('rnnLab.createModelForDataset', dataset,
      { task: 'many-to-one', cell: 'rnn', hiddenSize: 32, layers: 1, bidirectional: false });
    assert.equal(again.path, workspaceUri('data', 'tiny-2.rnn.json').path, 'the dataset action runs the same wizard, without overwriting');
    assert.equal(JSON.parse(await readText(again)).model.cell, 'rnn');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of [specUri, again]) await vscode.workspace.fs.delete(uri);
  });

  it('never offers bidirectional for a text language model', async () => {
    const specUri = await vscode.commands.executeCommand<vscode.Uri>('rnnLab.newModel', {
      dataset: workspaceUri('data', 'notes.txt'), task: 'many-to-many', cell: 'gru', hiddenSize: 32, layers: 1, bidirectional: true,
    });
    const spec = JSON.parse(await readText(specUri));
    assert.equal(spec.model.bidirectional, false);
    assert.equal(spec.model.connections, undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(specUri);
  });
  it('proposes calendar features, the season and the series column for a daily CSV of several stores', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10))
      .flatMap((date, i) => [`A,${date},${100 + (i % 7)}`, `B,${date},${200 + (i % 7)}`]);
    const dataset = workspaceUri('data', 'stores.csv');
    await vscode.workspace.fs.writeFile(dataset, new TextEncoder().encode(['store,date,sales', ...rows].join('\n') + '\n'));
    const specUri = await vscode.commands.executeCommand<vscode.Uri>('rnnLab.newModel', {
      dataset, task: 'many-to-one', cell: 'gru', hiddenSize: 16, layers: 1, bidirectional: false,
    });
    const spec = JSON.parse(await readText(specUri));
    assert.equal(spec.data.time, 'date');
    assert.equal(spec.data.groupBy, 'store');
    assert.deepEqual(spec.data.columns, ['sales']);
    assert.deepEqual(spec.data.calendar, ['dayOfWeek']);
    assert.equal(spec.data.season, 7);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of [specUri, dataset]) await vscode.workspace.fs.delete(uri);
  });
});
