/** What the panels need from the rest of the extension, as small interfaces (no `vscode` types beyond Disposable). */
import type * as vscode from 'vscode';
import type { ControlAction, HiddenStateAnswer, TrainingEvent } from '../../protocol/hostWebview';
import type { DataSizes } from './diagramModel';

/**
 * Live training events, provided by the extension's training service. `runId` is the run folder's
 * name (`20250101-120000-name`).
 */
export interface TrainingEventSource {
  onEvent(runId: string, listener: (event: TrainingEvent) => void): vscode.Disposable;
  control(runId: string, action: ControlAction): void;
  /** Whether the run is training (or paused) in this window, so the controls apply. */
  isLive(runId: string): boolean;
  /**
   * What a dashboard opened (or re-shown) mid-run cannot read from the run folder: whether the run is
   * paused, and its `start` event, data warnings and notes, and latest progress. Undefined when not live.
   */
  liveState(runId: string): LiveRunState | undefined;
}

export interface LiveRunState {
  paused: boolean;
  events: TrainingEvent[];
}

/** A confusion matrix and the split it counts. */
export interface ConfusionMatrix {
  labels: string[];
  counts: number[][];
  split: 'test' | 'validation';
}

/** Inference on a finished (or checkpointed) run, for the dashboard's on-demand views. */
export interface RunInspector {
  hiddenState(runUri: vscode.Uri, input: string): Promise<HiddenStateAnswer>;
  sample(runUri: vscode.Uri, temperature: number): Promise<string>;
  confusionMatrix?(runUri: vscode.Uri): Promise<ConfusionMatrix | undefined>;
}

/** The sizes a spec's dataset gives its network, so the architecture view can print numbers instead of symbols. */
export interface DataSizeSource {
  sizesOf(specUri: vscode.Uri, specText: string): Promise<Partial<DataSizes> | undefined>;
}

export interface PanelDeps {
  events?: TrainingEventSource;
  inspector?: RunInspector;
  dataSizes?: DataSizeSource;
}
