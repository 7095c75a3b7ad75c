/**
 * The dataset preview panel: what the data-scan worker found (src/data/preview), drawn from one
 * snapshot. Facts per split, the length histogram with percentiles, class balance (with its warning),
 * tag set, vocabularies, CSV columns over time (uPlot), notes, and the first records as a table.
 */
import type { CountEntry, DatasetPreview, DatasetPreviewMessage, VocabularyPreview } from '../../src/protocol/datasetPreview';
import { formatInt, h, replaceChildren } from '../dom';
import { onThemeChange } from '../theme';
import { lengthHistogram } from './lengthHistogram';
import { SeriesChart } from './seriesChart';

const MAX_CHARTS = 12;
const percent = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : '—');

export class PreviewView {
  private charts: SeriesChart[] = [];

  constructor(private readonly root: HTMLElement) {
    onThemeChange(() => { for (const chart of this.charts) chart.draw(); });
  }

  show(message: DatasetPreviewMessage): void {
    this.charts = [];
    const title = h('h1', {}, `Preview: ${message.fileName}`);
    if (!message.preview) {
      replaceChildren(this.root, h('main', { class: 'preview' }, title,
        h('p', { class: 'banner error', role: 'alert' }, message.error ?? 'The data cannot be read.')));
      return;
    }
    const p = message.preview;
    const main = h('main', { class: 'preview', 'data-format': p.format, 'data-task': p.task }, title,
      h('p', { class: 'muted' }, `${p.format} · ${p.task} · settings of ${p.settingsFrom}`),
      this.facts(p),
      ...(p.classes?.warning ? [h('p', { class: 'banner warning', role: 'alert' }, p.classes.warning)] : []),
      ...this.sections(p));
    replaceChildren(this.root, main);
    for (const chart of this.charts) chart.draw();
    document.body.dataset.previewRendered = p.file;
  }

  private facts(p: DatasetPreview): HTMLElement {
    const fact = (term: string, value: string) => [h('dt', {}, term), h('dd', {}, value)];
    const r = p.records;
    return h('dl', { class: 'facts', 'aria-label': 'Records per split' },
      ...fact(`train ${r.unit}`, formatInt(r.train)),
      ...fact(`validation ${r.unit}`, formatInt(r.validation)),
      ...(r.test !== undefined ? fact(`test ${r.unit}`, formatInt(r.test)) : []),
      ...(p.classes ? fact('classes', String(p.classes.counts.length)) : []),
      ...(p.tags ? fact('tags', String(p.tags.length)) : []),
      ...p.vocabularies.map((v) => fact(`${v.side} vocabulary`, formatInt(v.size))).flat());
  }

  private sections(p: DatasetPreview): HTMLElement[] {
    const out: HTMLElement[] = [];
    const card = (label: string, ...children: (HTMLElement | SVGElement | string)[]) =>
      h('section', { class: 'card', 'aria-label': label }, h('h2', {}, label), ...children);
    if (p.lengths) {
      const l = p.lengths;
      out.push(card('Sequence lengths',
        h('p', { class: 'muted' }, `${formatInt(l.count)} ${l.of}: ${l.min} to ${l.max} ${l.unit}, mean ${l.mean.toFixed(1)}` +
          (l.limit ? `; ${formatInt(l.limit.over)} longer than ${l.limit.key} ${l.limit.value}` : '')),
        h('ul', { class: 'percentiles', 'aria-label': 'Percentiles' }, ...l.percentiles.map((q) => h('li', {}, h('span', { class: 'muted' }, `p${q.p} `), String(q.value)))),
        h('div', { class: 'scroll-x' }, lengthHistogram(l))));
    }
    if (p.classes) out.push(card('Class balance', h('p', { class: 'muted' }, `training split; most/least frequent ${p.classes.ratio.toFixed(1)}:1`), countTable(p.classes.counts, 'class')));
    if (p.tags) out.push(card('Tag set', countTable(p.tags, 'tag')));
    for (const v of p.vocabularies) out.push(card(`${capitalize(v.side)} vocabulary`, ...vocabulary(v)));
    if (p.series) {
      const s = p.series;
      const boxes = s.columns.slice(0, MAX_CHARTS).map((c, i) => {
        const box = h('div', { class: 'chart series-chart', role: 'img', 'aria-label': `${c.name} against ${s.x.name}; ${c.missing} missing cells` });
        this.charts.push(new SeriesChart(box, s, i));
        return h('div', {}, h('h3', {}, `${c.name}${c.missing ? ` · ${formatInt(c.missing)} missing` : ''}`), box);
      });
      const facts = [
        s.series ? `series "${s.series.shown}" of ${s.series.count}` : '',
        s.gaps.length ? `${s.gaps.length} gap${s.gaps.length > 1 ? 's' : ''} in ${s.x.name} (shaded)` : `no gaps in ${s.x.name}`,
        s.columns.some((c) => c.missing) ? 'missing cells: red ticks' : 'no missing cells',
        s.stride > 1 ? `every ${s.stride}th row plotted` : '',
        s.columns.length > MAX_CHARTS ? `first ${MAX_CHARTS} of ${s.columns.length} columns` : '',
      ].filter(Boolean).join(' · ');
      out.push(card(`Columns over ${s.x.name}`, h('p', { class: 'muted' }, facts), ...boxes));
    }
    if (p.notes.length) out.push(card('Notes', h('ul', {}, ...p.notes.map((n) => h('li', {}, n)))));
    const first = p.firstRecords;
    out.push(card('First records', h('div', { class: 'scroll-x' }, h('table', { class: 'records' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'line'), ...first.columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, ...first.rows.map((row, i) => h('tr', {}, h('td', { class: 'muted' }, String(first.lines[i])), ...row.map((cell) => h('td', {}, cell)))))))));
    return out;
  }
}

const capitalize = (text: string) => text[0].toUpperCase() + text.slice(1);

function countTable(counts: CountEntry[], what: string): HTMLElement {
  const total = counts.reduce((a, b) => a + b.count, 0);
  const max = Math.max(1, ...counts.map((c) => c.count));
  return h('table', { class: 'counts', 'aria-label': `${what} counts` },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, what), h('th', { scope: 'col' }, 'count'), h('th', { scope: 'col' }, 'share'), h('th', { scope: 'col' }, ''))),
    h('tbody', {}, ...counts.map((c) => h('tr', {}, h('td', {}, h('code', {}, c.name)), h('td', { class: 'num' }, formatInt(c.count)),
      h('td', { class: 'num' }, percent(c.count, total)),
      h('td', {}, h('meter', { min: 0, max, value: c.count, 'aria-label': `${c.name}: ${percent(c.count, total)}` }))))));
}

function vocabulary(v: VocabularyPreview): HTMLElement[] {
  return [
    h('p', { class: 'muted' }, `${formatInt(v.size)} ids (${v.unit === 'char' ? 'characters' : 'words'}, special tokens included) at ${v.settings}`),
    ...v.unknown.map((u) => h('p', { class: 'unknown-share' }, `${percent(u.unknown, u.tokens)} of ${u.split} tokens are unknown (${formatInt(u.unknown)} of ${formatInt(u.tokens)})`)),
    h('h3', {}, 'Top tokens (training counts)'),
    h('ol', { class: 'top-tokens' }, ...v.top.map((t) => h('li', {}, h('code', {}, JSON.stringify(t.name)), ` ${formatInt(t.count)}`))),
  ];
}
