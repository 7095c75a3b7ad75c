import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID, waitFor, workspaceUri } from './helpers';

describe('activation and commands', () => {
  it('activates on the workspace and returns its services', async () => {
    const api = await activateExtension();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    assert.deepEqual(api.training.activeRunIds, []);
  });

  it('registers every command of the manifest, all in the category "RNN Lab"', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string; category: string }[] } };
    const registered = new Set(await vscode.commands.getCommands(true));
    const declared = manifest.contributes.commands;
    assert.ok(declared.length >= 12, `${declared.length} commands declared`);
    for (const { command, category } of declared) {
      assert.ok(registered.has(command), `${command} is registered`);
      assert.equal(category, 'RNN Lab');
    }
  });

  it('declares no "*" activation and wires the spec schema', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { activationEvents: string[]; contributes: { jsonValidation: { fileMatch: string; url: string }[] } };
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '*.rnn.json', url: './schemas/rnn-spec.schema.json' }]);
  });

  it('Show Log reveals the "RNN Lab" log channel', async () => {
    assert.equal(await vscode.commands.executeCommand('rnnLab.showLog'), 'RNN Lab');
  });

  it('Show Architecture opens the architecture panel of the spec', async () => {
    const title = await vscode.commands.executeCommand<string>('rnnLab.showArchitecture', workspaceUri('models', 'tiny.rnn.json'));
    assert.ok(title);
    const tab = await waitFor(() => vscode.window.tabGroups.all.flatMap((group) => group.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.label === title), 10_000, 'the architecture tab');
    assert.match((tab.input as vscode.TabInputWebview).viewType, /rnnLab\.architecture$/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Stop Training with nothing running stops nothing', async () => {
    assert.equal(await vscode.commands.executeCommand('rnnLab.stopTraining'), 0);
  });
});
