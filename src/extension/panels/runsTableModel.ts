/**
 * The rows and columns of the runs table from each run's summary.json and spec.json (pure: no vscode).
 * Columns: status; the best value of the compared metric (a sweep's monitor, else the first run's
 * early-stopping monitor, `validation loss` by default) and the final one on the run's `done` split;
 * every sweep parameter; every resolved spec value that differs between the runs (parameters excluded);
 * backend, threads and training time.
 */
import type { CellValue, RunsTableColumn, RunsTableMessage, RunsTableRow } from '../../protocol/runsTable';
import { metricDirection } from '../../train/earlyStopping';
import type { Summary } from '../../train/runTypes';

export interface TableRun {
  runUri: string;
  id: string;
  /** The status to show (the Runs view's, e.g. `interrupted`), default the summary's. */
  status?: string;
  summary: Partial<Summary>;
  /** The run's spec.json (resolved), when readable. */
  spec?: unknown;
}

/** `{a: {b: 1}, c: [1, 2]}` → `{'a.b': 1, c: '[1,2]'}`. */
export function flattenSpec(value: unknown, prefix = '', into: Record<string, CellValue> = {}): Record<string, CellValue> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flattenSpec(child, prefix ? `${prefix}.${key}` : key, into);
  } else if (prefix) {
    into[prefix] = Array.isArray(value) ? JSON.stringify(value) : (value as CellValue) ?? null;
  }
  return into;
}

/** The compared metric's value in `metrics`, `accuracy` read as `tokenAccuracy` for taggers (as the monitor does). */
function metricValue(metrics: Record<string, number> | null | undefined, metric: string): number | null {
  const value = metrics?.[metric] ?? (metric === 'accuracy' ? metrics?.tokenAccuracy : undefined);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function monitorOf(spec: unknown): string | undefined {
  const monitor = (spec as { training?: { earlyStopping?: { monitor?: unknown } | null } } | undefined)?.training?.earlyStopping?.monitor;
  return typeof monitor === 'string' ? monitor : undefined;
}

export function runsTableMessage(runs: TableRun[], title: string, sweep?: { id: string; monitor: string }): RunsTableMessage {
  const monitor = sweep?.monitor ?? runs.map((r) => monitorOf(r.spec)).find((m) => m !== undefined) ?? 'validation loss';
  const metric = monitor.split(/\s+/)[1] ?? 'loss';
  const better = metricDirection(metric) === 'down' ? 'down' : 'up';
  const splits = [...new Set(runs.map((r) => r.summary.split).filter((s) => s))];
  const finalLabel = `${splits.length === 1 ? splits[0] : 'final'} ${metric}`;
  const parameters = [...new Set(runs.flatMap((r) => Object.keys(r.summary.sweep?.parameters ?? {})))];
  const flat = runs.map((r) => flattenSpec(r.spec));
  const specKeys = [...new Set(flat.flatMap((f) => Object.keys(f)))]
    .filter((key) => key !== 'version' && !parameters.includes(key))
    .filter((key) => new Set(flat.map((f) => JSON.stringify(f[key] ?? null))).size > 1);
  const columns: RunsTableColumn[] = [
    { key: 'status', label: 'status', kind: 'status' },
    { key: 'metric', label: `best ${monitor}`, kind: 'metric', better },
    { key: 'final', label: finalLabel, kind: 'metric', better },
    ...parameters.map((p): RunsTableColumn => ({ key: `parameter:${p}`, label: p, kind: 'parameter' })),
    ...specKeys.map((k): RunsTableColumn => ({ key: `spec:${k}`, label: k, kind: 'spec' })),
    { key: 'backend', label: 'backend', kind: 'backend' },
    { key: 'threads', label: 'threads', kind: 'threads' },
    { key: 'time', label: 'time', kind: 'time', better: 'down' },
  ];
  const rows = runs.map((run, i): RunsTableRow => {
    const s = run.summary;
    const cells: Record<string, CellValue> = {
      status: run.status ?? s.status ?? null,
      metric: metricValue(s.best?.metrics, metric),
      final: metricValue(s.metrics, metric),
      backend: s.backend ?? null,
      threads: s.threads ?? null,
      time: typeof s.elapsedMs === 'number' ? s.elapsedMs : null,
    };
    for (const p of parameters) cells[`parameter:${p}`] = (s.sweep?.parameters?.[p] as CellValue | undefined) ?? null;
    for (const k of specKeys) cells[`spec:${k}`] = flat[i][k] ?? null;
    return { runUri: run.runUri, id: run.id, cells };
  });
  return { type: 'runsTable', title, columns, rows, sweep: sweep ? { id: sweep.id, parameters: parameters.map((p) => `parameter:${p}`), metric: 'metric' } : null };
}
