/**
 * The training dashboard: status and controls, loss and metric curves, gradient flow through time,
 * samples, confusion matrix, hidden states and run comparison. Events fold into a RunHistory at once;
 * drawing is throttled to at most 10 frames a second, however fast events arrive.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { formatDuration } from '../../src/format/duration';
import { formatValue } from '../../src/format/value';
import type { CompareRun, ControlAction, HostToWebview, RunInfo, TrainingEvent } from '../../src/protocol/hostWebview';
import { formatInt, h, replaceChildren } from '../dom';
import { onThemeChange } from '../theme';
import { postToHost } from '../vscodeApi';
import { CurveChart, type CurveSeries } from './curveChart';
import { alignmentFigure } from './alignmentHeatmap';
import { drawHeatmap } from './heatmap';
import { RunHistory } from './runHistory';

type DashboardSnapshot = Extract<HostToWebview, { type: 'dashboard' }>;
type Message<K extends HostToWebview['type']> = Extract<HostToWebview, { type: K }>;

const FRAME_MS = 100;

/** A value, or `—` when there is none yet or it is not a number (a metric saved as null). */
const formatNumber = (v: number | undefined, digits = 4): string => (v === undefined || !Number.isFinite(v) ? '—' : formatValue(v, digits));

interface ControlElement extends HTMLElement { disabled: boolean }
interface CheckboxElement extends HTMLElement { checked: boolean }
interface TextFieldElement extends HTMLElement { value: string }

export class DashboardView {
  private run!: RunInfo;
  private history = new RunHistory();
  private compared: CompareRun[] = [];
  private requestId = 0;
  private frame = 0;
  private lastFrameAt = 0;
  private dirty = false;

  private readonly title = h('h1', {});
  private readonly status = h('span', { class: 'badge', role: 'status' });
  private readonly controls: Record<ControlAction, ControlElement>;
  private readonly facts = h('dl', { class: 'facts', 'aria-label': 'Training status' });
  private readonly banner = h('div', { class: 'banner', role: 'alert' });
  /** The data's warnings (file:line:column) and notes, e.g. unseen labels and the vocabulary size. */
  private readonly notesSection = h('section', { class: 'card notes', 'aria-label': 'Warnings and notes', hidden: true });
  private renderedNotes = -1;
  private readonly lossChart: CurveChart;
  private readonly metricChart: CurveChart;
  private readonly gradChart: CurveChart;
  private readonly logScale = h('vscode-checkbox', { label: 'Log scale', 'aria-label': 'Log scale for loss and gradient norms', 'data-control': 'logScale' }) as CheckboxElement;
  private readonly gradHeatmap = h('canvas', { class: 'heatmap', role: 'img', 'aria-label': 'Gradient norm per layer and time step' });
  /** Compared runs' gradient-flow strips, below this run's, so vanishing gradients compare at a glance. */
  private readonly compareStrips = h('div', { class: 'compare-strips', 'aria-label': 'Gradient flow of the compared runs' });
  private readonly gradCaption = h('p', { class: 'muted' }, 'Waiting for a gradients event…');
  private readonly samplesSection = h('section', { class: 'card samples', 'aria-label': 'Samples' });
  private readonly samplesList = h('div', { class: 'sample-list' });
  private readonly temperature = h('vscode-textfield', { type: 'number', min: '0.1', max: '3', step: '0.1', value: '1', 'aria-label': 'Sampling temperature', 'data-control': 'temperature' }) as TextFieldElement;
  private readonly confusionSection = h('section', { class: 'card', 'aria-label': 'Confusion matrix', hidden: true });
  private readonly hiddenInput = h('vscode-textfield', { placeholder: 'Type an input sequence', 'aria-label': 'Input for the hidden-state view', 'data-control': 'hiddenInput' }) as TextFieldElement;
  private readonly hiddenResult = h('div', { class: 'hidden-result' });
  private readonly compareList = h('div', { class: 'compare-list', role: 'group', 'aria-label': 'Runs to compare' });
  private readonly compareSection = h('section', { class: 'card', 'aria-label': 'Compare runs' }, h('h2', {}, 'Compare runs'), this.compareList);

