/**
 * Compare Runs: the runs table panel for the runs given (several selected in the Runs view, a sweep's
 * runs) or picked. Returns the table it shows (integration tests read it).
 */
import * as vscode from 'vscode';
import type { RunsTableMessage } from '../../protocol/runsTable';
import { RunsTablePanel } from '../panels/runsTablePanel';
import { allRuns, uriOf } from './commandArguments';

/** The distinct run folders among `selected` (a context-menu command gets the clicked node and the selection). */
export function selectedRuns(selected: unknown[]): vscode.Uri[] {
  const byKey = new Map<string, vscode.Uri>();
  for (const uri of selected.flat().map(uriOf)) if (uri) byKey.set(uri.toString(), uri);
  return [...byKey.values()];
}

export function registerCompareCommands(context: vscode.ExtensionContext, activeRunIds: () => readonly string[]): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('rnnLab.compareRuns', async (...selected: unknown[]): Promise<RunsTableMessage | undefined> => {
      let runs = selectedRuns(selected);
      if (runs.length < 2) {
        const picked = await vscode.window.showQuickPick((await allRuns()).map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri, picked: runs.some((r) => r.toString() === uri.toString()) })),
          { canPickMany: true, placeHolder: 'Pick the runs to compare' });
        runs = picked?.map((item) => item.uri) ?? [];
      }
      if (runs.length === 0) return undefined;
      const panel = await RunsTablePanel.show(context, runs, `Runs: ${runs.length} compared`, { activeRunIds: activeRunIds() });
      return panel.table;
    }),
  ];
}
