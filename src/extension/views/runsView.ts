import * as vscode from 'vscode';
import { formatDuration } from '../../format/duration';
import { specName, type SpecSummary } from '../specSummary';
import { findSpecs, listRuns, type RunInfo } from '../workspaceScan';
import { listSweeps, type SweepInfo } from './sweepNodes';

/**
 * A spec with all its runs and its sweeps (only its name and file: the Runs view reads no data,
 * unlike the Models view's summary); a sweep, whose children are its trials' runs; a run.
 */
export type RunsNode =
  | { kind: 'spec'; summary: Pick<SpecSummary, 'uri' | 'name'>; runs: RunInfo[]; sweeps: SweepInfo[] }
  | { kind: 'sweep'; sweep: SweepInfo; specUri: vscode.Uri }
  | { kind: 'run'; run: RunInfo; specUri: vscode.Uri };

/** Refreshes asked for within this time are drawn once. */
const REFRESH_COALESCE_MS = 300;

/** Metrics shown as a run's "best", in order of preference. */
const HEADLINE_METRICS = ['accuracy', 'sequenceAccuracy', 'tokenAccuracy', 'rmse', 'bitsPerChar', 'bitsPerToken', 'loss'];

/** Runs, per spec: status, headline metric, start and duration of each run. */
export class RunsView implements vscode.TreeDataProvider<RunsNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  /** `activeSweepIds`: the sweeps this window runs (between two of their trials none trains). */
  constructor(private readonly activeRunIds: () => readonly string[], private readonly activeSweepIds: () => readonly string[] = () => []) {}

  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  /** Redraws the view, once for a burst of calls (runs ending, summary.json files written by the CLI). */
  refresh(): void {
    this.refreshTimer ??= setTimeout(() => { this.refreshTimer = undefined; this.changed.fire(); }, REFRESH_COALESCE_MS);
  }

  async getChildren(element?: RunsNode): Promise<RunsNode[]> {
    if (element?.kind === 'run') return [];
    if (element?.kind === 'sweep') return element.sweep.runs.map((run) => ({ kind: 'run', run, specUri: element.specUri }));
    if (element?.kind === 'spec') {
      // A sweep's trials show under its node; the spec's other runs follow its sweeps.
      const inSweeps = new Set(element.sweeps.flatMap((sweep) => sweep.runs.map((run) => run.id)));
      return [
        ...element.sweeps.map((sweep): RunsNode => ({ kind: 'sweep', sweep, specUri: element.summary.uri })),
        ...element.runs.filter((run) => !inSweeps.has(run.id)).map((run): RunsNode => ({ kind: 'run', run, specUri: element.summary.uri })),
      ];
    }
    const nodes: RunsNode[] = [];
    for (const uri of await findSpecs()) {
      const name = await specName(uri);
      const runs = await listRuns(uri, name, this.activeRunIds());
      if (runs.length) nodes.push({ kind: 'spec', summary: { uri, name }, runs, sweeps: await listSweeps(uri, name, runs, this.activeSweepIds()) });
    }
    return nodes;
  }

  /** The node above a run (its sweep's, else its spec's) or a sweep (TreeView.reveal walks up through it). */
  async getParent(node: RunsNode): Promise<RunsNode | undefined> {
    if (node.kind === 'spec') return undefined;
    const spec = (await this.getChildren()).find((candidate) => candidate.kind === 'spec' && candidate.summary.uri.toString() === node.specUri.toString());
    if (node.kind === 'sweep' || spec?.kind !== 'spec') return spec;
    const sweep = spec.sweeps.find((candidate) => candidate.runs.some((run) => run.id === node.run.id));
    return sweep ? { kind: 'sweep', sweep, specUri: node.specUri } : spec;
  }

  /** The node of a run, by its folder name, as the view shows it now. */
  async findRun(runId: string): Promise<RunsNode | undefined> {
    for (const spec of await this.getChildren()) {
      const found = spec.kind === 'spec' ? spec.runs.find((run) => run.id === runId) : undefined;
      if (found && spec.kind === 'spec') return { kind: 'run', run: found, specUri: spec.summary.uri };
    }
    return undefined;
  }

  /** The node of a sweep, by its id, as the view shows it now. */
  async findSweep(sweepId: string): Promise<RunsNode | undefined> {
    for (const spec of await this.getChildren()) {
      const found = spec.kind === 'spec' ? spec.sweeps.find((sweep) => sweep.id === sweepId) : undefined;
      if (found && spec.kind === 'spec') return { kind: 'sweep', sweep: found, specUri: spec.summary.uri };
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
    if (node.kind === 'sweep') return sweepItem(node.sweep);
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

/** A sweep: its id, status and trials; a click opens its runs table (Show Sweep). */
function sweepItem(sweep: SweepInfo): vscode.TreeItem {
  const item = new vscode.TreeItem(sweep.id, sweep.runs.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.description = `${sweep.status} · ${sweep.finished}/${sweep.trials} trial${sweep.trials === 1 ? '' : 's'}`;
  item.id = `sweep:${sweep.specUri.toString()}#${sweep.id}`;
  item.contextValue = sweep.resumable ? 'rnnLab.sweep.resumable' : 'rnnLab.sweep';
  item.iconPath = new vscode.ThemeIcon(sweep.status === 'running' ? 'sync~spin' : sweep.status === 'completed' ? 'pass' : 'warning');
  item.tooltip = `Sweep ${sweep.id}: ${sweep.status}, ${sweep.finished} of ${sweep.trials} trials finished${sweep.resumable ? '; Resume Sweep runs the rest' : ''}`;
  item.command = { command: 'rnnLab.showSweep', title: 'Show Sweep', arguments: [{ kind: 'sweep', sweep, specUri: sweep.specUri }] };
  return item;
}
