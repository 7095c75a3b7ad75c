/**
 * Messages between the extension host and the webview panels (architecture view, training dashboard).
 *
 * Two discriminated unions on `type`, each written from its sender's side, and one runtime guard per
 * union. Both sides call the guard on every received message and ignore what fails it.
 *
 * Handshake: the webview posts `{type:'ready'}` when its script has loaded; the host answers with a
 * full snapshot (`architecture` or `dashboard`), so a hidden or restored panel comes back whole.
 * Live training events follow as `{type:'trainingEvent', event}`, grouped into `batch` messages at
 * about 10 a second.
 */
import { parseRunsTable, type RunsTableMessage } from './runsTable';
import type { NetworkConfig, TaskShape } from '../engine/types';
import type { TrainingEvent } from '../train/events';
import { isDatasetPreviewMessage, type DatasetPreviewMessage } from './datasetPreview';

// ---------------------------------------------------------------------------------------------
// Diagram model: everything the architecture view draws, computed by the host (no dataset needed).
// ---------------------------------------------------------------------------------------------

/** A size: a number, or a symbol (`V`, `C`, `X`) when it is only known from the dataset. */
export type Dim = number | string;

/** A parameter count linear in the symbolic sizes: `constant + Σ terms[s]·s`. */
export interface ParamCount {
  constant: number;
  terms: Record<string, number>;
}

export interface DiagramParam {
  /** Canonical safetensors name, e.g. `rnn.weight_ih_l0_reverse`. */
  name: string;
  shape: Dim[];
  count: ParamCount;
}

/** One box of the folded diagram. */
export interface DiagramBlock {
  id: string;
  kind: 'input' | 'embedding' | 'init' | 'layer' | 'attention' | 'head';
  label: string;
  /** Recurrent layer index k (layers only); seq2seq decoder layers carry `part: 'decoder'`. */
  layer?: number;
  part?: 'encoder' | 'decoder';
  /** Width entering the block and leaving it (for layers: after the bidirectional merge). */
  inputWidth: Dim;
  outputWidth: Dim;
  params: DiagramParam[];
  paramCount: ParamCount;
  /** JSON pointer of the spec key that defines the block, for `revealKey`. */
  specPath: string;
}

/** A network as the diagrams draw it: the engine's settings, with sizes the data may leave symbolic. */
export interface DiagramModel extends Pick<NetworkConfig, 'task' | 'cell' | 'activation' | 'hiddenSize' | 'layers' | 'bidirectional' | 'merge' | 'connections' | 'dropout' | 'attention' | 'attentionFeed'> {
  name: string;
  input: { kind: 'tokens'; vocabSize: Dim; embeddingSize: number } | { kind: 'features'; size: Dim };
  output: { kind: 'classes' | 'values'; size: Dim };
  /** Steps of the (encoder) input sequence, T; and of the generated sequence for seq2seq / one-to-many. */
  steps: number;
  outputSteps?: number;
  blocks: DiagramBlock[];
  totalParams: ParamCount;
  /** What each symbol stands for, e.g. `{ V: 'input vocabulary size (from the data)' }`. */
  symbols: Record<string, string>;
}

