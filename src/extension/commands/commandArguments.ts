import * as vscode from 'vscode';
import { specName } from '../specSummary';
import { findDatasets, findSpecs, listRuns } from '../workspaceScan';

/**
 * Commands take their target from (in order) an argument, the active editor, or a QuickPick. An
 * argument may be a Uri, a URI string, or a tree node of the RNN Lab views (anything with `uri`,
 * `resourceUri`, `summary.uri` or `run.uri`), so palette, menus, tree items and tests share one path.
 */
export function uriOf(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  if (typeof argument === 'string') return vscode.Uri.parse(argument);
  if (typeof argument !== 'object' || argument === null) return undefined;
  const node = argument as { uri?: unknown; resourceUri?: unknown; summary?: { uri?: unknown }; run?: { uri?: unknown } };
  for (const candidate of [node.run?.uri, node.summary?.uri, node.uri, node.resourceUri]) {
    if (candidate instanceof vscode.Uri) return candidate;
  }
  return undefined;
}

async function pick(uris: vscode.Uri[], placeHolder: string, empty: string): Promise<vscode.Uri | undefined> {
  if (uris.length === 0) {
    void vscode.window.showInformationMessage(`RNN Lab: ${empty}`);
    return undefined;
  }
  if (uris.length === 1) return uris[0];
  const chosen = await vscode.window.showQuickPick(uris.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })), { placeHolder });
  return chosen?.uri;
}

export async function specArgument(argument: unknown): Promise<vscode.Uri | undefined> {
  const given = uriOf(argument);
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.path.endsWith('.rnn.json')) return active;
  return pick(await findSpecs(), 'Which model spec?', 'no *.rnn.json spec in this workspace; run "RNN Lab: New Model…" first');
}

export async function datasetArgument(argument: unknown): Promise<vscode.Uri | undefined> {
  return uriOf(argument) ?? pick(await findDatasets(), 'Which dataset?', 'no .txt, .csv, .jsonl or .tsv file in this workspace');
}

/** Every run of every spec, newest first. */
export async function allRuns(): Promise<vscode.Uri[]> {
  const runs: vscode.Uri[] = [];
  for (const spec of await findSpecs()) runs.push(...(await listRuns(spec, await specName(spec), [])).map((run) => run.uri));
  return runs.sort((a, b) => b.path.slice(b.path.lastIndexOf('/')).localeCompare(a.path.slice(a.path.lastIndexOf('/'))));
}

export async function runArgument(argument: unknown): Promise<vscode.Uri | undefined> {
  return uriOf(argument) ?? pick(await allRuns(), 'Which run?', 'no training runs yet; run "RNN Lab: Train Model" first');
}
