/**
 * The HTML of the Evaluate Run results view: metrics, the confusion matrix with per-class precision
 * and recall, the worst examples (links to file:line), and for time series the predictions against
 * the actual values and the naive last-value forecast, with a plain verdict when the model loses.
 * Pure (no `vscode`): no scripts at all, one nonce'd stylesheet, `--vscode-*` theme colours. Shades
 * are classes, never inline styles, so the CSP needs no `unsafe-inline`.
 */
import { escapeHtml } from '../../format/html';
import { formatValue } from '../../format/value';
import type { EvaluationResult } from '../inspector/evaluationResult';
import { forecastBreakdown, forecastDims, forecastSlice, rmseOf, type ForecastCell, type ForecastSlice } from '../../train/forecastBreakdown';

export interface EvaluationReportOptions {
  /** Heading: the run's name. */
  title: string;
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** The href that opens `file` (as the CLI printed it) at `line`, or undefined for plain text. */
  locationHref(file: string, line: number): string | undefined;
  /** The href that explains the example at `file`:`line` (Explain Prediction), or undefined for none. */
  explainHref?(file: string, line: number): string | undefined;
}

const percent = (v: number): string => `${(100 * v).toFixed(1)}%`;
const HEAT_LEVELS = 8;

const METRIC_NAMES: Record<string, string> = {
  loss: 'loss (nats)', accuracy: 'accuracy', perplexity: 'perplexity', bitsPerChar: 'bits per character', bitsPerToken: 'bits per token',
  rmse: 'RMSE (original units)', naiveRmse: 'naive RMSE (last value)', mae: 'MAE',
};

function metricsSection(r: EvaluationResult): string {
  const cards = Object.entries(r.metrics).map(([name, value]) =>
    `<div class="metric"><div class="metric-value">${name === 'accuracy' ? percent(value) : formatValue(value)}</div><div class="metric-name">${escapeHtml(METRIC_NAMES[name] ?? name)}</div></div>`);
  return `<section aria-label="Metrics"><div class="metrics">${cards.join('')}</div></section>`;
}

/** The model's RMSE against the naive forecast's (one target, over all its steps): from the metrics when reported, else from the series. */
export function naiveComparison(r: EvaluationResult): { model: number; naive: number } | undefined {
  const p = r.predictions;
  if (p && forecastDims(p).targets > 1) return undefined; // each target has its own verdict
  const model = r.metrics.rmse ?? (p ? rmseOf(p.actual, p.predicted) : undefined);
  const naive = r.metrics.naiveRmse ?? (p?.naive ? rmseOf(p.actual, p.naive) : undefined);
  return model === undefined || naive === undefined ? undefined : { model, naive };
}

/** The seasonal naive forecast's RMSE (`data.season`, one target), from the metrics or over the points that have one. */
export function seasonalNaiveRmse(r: EvaluationResult): number | undefined {
  if (r.metrics.seasonalNaiveRmse !== undefined) return r.metrics.seasonalNaiveRmse;
  const p = r.predictions;
  if (!p?.seasonalNaive || forecastDims(p).targets > 1) return undefined;
  const seasonal = rmseOf(p.actual, p.seasonalNaive);
  return Number.isFinite(seasonal) ? seasonal : undefined;
}

function seasonalVerdict(seasonal: number | undefined, model: number): string {
  if (seasonal === undefined) return '';
  return `<p class="muted">Against the seasonal naive forecast (the value one season back): RMSE ${formatValue(model)} against ${formatValue(seasonal)}, ` +
    `${model < seasonal ? `${percent(1 - model / seasonal)} lower` : 'the seasonal forecast is better'}.</p>`;
}

function verdict(r: EvaluationResult): string {
  const c = naiveComparison(r);
  if (!c) return '';
  return naiveVerdict(c) + seasonalVerdict(seasonalNaiveRmse(r), c.model);
}