  constructor(root: HTMLElement) {
    const button = (action: ControlAction, text: string, secondary = false) => {
      const b = h('vscode-button', { 'data-control': action, 'aria-label': `${text} training`, ...(secondary ? { secondary: true } : {}) }, text) as ControlElement;
      b.addEventListener('click', () => { if (!b.disabled) postToHost({ type: 'control', action }); });
      return b;
    };
    this.controls = { pause: button('pause', 'Pause'), resume: button('resume', 'Resume'), stop: button('stop', 'Stop', true) };
    const chartBox = (label: string) => h('div', { class: 'chart', role: 'img', 'aria-label': label });
    const lossBox = chartBox('Loss curves, train and validation');
    const metricBox = chartBox('Metric curves, train and validation');
    const gradBox = chartBox('Gradient norms over training, with the clipping threshold');
    this.lossChart = new CurveChart(lossBox, 'epoch', 'loss (nats)');
    this.metricChart = new CurveChart(metricBox, 'epoch', 'metric');
    this.gradChart = new CurveChart(gradBox, 'epoch', '‖∇‖');
    this.logScale.addEventListener('change', () => {
      this.lossChart.setLogScale(this.logScale.checked);
      this.gradChart.setLogScale(this.logScale.checked);
      this.scheduleRender();
    });

    const sampleButton = h('vscode-button', { 'data-control': 'sample', 'aria-label': 'Generate a sample at this temperature' }, 'Generate');
    sampleButton.addEventListener('click', () => {
      const temperature = Number(this.temperature.value);
      if (Number.isFinite(temperature) && temperature > 0) postToHost({ type: 'sampleRequest', requestId: ++this.requestId, temperature });
    });
    replaceChildren(this.samplesSection, h('h2', {}, 'Samples'),
      h('div', { class: 'row' }, h('label', {}, 'Temperature '), this.temperature, sampleButton), this.samplesList);

    const hiddenButton = h('vscode-button', { 'data-control': 'hiddenState', 'aria-label': 'Show hidden states for this input' }, 'Show hidden states');
    const askHidden = () => {
      const input = this.hiddenInput.value;
      if (input.length > 0) postToHost({ type: 'hiddenStateRequest', requestId: ++this.requestId, input });
    };
    hiddenButton.addEventListener('click', askHidden);
    this.hiddenInput.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') askHidden(); });

    replaceChildren(root, h('main', { class: 'dashboard' },
      h('header', { class: 'dash-header' }, this.title, this.status, h('div', { class: 'controls', role: 'toolbar', 'aria-label': 'Training controls' },
        this.controls.pause, this.controls.resume, this.controls.stop)),
      this.facts, this.banner, this.notesSection,
      h('section', { class: 'card', 'aria-label': 'Curves' }, h('div', { class: 'row spread' }, h('h2', {}, 'Loss'), this.logScale), lossBox,
        h('h2', {}, 'Metrics'), metricBox),
      h('section', { class: 'card', 'aria-label': 'Gradient flow' }, h('h2', {}, 'Gradient flow through time'), this.gradCaption,
        h('div', { class: 'scroll-x' }, this.gradHeatmap), this.compareStrips, h('h2', {}, 'Gradient norms over training'), gradBox),
      this.samplesSection, this.confusionSection,
      h('section', { class: 'card', 'aria-label': 'Hidden states' }, h('h2', {}, 'Hidden states'),
        h('div', { class: 'row' }, this.hiddenInput, hiddenButton), this.hiddenResult),
      this.compareSection));
    onThemeChange(() => {
      for (const chart of [this.lossChart, this.metricChart, this.gradChart]) chart.invalidate();
      this.scheduleRender();
    });
  }

  show(snapshot: DashboardSnapshot): void {
    this.run = snapshot.run;
    this.history = new RunHistory();
    this.renderedNotes = -1;
    for (const e of snapshot.events) this.history.add(e);
    this.compared = this.compared.filter((r) => snapshot.otherRuns.some((o) => o.id === r.id));
    replaceChildren(this.compareList, ...snapshot.otherRuns.map((r) => {
      const box = h('vscode-checkbox', { label: r.label, 'data-run-id': r.id, 'aria-label': `Compare with ${r.label}` }) as CheckboxElement;
      box.checked = this.compared.some((c) => c.id === r.id);
      box.addEventListener('change', () => this.requestCompare());
      return box;
    }));
    this.compareSection.hidden = snapshot.otherRuns.length === 0;
    this.scheduleRender();
  }

