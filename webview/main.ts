/**
 * Webview entry: one bundle for both panels. Posts `ready`, then draws whichever snapshot the host
 * answers with (architecture or dashboard); every message is checked by `isHostToWebview` first.
 */
import { parseHostToWebview, type HostToWebview } from '../src/protocol/hostWebview';
import { ArchitectureView } from './architecture/architectureView';
import { DashboardView } from './dashboard/dashboardView';
import { RunsTableView } from './runsTable/runsTableView';
import { h, replaceChildren } from './dom';
import { postToHost, savePanelState } from './vscodeApi';

const root = document.getElementById('root') ?? document.body.appendChild(h('div', { id: 'root' }));
let architecture: ArchitectureView | undefined;
let dashboard: DashboardView | undefined;
let runsTable: RunsTableView | undefined;

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'architecture':
      savePanelState({ restoreUri: message.restoreUri });
      dashboard = undefined;
      architecture ??= new ArchitectureView(root);
      architecture.show(message);
      break;
    case 'dashboard':
      savePanelState({ restoreUri: message.restoreUri });
      architecture = undefined;
      dashboard ??= new DashboardView(root);
      dashboard.show(message);
      break;
    case 'trainingEvent':
      dashboard?.addEvent(message.event);
      break;
    case 'batch':
      for (const m of message.messages) dashboard?.addEvent(m.event);
      break;
    case 'runStatus':
      dashboard?.setStatus(message.status);
      break;
    case 'compareRuns':
      dashboard?.showCompared(message.runs);
      break;
    case 'hiddenState':
      dashboard?.showHiddenState(message);
      break;
    case 'sampleResult':
      dashboard?.showSample(message);
      break;
    case 'confusionMatrix':
      dashboard?.showConfusion(message);
      break;
    case 'runsTable':
      architecture = dashboard = undefined;
      runsTable ??= new RunsTableView(root);
      runsTable.show(message);
      break;
    default: {
      const unreachable: never = message;
      throw new Error(`unhandled message ${JSON.stringify(unreachable)}`);
    }
  }
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const message = parseHostToWebview(e.data);
  if (!message) {
    console.warn('rnn-lab webview: ignored a malformed message', e.data);
    return;
  }
  try {
    handle(message);
  } catch (error) {
    replaceChildren(root, h('p', { class: 'banner error', role: 'alert' }, `The view failed to draw: ${String(error)}`));
  }
});

replaceChildren(root, h('p', { class: 'muted', 'aria-live': 'polite' }, 'Loading…'));
postToHost({ type: 'ready' });
