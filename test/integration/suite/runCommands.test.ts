import type { RunsTableMessage } from '../../../src/protocol/runsTable';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TrainingOutcome } from '../../../src/extension/training/trainingService';
import { activateExtension, exists, workspaceUri } from './helpers';

interface ClassPrediction { kind: string; label: string; classes: { label: string; probability: number }[] }

/** The classifier's answer: its label is the most probable class, the distribution sums to 1. */
function assertClassPrediction(result: ClassPrediction | undefined): ClassPrediction {
  assert.ok(result, 'a prediction');
  assert.equal(result.kind, 'class', JSON.stringify(result));
  assert.deepEqual(result.classes.map((c) => c.label).sort(), ['A', 'B'], 'both classes of the fixture');
  const top = result.classes.reduce((a, b) => (b.probability > a.probability ? b : a));
  assert.equal(result.label, top.label, 'the label is the most probable class');
  const sum = result.classes.reduce((s, c) => s + c.probability, 0);
  assert.ok(Math.abs(sum - 1) < 1e-4, `probabilities sum to ${sum}`);
  return result;
}

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

  it('Predict on Selection classifies the selected sequence, and only it', async () => {
    const document = await vscode.workspace.openTextDocument({ content: 'bbbbbbbbbbbb\naaab' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 1, 4);
    const selected = assertClassPrediction(await vscode.commands.executeCommand<ClassPrediction>('rnnLab.predictSelection', run));
    const typed = assertClassPrediction(await vscode.commands.executeCommand<ClassPrediction>('rnnLab.predictSelection', run, { input: 'aaab' }));
    assert.deepEqual(selected, typed, 'the selection "aaab" is what was classified');
    editor.selection = new vscode.Selection(0, 0, 1, 4);
    const whole = assertClassPrediction(await vscode.commands.executeCommand<ClassPrediction>('rnnLab.predictSelection', run));
    assert.notDeepEqual(whole.classes, selected.classes, 'a different selection gives a different distribution');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Check Gradients passes on the fixture spec', async () => {
    const result = await vscode.commands.executeCommand<{ ok: boolean; output: string }>('rnnLab.checkGradients', workspaceUri('models', 'tiny.rnn.json'));
    assert.equal(result.ok, true, result.output);
    assert.match(result.output, /head\.weight/);
  });

  it('Compare Runs opens the runs table with one row per run, the clicked run counted once', async () => {
    // A context-menu command on a multi-selection gets the clicked node and the whole selection.
    const table = await vscode.commands.executeCommand<RunsTableMessage>('rnnLab.compareRuns', { run: { uri: run } }, [{ run: { uri: run } }, { run: { uri: other } }]);
    assert.deepEqual(table.rows.map((row) => row.runUri).sort(), [run.toString(), other.toString()].sort());
    assert.deepEqual(table.columns.slice(0, 2).map((c) => c.key), ['status', 'metric']);
    assert.ok(table.rows.every((row) => typeof row.cells.time === 'number'), 'each run has its training time');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Export Model writes model.py and the weights', async () => {
    const folder = workspaceUri('exported');
    assert.equal((await vscode.commands.executeCommand<vscode.Uri>('rnnLab.exportModel', run, { folder }))?.toString(), folder.toString());
    const modelPy = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, 'model.py')));
    assert.match(modelPy, /def load_model/);
    const bestOrLast = (await exists(vscode.Uri.joinPath(run, 'best.safetensors'))) ? 'best.safetensors' : 'last.safetensors';
    const exported = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, 'model.safetensors'));
    assert.deepEqual(Buffer.from(exported), Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(run, bestOrLast))), `model.safetensors holds the run's ${bestOrLast} weights`);
    const headerLength = Number(Buffer.from(exported).readBigUInt64LE(0));
    const header = JSON.parse(Buffer.from(exported).subarray(8, 8 + headerLength).toString('utf8'));
    assert.ok('head.weight' in header && 'rnn.weight_hh_l0' in header, Object.keys(header).join(', '));
  });

  it('Export Model with the trainer also writes data.py and train.py', async () => {
    const folder = workspaceUri('exported-trainer');
    assert.equal((await vscode.commands.executeCommand<vscode.Uri>('rnnLab.exportModel', run, { folder, trainer: true }))?.toString(), folder.toString());
    const trainPy = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, 'train.py')));
    assert.match(trainPy, /DistributedDataParallel/);
    assert.match(trainPy, /^SPEC_FILE = ".*tiny\.rnn\.json"/m);
    assert.ok(await exists(vscode.Uri.joinPath(folder, 'data.py')));
  });

  it('Delete Run removes the run folder', async () => {
    assert.equal(await vscode.commands.executeCommand('rnnLab.deleteRun', other, { confirmed: true }), true);
    assert.equal(await exists(other), false);
  });
});
