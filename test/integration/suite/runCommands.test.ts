import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TrainingOutcome } from '../../../src/extension/training/trainingService';
import { activateExtension, exists, workspaceUri } from './helpers';

describe('commands on a trained run', () => {
  let run: vscode.Uri;
  let other: vscode.Uri;

  before(async function () {
    this.timeout(300_000);
    await activateExtension();
    const spec = workspaceUri('models', 'tiny.rnn.json');
    const first = await vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', spec);
    const second = await vscode.commands.executeCommand<TrainingOutcome>('rnnLab.train', spec);
    assert.equal(first.status, 'done', first.message);
    run = first.runUri!;
    other = second.runUri!;
  });

  it('Evaluate Run reports the metrics of the run', async () => {
    const result = await vscode.commands.executeCommand<{ event: string; metrics: Record<string, number> }>('rnnLab.evaluateRun', run);
    assert.equal(result?.event, 'done');
    assert.ok(result.metrics.accuracy >= 0 && result.metrics.accuracy <= 1);
  });

  it('Predict on Selection classifies the selected sequence', async () => {
    const document = await vscode.workspace.openTextDocument({ content: 'aaab' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 0, 4);
    const result = await vscode.commands.executeCommand<Record<string, unknown>>('rnnLab.predictSelection', run);
    assert.ok(result, 'a prediction');
    assert.ok(JSON.stringify(result).match(/"A"|"B"/), JSON.stringify(result));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Check Gradients passes on the fixture spec', async () => {
    const result = await vscode.commands.executeCommand<{ ok: boolean; output: string }>('rnnLab.checkGradients', workspaceUri('models', 'tiny.rnn.json'));
    assert.equal(result.ok, true, result.output);
    assert.match(result.output, /head\.weight/);
  });

  it('Compare Runs tabulates the metrics of both runs', async () => {
    const table = await vscode.commands.executeCommand<string>('rnnLab.compareRuns', [run, other]);
    assert.equal(table.split('\n').filter((line) => line.startsWith('| 2')).length, 2);
    assert.match(table, /accuracy/);
  });

  it('Export Model writes model.py and the weights', async () => {
    const folder = workspaceUri('exported');
    await vscode.commands.executeCommand('rnnLab.exportModel', run, { folder });
    assert.ok(await exists(vscode.Uri.joinPath(folder, 'model.py')));
  });

  it('Delete Run removes the run folder', async () => {
    assert.equal(await vscode.commands.executeCommand('rnnLab.deleteRun', other, { confirmed: true }), true);
    assert.equal(await exists(other), false);
  });
});
