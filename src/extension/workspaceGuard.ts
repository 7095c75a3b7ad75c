/**
 * Where command arguments may point. A command can be run with any argument (from another
 * extension, a link, a test), so those that write or delete check their target here first:
 * inside a workspace folder (on disk, symlinks resolved), and for Delete Run, a run folder.
 */
import * as vscode from 'vscode';
import { isInsideFolder, realPathOf } from '../fs/realPath';
import { runsFolderOf, specFolderOfRun } from './settings';

/** True when `uri` is inside one of the workspace folders; for local files, where the path really is (symlinks resolved). */
export function isInsideWorkspace(uri: vscode.Uri): boolean {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return false;
  if (uri.scheme !== 'file' || folder.uri.scheme !== 'file') return true;
  return isInsideFolder(realPathOf(uri.fsPath), realPathOf(folder.uri.fsPath));
}

async function statOf(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
}

/**
 * Why `runUri` is not a run folder that Delete Run may remove, or undefined when it is one: a folder
 * (not a symlink) inside the workspace, directly in the runs folder of its spec folder
 * (`rnnLab.runsFolder`), holding a `summary.json`.
 */
export async function runFolderProblem(runUri: vscode.Uri): Promise<string | undefined> {
  const name = runUri.scheme === 'file' ? runUri.fsPath : runUri.toString();
  if (!isInsideWorkspace(runUri)) return `${name} is outside the workspace folders`;
  const runsFolder = runsFolderOf(vscode.Uri.joinPath(specFolderOfRun(runUri), 'spec.rnn.json'));
  if (vscode.Uri.joinPath(runUri, '..').toString() !== runsFolder.toString()) {
    return `${name} is not in a runs folder (rnnLab.runsFolder: ${vscode.workspace.asRelativePath(runsFolder)})`;
  }
  const stat = await statOf(runUri);
  if (!stat || (stat.type & vscode.FileType.SymbolicLink) !== 0 || (stat.type & vscode.FileType.Directory) === 0) {
    return `${name} is not a folder`;
  }
  const summary = await statOf(vscode.Uri.joinPath(runUri, 'summary.json'));
  if (!summary || (summary.type & vscode.FileType.File) === 0) return `${name} has no summary.json: it is not a run folder`;
  return undefined;
}
