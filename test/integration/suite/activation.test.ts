import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('activation', () => {
  it('activates and registers Show Log', async () => {
    const extension = vscode.extensions.getExtension('rnn-lab.rnn-lab');
    assert.ok(extension);
    await extension.activate();
    assert.equal(await vscode.commands.executeCommand('rnnLab.showLog'), 'RNN Lab');
  });
});
