/**
 * The runs table panel (one at a time): opened by Compare Runs, by several runs selected in the Runs
 * view, or by a sweep. It reads each run's summary.json and spec.json, sends the table
 * (runsTableModel.ts), and opens a run's dashboard when the webview asks (`openRun`, a double-click).
 */
import * as vscode from 'vscode';
import type { WebviewToHost } from '../../protocol/hostWebview';
import type { RunsTableMessage } from '../../protocol/runsTable';
import { describeRun, readJsonFile } from '../workspaceScan';
import { PanelBase, webviewOptions } from './panelBase';
import { runsTableMessage, type TableRun } from './runsTableModel';

export class RunsTablePanel extends PanelBase {
  static readonly viewType = 'rnnLab.runsTable';
  private static current: RunsTablePanel | undefined;
  private message: RunsTableMessage;

  /** Shows `runs` (run folders) in the panel, creating it when none is open. */
  static async show(
    context: vscode.ExtensionContext, runs: vscode.Uri[], title: string, options: { sweep?: { id: string; monitor: string }; activeRunIds?: readonly string[] } = {},
  ): Promise<RunsTablePanel> {
    const message = runsTableMessage(await Promise.all(runs.map((uri) => readTableRun(uri, options.activeRunIds ?? []))), title, options.sweep);
    const existing = RunsTablePanel.current;
    if (existing) {
      existing.message = message;
      existing.panel.title = title;
      existing.post(message);
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(RunsTablePanel.viewType, title, vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
    return new RunsTablePanel(panel, context, title, message);
  }

  /** The table last sent (integration tests read it). */
  get table(): RunsTableMessage { return this.message; }

  private constructor(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, title: string, message: RunsTableMessage) {
    super(panel, context, title);
    this.message = message;
    RunsTablePanel.current = this;
    this.disposables.push({ dispose: () => { if (RunsTablePanel.current === this) RunsTablePanel.current = undefined; } });
  }

  protected async onMessage(message: WebviewToHost): Promise<void> {
    if (message.type === 'ready') this.post(this.message);
    else if (message.type === 'openRun' && this.message.rows.some((row) => row.runUri === message.runUri)) {
      await vscode.commands.executeCommand('rnnLab.openDashboard', vscode.Uri.parse(message.runUri));
    }
  }
}

async function readTableRun(uri: vscode.Uri, activeRunIds: readonly string[]): Promise<TableRun> {
  const [info, summary, spec] = await Promise.all([
    describeRun(uri, activeRunIds), readJsonFile(vscode.Uri.joinPath(uri, 'summary.json')), readJsonFile(vscode.Uri.joinPath(uri, 'spec.json')),
  ]);
  return { runUri: uri.toString(), id: info.id, status: info.status, summary: summary ?? {}, spec };
}