/** A validation problem of the spec, as `validateSpec` reports it. */
export interface SpecIssue {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

// ---------------------------------------------------------------------------------------------
// Training events (docs/contracts.md), keyed on `event`: the guard checks what the webview reads.
// ---------------------------------------------------------------------------------------------

// The trainer's own event type (src/train/events.ts), re-exported so both sides of this boundary share it.
export type { TrainingEvent };

export type TrainingEventName = TrainingEvent['event'];

// ---------------------------------------------------------------------------------------------
// Host → webview
// ---------------------------------------------------------------------------------------------

export interface RunInfo {
  id: string;
  label: string;
  task?: TaskShape;
  status: 'running' | 'paused' | 'finished' | 'stopped' | 'failed';
  /** Whether Pause/Resume/Stop reach a live trainer. */
  live: boolean;
}

export interface CompareRun {
  id: string;
  label: string;
  events: TrainingEvent[];
}

export interface HiddenStateAnswer {
  /** The input cut into steps (characters, words or step indices). */
  steps: string[];
  /** Per layer: W units × T steps, row-major by unit (`values[u*T + t]`). */
  layers: { label: string; width: number; values: number[] }[];
  /** Language models: the predicted distribution of the next token after the input, top entries. */
  nextToken?: { token: string; probability: number }[];
}

export type TrainingEventMessage = { type: 'trainingEvent'; event: TrainingEvent };

export type HostToWebview =
  /** `restoreUri` (the spec's or the run folder's URI) is saved as webview state for the panel serializer. */
  | { type: 'architecture'; restoreUri: string; specName: string; issues: SpecIssue[]; diagram: DiagramModel | null }
  | { type: 'dashboard'; restoreUri: string; run: RunInfo; events: TrainingEvent[]; otherRuns: { id: string; label: string }[] }
  | TrainingEventMessage
  | { type: 'batch'; messages: TrainingEventMessage[] }
  | { type: 'runStatus'; status: RunInfo['status'] }
  | { type: 'compareRuns'; runs: CompareRun[] }
  | { type: 'hiddenState'; requestId: number; answer: HiddenStateAnswer | null; error?: string }
  | { type: 'sampleResult'; requestId: number; temperature: number; text: string | null; error?: string }
  /** `split`: the data the matrix counts (the test split when the run has one, else validation). */
  | { type: 'confusionMatrix'; labels: string[]; counts: number[][]; split: 'test' | 'validation' }
  /** The dataset preview panel's snapshot (src/protocol/datasetPreview.ts). */
  | DatasetPreviewMessage
  /** The runs table panel (src/protocol/runsTable.ts). */
  | RunsTableMessage;

// ---------------------------------------------------------------------------------------------
// Webview → host
// ---------------------------------------------------------------------------------------------

/** What a panel saves with `setState`, read back by its `WebviewPanelSerializer`. */
export interface WebviewPanelState {
  restoreUri: string;
}

export const isWebviewPanelState = (v: unknown): v is WebviewPanelState => isObj(v) && isStr(v.restoreUri);

export type ControlAction = 'pause' | 'resume' | 'stop';

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'revealKey'; path: string }
  | { type: 'control'; action: ControlAction }
  | { type: 'hiddenStateRequest'; requestId: number; input: string }
  | { type: 'sampleRequest'; requestId: number; temperature: number }
  | { type: 'compareRequest'; runIds: string[] }
  /** Runs table: a double-click on a row opens that run's dashboard. */
  | { type: 'openRun'; runUri: string };

// ---------------------------------------------------------------------------------------------
// Guards
// ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number';
const isFiniteNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isArrayOf = <T>(v: unknown, item: (x: unknown) => x is T): v is T[] => Array.isArray(v) && v.every(item);
const isDim = (v: unknown): v is Dim => isFiniteNum(v) || isStr(v);
const isNumRecord = (v: unknown): v is Record<string, number> => isObj(v) && Object.values(v).every(isNum);
/** Metric values: JSON writes NaN as null (summary.json, metrics.jsonl), so null is a NaN that crossed a file. */
const isMetricRecord = (v: unknown): v is Record<string, number | null> => isObj(v) && Object.values(v).every((x) => x === null || isNum(x));
const nullAsNaN = (metrics: Record<string, number | null>): Record<string, number> =>
  Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, value ?? NaN]));
const isNumMatrix = (v: unknown): v is number[][] => isArrayOf(v, (r): r is number[] => isArrayOf(r, isNum));
/** A sample's optional alignment: all three fields or none; one row per generated token, one column per source token. */
const isAlignment = (v: Obj): boolean => (v.attention === undefined && v.tokens === undefined && v.sourceTokens === undefined) ||
  (isArrayOf(v.sourceTokens, isStr) && isArrayOf(v.tokens, isStr) && isNumMatrix(v.attention) && v.attention.length === v.tokens.length &&
    v.attention.every((row) => row.length === (v.sourceTokens as string[]).length));
