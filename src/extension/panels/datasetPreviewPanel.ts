/**
 * The dataset preview of one data file: computed in a worker (DatasetPreviewer), posted as one
 * snapshot when the webview says `ready`, recomputed when the file (or a spec) changes. One panel per
 * file; `createOrShow` brings an existing one forward. The last answer is kept, so a hidden panel
 * that comes back (its webview reloaded) is answered at once.
 */
import * as vscode from 'vscode';
import type { DatasetPreviewMessage } from '../../protocol/datasetPreview';
import { isWebviewPanelState, type WebviewToHost } from '../../protocol/hostWebview';
import type { DatasetPreviewAnswer } from '../dataScan/datasetPreviewWorker';
import { PanelBase, webviewOptions } from './panelBase';

/** What the panel needs: one preview answer per file (DatasetPreviewer). */
export interface DatasetPreviewSource {
  preview(dataset: vscode.Uri): Promise<DatasetPreviewAnswer>;
}

const DEBOUNCE_MS = 500;

export class DatasetPreviewPanel extends PanelBase {
  static readonly viewType = 'rnnLab.datasetPreview';
  private static readonly open = new Map<string, DatasetPreviewPanel>();
  private answer: Promise<DatasetPreviewMessage>;
  private timer: ReturnType<typeof setTimeout> | undefined;

  static find(dataset: vscode.Uri): DatasetPreviewPanel | undefined {
    return DatasetPreviewPanel.open.get(dataset.toString());
  }

  static createOrShow(context: vscode.ExtensionContext, dataset: vscode.Uri, source: DatasetPreviewSource): DatasetPreviewPanel {
    const existing = DatasetPreviewPanel.open.get(dataset.toString());
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(DatasetPreviewPanel.viewType, DatasetPreviewPanel.title(dataset),
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, webviewOptions(context.extensionUri));
    return new DatasetPreviewPanel(panel, context, dataset, source);
  }

  /** The serializer's reviver: the restored panel's saved state names its file. */
  static register(context: vscode.ExtensionContext, source: DatasetPreviewSource): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(DatasetPreviewPanel.viewType, {
      async deserializeWebviewPanel(panel, state: unknown) {
        if (!isWebviewPanelState(state)) { panel.dispose(); return; }
        new DatasetPreviewPanel(panel, context, vscode.Uri.parse(state.restoreUri), source);
      },
    });
  }

  private static title(dataset: vscode.Uri): string {
    return `Preview: ${dataset.path.slice(dataset.path.lastIndexOf('/') + 1)}`;
  }

  private constructor(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, readonly dataset: vscode.Uri,
    private readonly source: DatasetPreviewSource) {
    super(panel, context, DatasetPreviewPanel.title(dataset));
    DatasetPreviewPanel.open.set(dataset.toString(), this);
    this.answer = this.compute();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(dataset, '..'), '*'));
    const changed = () => { clearTimeout(this.timer); this.timer = setTimeout(() => this.refresh(), DEBOUNCE_MS); };
    this.disposables.push(
      watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed),
      { dispose: () => { clearTimeout(this.timer); DatasetPreviewPanel.open.delete(dataset.toString()); } },
    );
  }

  /** The snapshot the webview has (or will have on `ready`). */
  snapshot(): Promise<DatasetPreviewMessage> {
    return this.answer;
  }

  /** Recomputes and posts the preview (the file or its spec changed). */
  refresh(): void {
    this.answer = this.compute();
    void this.answer.then((message) => this.post(message));
  }

  private async compute(): Promise<DatasetPreviewMessage> {
    const fileName = vscode.workspace.asRelativePath(this.dataset);
    const answer = await this.source.preview(this.dataset);
    return 'preview' in answer
      ? { type: 'datasetPreview', restoreUri: this.dataset.toString(), fileName, preview: answer.preview }
      : { type: 'datasetPreview', restoreUri: this.dataset.toString(), fileName, preview: null, error: answer.error };
  }

  protected async onMessage(message: WebviewToHost): Promise<void> {
    if (message.type === 'ready') this.post(await this.answer);
  }
}
