/**
 * The training dashboard of one run folder (`.rnnlab/runs/<id>/`). Reads the run's metrics.jsonl for
 * the history; while the run trains in this window it also follows the live events, batched into at
 * most 10 messages a second, and forwards Pause / Resume / Stop. Hidden-state, sample and confusion
 * requests go to the RunInspector when one is provided.
 */
import * as vscode from 'vscode';
import {
  asTrainingEvent, type CompareRun, type HostToWebview, type RunInfo, type TrainingEvent, type TrainingEventMessage, type WebviewToHost,
} from '../../protocol/hostWebview';
import { PanelBase, webviewOptions } from './panelBase';
import type { PanelDeps } from './types';

const FLUSH_MS = 100;

/** A run file's metrics row, `{epoch, split, loss, accuracy?, …}`, as the training event it records. */
function metricsRowEvent(value: unknown): TrainingEvent | undefined {
  if (typeof value !== 'object' || value === null || 'event' in value) return undefined;
  const { epoch, split, ...metrics } = value as Record<string, unknown>;
  return asTrainingEvent({ event: 'metrics', epoch, split, metrics });
}

/**
 * Parses metrics.jsonl: one metrics row (the RunStore's `{epoch, split, loss, …}`) or one training
 * event a line; malformed lines are skipped.
 */
export function parseMetricsJsonl(text: string): TrainingEvent[] {
  const events: TrainingEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      const event = asTrainingEvent(value) ?? metricsRowEvent(value);
      if (event) events.push(event);
    } catch {
      // a line cut by a crash mid-write: the rest of the file is still good
    }
  }
  return events;
}

/**
 * A finished or stopped run's `start` (epochs, parameters, backend), when it completed `done` (final
 * metrics), and when it failed or diverged an `error` with its message, rebuilt from summary.json: the
 * live stream had them, the run folder keeps the summary.
 */
function summaryEvents(runUri: vscode.Uri, spec: Record<string, unknown> | undefined, summary: Record<string, unknown> | undefined): TrainingEvent[] {
  if (!summary) return [];
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const events: TrainingEvent[] = [{
    event: 'start', run: runUri.fsPath, spec: spec ?? {}, epochs: num(summary.epochs), batchesPerEpoch: 0,
    parameters: num(summary.parameters), backend: typeof summary.backend === 'string' ? summary.backend : 'unknown',
  }];
  const metrics = summary.metrics as Record<string, number> | null | undefined;
  const split = summary.split;
  if (metrics && (split === 'test' || split === 'validation')) {
    const best = summary.best as { epoch?: unknown } | null | undefined;
    events.push({ event: 'done', run: runUri.fsPath, metrics, split, best: { epoch: num(best?.epoch ?? summary.completedEpochs) } });
  }
  // Why a run failed or diverged (the stream's `error` event is not kept in the run folder).
  if ((summary.status === 'failed' || summary.status === 'diverged') && typeof summary.message === 'string') {
    events.push({ event: 'error', file: 'summary.json', line: 0, column: 0, message: summary.message });
  }
  return events;
}

const startFirstDoneLast = (a: TrainingEvent, b: TrainingEvent): number => rank(a) - rank(b);
const rank = (e: TrainingEvent): number => (e.event === 'start' ? 0 : e.event === 'done' || e.event === 'error' ? 2 : 1);

const basename = (uri: vscode.Uri): string => uri.path.slice(uri.path.lastIndexOf('/') + 1);

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

