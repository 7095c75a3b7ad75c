import * as vscode from 'vscode';
import { ArchitecturePanel, DashboardPanel, type PanelDeps } from '../panels';
import { runArgument, specArgument } from './commandArguments';

/** Show Architecture (of a spec) and Open Training Dashboard (of a run). Both resolve with the panel's title. */
export function registerPanelCommands(context: vscode.ExtensionContext, deps: PanelDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('rnnLab.showArchitecture', async (argument?: unknown) => {
      const specUri = await specArgument(argument);
      return specUri ? ArchitecturePanel.createOrShow(context, specUri, deps).panel.title : undefined;
    }),
    vscode.commands.registerCommand('rnnLab.openDashboard', async (argument?: unknown) => {
      const runUri = await runArgument(argument);
      return runUri ? DashboardPanel.createOrShow(context, runUri, deps).panel.title : undefined;
    }),
  ];
}
