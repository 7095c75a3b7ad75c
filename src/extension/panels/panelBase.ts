/**
 * What both panels share: webview options (scripts on, resources only from dist/ and media/), the
 * CSP'd HTML set once, the guarded message channel, and ownership of every disposable.
 */
import * as vscode from 'vscode';
import { isWebviewToHost, type HostToWebview, type WebviewToHost } from '../../protocol/hostWebview';
import { makeNonce, webviewHtml } from './webviewHtml';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export abstract class PanelBase implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly received = new vscode.EventEmitter<WebviewToHost>();
  /** Every valid message from the webview, once the panel has handled it (integration tests watch the round trip). */
  readonly onDidReceiveMessage = this.received.event;

  protected constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, title: string) {
    const webview = panel.webview;
    webview.options = webviewOptions(extensionUri);
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css')).toString(),
      title,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => {
        if (isWebviewToHost(message)) void Promise.resolve(this.onMessage(message)).finally(() => this.received.fire(message));
      }),
      panel.onDidDispose(() => this.dispose()),
      this.received,
    );
  }

  post(message: HostToWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  protected abstract onMessage(message: WebviewToHost): void | Promise<void>;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
