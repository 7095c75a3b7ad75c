/**
 * The HTML of the Explain Prediction view (`rnn-lab explain --json`, src/train/explanation.ts): the
 * input drawn as text, each token shaded by its attribution (blue raised the explained output, red
 * lowered it), or for features a steps × columns grid of shaded cells under a bar per step; then the
 * prediction with the top alternatives, and the completeness check of integrated gradients.
 * Pure (no `vscode`): no scripts, one nonce'd stylesheet, `--vscode-*` theme colours, shades as
 * classes (the CSP needs no `unsafe-inline`), as in evaluationReport.ts.
 */
import { escapeHtml } from '../../format/html';
import { formatValue } from '../../format/value';
import { staticPageHtml } from './evaluationReport';

/** The `explanation` line of `rnn-lab explain --json`. */
export interface ExplanationResult {
  kind: 'explanation';
  target: string;
  prediction: string | number;
  method: 'ig' | 'gradxinput';
  tokens?: string[];
  attributions: number[];
  shape?: number[];
  completenessError: number;
  output?: number;
  baselineOutput?: number;
  step?: number;
  alternatives?: { label: string; probability: number }[];
  generated?: string[];
  columns?: string[];
}

/** The explanation line of the CLI's output, or undefined when it is not one. */
export function asExplanationResult(value: unknown): ExplanationResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<ExplanationResult>;
  const ok = v.kind === 'explanation' && typeof v.target === 'string' && (typeof v.prediction === 'string' || typeof v.prediction === 'number') &&
    (v.method === 'ig' || v.method === 'gradxinput') && Array.isArray(v.attributions) && v.attributions.every((a) => typeof a === 'number') &&
    typeof v.completenessError === 'number' && (v.tokens === undefined || (Array.isArray(v.tokens) && v.tokens.length === v.attributions.length));
  return ok ? (v as ExplanationResult) : undefined;
}

export interface ExplanationReportOptions {
  /** The run's name. */
  title: string;
  cspSource: string;
  nonce: string;
}

/** Shade levels each way: level k of |a| / max |a|. */
const LEVELS = 5;

/** `pos-k` / `neg-k` (k in 0..LEVELS) of an attribution against the largest magnitude. */
function shade(a: number, largest: number): string {
  const k = largest > 0 ? Math.round((Math.abs(a) / largest) * LEVELS) : 0;
  return `${a < 0 ? 'neg' : 'pos'}-${k}`;
}

/** A token as it reads: spaces and line breaks made visible. */
function visible(token: string): string {
  return token === ' ' ? '␣' : token.replace(/\n/g, '⏎').replace(/\t/g, '⇥');
}

function tokenSection(e: ExplanationResult, tokens: string[], largest: number): string {
  const spans = tokens.map((token, t) => {
    const a = e.attributions[t];
    return `<span class="token ${shade(a, largest)}" title="step ${t}: ${escapeHtml(formatValue(a))}">${escapeHtml(visible(token))}<span class="value">${escapeHtml(formatValue(a))}</span></span>`;
  }).join('');
  return `<section aria-label="Input"><h2>${e.generated ? 'Source' : 'Input'}, shaded by attribution</h2><div class="tokens">${spans}</div>` +
    (e.generated ? `<p class="muted">Generated: ${e.generated.map((g, i) => (i === e.step ? `<strong>${escapeHtml(g)}</strong>` : escapeHtml(g))).join(' ')}${
      e.step === e.generated.length ? ' <strong>&lt;eos&gt;</strong>' : ''}</p>` : '') + '</section>';
}

