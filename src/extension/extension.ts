import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('RNN Lab', { log: true });
  context.subscriptions.push(log, vscode.commands.registerCommand('rnnLab.showLog', () => { log.show(true); return log.name; }));
}
