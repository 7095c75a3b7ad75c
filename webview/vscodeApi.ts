/** The webview's side of the message channel: typed posting, and the saved state slot. */
import type { WebviewPanelState, WebviewToHost } from '../src/protocol/hostWebview';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function postToHost(message: WebviewToHost): void {
  api.postMessage(message);
}

/** Saved by VS Code with the panel, so its serializer can reopen the same spec or run. */
export function savePanelState(state: WebviewPanelState): void {
  api.setState(state);
}