const oneOf = <T extends string>(v: unknown, options: readonly T[]): v is T => isStr(v) && (options as readonly string[]).includes(v);

const RUN_STATUSES = ['running', 'paused', 'finished', 'stopped', 'failed'] as const;
const TASKS = ['many-to-one', 'many-to-many', 'one-to-many', 'seq2seq'] as const;

function isParamCount(v: unknown): v is ParamCount {
  return isObj(v) && isFiniteNum(v.constant) && isNumRecord(v.terms);
}

function isDiagramBlock(v: unknown): v is DiagramBlock {
  return isObj(v) && isStr(v.id) && oneOf(v.kind, ['input', 'embedding', 'init', 'layer', 'attention', 'head'] as const) &&
    isStr(v.label) && isDim(v.inputWidth) && isDim(v.outputWidth) && isParamCount(v.paramCount) && isStr(v.specPath) &&
    (v.layer === undefined || isFiniteNum(v.layer)) &&
    isArrayOf(v.params, (p): p is DiagramParam => isObj(p) && isStr(p.name) && isArrayOf(p.shape, isDim) && isParamCount(p.count));
}

/** Checks the shape of a diagram model deeply enough that drawing it cannot throw. */
export function isDiagramModel(v: unknown): v is DiagramModel {
  if (!isObj(v)) return false;
  const input = v.input, output = v.output;
  return isStr(v.name) && oneOf(v.task, TASKS) && oneOf(v.cell, ['rnn', 'lstm', 'gru'] as const) &&
    oneOf(v.activation, ['tanh', 'relu'] as const) && isFiniteNum(v.hiddenSize) && isFiniteNum(v.layers) && v.layers >= 1 &&
    typeof v.bidirectional === 'boolean' && oneOf(v.merge, ['concat', 'sum', 'mean', 'mul'] as const) &&
    oneOf(v.connections, ['none', 'skip', 'dense'] as const) && isFiniteNum(v.dropout) &&
    (v.attention === undefined || oneOf(v.attention, ['none', 'dot', 'general', 'additive'] as const)) &&
    (v.attentionFeed === undefined || typeof v.attentionFeed === 'boolean') &&
    isObj(input) && ((input.kind === 'tokens' && isDim(input.vocabSize) && isFiniteNum(input.embeddingSize)) ||
      (input.kind === 'features' && isDim(input.size))) &&
    isObj(output) && oneOf(output.kind, ['classes', 'values'] as const) && isDim(output.size) &&
    isFiniteNum(v.steps) && v.steps >= 1 && (v.outputSteps === undefined || (isFiniteNum(v.outputSteps) && v.outputSteps >= 1)) &&
    isArrayOf(v.blocks, isDiagramBlock) && isParamCount(v.totalParams) &&
    isObj(v.symbols) && Object.values(v.symbols).every(isStr);
}

function isSpecIssue(v: unknown): v is SpecIssue {
  return isObj(v) && isStr(v.path) && isStr(v.message) &&
    (v.line === undefined || isNum(v.line)) && (v.column === undefined || isNum(v.column));
}

/**
 * A training event as the webview uses it (docs/contracts.md; extra keys are allowed), or undefined
 * when its shape is wrong or its kind is unknown. Metric values saved as null come back as NaN.
 */
