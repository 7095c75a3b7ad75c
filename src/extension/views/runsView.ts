import * as vscode from 'vscode';
import { formatDuration } from '../training/trainingService';
import { summarizeSpec, type SpecSummary } from '../specSummary';
import { findSpecs, listRuns, type RunInfo } from '../workspaceScan';

export type RunsNode = { kind: 'spec'; summary: SpecSummary; runs: RunInfo[] } | { kind: 'run'; run: RunInfo; specUri: vscode.Uri };

/** Metrics shown as a run's "best", in order of preference. */
const HEADLINE_METRICS = ['accuracy', 'sequenceAccuracy', 'tokenAccuracy', 'rmse', 'bitsPerChar', 'bitsPerToken', 'loss'];

/** Runs, per spec: status, headline metric, start and duration of each run. */
export class RunsView implements vscode.TreeDataProvider<RunsNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly activeRunIds: () => readonly string[]) {}

  refresh(): void { this.changed.fire(); }

  async getChildren(element?: RunsNode): Promise<RunsNode[]> {
    if (element?.kind === 'run') return [];
    if (element?.kind === 'spec') return element.runs.map((run) => ({ kind: 'run', run, specUri: element.summary.uri }));
    const nodes: RunsNode[] = [];
    for (const uri of await findSpecs()) {
      const summary = await summarizeSpec(uri);
      const runs = await listRuns(uri, summary.name, this.activeRunIds());
      if (runs.length) nodes.push({ kind: 'spec', summary, runs });
    }
    return nodes;
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.kind === 'spec') {
      const item = new vscode.TreeItem(node.summary.name, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
      item.resourceUri = node.summary.uri;
      item.iconPath = new vscode.ThemeIcon('symbol-class');
      item.contextValue = 'rnnLab.runsOfSpec';
      return item;
    }
    const { run } = node;
    const item = new vscode.TreeItem(run.id, vscode.TreeItemCollapsibleState.None);
    const metric = HEADLINE_METRICS.find((name) => typeof run.metrics[name] === 'number');
    const parts = [run.status];
    if (metric) parts.push(`${metric} ${run.metrics[metric].toFixed(4)}`);
    if (run.startedAt) parts.push(run.startedAt.toLocaleString());
    if (run.durationMs !== undefined) parts.push(formatDuration(run.durationMs));
    item.description = parts.join(' · ');
    item.resourceUri = run.uri;
    item.contextValue = run.resumable ? 'rnnLab.run.resumable' : 'rnnLab.run';
    item.iconPath = new vscode.ThemeIcon(run.status === 'running' ? 'sync~spin' : run.status === 'done' || run.status === 'completed' ? 'pass'
      : run.status === 'failed' || run.status === 'diverged' ? 'error' : 'circle-outline');
    if (run.message) item.tooltip = `${run.id}: ${run.status}: ${run.message}`;
    item.command = { command: 'rnnLab.openDashboard', title: 'Open Training Dashboard', arguments: [run.uri] };
    return item;
  }

  dispose(): void { this.changed.dispose(); }
}