  addEvent(e: TrainingEvent): void {
    if (!this.run) return;
    this.history.add(e);
    if (e.event === 'done') this.run = { ...this.run, status: 'finished', live: false };
    if (e.event === 'error') this.run = { ...this.run, status: 'failed', live: false };
    this.scheduleRender();
  }

  setStatus(status: RunInfo['status']): void {
    if (!this.run) return;
    this.run = { ...this.run, status, live: this.run.live && (status === 'running' || status === 'paused') };
    this.scheduleRender();
  }

  showCompared(runs: CompareRun[]): void {
    this.compared = runs;
    this.scheduleRender();
  }

  showSample(m: Message<'sampleResult'>): void {
    const text = m.text ?? `(${m.error ?? 'no sample'})`;
    this.samplesList.prepend(h('figure', { class: 'sample requested' }, h('figcaption', {}, `on request · T = ${m.temperature}`), h('pre', {}, text)));
  }

  showHiddenState(m: Message<'hiddenState'>): void {
    if (!m.answer) {
      replaceChildren(this.hiddenResult, h('p', { class: 'muted' }, m.error ?? 'No hidden states for this input.'));
      return;
    }
    const { steps, layers, nextToken } = m.answer;
    const parts: HTMLElement[] = [];
    for (const layer of layers) {
      const canvas = h('canvas', { class: 'heatmap hidden-state', role: 'img', 'aria-label': `${layer.label}: ${layer.width} units × ${steps.length} steps` });
      parts.push(h('h3', {}, `${layer.label} (${layer.width} units × ${steps.length} steps)`), h('div', { class: 'scroll-x' }, canvas));
      drawHeatmap(canvas, { rowNames: Array.from({ length: layer.width }, (_, u) => `unit ${u}`), columnNames: steps, values: layer.values, mode: 'diverging' },
        Math.max(320, this.hiddenResult.clientWidth));
    }
    if (nextToken && nextToken.length > 0) {
      const max = Math.max(...nextToken.map((t) => t.probability));
      parts.push(h('h3', {}, 'Next token'), h('ol', { class: 'next-token', 'aria-label': 'Predicted next-token distribution' },
        ...nextToken.map((t) => {
          const bar = h('meter', { min: 0, max: Math.max(max, 1e-9), value: t.probability, 'aria-label': `${t.token}: ${(100 * t.probability).toFixed(1)} %` });
          return h('li', {}, h('code', {}, JSON.stringify(t.token)), bar, ` ${(100 * t.probability).toFixed(1)} %`);
        })));
    }
    replaceChildren(this.hiddenResult, ...parts);
  }

  showConfusion(m: Message<'confusionMatrix'>): void {
    this.confusionSection.hidden = false;
    const max = Math.max(1, ...m.counts.flat());
    const rowTotal = m.counts.map((row) => row.reduce((a, b) => a + b, 0));
    replaceChildren(this.confusionSection, h('h2', {}, `Confusion matrix (${m.split})`),
      h('div', { class: 'scroll-x' }, h('table', { class: 'confusion' },
        h('caption', { class: 'muted' }, 'rows: true class · columns: predicted class'),
        h('thead', {}, h('tr', {}, h('th', {}, ''), ...m.labels.map((l) => h('th', { scope: 'col' }, l)))),
        h('tbody', {}, ...m.counts.map((row, i) => h('tr', {}, h('th', { scope: 'row' }, m.labels[i]),
          ...row.map((count, j) => h('td', { class: `level-${Math.min(9, Math.round((9 * count) / max))}${i === j ? ' diagonal' : ''}`,
            title: `${m.labels[i]} → ${m.labels[j]}: ${count} (${rowTotal[i] ? ((100 * count) / rowTotal[i]).toFixed(1) : 0} %)` }, String(count)))))))));
  }

  private requestCompare(): void {
    const runIds = Array.from(this.compareList.querySelectorAll<HTMLElement & CheckboxElement>('vscode-checkbox'))
      .filter((b) => b.checked).map((b) => b.dataset.runId!);
    postToHost({ type: 'compareRequest', runIds });
  }

  /** Coalesces redraws: at most one frame per FRAME_MS. */
  private scheduleRender(): void {
    this.dirty = true;
    if (this.frame) return;
    const wait = Math.max(0, FRAME_MS - (performance.now() - this.lastFrameAt));
    this.frame = window.setTimeout(() => requestAnimationFrame(() => {
      this.frame = 0;
      this.lastFrameAt = performance.now();
      if (this.dirty) { this.dirty = false; this.render(); }
    }), wait);
  }

