/**
 * RNN Lab: Preview Dataset. The dataset comes from the Datasets view (its item, when selected), the
 * explorer, the active editor's file, or a pick among the workspace's data files. Returns the panel
 * (integration tests read its snapshot).
 */
import * as vscode from 'vscode';
import { formatFromFileName } from '../../modelSpec';
import { DatasetPreviewer } from '../dataScan/datasetPreviewer';
import { DatasetPreviewPanel } from '../panels/datasetPreviewPanel';
import { findDatasets } from '../workspaceScan';

const isDataFile = (uri: vscode.Uri) => formatFromFileName(uri.path) !== undefined;

async function pickDataset(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isDataFile(active)) return active;
  const datasets = await findDatasets();
  if (datasets.length === 0) {
    void vscode.window.showInformationMessage('No datasets (.txt, .csv, .jsonl, .tsv) in this workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(datasets.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Preview Dataset', placeHolder: 'The data file to look at' });
  return picked?.uri;
}

export function registerPreviewCommands(context: vscode.ExtensionContext, workerPath: string): vscode.Disposable[] {
  const previewer = new DatasetPreviewer(workerPath);
  return [
    DatasetPreviewPanel.register(context, previewer),
    vscode.commands.registerCommand('rnnLab.previewDataset', async (dataset?: { uri?: vscode.Uri } | vscode.Uri) => {
      const uri = dataset instanceof vscode.Uri ? dataset : dataset?.uri ?? await pickDataset();
      return uri && DatasetPreviewPanel.createOrShow(context, uri, previewer);
    }),
  ];
}