function naiveVerdict(c: { model: number; naive: number }): string {
  const ratio = c.naive > 0 ? c.model / c.naive : Infinity;
  if (c.model < c.naive) {
    return `<p class="verdict good" role="status">The model beats the naive forecast (repeat the last value): RMSE ${formatValue(c.model)} against ${formatValue(c.naive)}, ${percent(1 - ratio)} lower.</p>`;
  }
  return `<p class="verdict bad" role="alert"><strong>The model loses to the naive forecast</strong> (repeat the last value): RMSE ${formatValue(c.model)} against ${formatValue(c.naive)}. ` +
    'Simply repeating the last observed value predicts this series better; train longer, widen the window, or try differencing.</p>';
}

/** Actual, predicted and naive series as SVG polylines over a shared y range; `small` for one of several. */
function predictionChart(p: ForecastSlice, label = 'Predicted against actual values over the evaluated range', small = false): string {
  const width = small ? 360 : 720, height = small ? 160 : 240, left = 56, right = 12, top = 12, bottom = 28;
  const series = [p.actual, p.predicted, ...(p.naive ? [p.naive] : []), ...(p.seasonalNaive ? [p.seasonalNaive] : [])];
  const all = series.flat().filter(Number.isFinite);
  let lo = Math.min(...all), hi = Math.max(...all);
  if (hi === lo) { hi += 1; lo -= 1; }
  const n = p.actual.length;
  const x = (i: number) => left + (n <= 1 ? 0 : (i / (n - 1)) * (width - left - right));
  const y = (v: number) => top + (1 - (v - lo) / (hi - lo)) * (height - top - bottom);
  const line = (values: number[], cls: string) =>
    `<polyline class="${cls}" points="${values.flatMap((v, i) => (Number.isFinite(v) ? [`${x(i).toFixed(1)},${y(v).toFixed(1)}`] : [])).join(' ')}"/>`;
  const ticks = [lo, (lo + hi) / 2, hi].map((v) =>
    `<line class="grid" x1="${left}" x2="${width - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/><text class="tick" x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${formatValue(v)}</text>`);
  return `<figure class="chart${small ? ' small' : ''}">
<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}">
${ticks.join('\n')}
<text class="tick" x="${left}" y="${height - 8}">${small ? 'window' : 'step'} 1</text><text class="tick" x="${width - right}" y="${height - 8}" text-anchor="end">${small ? 'window' : 'step'} ${n}</text>
${p.naive ? line(p.naive, 'naive') : ''}${p.seasonalNaive ? line(p.seasonalNaive, 'seasonal') : ''}${line(p.actual, 'actual')}${line(p.predicted, 'predicted')}
</svg>
<figcaption>${small ? `<strong>${escapeHtml(label)}</strong><br>` : ''}<span class="key actual"></span>actual <span class="key predicted"></span>predicted${p.naive ? ' <span class="key naive"></span>naive (last value)' : ''}${p.seasonalNaive ? ' <span class="key seasonal"></span>seasonal naive (one season back)' : ''}</figcaption>
</figure>`;
}

/** Forecast steps drawn per target: all of them up to 8, else 8 spread from the first to the last. */
const SHOWN_STEPS = 8;

/**
 * Several targets or steps: per target a verdict over all its steps and small multiples, one chart
 * per step (one value per window), each captioned with its RMSE and the naive forecast's.
 */
function forecastPanels(r: EvaluationResult, p: NonNullable<EvaluationResult['predictions']>): string {
  const { steps, targets } = forecastDims(p);
  const cells = forecastBreakdown(p);
  const shown = steps <= SHOWN_STEPS ? [...Array(steps).keys()] : [...new Set(Array.from({ length: SHOWN_STEPS }, (_, i) => Math.round((i * (steps - 1)) / (SHOWN_STEPS - 1))))];
  return Array.from({ length: targets }, (_, y) => {
    const ofTarget = cells.filter((c) => c.target === cells[y * (steps > 1 ? steps + 1 : 1)].target);
    const overall = ofTarget.find((c) => c.step === (steps > 1 ? 0 : 1))!;
    const heading = targets > 1 ? `<h3>${escapeHtml(overall.target)}</h3>` : '';
    const c = targets > 1 ? (overall.naiveRmse === undefined ? undefined : { model: overall.rmse, naive: overall.naiveRmse }) : naiveComparison(r);
    const said = c ? naiveVerdict(c) + seasonalVerdict(targets > 1 ? overall.seasonalNaiveRmse : seasonalNaiveRmse(r), c.model) : '';
    const charts = shown.map((s) => {
      const cell = ofTarget.find((x) => x.step === s + 1)!;
      const label = `${targets > 1 ? `${overall.target}, ` : ''}${s + 1} step${s ? 's' : ''} ahead: RMSE ${formatValue(cell.rmse)}${cell.naiveRmse === undefined ? '' : ` (naive ${formatValue(cell.naiveRmse)})`}`;
      return predictionChart(forecastSlice(p, s, y), label, true);
    });
    const more = shown.length < steps ? `<p class="muted">${shown.length} of ${steps} steps drawn; the table below has every step.</p>` : '';
    return `${heading}${said}<div class="multiples">${charts.join('')}</div>${more}`;
  }).join('') + rmseTable(cells);
}

