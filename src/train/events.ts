/**
 * Training events: the one stream the trainer emits, the CLI prints under `--json`, and the worker
 * forwards to the host and the webview (docs/contracts.md, "Training events"). Plain JSON objects
 * keyed on `event`; `done` or `error` is always the last one of a run.
 */

/** Metric values by their JSON names (issue 3): loss, accuracy, tokenAccuracy, rmse, bitsPerChar, … */
export type Metrics = Record<string, number>;
export type SplitName = 'train' | 'validation' | 'test';

export interface StartEvent {
  event: 'start'; run: string; spec: unknown; epochs: number; batchesPerEpoch: number; parameters: number; backend: string;
  /** Threads the run trains on (summary.json `threads`). */
  threads?: number;
}
export interface ProgressEvent {
  event: 'progress'; epoch: number; epochs: number; batch: number; batches: number; loss: number;
  tokensPerSecond: number; etaMs: number; learningRate: number;
}
export interface MetricsEvent { event: 'metrics'; epoch: number; split: SplitName; metrics: Metrics }
export interface GradientsEvent {
  event: 'gradients'; epoch: number; batch: number; hiddenGradNorms: number[][];
  paramGradNorms: Record<string, number>; gradNorm: number; clipNorm: number | null;
}
export interface SampleEvent {
  event: 'sample'; epoch: number; temperature: number; text: string;
  /** seq2seq with attention: the decoded example's source and generated tokens, and a_tj (generated × source). */
  sourceTokens?: string[]; tokens?: string[]; attention?: number[][];
}
export interface CheckpointEvent { event: 'checkpoint'; epoch: number; file: string }
export interface DoneEvent {
  event: 'done'; run: string; metrics: Metrics; split: 'test' | 'validation'; best: { epoch: number };
}
export interface ErrorEvent { event: 'error'; file: string; line: number; column: number; message: string }
/** Something training survives but the user must hear of (`PreparedDataset.warnings`). */
export interface WarningEvent { event: 'warning'; file: string; line: number; column: number; message: string }
/** A one-line fact about the data or the run (`PreparedDataset.notes`), e.g. the vocabulary size. */
export interface InfoEvent { event: 'info'; message: string }

export type TrainingEvent =
  | StartEvent | ProgressEvent | MetricsEvent | GradientsEvent | SampleEvent | CheckpointEvent | DoneEvent | ErrorEvent
  | WarningEvent | InfoEvent;

export type EventSink = (event: TrainingEvent) => void;

const EVENT_NAMES: ReadonlySet<string> = new Set(
  ['start', 'progress', 'metrics', 'gradients', 'sample', 'checkpoint', 'done', 'error', 'warning', 'info']);

/** Runtime guard for events that crossed a boundary (worker message, JSON line). */
export function isTrainingEvent(value: unknown): value is TrainingEvent {
  return typeof value === 'object' && value !== null &&
    typeof (value as { event?: unknown }).event === 'string' && EVENT_NAMES.has((value as { event: string }).event);
}
