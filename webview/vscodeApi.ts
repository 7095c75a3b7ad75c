/** The webview's side of the message channel: typed posting, and the saved state slot. */
import type { WebviewToHost } from '../src/protocol/hostWebview';

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