/** RMSE per target and step ("all": over every step of the target). */
function rmseTable(cells: ForecastCell[]): string {
  const seasonal = cells.some((c) => c.seasonalNaiveRmse !== undefined);
  const rows = cells.map((c) => `<tr><th scope="row">${escapeHtml(c.target)}</th><td>${c.step === 0 ? 'all' : c.step}</td><td>${formatValue(c.rmse)}</td>` +
    `<td>${c.naiveRmse === undefined ? '—' : formatValue(c.naiveRmse)}</td>${seasonal ? `<td>${c.seasonalNaiveRmse === undefined ? '—' : formatValue(c.seasonalNaiveRmse)}</td>` : ''}</tr>`).join('');
  return `<table class="forecast-rmse"><thead><tr><th scope="col">target</th><th scope="col">step</th><th scope="col">RMSE</th><th scope="col">naive RMSE</th>${
    seasonal ? '<th scope="col">seasonal naive RMSE</th>' : ''}</tr></thead><tbody>${rows}</tbody></table>`;
}

function predictionsSection(r: EvaluationResult): string {
  const p = r.predictions;
  if (!p && !naiveComparison(r)) return '';
  const body = p?.shape ? forecastPanels(r, p) : `${verdict(r)}${p ? predictionChart(p) : ''}`;
  return `<section aria-label="Predictions"><h2>Predictions against actual values</h2>${body}</section>`;
}

/** Confusion matrix with a recall column and a precision row; cells shaded by their share of the row. */
function confusionSection(r: EvaluationResult): string {
  const cm = r.confusionMatrix;
  if (!cm) return '';
  const perClass = new Map((r.perClass ?? []).map((c) => [c.label, c]));
  const head = cm.labels.map((l) => `<th scope="col">${escapeHtml(l)}</th>`).join('');
  const rows = cm.matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const cells = row.map((count, j) => {
      const level = total > 0 ? Math.round((count / total) * (HEAT_LEVELS - 1)) : 0;
      return `<td class="heat-${level}${i === j ? ' diagonal' : ''}">${count}</td>`;
    }).join('');
    const recall = perClass.get(cm.labels[i])?.recall;
    return `<tr><th scope="row">${escapeHtml(cm.labels[i])}</th>${cells}<td class="score">${recall === undefined ? '—' : percent(recall)}</td></tr>`;
  }).join('\n');
  const precision = cm.labels.map((l) => {
    const p = perClass.get(l)?.precision;
    return `<td class="score">${p === undefined ? '—' : percent(p)}</td>`;
  }).join('');
  const f1 = r.perClass ? `<table class="per-class"><thead><tr><th scope="col">class</th><th scope="col">precision</th><th scope="col">recall</th><th scope="col">F1</th><th scope="col">support</th></tr></thead><tbody>${
    r.perClass.map((c) => `<tr><th scope="row">${escapeHtml(c.label)}</th><td>${percent(c.precision)}</td><td>${percent(c.recall)}</td><td>${formatValue(c.f1)}</td><td>${c.support}</td></tr>`).join('')
  }</tbody></table>` : '';
  return `<section aria-label="Confusion matrix"><h2>Confusion matrix</h2>
<p class="muted">Rows: true class. Columns: predicted class. Shade: share of the row.</p>
<div class="scroll"><table class="confusion"><thead><tr><th class="corner">true ↓ / predicted →</th>${head}<th scope="col">recall</th></tr></thead>
<tbody>${rows}
<tr><th scope="row">precision</th>${precision}<td></td></tr></tbody></table></div>${f1}</section>`;
}

