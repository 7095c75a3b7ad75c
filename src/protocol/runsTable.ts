/**
 * The runs table (host → webview `{type:'runsTable', …}`, webview → host `{type:'openRun', runUri}`):
 * one row per run, columns for status, best metric, spec values that differ, sweep parameters, backend,
 * threads and time. The host computes the rows (src/extension/panels/runsTableModel.ts); the webview
 * sorts, marks the best value of each column that has a direction, and draws parallel coordinates for a sweep.
 */

export type CellValue = string | number | boolean | null;

export type RunsTableColumnKind = 'status' | 'metric' | 'spec' | 'parameter' | 'backend' | 'threads' | 'time';

export interface RunsTableColumn {
  key: string;
  label: string;
  kind: RunsTableColumnKind;
  /** Which way is better (metrics, time); absent: no best value is marked. */
  better?: 'up' | 'down';
}

export interface RunsTableRow {
  /** The run folder's URI (what `openRun` sends back). */
  runUri: string;
  id: string;
  cells: Record<string, CellValue>;
}

export interface RunsTableMessage {
  type: 'runsTable';
  title: string;
  columns: RunsTableColumn[];
  rows: RunsTableRow[];
  /** A sweep: its id, the parameter columns' keys and the metric column's key (parallel coordinates). */
  sweep: { id: string; parameters: string[]; metric: string } | null;
}

const KINDS: readonly string[] = ['status', 'metric', 'spec', 'parameter', 'backend', 'threads', 'time'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCell = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function isColumn(v: unknown): v is RunsTableColumn {
  return isObject(v) && typeof v.key === 'string' && typeof v.label === 'string' && KINDS.includes(v.kind as string) &&
    (v.better === undefined || v.better === 'up' || v.better === 'down');
}

function isRow(v: unknown): v is RunsTableRow {
  return isObject(v) && typeof v.runUri === 'string' && typeof v.id === 'string' && isObject(v.cells) && Object.values(v.cells).every(isCell);
}

/** The message when `v` is a well-formed runs table, else undefined. */
export function parseRunsTable(v: Record<string, unknown>): RunsTableMessage | undefined {
  if (typeof v.title !== 'string' || !Array.isArray(v.columns) || !v.columns.every(isColumn) || !Array.isArray(v.rows) || !v.rows.every(isRow)) return undefined;
  const sweep = v.sweep;
  const sweepOk = sweep === null || (isObject(sweep) && typeof sweep.id === 'string' && typeof sweep.metric === 'string' &&
    Array.isArray(sweep.parameters) && sweep.parameters.every((p) => typeof p === 'string'));
  if (!sweepOk) return undefined;
  return { type: 'runsTable', title: v.title, columns: v.columns, rows: v.rows, sweep: sweep as RunsTableMessage['sweep'] };
}