  private render(): void {
    const { run, history } = this;
    this.title.textContent = run.label;
    this.status.textContent = run.status;
    this.status.className = `badge status-${run.status}`;
    const live = run.live && (run.status === 'running' || run.status === 'paused');
    this.controls.pause.disabled = !live || run.status !== 'running';
    this.controls.resume.disabled = !live || run.status !== 'paused';
    this.controls.stop.disabled = !live;
    this.renderFacts();
    this.renderBanner();
    this.renderNotes();
    this.renderCurves();
    this.renderGradients();
    this.renderSamples();
    document.body.dataset.renderedEvents = String(history.eventCount);
  }

  private renderFacts(): void {
    const { progress, start, done } = this.history;
    const fact = (term: string, value: string) => [h('dt', {}, term), h('dd', {}, value)];
    replaceChildren(this.facts,
      ...fact('epoch', progress ? `${progress.epoch} / ${progress.epochs}` : done ? `best ${done.best.epoch}` : start ? `0 / ${start.epochs}` : '—'),
      ...fact('batch', progress ? `${progress.batch} / ${progress.batches}` : '—'),
      ...fact('loss', formatNumber(progress?.loss)),
      ...fact('tokens/s', progress ? formatInt(progress.tokensPerSecond) : '—'),
      ...fact('ETA', progress && this.run.status === 'running' ? formatDuration(progress.etaMs) : done ? 'done' : '—'),
      ...fact('learning rate', formatNumber(progress?.learningRate, 3)),
      ...fact('backend', start?.backend ?? '—'),
      ...fact('parameters', start ? formatInt(start.parameters) : '—'));
  }

  private renderBanner(): void {
    const { done, error } = this.history;
    this.banner.hidden = !done && !error;
    this.banner.className = `banner ${error ? 'error' : 'done'}`;
    if (error) this.banner.textContent = `Training failed: ${error.message} (${error.file}:${error.line}:${error.column})`;
    else if (done) {
      const metrics = Object.entries(done.metrics).map(([k, v]) => `${k} ${formatNumber(v)}`).join(' · ');
      this.banner.textContent = `Finished. ${done.split} metrics (best epoch ${done.best.epoch}): ${metrics}`;
    }
  }

  private renderNotes(): void {
    const { warnings, warningCount, notes } = this.history;
    if (this.renderedNotes === warningCount + notes.length) return;
    this.renderedNotes = warningCount + notes.length;
    this.notesSection.hidden = this.renderedNotes === 0;
    const more = warningCount - warnings.length;
    replaceChildren(this.notesSection,
      ...(warningCount > 0 ? [h('h2', {}, `Warnings (${warningCount})`), h('ul', { class: 'warnings' },
        ...warnings.map((w) => h('li', {}, h('code', {}, `${w.file}:${w.line}:${w.column}`), ` ${w.message}`)),
        ...(more > 0 ? [h('li', { class: 'muted' }, `… and ${more.toLocaleString('en')} more`)] : []))] : []),
      ...(notes.length > 0 ? [h('h2', {}, 'Notes'), h('ul', { class: 'notes-list' }, ...notes.map((n) => h('li', {}, n.message)))] : []));
  }

  private renderCurves(): void {
    const h_ = this.history;
    const loss = h_.metric('loss');
    const batch = h_.batchLoss.snapshot();
    const lossSeries: CurveSeries[] = [
      { label: 'train (batches)', ...batch, color: 5 },
      { label: 'train', ...(loss.get('train') ?? { xs: [], ys: [] }), color: 0, points: true },
      { label: 'validation', ...(loss.get('validation') ?? { xs: [], ys: [] }), color: 1, points: true },
    ];
    this.compared.forEach((run, i) => {
      const other = new RunHistory();
      for (const e of run.events) other.add(e);
      const val = other.metric('loss').get('validation') ?? other.metric('loss').get('train');
      if (val) lossSeries.push({ label: `${run.label} (validation)`, ...val, color: 2 + i, dash: [6, 4] });
    });
    this.lossChart.update(lossSeries);
    const metricSeries: CurveSeries[] = [];
    h_.otherMetricNames().forEach((name, i) => {
      for (const [split, series] of h_.metric(name)) {
        metricSeries.push({ label: `${name} (${split})`, ...series, color: i, dash: split === 'train' ? undefined : [5, 3], points: true });
      }
    });
    this.metricChart.update(metricSeries);
  }

