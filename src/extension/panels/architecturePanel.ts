/**
 * The architecture view of one spec. Follows the spec document live, unsaved edits included
 * (debounced), answers the webview's `ready` with a full snapshot, and reveals a key in the editor
 * on `revealKey`. One panel per spec; `createOrShow` brings an existing one forward.
 */
import { findNodeAtLocation, parseTree, type JSONPath } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { HostToWebview, WebviewToHost } from '../../protocol/hostWebview';
import { specTextIssues } from './contractAdapters';
import { buildDiagramModel, type DataSizes } from './diagramModel';
import { PanelBase, webviewOptions } from './panelBase';
import type { PanelDeps } from './types';

const DEBOUNCE_MS = 250;

/** Spec text → snapshot: issues with positions, and a diagram when there are none (with `known` sizes from the data, if any). */
export function architectureSnapshot(specUri: vscode.Uri, text: string, known: Partial<DataSizes> = {}): Extract<HostToWebview, { type: 'architecture' }> {
  const specName = specUri.path.slice(specUri.path.lastIndexOf('/') + 1);
  const issues = specTextIssues(text);
  let diagram = null;
  if (issues.length === 0) {
    try {
      diagram = buildDiagramModel(JSON.parse(text) as unknown, specName.replace(/\.rnn\.json$|\.json$/, ''), known);
    } catch (error) {
      issues.push({ path: '', message: `cannot draw this spec: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return { type: 'architecture', restoreUri: specUri.toString(), specName, issues, diagram };
}

export class ArchitecturePanel extends PanelBase {
  static readonly viewType = 'rnnLab.architecture';
  private static readonly open = new Map<string, ArchitecturePanel>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The data's sizes from the last scan, shown at once on the next edit while a new scan runs. */
  private known: Partial<DataSizes> = {};
  /** Counts updates, so a slow scan never overwrites a newer snapshot. */
  private generation = 0;

  /** The open panel of a spec, if any. */
  static find(specUri: vscode.Uri): ArchitecturePanel | undefined {
    return ArchitecturePanel.open.get(specUri.toString());
  }

  static createOrShow(context: vscode.ExtensionContext, specUri: vscode.Uri, deps: PanelDeps = {}): ArchitecturePanel {
    const existing = ArchitecturePanel.open.get(specUri.toString());
    if (existing) {
      existing.panel.reveal(vscode.ViewColumn.Beside);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(ArchitecturePanel.viewType, ArchitecturePanel.title(specUri),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context.extensionUri));
    return new ArchitecturePanel(panel, context, specUri, deps);
  }

  /** For the serializer: adopt a restored panel. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, specUri: vscode.Uri, deps: PanelDeps = {}): ArchitecturePanel {
    return new ArchitecturePanel(panel, context, specUri, deps);
  }

  private static title(specUri: vscode.Uri): string {
    return `Architecture: ${specUri.path.slice(specUri.path.lastIndexOf('/') + 1)}`;
  }

  private constructor(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, private readonly specUri: vscode.Uri,
    private readonly deps: PanelDeps) {
    super(panel, context, ArchitecturePanel.title(specUri));
    ArchitecturePanel.open.set(specUri.toString(), this);
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.specUri.toString()) this.scheduleUpdate();
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (doc.uri.toString() === this.specUri.toString()) this.scheduleUpdate();
      }),
      { dispose: () => { clearTimeout(this.timer); ArchitecturePanel.open.delete(this.specUri.toString()); } },
    );
  }

  protected async onMessage(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready': await this.update(); break;
      case 'revealKey': await this.revealKey(message.path); break;
      default: break; // dashboard messages do not apply here
    }
  }

  private scheduleUpdate(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), DEBOUNCE_MS);
  }

  /** The open document's text (unsaved edits included), else the file's. */
  private async specText(): Promise<string> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.specUri.toString());
    if (open) return open.getText();
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(this.specUri));
  }

  /** Posts the snapshot with the sizes known so far, then, once the data has been scanned, with its sizes. */
  private async update(): Promise<void> {
    const generation = ++this.generation;
    let text: string;
    try {
      text = await this.specText();
    } catch (error) {
      this.post({ type: 'architecture', restoreUri: this.specUri.toString(), specName: this.specUri.path, diagram: null,
        issues: [{ path: '', message: `cannot read the spec: ${error instanceof Error ? error.message : String(error)}` }] });
      return;
    }
    this.post(architectureSnapshot(this.specUri, text, this.known));
    const sizes = (await this.deps.dataSizes?.sizesOf(this.specUri, text)) ?? {};
    if (generation !== this.generation || JSON.stringify(sizes) === JSON.stringify(this.known)) return;
    this.known = sizes;
    this.post(architectureSnapshot(this.specUri, text, sizes));
  }

  /** Opens the spec beside the panel and selects the key at `pointer` (or its nearest existing parent). */
  private async revealKey(pointer: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument(this.specUri);
    const root = parseTree(document.getText());
    let path: JSONPath = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    let node = root && findNodeAtLocation(root, path);
    while (root && !node && path.length > 0) {
      path = path.slice(0, -1);
      node = path.length ? findNodeAtLocation(root, path) : root;
    }
    const target = node?.parent?.type === 'property' ? node.parent.children?.[0] ?? node : node;
    const range = target
      ? new vscode.Range(document.positionAt(target.offset), document.positionAt(target.offset + target.length))
      : new vscode.Range(0, 0, 0, 0);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: range });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }
}