function worstSection(r: EvaluationResult, options: EvaluationReportOptions): string {
  if (!r.worst || r.worst.length === 0) return '';
  const rows = r.worst.map((w) => {
    const where = `${w.file.split(/[\\/]/).at(-1)}:${w.line}`;
    const href = options.locationHref(w.file, w.line);
    const location = href ? `<a href="${escapeHtml(href)}" title="${escapeHtml(`${w.file}:${w.line}`)}">${escapeHtml(where)}</a>` : escapeHtml(where);
    const wrong = w.target !== w.predicted;
    const explainHref = options.explainHref?.(w.file, w.line);
    const explain = explainHref ? ` <a class="explain" href="${escapeHtml(explainHref)}" title="Explain this prediction">explain</a>` : '';
    return `<tr><td>${location}${explain}</td><td class="input">${escapeHtml(w.input)}</td><td>${escapeHtml(w.target)}</td>` +
      `<td class="${wrong ? 'wrong' : ''}">${escapeHtml(w.predicted)}</td><td>${w.probability === undefined ? '' : percent(w.probability)}</td><td>${formatValue(w.loss)}</td></tr>`;
  }).join('\n');
  return `<section aria-label="Worst examples"><h2>Worst examples</h2>
<p class="muted">The examples with the highest loss; click a location to open it.</p>
<div class="scroll"><table class="worst"><thead><tr><th scope="col">where</th><th scope="col">input</th><th scope="col">target</th><th scope="col">predicted</th><th scope="col">p</th><th scope="col">loss</th></tr></thead>
<tbody>${rows}</tbody></table></div>${alignments(r.worst)}</section>`;
}