export function asTrainingEvent(v: unknown): TrainingEvent | undefined {
  if (!isObj(v)) return undefined;
  switch (v.event) {
    case 'start':
      return isStr(v.run) && isNum(v.epochs) && isNum(v.batchesPerEpoch) && isNum(v.parameters) && isStr(v.backend) ? v as unknown as TrainingEvent : undefined;
    case 'progress':
      return isNum(v.epoch) && isNum(v.epochs) && isNum(v.batch) && isNum(v.batches) && isNum(v.loss) &&
        isNum(v.tokensPerSecond) && isNum(v.etaMs) && isNum(v.learningRate) ? v as unknown as TrainingEvent : undefined;
    case 'metrics':
      return isNum(v.epoch) && oneOf(v.split, ['train', 'validation', 'test'] as const) && isMetricRecord(v.metrics) && 'loss' in v.metrics
        ? { ...v, event: 'metrics', epoch: v.epoch, split: v.split, metrics: nullAsNaN(v.metrics) } : undefined;
    case 'gradients':
      return isNum(v.epoch) && isNum(v.batch) && isNumMatrix(v.hiddenGradNorms) && isNumRecord(v.paramGradNorms) &&
        isNum(v.gradNorm) && (v.clipNorm === null || v.clipNorm === undefined || isNum(v.clipNorm)) ? v as unknown as TrainingEvent : undefined;
    case 'sample':
      return isNum(v.epoch) && isNum(v.temperature) && isStr(v.text) && isAlignment(v) ? v as unknown as TrainingEvent : undefined;
    case 'checkpoint':
      return isNum(v.epoch) && isStr(v.file) ? v as unknown as TrainingEvent : undefined;
    case 'done':
      return isStr(v.run) && isMetricRecord(v.metrics) && oneOf(v.split, ['test', 'validation'] as const) && isObj(v.best) && isNum(v.best.epoch)
        ? { ...v, event: 'done', run: v.run, metrics: nullAsNaN(v.metrics), split: v.split, best: { ...v.best, epoch: v.best.epoch } } : undefined;
    case 'error':
    case 'warning':
      return isStr(v.file) && isNum(v.line) && isNum(v.column) && isStr(v.message) ? v as unknown as TrainingEvent : undefined;
    case 'info':
      return isStr(v.message) ? v as unknown as TrainingEvent : undefined;
    default:
      return undefined;
  }
}

/** Whether a value is a training event the webview can use (see asTrainingEvent; null metrics pass). */
export const isTrainingEvent = (v: unknown): v is TrainingEvent => asTrainingEvent(v) !== undefined;

/** The events of a list that parse; the others (a newer kind, a malformed line) are left out one by one. */
const parseEvents = (v: unknown[]): TrainingEvent[] => v.map(asTrainingEvent).filter((e): e is TrainingEvent => e !== undefined);

function isRunInfo(v: unknown): v is RunInfo {
  return isObj(v) && isStr(v.id) && isStr(v.label) && oneOf(v.status, RUN_STATUSES) && typeof v.live === 'boolean' &&
    (v.task === undefined || oneOf(v.task, TASKS));
}

function parseTrainingEventMessage(v: unknown): TrainingEventMessage | undefined {
  const event = isObj(v) && v.type === 'trainingEvent' ? asTrainingEvent(v.event) : undefined;
  return event && { type: 'trainingEvent', event };
}

function isHiddenStateAnswer(v: unknown): v is HiddenStateAnswer {
  return isObj(v) && isArrayOf(v.steps, isStr) &&
    isArrayOf(v.layers, (l): l is HiddenStateAnswer['layers'][number] =>
      isObj(l) && isStr(l.label) && isFiniteNum(l.width) && isArrayOf(l.values, isNum) &&
      l.values.length === l.width * (v.steps as string[]).length) &&
    (v.nextToken === undefined ||
      isArrayOf(v.nextToken, (t): t is { token: string; probability: number } => isObj(t) && isStr(t.token) && isNum(t.probability)));
}

/**
 * The message the webview receives, checked, or undefined when its envelope is malformed. Event lists
 * (a snapshot, a batch, compared runs) keep the events that parse: one unknown or malformed event
 * never sinks the rest, and metrics saved as null arrive as NaN.
 */
