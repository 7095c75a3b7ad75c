import * as vscode from 'vscode';
import { formatDuration } from '../../format/duration';
import { specName, type SpecSummary } from '../specSummary';
import { findSpecs, listRuns, type RunInfo } from '../workspaceScan';

/** A spec and its runs: only its name and file (the Runs view reads no data, unlike the Models view's summary). */
export type RunsNode = { kind: 'spec'; summary: Pick<SpecSummary, 'uri' | 'name'>; runs: RunInfo[] } | { kind: 'run'; run: RunInfo; specUri: vscode.Uri };

/** Refreshes asked for within this time are drawn once. */
const REFRESH_COALESCE_MS = 300;

/** Metrics shown as a run's "best", in order of preference. */
const HEADLINE_METRICS = ['accuracy', 'sequenceAccuracy', 'tokenAccuracy', 'rmse', 'bitsPerChar', 'bitsPerToken', 'loss'];

/** Runs, per spec: status, headline metric, start and duration of each run. */
export class RunsView implements vscode.TreeDataProvider<RunsNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly activeRunIds: () => readonly string[]) {}

  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  /** Redraws the view, once for a burst of calls (runs ending, summary.json files written by the CLI). */
  refresh(): void {
    this.refreshTimer ??= setTimeout(() => { this.refreshTimer = undefined; this.changed.fire(); }, REFRESH_COALESCE_MS);
  }

  async getChildren(element?: RunsNode): Promise<RunsNode[]> {
    if (element?.kind === 'run') return [];
    if (element?.kind === 'spec') return element.runs.map((run) => ({ kind: 'run', run, specUri: element.summary.uri }));
    const nodes: RunsNode[] = [];
    for (const uri of await findSpecs()) {
      const name = await specName(uri);
      const runs = await listRuns(uri, name, this.activeRunIds());
      if (runs.length) nodes.push({ kind: 'spec', summary: { uri, name }, runs });
    }
    return nodes;
  }

  /** The spec node above a run (TreeView.reveal walks up through it). */
  async getParent(node: RunsNode): Promise<RunsNode | undefined> {
    if (node.kind === 'spec') return undefined;
    return (await this.getChildren()).find((candidate) => candidate.kind === 'spec' && candidate.summary.uri.toString() === node.specUri.toString());
  }

  /** The node of a run, by its folder name, as the view shows it now. */
  async findRun(runId: string): Promise<RunsNode | undefined> {
    for (const spec of await this.getChildren()) {
      const found = spec.kind === 'spec' ? spec.runs.find((run) => run.id === runId) : undefined;
      if (found && spec.kind === 'spec') return { kind: 'run', run: found, specUri: spec.summary.uri };
    }
    return undefined;
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.kind === 'spec') {
      const item = new vscode.TreeItem(node.summary.name, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
      item.resourceUri = node.summary.uri;
      item.iconPath = new vscode.ThemeIcon('symbol-class');
      item.contextValue = 'rnnLab.runsOfSpec';
      item.id = `spec:${node.summary.uri.toString()}`;
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
    item.id = `run:${run.uri.toString()}`;
    item.contextValue = run.resumable ? 'rnnLab.run.resumable' : 'rnnLab.run';
    item.iconPath = new vscode.ThemeIcon(run.status === 'running' ? 'sync~spin' : run.status === 'done' || run.status === 'completed' ? 'pass'
      : run.status === 'failed' || run.status === 'diverged' ? 'error' : run.status === 'interrupted' ? 'warning' : 'circle-outline');
    if (run.message) item.tooltip = `${run.id}: ${run.status}: ${run.message}`;
    item.command = { command: 'rnnLab.openDashboard', title: 'Open Training Dashboard', arguments: [run.uri] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }
}
