/** The histogram of sequence lengths as SVG bars, the spec's maximum length as a dashed line; every text in theme colours. */
import type { LengthStats } from '../../src/protocol/datasetPreview';
import { formatInt, s, svgTitle } from '../dom';

const WIDTH = 560;
const HEIGHT = 170;
const LEFT = 44;
const BOTTOM = 34;
const TOP = 22;

export function lengthHistogram(stats: LengthStats): SVGSVGElement {
  const plotW = WIDTH - LEFT - 8;
  const plotH = HEIGHT - TOP - BOTTOM;
  const maxCount = Math.max(1, ...stats.histogram.map((b) => b.count));
  const first = stats.histogram[0].from;
  const last = stats.histogram[stats.histogram.length - 1].to;
  const xOf = (v: number) => LEFT + ((v - first) / Math.max(1, last - first)) * plotW;
  const yOf = (count: number) => TOP + plotH - (count / maxCount) * plotH;
  const bars = stats.histogram.map((b) => s('rect', {
    class: 'hist-bar', x: xOf(b.from) + 0.5, y: yOf(b.count), width: Math.max(1, xOf(b.to) - xOf(b.from) - 1), height: TOP + plotH - yOf(b.count),
  }, svgTitle(`${b.from}–${b.to - 1} ${stats.unit}: ${formatInt(b.count)} ${stats.of}`)));
  const ticks = [stats.histogram[0], stats.histogram[Math.floor(stats.histogram.length / 2)], stats.histogram[stats.histogram.length - 1]];
  const limit = stats.limit && stats.limit.value >= first && stats.limit.value <= last ? stats.limit : undefined;
  return s('svg', { class: 'diagram histogram', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: 'img',
    'aria-label': `Histogram of ${stats.of} lengths in ${stats.unit}, ${stats.min} to ${stats.max}` },
  s('line', { class: 'axis-line', x1: LEFT, y1: TOP + plotH, x2: LEFT + plotW, y2: TOP + plotH }),
  ...bars,
  s('text', { class: 'label small', x: LEFT - 6, y: TOP + 10, 'text-anchor': 'end' }, formatInt(maxCount)),
  s('text', { class: 'label small', x: LEFT - 6, y: TOP + plotH, 'text-anchor': 'end' }, '0'),
  ...ticks.map((b) => s('text', { class: 'label small', x: xOf(b.from), y: TOP + plotH + 14, 'text-anchor': 'middle' }, String(b.from))),
  s('text', { class: 'label small', x: LEFT + plotW / 2, y: HEIGHT - 4, 'text-anchor': 'middle' }, `length (${stats.unit}) of ${stats.of}`),
  ...(limit ? [
    s('line', { class: 'limit-line', x1: xOf(limit.value), y1: TOP, x2: xOf(limit.value), y2: TOP + plotH }),
    s('text', { class: 'label small', x: xOf(limit.value), y: TOP - 6, 'text-anchor': 'middle' }, `${limit.key} ${limit.value}`),
  ] : []));
}
