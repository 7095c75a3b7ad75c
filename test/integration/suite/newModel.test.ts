import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, readText, waitFor, workspaceUri } from './helpers';

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

  it('asks in one QuickPick with steps, Back, typed values and the parameter count so far', async () => {
    const api = await activateExtension();
    const written = vscode.commands.executeCommand<vscode.Uri>('rnnLab.newModel', { dataset: workspaceUri('data', 'tiny.jsonl') });
    const pick = await waitFor(() => api.wizard.current, 10_000, 'the wizard QuickPick');
    const atStep = (n: number) => waitFor(() => pick.step === n && pick.items.length > 0, 10_000, `step ${n}`);
    const accept = () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const typeValue = async (text: string) => {
      pick.value = text;
      await waitFor(() => pick.items[0]?.label.includes(text), 10_000, `the typed item ${text}`);
    };
    await atStep(1);
    assert.equal(pick.totalSteps, 6);
    assert.match(pick.title ?? '', /task/);
    // The data's sizes are known (vocabulary, classes): an exact count, no symbols.
    await waitFor(() => /^So far: [\d,]+ parameters/.test(pick.placeholder ?? ''), 10_000, `an exact count in "${pick.placeholder}"`);
    await accept();
    await atStep(2);
    assert.deepEqual(pick.buttons, [vscode.QuickInputButtons.Back]);
    await accept(); // lstm
    await atStep(3);
    await typeValue('96');
    const ninetySix = pick.items[0].detail;
    await accept();
    await atStep(4);
    assert.match(pick.placeholder ?? '', new RegExp(`^So far: ${(ninetySix ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await vscode.commands.executeCommand('workbench.action.quickInputBack');
    await atStep(3);
    await typeValue('abc');
    assert.match(pick.items[0].description ?? '', /^expected a whole number of units/);
    await accept(); // a typed value that is no number is not taken
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(pick.step, 3);
    await typeValue('48');
    await accept();
    await atStep(4);
    await typeValue('3');
    await accept();
    await atStep(5);
    await accept(); // unidirectional
    await atStep(6);
    assert.equal(pick.totalSteps, 6);
    await accept(); // no connections
    const specUri = await written;
    const spec = JSON.parse(await readText(specUri));
    assert.deepEqual(spec.model, { cell: 'lstm', hiddenSize: 48, layers: 3, bidirectional: false, connections: 'none' });
    assert.equal(api.wizard.current, undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(specUri);
  });
});
