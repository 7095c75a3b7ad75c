import * as vscode from 'vscode';
import { runArgument, specArgument } from './commandArguments';

/**
 * Show Architecture and Open Training Dashboard. The panels (src/extension/panels, the webview issue)
 * are not part of this build yet: the commands resolve their target and say so instead of failing silently.
 */
export function registerPanelCommands(): vscode.Disposable[] {
  const unavailable = (what: string) => {
    void vscode.window.showErrorMessage(`RNN Lab: the ${what} is not available in this build`);
    return false;
  };
  return [
    vscode.commands.registerCommand('rnnLab.showArchitecture', async (argument?: unknown) => ((await specArgument(argument)) ? unavailable('architecture view') : false)),
    vscode.commands.registerCommand('rnnLab.openDashboard', async (argument?: unknown) => ((await runArgument(argument)) ? unavailable('training dashboard') : false)),
  ];
}
