/**
 * Registers the two webview panels' serializers; the extension calls this once from `activate` and
 * opens panels with `ArchitecturePanel.createOrShow` / `DashboardPanel.createOrShow`.
 * package.json needs `"onWebviewPanel:rnnLab.architecture"` and `"onWebviewPanel:rnnLab.dashboard"`
 * activation events for restore after a reload.
 */
import * as vscode from 'vscode';
import { isWebviewPanelState } from '../../protocol/hostWebview';
import { ArchitecturePanel } from './architecturePanel';
import { DashboardPanel } from './dashboardPanel';
import type { PanelDeps } from './types';

export { ArchitecturePanel } from './architecturePanel';
export { DashboardPanel } from './dashboardPanel';
export type { DataSizeSource, PanelDeps, RunInspector, TrainingEventSource } from './types';

export function registerPanels(context: vscode.ExtensionContext, deps: PanelDeps): vscode.Disposable[] {
  const restore = (revive: (panel: vscode.WebviewPanel, uri: vscode.Uri) => void): vscode.WebviewPanelSerializer => ({
    async deserializeWebviewPanel(panel, state: unknown) {
      if (!isWebviewPanelState(state)) {
        panel.dispose(); // saved by an older build, or never got its snapshot: nothing to reopen
        return;
      }
      revive(panel, vscode.Uri.parse(state.restoreUri));
    },
  });
  return [
    vscode.window.registerWebviewPanelSerializer(ArchitecturePanel.viewType,
      restore((panel, uri) => ArchitecturePanel.revive(panel, context, uri, deps))),
    vscode.window.registerWebviewPanelSerializer(DashboardPanel.viewType,
      restore((panel, uri) => DashboardPanel.revive(panel, context, uri, deps))),
  ];
}