  private renderGradients(): void {
    const h_ = this.history;
    const g = h_.gradients;
    const width = Math.max(320, this.gradHeatmap.parentElement?.clientWidth ?? 600);
    if (g && g.hiddenGradNorms.length > 0) {
      const first = g.hiddenGradNorms.map((r) => r[0]), last = g.hiddenGradNorms.map((r) => r[r.length - 1]);
      const ratio = first.map((f, k) => (last[k] > 0 ? f / last[k] : NaN));
      this.gradCaption.textContent = `‖∂L/∂hₜ‖ per layer at epoch ${g.epoch}, batch ${g.batch} (log colour scale). ` +
        `Ratio t=1 / t=T: ${ratio.map((r) => formatNumber(r, 2)).join(', ')} — far below 1 means vanishing, far above means exploding.`;
      drawGradientStrip(this.gradHeatmap, g, width);
    }
    const strips = this.compared.flatMap((run) => {
      const other = [...run.events].reverse().find((e): e is Extract<TrainingEvent, { event: 'gradients' }> => e.event === 'gradients');
      if (!other || other.hiddenGradNorms.length === 0) return [];
      const canvas = h('canvas', { class: 'heatmap compared', role: 'img', 'aria-label': `Gradient norm per layer and time step of ${run.label}` });
      drawGradientStrip(canvas, other, width);
      return [h('h3', {}, `${run.label} · epoch ${other.epoch}, batch ${other.batch}`), h('div', { class: 'scroll-x' }, canvas)];
    });
    replaceChildren(this.compareStrips, ...strips);
    const series: CurveSeries[] = [{ label: 'total', ...h_.gradNorm.snapshot(), color: 0 }];
    let color = 1;
    for (const [group, s] of h_.groupGradNorms) series.push({ label: group, ...s.snapshot(), color: color++ });
    const total = h_.gradNorm.snapshot();
    if (h_.clipNorm !== null && total.xs.length > 0) {
      series.push({ label: `clip ${h_.clipNorm}`, xs: [total.xs[0], total.xs[total.xs.length - 1]], ys: [h_.clipNorm, h_.clipNorm], color: 'danger', dash: [4, 4] });
    }
    this.gradChart.update(series);
  }

  private renderSamples(): void {
    const generating = this.run.task === 'one-to-many' || this.run.task === 'seq2seq' || this.run.task === 'many-to-many';
    this.samplesSection.hidden = !generating && this.history.samples.length === 0;
    const rendered = this.samplesList.querySelectorAll('.sample.epoch').length;
    const samples = this.history.samples;
    if (rendered === samples.length && rendered > 0 && this.samplesList.querySelector('.sample.epoch')?.getAttribute('data-epoch') === String(samples[samples.length - 1].epoch)) return;
    for (const old of Array.from(this.samplesList.querySelectorAll('.sample.epoch'))) old.remove();
    const width = Math.max(240, this.samplesList.clientWidth - 16);
    for (const sample of samples) {
      this.samplesList.prepend(h('figure', { class: 'sample epoch', 'data-epoch': sample.epoch },
        h('figcaption', {}, `epoch ${sample.epoch} · T = ${sample.temperature}`), h('pre', {}, sample.text), ...alignmentFigure(sample, width)));
    }
  }
}

/** ‖∂L/∂hₜ‖ of one gradients event as a layer × time heatmap (log colour scale). */
function drawGradientStrip(canvas: HTMLCanvasElement, g: Extract<TrainingEvent, { event: 'gradients' }>, width: number): void {
  const T = Math.max(...g.hiddenGradNorms.map((r) => r.length));
  const values = new Float64Array(g.hiddenGradNorms.length * T).fill(NaN);
  g.hiddenGradNorms.forEach((row, k) => row.forEach((v, t) => { values[k * T + t] = v; }));
  drawHeatmap(canvas, {
    rowNames: g.hiddenGradNorms.map((_, k) => `layer ${k + 1}`),
    columnNames: Array.from({ length: T }, (_, t) => `${t + 1}`), values, mode: 'sequential-log',
  }, width);
}
