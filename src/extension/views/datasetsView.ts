import * as vscode from 'vscode';
import { formatBytes } from '../training/memoryEstimate';
import type { DatasetScanner } from '../dataScan/datasetScanner';
import { findDatasets, type DatasetInfo } from '../workspaceScan';

/** Datasets: the .txt, .csv, .jsonl and .tsv files, with format, records and size. */
export class DatasetsView implements vscode.TreeDataProvider<DatasetInfo> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly scanner: DatasetScanner) {}

  refresh(): void { this.changed.fire(); }

  /** The data files, described by the data-scan worker (records and purpose are not computed on the host thread). */
  async getChildren(element?: DatasetInfo): Promise<DatasetInfo[]> {
    if (element) return [];
    return this.scanner.describe(await findDatasets());
  }

  getTreeItem(info: DatasetInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.workspace.asRelativePath(info.uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1));
    item.resourceUri = info.uri;
    item.contextValue = 'rnnLab.dataset';
    item.iconPath = new vscode.ThemeIcon('database');
    const records = Number.isNaN(info.records) ? '' : ` · ${info.records.toLocaleString('en')} ${info.unit}`;
    item.description = `${info.format}${records} · ${formatBytes(info.bytes)}${info.purpose ? ` · ${info.purpose}` : ''}`;
    // Selecting a dataset previews it (the explorer still opens the file).
    item.command = { command: 'rnnLab.previewDataset', title: 'Preview Dataset', arguments: [info.uri] };
    return item;
  }

  dispose(): void { this.changed.dispose(); }
}
