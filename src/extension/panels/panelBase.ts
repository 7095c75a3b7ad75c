/**
 * What both panels share: webview options (scripts on, resources only from dist/ and media/), the
 * CSP'd HTML set once, the guarded message channel, and ownership of every disposable.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { isWebviewToHost, type HostToWebview, type WebviewToHost } from '../../protocol/hostWebview';
import { makeNonce, webviewHtml } from './webviewHtml';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * dist/webview.js; under test (VS Code's extension test mode, with a development build) the test
 * build dist/webview.test.js, which adds the hook integration tests click controls with (webview/testHooks.ts).
 */
function webviewScript(context: vscode.ExtensionContext): vscode.Uri {
  const testBuild = vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview.test.js');
  const underTest = context.extensionMode === vscode.ExtensionMode.Test && testBuild.scheme === 'file' && existsSync(testBuild.fsPath);
  return underTest ? testBuild : vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview.js');
}

export abstract class PanelBase implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly received = new vscode.EventEmitter<WebviewToHost>();
  /** Every valid message from the webview, once the panel has handled it (integration tests watch the round trip). */
  readonly onDidReceiveMessage = this.received.event;
  /** Resolves when the webview's script has loaded, run and said `ready` (the packaged-extension test waits for it). */
  readonly whenReady: Promise<void>;

  protected constructor(readonly panel: vscode.WebviewPanel, context: vscode.ExtensionContext, title: string) {
    const webview = panel.webview;
    const extensionUri = context.extensionUri;
    webview.options = webviewOptions(extensionUri);
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(webviewScript(context)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.css')).toString(),
      title,
    });
    this.whenReady = new Promise((resolve) => {
      const listener = this.received.event((message) => { if (message.type === 'ready') { listener.dispose(); resolve(); } });
      this.disposables.push(listener);
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
