import * as vscode from 'vscode';
import { formatBytes } from '../training/memoryEstimate';
import { describeDataset, findDatasets, type DatasetInfo } from '../workspaceScan';

/** Datasets: the .txt, .csv, .jsonl and .tsv files, with format, records and size. */
export class DatasetsView implements vscode.TreeDataProvider<DatasetInfo> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  refresh(): void { this.changed.fire(); }

  async getChildren(element?: DatasetInfo): Promise<DatasetInfo[]> {
    if (element) return [];
    const infos = await Promise.all((await findDatasets()).map(describeDataset));
    return infos.filter((info): info is DatasetInfo => !!info);
  }

  getTreeItem(info: DatasetInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.workspace.asRelativePath(info.uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1));
    item.resourceUri = info.uri;
    item.contextValue = 'rnnLab.dataset';
    item.iconPath = new vscode.ThemeIcon('database');
    const records = Number.isNaN(info.records) ? '' : ` · ${info.records.toLocaleString('en')} ${info.unit}`;
    item.description = `${info.format}${records} · ${formatBytes(info.bytes)}${info.purpose ? ` · ${info.purpose}` : ''}`;
    item.command = { command: 'vscode.open', title: 'Open Dataset', arguments: [info.uri] };
    return item;
  }

  dispose(): void { this.changed.dispose(); }
}
