import * as vscode from 'vscode';
import type { DataSizeScanner } from '../dataScan/dataSizeScanner';
import { summarizeSpec, type SpecSummary } from '../specSummary';
import { findSpecs } from '../workspaceScan';

/** Models: every `*.rnn.json`, with task, cell and parameter count; a click opens the spec. */
export class ModelsView implements vscode.TreeDataProvider<SpecSummary> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly dataSizes?: DataSizeScanner) {}

  refresh(): void { this.changed.fire(); }

  async getChildren(element?: SpecSummary): Promise<SpecSummary[]> {
    if (element) return [];
    return Promise.all((await findSpecs()).map((uri) => summarizeSpec(uri, this.dataSizes)));
  }

  getTreeItem(summary: SpecSummary): vscode.TreeItem {
    const item = new vscode.TreeItem(summary.name, vscode.TreeItemCollapsibleState.None);
    item.resourceUri = summary.uri;
    item.contextValue = 'rnnLab.spec';
    item.command = { command: 'vscode.open', title: 'Open Spec', arguments: [summary.uri] };
    if (summary.spec) {
      const parameters = summary.parameters === undefined ? '' : ` · ${summary.parameters.toLocaleString('en')} params`;
      item.description = `${summary.spec.task} · ${summary.spec.model.cell}${parameters}`;
      item.iconPath = new vscode.ThemeIcon('symbol-class');
    }
    if (summary.problem) {
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      item.description = summary.spec ? `${item.description} · ${summary.problem}` : summary.problem;
    }
    item.tooltip = `${vscode.workspace.asRelativePath(summary.uri)}${summary.problem ? `\n${summary.problem}` : ''}`;
    return item;
  }

  dispose(): void { this.changed.dispose(); }
}