export function parseHostToWebview(v: unknown): HostToWebview | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'dashboard':
      return isStr(v.restoreUri) && isRunInfo(v.run) && Array.isArray(v.events) &&
        isArrayOf(v.otherRuns, (r): r is { id: string; label: string } => isObj(r) && isStr(r.id) && isStr(r.label))
        ? { type: 'dashboard', restoreUri: v.restoreUri, run: v.run, events: parseEvents(v.events), otherRuns: v.otherRuns } : undefined;
    case 'trainingEvent':
      return parseTrainingEventMessage(v);
    case 'batch':
      return Array.isArray(v.messages)
        ? { type: 'batch', messages: v.messages.map(parseTrainingEventMessage).filter((m): m is TrainingEventMessage => m !== undefined) } : undefined;
    case 'compareRuns':
      return isArrayOf(v.runs, (r): r is Obj => isObj(r) && isStr(r.id) && isStr(r.label) && Array.isArray(r.events))
        ? { type: 'compareRuns', runs: v.runs.map((r) => ({ id: r.id as string, label: r.label as string, events: parseEvents(r.events as unknown[]) })) } : undefined;
    case 'runsTable':
      return parseRunsTable(v);
    default:
      return isOtherHostToWebview(v) ? v : undefined;
  }
}

/** Runtime guard for messages the webview receives (see parseHostToWebview for what passes). */
export const isHostToWebview = (v: unknown): v is HostToWebview => parseHostToWebview(v) !== undefined;

/** The messages that carry no training events. */
function isOtherHostToWebview(v: Obj): v is Obj & HostToWebview {
  switch (v.type) {
    case 'architecture':
      return isStr(v.restoreUri) && isStr(v.specName) && isArrayOf(v.issues, isSpecIssue) && (v.diagram === null || isDiagramModel(v.diagram));
    case 'runStatus':
      return oneOf(v.status, RUN_STATUSES);
    case 'hiddenState':
      return isNum(v.requestId) && (v.answer === null || isHiddenStateAnswer(v.answer)) && (v.error === undefined || isStr(v.error));
    case 'sampleResult':
      return isNum(v.requestId) && isNum(v.temperature) && (v.text === null || isStr(v.text)) && (v.error === undefined || isStr(v.error));
    case 'confusionMatrix':
      return isArrayOf(v.labels, isStr) && isNumMatrix(v.counts) && v.counts.length === v.labels.length &&
        v.counts.every((row) => row.length === (v.labels as string[]).length) && oneOf(v.split, ['test', 'validation'] as const);
    case 'datasetPreview':
      return isDatasetPreviewMessage(v);
    default:
      return false;
  }
}

/** Runtime guard for messages the host receives. */
export function isWebviewToHost(v: unknown): v is WebviewToHost {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'ready':
      return true;
    case 'revealKey':
      return isStr(v.path) && v.path.length < 1000;
    case 'control':
      return oneOf(v.action, ['pause', 'resume', 'stop'] as const);
    case 'hiddenStateRequest':
      return isNum(v.requestId) && isStr(v.input) && v.input.length <= 10_000;
    case 'sampleRequest':
      return isNum(v.requestId) && isFiniteNum(v.temperature) && v.temperature > 0 && v.temperature <= 10;
    case 'compareRequest':
      return isArrayOf(v.runIds, isStr) && v.runIds.length <= 16;
    case 'openRun':
      return isStr(v.runUri) && v.runUri.length < 4096;
    default:
      return false;
  }
}

/** Adds counts: `a + b`. */
export function addParamCounts(a: ParamCount, b: ParamCount): ParamCount {
  const terms = { ...a.terms };
  for (const [s, k] of Object.entries(b.terms)) terms[s] = (terms[s] ?? 0) + k;
  return { constant: a.constant + b.constant, terms };
}

/** Formats a count as `12,345 + 64·V`. */
export function formatParamCount(c: ParamCount): string {
  const parts: string[] = [];
  const symbolic = Object.entries(c.terms).filter(([, k]) => k !== 0);
  if (c.constant !== 0 || symbolic.length === 0) parts.push(c.constant.toLocaleString('en-US'));
  for (const [s, k] of symbolic) parts.push(k === 1 ? s : `${k.toLocaleString('en-US')}·${s}`);
  return parts.join(' + ');
}
