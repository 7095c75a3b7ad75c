import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunsTablePanel } from '../../../src/extension/panels/runsTablePanel';
import type { RunsNode } from '../../../src/extension/views/runsView';
import type { SweepRecord } from '../../../src/train/sweep/sweepRecord';
import { activateExtension, readText, waitFor, workspaceUri, writeText } from './helpers';

describe('Sweeps in the Runs view', () => {
  it('shows a cancelled sweep as a node that opens its runs table, offers it to Run Sweep, and Resume Sweep finishes it', async function () {
    this.timeout(300_000);
    const api = await activateExtension();
    const spec = JSON.parse(await readText(workspaceUri('models', 'tiny.rnn.json')));
    Object.assign(spec, { name: 'noded', sweep: { parameters: { 'model.hiddenSize': [4, 6] } } });
    spec.training.epochs = 60;
    const specUri = workspaceUri('models', 'noded.rnn.json');
    await writeText(specUri, JSON.stringify(spec, null, 2));
    const sweepsFolder = workspaceUri('models', '.rnnlab', 'sweeps');

    // Stop in trial 1, once it has a checkpoint (as Cancel on the notification would).
    const listener = api.training.onDidChange((change) => {
      if (change?.runId.endsWith('-noded-trial1') && change.event.event === 'checkpoint' && change.event.file === 'last.safetensors') {
        void vscode.commands.executeCommand('rnnLab.stopTraining');
      }
    });
    const first = await vscode.commands.executeCommand<SweepRecord>('rnnLab.runSweep', specUri, { quiet: true });
    listener.dispose();
    assert.equal(first?.status, 'cancelled');

    const sweepNode = (want: (node: Extract<RunsNode, { kind: 'sweep' }>) => boolean, what: string) => waitFor(async () => {
      const node = await api.runs.findSweep(first.id);
      return node?.kind === 'sweep' && want(node) ? node : undefined;
    }, 20_000, what);
    const cancelled = await sweepNode((node) => node.sweep.status === 'cancelled', 'the cancelled sweep in the Runs view');
    const item = api.runs.getTreeItem(cancelled);
    assert.equal(item.label, first.id);
    assert.equal(item.description, 'cancelled · 0/2 trials');
    assert.equal(item.contextValue, 'rnnLab.sweep.resumable');
    const spec_ = (await api.runs.getChildren()).find((node) => node.kind === 'spec' && node.summary.name === 'noded');
    assert.ok(spec_, 'the spec node');
    const specChildren = await api.runs.getChildren(spec_);
    assert.deepEqual(specChildren.map((node) => node.kind), ['sweep'], 'the trial run sits under its sweep, not beside it');
    const trialRuns = await api.runs.getChildren(cancelled);
    assert.deepEqual(trialRuns.map((node) => node.kind === 'run' && node.run.id), [first.trials[0].runId]);
    assert.equal((await api.runs.getParent(trialRuns[0]))?.kind, 'sweep', 'reveal walks up through the sweep');

    // Clicking (selecting) the node runs its command: the sweep's runs table.
    assert.ok(item.command, 'the sweep node has a command');
    const panel = await vscode.commands.executeCommand<RunsTablePanel>(item.command.command, ...(item.command.arguments ?? []));
    assert.equal(panel.table.sweep?.id, first.id);
    assert.deepEqual(panel.table.rows.map((row) => row.id), [first.trials[0].runId]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // Run Sweep on the spec offers the unfinished sweep: dismissing the pick starts nothing.
    const before = (await vscode.workspace.fs.readDirectory(sweepsFolder)).length;
    const offered = vscode.commands.executeCommand<SweepRecord | undefined>('rnnLab.runSweep', specUri, { quiet: true });
    let settled = false;
    void offered.then(() => { settled = true; });
    await waitFor(async () => { await vscode.commands.executeCommand('workbench.action.closeQuickOpen'); return settled; }, 20_000, 'the Run Sweep pick');
    assert.equal(await offered, undefined, 'dismissing the offer runs nothing');
    assert.equal((await vscode.workspace.fs.readDirectory(sweepsFolder)).length, before, 'no new sweep was started');

    // Resume Sweep on the node continues trial 1 in its own run and runs trial 2.
    const resumed = await vscode.commands.executeCommand<SweepRecord>('rnnLab.resumeSweep', cancelled, { quiet: true });
    assert.equal(resumed?.status, 'completed');
    assert.deepEqual(resumed.trials.map((t) => t.status), ['completed', 'completed']);
    assert.equal(resumed.trials[0].runId, first.trials[0].runId, 'trial 1 continued its own run');
    const done = await sweepNode((node) => node.sweep.status === 'completed', 'the completed sweep in the Runs view');
    assert.equal(api.runs.getTreeItem(done).description, 'completed · 2/2 trials');
    assert.equal(api.runs.getTreeItem(done).contextValue, 'rnnLab.sweep');
    assert.equal((await api.runs.getChildren(done)).length, 2);
  });
});
