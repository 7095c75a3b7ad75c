/**
 * The webview's test build (dist/webview.test.js): the production bundle plus one hook through which
 * integration tests click a control, as a user would, to drive the host ↔ webview round trip.
 * `npm run package` never builds it and .vscodeignore leaves it out, so the hook is not in the
 * protocol (src/protocol/hostWebview.ts) nor in the packaged extension. The host loads this bundle
 * only when VS Code runs the extension in test mode (PanelBase).
 */
import './main';

/** What a test posts to the panel: click the control with this `data-control` name. */
export interface WebviewTestClick { rnnLabTest: 'click'; control: string }

const isTestClick = (v: unknown): v is WebviewTestClick =>
  typeof v === 'object' && v !== null && (v as WebviewTestClick).rnnLabTest === 'click' && typeof (v as WebviewTestClick).control === 'string';

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isTestClick(e.data)) document.querySelector<HTMLElement>(`[data-control="${CSS.escape(e.data.control)}"]`)?.click();
});
