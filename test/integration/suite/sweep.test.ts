import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunsTablePanel } from '../../../src/extension/panels/runsTablePanel';
import type { SweepRecord } from '../../../src/train/sweep/sweepRecord';
import { activateExtension, readText, waitFor, workspaceUri, writeText } from './helpers';

describe('Run Sweep', () => {
  it('a sweep of 3 trials runs through the training queue, is cancelled in trial 2, and resumes to the end', async function () {
    this.timeout(300_000);
    const api = await activateExtension();
    const spec = JSON.parse(await readText(workspaceUri('models', 'tiny.rnn.json')));
    Object.assign(spec, { name: 'swept', sweep: { parameters: { 'model.hiddenSize': [4, 6, 8] } } });
    spec.training.epochs = 60;
    const specUri = workspaceUri('models', 'swept.rnn.json');
    await writeText(specUri, JSON.stringify(spec, null, 2));

    const started: string[] = [];
    const listener = api.training.onDidChange((change) => {
      if (change?.event.event === 'start') started.push(change.runId);
      // Stop (as the notification's Cancel or Stop Training would) once trial 2 has a checkpoint.
      if (change?.runId.endsWith('-trial2') && change.event.event === 'checkpoint' && change.event.file === 'last.safetensors') {
        void vscode.commands.executeCommand('rnnLab.stopTraining');
      }
    });
    const first = await vscode.commands.executeCommand<SweepRecord>('rnnLab.runSweep', specUri, { quiet: true });
    listener.dispose();
    assert.ok(first, 'the sweep ran');
    assert.equal(first.status, 'cancelled');
    assert.deepEqual(first.trials.map((t) => t.status), ['completed', 'cancelled', 'pending']);
    assert.deepEqual(started.map((id) => id.replace(/^\d{8}-\d{6}-/, '')), ['swept-trial1', 'swept-trial2']);
    const sweepFile = vscode.Uri.joinPath(workspaceUri('models', '.rnnlab', 'sweeps'), `${first.id}.json`);
    assert.equal(JSON.parse(await readText(sweepFile)).status, 'cancelled', 'the sweep file records the cancel');

    const resumed = await vscode.commands.executeCommand<SweepRecord>('rnnLab.runSweep', specUri, { resume: first.id, quiet: true });
    assert.equal(resumed.status, 'completed');
    assert.deepEqual(resumed.trials.map((t) => t.status), ['completed', 'completed', 'completed']);
    assert.equal(resumed.trials[1].runId, first.trials[1].runId, 'trial 2 continued its own run');
    const summary = JSON.parse(await readText(workspaceUri('models', '.rnnlab', 'runs', resumed.trials[2].runId!, 'summary.json')));
    assert.deepEqual(summary.sweep, { id: first.id, trial: 3, parameters: { 'model.hiddenSize': 8 } });

    const panel = await vscode.commands.executeCommand<RunsTablePanel>('rnnLab.showSweep', specUri);
    assert.equal(panel.table.rows.length, 3);
    assert.deepEqual(panel.table.sweep?.parameters, ['parameter:model.hiddenSize']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

describe('Runs view as a tree view', () => {
  it('shows a badge while a training runs and reveals (selects) the new run in the visible view', async function () {
    this.timeout(120_000);
    const api = await activateExtension();
    await vscode.commands.executeCommand('rnnLab.runs.focus');
    let badgeWhileRunning: number | undefined;
    const started = new Promise<string>((resolve) => {
      const listener = api.training.onDidChange((change) => {
        if (change?.event.event !== 'start') return;
        badgeWhileRunning = api.runsTree.badge?.value;
        listener.dispose();
        resolve(change.runId);
      });
    });
    const spec = JSON.parse(await readText(workspaceUri('models', 'tiny.rnn.json')));
    Object.assign(spec, { name: 'revealed' });
    spec.training.epochs = 40;
    const specUri = workspaceUri('models', 'revealed.rnn.json');
    await writeText(specUri, JSON.stringify(spec, null, 2));
    const training = vscode.commands.executeCommand('rnnLab.train', specUri);
    const runId = await started;
    assert.equal(badgeWhileRunning, 1, 'the badge counts the running training');
    await waitFor(() => api.runsTree.selection.some((node) => node.kind === 'run' && node.run.id === runId), 20_000, 'the new run selected in the Runs view');
    await training;
    await waitFor(() => api.runsTree.badge === undefined, 5_000, 'no badge once nothing runs');
  });
});
