/**
 * The Explain Prediction view: one webview per run showing `explanationReportHtml` (no scripts, no
 * command links); explaining another input of the same run refreshes it in place.
 */
import * as vscode from 'vscode';
import { makeNonce } from '../panels/webviewHtml';
import { explanationReportHtml, type ExplanationResult } from './explanationReport';

const runName = (runUri: vscode.Uri): string => runUri.path.slice(runUri.path.lastIndexOf('/') + 1);

export class ExplanationViews implements vscode.Disposable {
  static readonly viewType = 'rnnLab.explanation';
  private readonly panels = new Map<string, vscode.WebviewPanel>();

  /** Shows (or refreshes) the explanation view of a run. */
  show(runUri: vscode.Uri, explanation: ExplanationResult): vscode.WebviewPanel {
    const key = runUri.toString();
    let panel = this.panels.get(key);
    if (panel) {
      panel.reveal(undefined, true);
    } else {
      panel = vscode.window.createWebviewPanel(ExplanationViews.viewType, `Explanation: ${runName(runUri)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, localResourceRoots: [] });
      this.panels.set(key, panel);
      panel.onDidDispose(() => this.panels.delete(key));
    }
    panel.webview.html = explanationReportHtml(explanation, { title: runName(runUri), cspSource: panel.webview.cspSource, nonce: makeNonce() });
    return panel;
  }

  /** The open explanation view of a run, if any (for tests). */
  panelOf(runUri: vscode.Uri): vscode.WebviewPanel | undefined {
    return this.panels.get(runUri.toString());
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
  }
}