/** Features: a bar per step (the sum over columns), then the steps × columns grid. */
function featureSection(e: ExplanationResult, T: number, X: number, largest: number): string {
  const sums = Array.from({ length: T }, (_, t) => e.attributions.slice(t * X, (t + 1) * X).reduce((s, v) => s + v, 0));
  const top = Math.max(1e-12, ...sums.map(Math.abs));
  const width = Math.max(240, Math.min(720, 24 * T)), height = 120, mid = height / 2, bar = width / T;
  const bars = sums.map((s, t) => {
    const h = (Math.abs(s) / top) * (mid - 6);
    return `<rect class="${s < 0 ? 'bar-neg' : 'bar-pos'}" x="${(t * bar + 1).toFixed(1)}" y="${(s < 0 ? mid : mid - h).toFixed(1)}" width="${Math.max(1, bar - 2).toFixed(1)}" height="${h.toFixed(1)}"><title>step ${t}: ${formatValue(s)}</title></rect>`;
  }).join('');
  const chart = `<figure class="chart"><svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Attribution per step, summed over the columns">` +
    `<line class="axis" x1="0" x2="${width}" y1="${mid}" y2="${mid}"/>${bars}</svg><figcaption>Attribution per step (sum over the columns), oldest step left.</figcaption></figure>`;
  const names = Array.from({ length: X }, (_, x) => e.columns?.[x] ?? `column ${x + 1}`);
  const head = names.map((n) => `<th scope="col">${escapeHtml(n)}</th>`).join('');
  const rows = Array.from({ length: T }, (_, t) => `<tr><th scope="row">${t}</th>${names.map((_, x) => {
    const a = e.attributions[t * X + x];
    return `<td class="${shade(a, largest)}">${formatValue(a)}</td>`;
  }).join('')}</tr>`).join('');
  return `<section aria-label="Input"><h2>Which steps and columns drove the forecast</h2>${chart}` +
    `<div class="scroll"><table class="grid"><thead><tr><th scope="col">step</th>${head}</tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function predictionSection(e: ExplanationResult): string {
  const alternatives = e.alternatives?.length
    ? `<table class="alternatives"><thead><tr><th scope="col">${e.generated ? 'token' : 'label'}</th><th scope="col">p</th></tr></thead><tbody>${e.alternatives.map((a) =>
      `<tr${a.label === e.target ? ' class="explained"' : ''}><th scope="row">${escapeHtml(a.label)}</th><td>${(100 * a.probability).toFixed(1)}%</td></tr>`).join('')}</tbody></table>`
    : '';
  const gap = e.output !== undefined && e.baselineOutput !== undefined ? e.output - e.baselineOutput : undefined;
  const method = e.method === 'ig' ? 'Integrated gradients from a zero input' : 'Gradient × input';
  const check = gap === undefined ? '' : `<p class="muted">${method}: the attributions add up to f(x) − f(0) = ${formatValue(gap)} ` +
    `within ${formatValue(e.completenessError)}${gap !== 0 ? ` (${(100 * e.completenessError / Math.abs(gap)).toFixed(2)}%)` : ''}.</p>`;
  return `<section aria-label="Prediction"><h2>Prediction</h2>
<p class="prediction">The model predicts <strong>${escapeHtml(String(typeof e.prediction === 'number' ? formatValue(e.prediction) : e.prediction))}</strong>${
  e.step === undefined ? '' : ` at step ${e.step}`}; explained: <strong>${escapeHtml(e.target)}</strong>.</p>${alternatives}${check}
<p class="legend"><span class="token pos-${LEVELS}">raises</span> <span class="token neg-${LEVELS}">lowers</span> the explained ${typeof e.prediction === 'number' ? 'value' : 'logit'}</p></section>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 24px; max-width: 1000px; }
h1 { font-size: 1.5em; font-weight: 600; margin: 18px 0 2px; } h2 { font-size: 1.15em; font-weight: 600; margin: 22px 0 8px; }
.muted, .subtitle { color: var(--vscode-descriptionForeground); } .subtitle { margin: 0 0 14px; }
section { border-top: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); }
.tokens { display: flex; flex-wrap: wrap; gap: 4px 2px; font-family: var(--vscode-editor-font-family); padding-top: 6px; }
.token { display: inline-flex; flex-direction: column; align-items: center; padding: 2px 4px; border-radius: 3px; white-space: pre; }
.token .value { font-size: 0.75em; font-family: var(--vscode-font-family); font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 6px 0 10px; }
th, td { padding: 3px 8px; text-align: right; border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border, #8884)); }
tr.explained th, tr.explained td { font-weight: 700; }
.scroll { overflow-x: auto; }
${Array.from({ length: LEVELS + 1 }, (_, k) => `.pos-${k} { background: color-mix(in srgb, var(--vscode-charts-blue, #3794ff) ${Math.round((k / LEVELS) * 45)}%, transparent); }
.neg-${k} { background: color-mix(in srgb, var(--vscode-charts-red, #f14c4c) ${Math.round((k / LEVELS) * 45)}%, transparent); }`).join('\n')}
.token.pos-0, .token.neg-0 { outline: 1px dotted var(--vscode-widget-border, #8884); }
.chart svg { width: 100%; max-width: 760px; height: auto; } figcaption { color: var(--vscode-descriptionForeground); }
rect.bar-pos { fill: var(--vscode-charts-blue, #3794ff); } rect.bar-neg { fill: var(--vscode-charts-red, #f14c4c); }
line.axis { stroke: var(--vscode-widget-border, #8884); }
`;

export function explanationReportHtml(e: ExplanationResult, options: ExplanationReportOptions): string {
  const largest = Math.max(0, ...e.attributions.map(Math.abs));
  const [T, X] = e.shape && e.shape.length === 2 ? e.shape : [e.attributions.length, 1];
  const input = e.tokens ? tokenSection(e, e.tokens, largest) : featureSection(e, T, X, largest);
  return staticPageHtml({ ...options, style: STYLE, body: `<div id="root">
<h1>Why ${escapeHtml(e.target)}?</h1>
<p class="subtitle">${escapeHtml(options.title)}: ${e.method === 'ig' ? 'integrated gradients' : 'gradient × input'} over the input ${e.tokens ? 'tokens' : 'steps and columns'}.</p>
${predictionSection(e)}
${input}
</div>` });
}