async function readJson(uri: vscode.Uri): Promise<Record<string, unknown> | undefined> {
  const text = await readText(uri);
  try {
    const value: unknown = text === undefined ? undefined : JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class DashboardPanel extends PanelBase {
  static readonly viewType = 'rnnLab.dashboard';
  private static readonly open = new Map<string, DashboardPanel>();
  private readonly runId: string;
  private pending: TrainingEventMessage[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private liveSubscription: vscode.Disposable | undefined;

  /** The open dashboard of a run folder, if any. */
  static find(runUri: vscode.Uri): DashboardPanel | undefined {
    return DashboardPanel.open.get(runUri.toString());
  }

  static createOrShow(context: vscode.ExtensionContext, runUri: vscode.Uri, deps: PanelDeps = {}): DashboardPanel {
    const existing = DashboardPanel.open.get(runUri.toString());
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, `Training: ${basename(runUri)}`,
      vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
    return new DashboardPanel(panel, context, runUri, deps);
  }

  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, runUri: vscode.Uri, deps: PanelDeps): DashboardPanel {
    return new DashboardPanel(panel, context, runUri, deps);
  }

  private constructor(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, private readonly runUri: vscode.Uri,
    private readonly deps: PanelDeps) {
    super(panel, context, `Training: ${basename(runUri)}`);
    this.runId = basename(runUri);
    DashboardPanel.open.set(runUri.toString(), this);
    this.disposables.push({ dispose: () => {
      clearTimeout(this.flushTimer);
      this.liveSubscription?.dispose();
      DashboardPanel.open.delete(this.runUri.toString());
    } });
  }

  protected async onMessage(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready': await this.sendSnapshot(); break;
      case 'control':
        if (this.deps.events?.isLive(this.runId)) {
          this.deps.events.control(this.runId, message.action);
          this.post({ type: 'runStatus', status: message.action === 'pause' ? 'paused' : message.action === 'resume' ? 'running' : 'stopped' });
        }
        break;
      case 'hiddenStateRequest': {
        const { requestId, input } = message;
        if (!this.deps.inspector) { this.post({ type: 'hiddenState', requestId, answer: null, error: 'hidden states are not available in this build' }); break; }
        try {
          this.post({ type: 'hiddenState', requestId, answer: await this.deps.inspector.hiddenState(this.runUri, input) });
        } catch (error) {
          this.post({ type: 'hiddenState', requestId, answer: null, error: error instanceof Error ? error.message : String(error) });
        }
        break;
      }
      case 'sampleRequest': {
        const { requestId, temperature } = message;
        if (!this.deps.inspector) { this.post({ type: 'sampleResult', requestId, temperature, text: null, error: 'sampling is not available in this build' }); break; }
        try {
          this.post({ type: 'sampleResult', requestId, temperature, text: await this.deps.inspector.sample(this.runUri, temperature) });
        } catch (error) {
          this.post({ type: 'sampleResult', requestId, temperature, text: null, error: error instanceof Error ? error.message : String(error) });
        }
        break;
      }
      case 'compareRequest': await this.sendCompared(message.runIds); break;
      default: break; // architecture messages do not apply here
    }
  }

  /**
   * History from disk plus what only the training service knows (start, warnings, latest progress,
   * pause), then, for a live run, a fresh subscription: events after the snapshot follow in batches.
   */
  private async sendSnapshot(): Promise<void> {
    this.liveSubscription?.dispose();
    this.pending = [];
    const live = this.deps.events?.isLive(this.runId) ?? false;
    const buffered: TrainingEvent[] = [];
    if (live) this.liveSubscription = this.deps.events!.onEvent(this.runId, (event) => buffered.push(event));
    const events = [
      ...parseMetricsJsonl((await readText(vscode.Uri.joinPath(this.runUri, 'metrics.jsonl'))) ?? ''),
      ...parseMetricsJsonl((await readText(vscode.Uri.joinPath(this.runUri, 'gradients.jsonl'))) ?? ''),
    ];
    const spec = await readJson(vscode.Uri.joinPath(this.runUri, 'spec.json'));
    const summary = await readJson(vscode.Uri.joinPath(this.runUri, 'summary.json'));
    const liveState = live ? this.deps.events!.liveState(this.runId) : undefined;
    const last = events[events.length - 1];
    // summary.status: running | completed | stopped-early | cancelled | diverged | failed (src/train/runTypes.ts)
    const status: RunInfo['status'] = live ? (liveState?.paused ? 'paused' : 'running') : last?.event === 'error' || summary?.status === 'diverged' || summary?.status === 'failed' ? 'failed'
      : last?.event === 'done' || summary?.status === 'completed' || summary?.status === 'stopped-early' ? 'finished' : 'stopped';
    const task = typeof spec?.task === 'string' ? (spec.task as RunInfo['task']) : undefined;
    const snapshot: HostToWebview = {
      type: 'dashboard', restoreUri: this.runUri.toString(),
      run: { id: this.runId, label: `${typeof spec?.name === 'string' ? spec.name : this.runId} · ${this.runId}`, task, status, live },
      events: [...(live ? liveState?.events ?? [] : summaryEvents(this.runUri, spec, summary)), ...events, ...buffered.splice(0)].sort(startFirstDoneLast),
      otherRuns: await this.siblingRuns(),
    };
    this.post(snapshot);
    if (live) {
      this.liveSubscription?.dispose();
      this.liveSubscription = this.deps.events!.onEvent(this.runId, (event) => this.enqueue(event));
    }
    const confusion = status === 'finished' ? await this.deps.inspector?.confusionMatrix?.(this.runUri).catch(() => undefined) : undefined;
    if (confusion) this.post({ type: 'confusionMatrix', ...confusion });
  }

  private enqueue(event: TrainingEvent): void {
    this.pending.push({ type: 'trainingEvent', event });
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const messages = this.pending;
      this.pending = [];
      if (messages.length > 0) this.post({ type: 'batch', messages });
    }, FLUSH_MS);
  }

  /** Other runs in the same runs folder, newest first. */
  private async siblingRuns(): Promise<{ id: string; label: string }[]> {
    const parent = vscode.Uri.joinPath(this.runUri, '..');
    try {
      const entries = await vscode.workspace.fs.readDirectory(parent);
      return entries.filter(([name, type]) => type === vscode.FileType.Directory && name !== this.runId)
        .map(([name]) => ({ id: name, label: name })).sort((a, b) => b.id.localeCompare(a.id)).slice(0, 20);
    } catch {
      return [];
    }
  }

  private async sendCompared(runIds: string[]): Promise<void> {
    const parent = vscode.Uri.joinPath(this.runUri, '..');
    const runs: CompareRun[] = [];
    for (const id of runIds) {
      if (id.includes('/') || id.includes('\\') || id === '..') continue;
      const text = await readText(vscode.Uri.joinPath(parent, id, 'metrics.jsonl'));
      if (text === undefined) continue;
      // Its curves, and its latest gradient flow for the strips side by side.
      const gradients = parseMetricsJsonl((await readText(vscode.Uri.joinPath(parent, id, 'gradients.jsonl'))) ?? '').filter((e) => e.event === 'gradients');
      runs.push({ id, label: id, events: [...parseMetricsJsonl(text).filter((e) => e.event === 'metrics'), ...gradients.slice(-1)] });
    }
    this.post({ type: 'compareRuns', runs });
  }
}
