/**
 * The Evaluate Run results view: one webview per run showing `evaluationReportHtml` (no scripts; its
 * only active content is command links to `rnnLab.openLocation`, which opens a worst example's file
 * at its line, and to `rnnLab.explainPrediction`, which explains it). Evaluating a run again refreshes its view in place.
 */
import * as vscode from 'vscode';
import type { EvaluationResult } from '../inspector/evaluationResult';
import { makeNonce } from '../panels/webviewHtml';
import { evaluationReportHtml } from './evaluationReport';

const OPEN_LOCATION = 'rnnLab.openLocation';
const EXPLAIN = 'rnnLab.explainPrediction';
/** Files whose lines are inputs (`rnn-lab explain --file --line`); a CSV line is a row of a window, not an input. */
const EXPLAINABLE = /\.(jsonl|txt)$/i;
const runName = (runUri: vscode.Uri): string => runUri.path.slice(runUri.path.lastIndexOf('/') + 1);

/** A file the CLI named: absolute paths as they are, relative ones from the runs' folder. */
function fileUri(runUri: vscode.Uri, file: string): vscode.Uri {
  return /^([a-zA-Z]:)?[\\/]/.test(file) ? runUri.with({ path: vscode.Uri.file(file).path }) : vscode.Uri.joinPath(runUri, '..', file);
}

export class EvaluationViews implements vscode.Disposable {
  static readonly viewType = 'rnnLab.evaluation';
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly command = vscode.commands.registerCommand(OPEN_LOCATION, async (uri: string, line: number) => {
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.parse(uri), { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
  });

  /** Shows (or refreshes) the results view of a run. */
  show(runUri: vscode.Uri, result: EvaluationResult): vscode.WebviewPanel {
    const key = runUri.toString();
    let panel = this.panels.get(key);
    if (panel) {
      panel.reveal();
    } else {
      panel = vscode.window.createWebviewPanel(EvaluationViews.viewType, `Evaluation: ${runName(runUri)}`, vscode.ViewColumn.Active,
        { enableScripts: false, enableCommandUris: [OPEN_LOCATION, EXPLAIN], localResourceRoots: [] });
      this.panels.set(key, panel);
      panel.onDidDispose(() => this.panels.delete(key));
    }
    panel.webview.html = evaluationReportHtml(result, {
      title: runName(runUri), cspSource: panel.webview.cspSource, nonce: makeNonce(),
      locationHref: (file, line) => `command:${OPEN_LOCATION}?${encodeURIComponent(JSON.stringify([fileUri(runUri, file).toString(), line]))}`,
      explainHref: (file, line) => (EXPLAINABLE.test(file)
        ? `command:${EXPLAIN}?${encodeURIComponent(JSON.stringify([runUri.toString(), { file: fileUri(runUri, file).toString(), line }]))}` : undefined),
    });
    return panel;
  }

  /** The open results view of a run, if any (for tests). */
  panelOf(runUri: vscode.Uri): vscode.WebviewPanel | undefined {
    return this.panels.get(runUri.toString());
  }

  dispose(): void {
    this.command.dispose();
    for (const panel of this.panels.values()) panel.dispose();
  }
}
