/**
 * The Runs view as a TreeView: several runs can be selected (Compare Runs from the context menu gets
 * them all), the view's badge counts the running trainings, and a run that starts is revealed in the
 * view when the view is showing (it never opens the sidebar by itself).
 */
import * as vscode from 'vscode';
import type { TrainingService } from '../training/trainingService';
import type { RunsNode, RunsView } from './runsView';

/** How long after a run's `start` the view looks for it: the Runs view redraws at most every 300 ms. */
const REVEAL_DELAY_MS = 600;

export function createRunsTreeView(runs: RunsView, training: TrainingService): { tree: vscode.TreeView<RunsNode>; disposables: vscode.Disposable[] } {
  const tree = vscode.window.createTreeView('rnnLab.runs', { treeDataProvider: runs, canSelectMany: true, showCollapseAll: false });
  const updateBadge = () => {
    const running = training.activeRunIds.length;
    tree.badge = running ? { value: running, tooltip: `${running} training${running === 1 ? '' : 's'} running or queued` } : undefined;
  };
  const reveal = async (runId: string) => {
    if (!tree.visible) return;
    const node = await runs.findRun(runId);
    if (node) await tree.reveal(node, { select: true, focus: false }).then(undefined, () => undefined);
  };
  const disposables = [
    tree,
    training.onDidChange((change) => {
      if (change && change.event.event !== 'start') return;
      updateBadge();
      if (change) setTimeout(() => void reveal(change.runId), REVEAL_DELAY_MS);
    }),
  ];
  return { tree, disposables };
}
