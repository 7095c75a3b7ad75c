/**
 * Parallel coordinates of a sweep (SVG): one vertical axis per parameter and one for the metric, one
 * line per run through its values. Numeric axes are linear, or logarithmic when every value is positive
 * and the largest is at least 20 times the smallest (a log-uniform learning rate); other values are evenly spaced
 * categories. The best run's line is drawn last and thicker; runs without a metric are dashed.
 */
import type { CellValue, RunsTableMessage } from '../../src/protocol/runsTable';
import { s, svgTitle } from '../dom';
import { bestValue, formatCell } from './tableValues';

const AXIS_GAP = 190;
const TOP = 52;
const PLOT_HEIGHT = 200;
const SIDE = 70;

interface Axis {
  key: string;
  label: string;
  /** Position 0 (bottom) … 1 (top) of a value, or undefined when the run has none. */
  place(value: CellValue): number | undefined;
  ticks: { at: number; text: string }[];
}

function numericAxis(key: string, label: string, values: number[], format: (v: number) => string): Axis {
  let low = Math.min(...values);
  let high = Math.max(...values);
  const log = low > 0 && high / low >= 20;
  const f = log ? Math.log10 : (v: number) => v;
  if (low === high) [low, high] = [low - 1, high + 1];
  const [a, b] = [f(low), f(high)];
  const place = (v: CellValue) => (typeof v === 'number' && Number.isFinite(v) ? (f(v) - a) / (b - a) : undefined);
  const ticks = [0, 0.5, 1].map((t) => {
    const raw = log ? 10 ** (a + t * (b - a)) : low + t * (high - low);
    return { at: t, text: format(raw) };
  });
  return { key, label: log ? `${label} (log)` : label, place, ticks };
}

function categoryAxis(key: string, label: string, values: CellValue[]): Axis {
  const categories = [...new Set(values.map((v) => String(v)))].sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
  const at = (i: number) => (categories.length === 1 ? 0.5 : i / (categories.length - 1));
  return {
    key, label,
    place: (v) => (v === null ? undefined : at(categories.indexOf(String(v)))),
    ticks: categories.map((c, i) => ({ at: at(i), text: c })),
  };
}

export function parallelCoordinates(message: RunsTableMessage): SVGSVGElement {
  const sweep = message.sweep!;
  const columns = [...sweep.parameters, sweep.metric].map((key) => message.columns.find((c) => c.key === key)).filter((c) => c !== undefined);
  const axes = columns.map((column) => {
    const values = message.rows.map((r) => r.cells[column.key] ?? null).filter((v) => v !== null);
    const numbers = values.filter((v): v is number => typeof v === 'number');
    return numbers.length && numbers.length === values.length
      ? numericAxis(column.key, column.label, numbers, (v) => formatCell(v, column))
      : categoryAxis(column.key, column.label, values);
  });
  const width = SIDE * 2 + AXIS_GAP * Math.max(1, axes.length - 1);
  const height = TOP + PLOT_HEIGHT + 24;
  const x = (i: number) => SIDE + i * AXIS_GAP;
  const y = (t: number) => TOP + (1 - t) * PLOT_HEIGHT;
  const metric = message.columns.find((c) => c.key === sweep.metric);
  const best = metric && bestValue(message.rows, metric);
  const lines = message.rows.map((row) => {
    const points = axes.map((axis, i) => [i, axis.place(row.cells[axis.key] ?? null)] as const).filter(([, t]) => t !== undefined);
    const isBest = best !== undefined && row.cells[sweep.metric] === best;
    const missing = typeof row.cells[sweep.metric] !== 'number';
    return { isBest, path: s('polyline', {
      class: `pc-line${isBest ? ' best' : ''}${missing ? ' missing' : ''}`,
      points: points.map(([i, t]) => `${x(i)},${y(t!)}`).join(' '),
    }, svgTitle(`${row.id}: ${axes.map((a) => `${a.label} ${formatCell(row.cells[a.key] ?? null, columns[axes.indexOf(a)])}`).join(', ')}`)) };
  });
  lines.sort((p, q) => Number(p.isBest) - Number(q.isBest));
  return s('svg', { class: 'parallel-coordinates', viewBox: `0 0 ${width} ${height}`, width, role: 'img', 'aria-label': `Parallel coordinates of sweep ${sweep.id}` },
    ...lines.map((l) => l.path),
    ...axes.map((axis, i) => s('g', { class: 'pc-axis' },
      s('line', { class: 'pc-axis-line', x1: x(i), x2: x(i), y1: y(0), y2: y(1) }),
      // Neighbouring labels alternate between two lines, so long keys never overlap.
      s('text', { class: 'pc-axis-label', x: x(i), y: i % 2 ? TOP - 12 : TOP - 30, 'text-anchor': 'middle' }, axis.label),
      ...axis.ticks.map((tick) => s('text', { class: 'pc-tick', x: x(i) - 6, y: y(tick.at) + 4, 'text-anchor': 'end' }, tick.text)))));
}
