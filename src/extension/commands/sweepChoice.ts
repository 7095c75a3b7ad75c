/**
 * Which sweep Run Sweep and Resume Sweep continue: a sweep node of the Runs view names one; otherwise
 * the spec's cancelled or interrupted sweeps are offered in a QuickPick (Run Sweep adds "Start a new
 * sweep" as the last item; with none unfinished it starts a new one without asking).
 */
import * as vscode from 'vscode';
import { specName } from '../specSummary';
import { listSweeps, type SweepInfo } from '../views/sweepNodes';
import { listRuns } from '../workspaceScan';

/** The sweep a Runs view node (or a `{specUri, sweep: {id}}` from a test) stands for. */
export function sweepNodeOf(argument: unknown): { specUri: vscode.Uri; id: string } | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const node = argument as { kind?: unknown; specUri?: unknown; sweep?: { id?: unknown } };
  if (node.kind !== 'sweep' || !(node.specUri instanceof vscode.Uri) || typeof node.sweep?.id !== 'string') return undefined;
  return { specUri: node.specUri, id: node.sweep.id };
}

/** The spec's sweeps that Resume Sweep can continue, newest first. */
export async function resumableSweeps(specUri: vscode.Uri, activeRunIds: readonly string[], runningSweeps: readonly string[]): Promise<SweepInfo[]> {
  const name = await specName(specUri);
  const sweeps = await listSweeps(specUri, name, await listRuns(specUri, name, activeRunIds), runningSweeps);
  return sweeps.filter((sweep) => sweep.resumable);
}

/**
 * The id of the sweep to resume, `false` to start a new one, undefined when the person dismissed the
 * pick (or, `required`, when there is nothing to resume).
 */
export async function chooseSweepToResume(
  specUri: vscode.Uri, activeRunIds: readonly string[], runningSweeps: readonly string[], options: { required?: boolean } = {},
): Promise<string | false | undefined> {
  const sweeps = await resumableSweeps(specUri, activeRunIds, runningSweeps);
  if (!sweeps.length) {
    if (!options.required) return false;
    void vscode.window.showInformationMessage(`RNN Lab: ${vscode.workspace.asRelativePath(specUri)} has no cancelled or interrupted sweep to resume`);
    return undefined;
  }
  if (options.required && sweeps.length === 1) return sweeps[0].id;
  const items: (vscode.QuickPickItem & { id: string | false })[] = sweeps.map((sweep) => ({
    label: `$(debug-continue) Resume ${sweep.id}`, description: `${sweep.status} · ${sweep.finished}/${sweep.trials} trials finished`, id: sweep.id,
  }));
  if (!options.required) items.push({ label: '$(run-all) Start a new sweep', description: 'every trial from the beginning', id: false });
  const picked = await vscode.window.showQuickPick(items, { title: 'Run Sweep', placeHolder: 'This spec has an unfinished sweep' });
  return picked?.id;
}