/** Attention decoders: each worst example's alignment, target tokens (rows) × source tokens (columns), shaded by a_tj. */
function alignments(worst: NonNullable<EvaluationResult['worst']>): string {
  const shown = worst.filter((w) => w.alignment && w.alignment.tokens.length > 0 && w.alignment.sourceTokens.length > 0);
  if (shown.length === 0) return '';
  const table = (a: NonNullable<typeof worst[number]['alignment']>, where: string) =>
    `<table class="alignment" aria-label="${escapeHtml(`attention of ${where}: target tokens × source tokens`)}"><thead><tr><th class="corner"></th>` +
    a.sourceTokens.map((s) => `<th scope="col">${escapeHtml(s)}</th>`).join('') + '</tr></thead><tbody>' +
    a.attention.map((row, t) => `<tr><th scope="row">${escapeHtml(a.tokens[t])}</th>` +
      row.map((v) => `<td class="heat-${Math.min(HEAT_LEVELS - 1, Math.round(v * (HEAT_LEVELS - 1)))}" title="${v.toFixed(3)}"></td>`).join('') + '</tr>').join('') +
    '</tbody></table>';
  return `<h3>Attention of the worst examples</h3><p class="muted">Teacher-forced: each target token's weights over the source tokens (darker is more).</p>` +
    shown.map((w) => {
      const where = `${w.file.split(/[\\/]/).at(-1)}:${w.line}`;
      return `<details><summary>${escapeHtml(where)} · ${escapeHtml(w.input)}</summary><div class="scroll">${table(w.alignment!, where)}</div></details>`;
    }).join('\n');
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 24px; max-width: 1000px; }
h1 { font-size: 1.5em; font-weight: 600; margin: 18px 0 2px; } h2 { font-size: 1.15em; font-weight: 600; margin: 22px 0 8px; }
.muted, .subtitle { color: var(--vscode-descriptionForeground); } .subtitle { margin: 0 0 14px; }
section { border-top: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); }
.metrics { display: flex; flex-wrap: wrap; gap: 10px; padding-top: 14px; }
.metric { background: var(--vscode-editorWidget-background); border: 1px solid var(--vscode-widget-border, transparent); border-radius: 4px; padding: 10px 14px; min-width: 120px; }
.metric-value { font-size: 1.6em; font-weight: 600; font-variant-numeric: tabular-nums; } .metric-name { color: var(--vscode-descriptionForeground); }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 6px 0 10px; }
th, td { padding: 4px 10px; text-align: right; border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, #8884)); }
th { font-weight: 600; } td.input, th.corner { text-align: left; } td.input { font-family: var(--vscode-editor-font-family); max-width: 420px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
td.diagonal { font-weight: 700; } td.score { color: var(--vscode-descriptionForeground); } td.wrong { color: var(--vscode-errorForeground); }
.scroll { overflow-x: auto; }
${Array.from({ length: HEAT_LEVELS }, (_, k) => `.heat-${k} { background: color-mix(in srgb, var(--vscode-charts-blue, #3794ff) ${Math.round((k / (HEAT_LEVELS - 1)) * 70)}%, transparent); }`).join('\n')}
.verdict { padding: 8px 12px; border-radius: 4px; border-left: 4px solid; }
.verdict.good { border-color: var(--vscode-charts-green, #89d185); background: color-mix(in srgb, var(--vscode-charts-green, #89d185) 12%, transparent); }
.verdict.bad { border-color: var(--vscode-errorForeground, #f14c4c); background: var(--vscode-inputValidation-errorBackground, color-mix(in srgb, #f14c4c 15%, transparent)); }
.chart { margin: 8px 0; } .chart svg { width: 100%; max-width: 760px; height: auto; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 8px 16px; } .chart.small { margin: 0; } h3 { font-size: 1.05em; font-weight: 600; margin: 16px 0 4px; }
polyline { fill: none; stroke-width: 1.6; } polyline.actual { stroke: var(--vscode-foreground); }
polyline.predicted { stroke: var(--vscode-charts-blue, #3794ff); stroke-width: 2; } polyline.naive { stroke: var(--vscode-charts-orange, #d18616); stroke-dasharray: 5 4; }
polyline.seasonal { stroke: var(--vscode-charts-purple, #b180d7); stroke-dasharray: 2 3; }
line.grid { stroke: var(--vscode-widget-border, #8884); stroke-width: 0.5; } text.tick { fill: var(--vscode-descriptionForeground); font-size: 11px; }
figcaption { color: var(--vscode-descriptionForeground); } .key { display: inline-block; width: 18px; height: 0; border-top: 2px solid; margin: 0 4px 3px 10px; }
.key.actual { border-color: var(--vscode-foreground); } .key.predicted { border-color: var(--vscode-charts-blue, #3794ff); } .key.naive { border-color: var(--vscode-charts-orange, #d18616); border-top-style: dashed; }
.key.seasonal { border-color: var(--vscode-charts-purple, #b180d7); border-top-style: dotted; }
a { color: var(--vscode-textLink-foreground); }
`;

/** A script-free page: one nonce'd stylesheet, a CSP that allows nothing else (images from `cspSource`). */
export function staticPageHtml(o: { title: string; cspSource: string; nonce: string; style: string; body: string }): string {
  const csp = `default-src 'none'; style-src 'nonce-${o.nonce}'; img-src ${o.cspSource} data:`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${o.nonce}">${o.style}</style>
<title>${escapeHtml(o.title)}</title>
</head>
<body>
${o.body}
</body>
</html>`;
}

export function evaluationReportHtml(r: EvaluationResult, options: EvaluationReportOptions): string {
  const split = r.split === 'test' ? 'test split' : 'validation split (the spec has no data.test)';
  return staticPageHtml({ ...options, style: STYLE, body: `<h1>Evaluation of ${escapeHtml(options.title)}</h1>
<p class="subtitle">On the ${split}, with the weights of epoch ${r.best.epoch}.</p>
${metricsSection(r)}
${predictionsSection(r)}
${confusionSection(r)}
${worstSection(r, options)}` });
}
