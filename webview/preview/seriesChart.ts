/**
 * One CSV column against the time column (uPlot): missing cells as red ticks under the line, gaps of
 * the time column shaded, and dashed lines where validation and test rows start, labelled. Axis text
 * and the split labels are drawn in the theme's foreground colour; a theme change rebuilds the plot.
 */
import uPlot from 'uplot';
import type { SeriesPreview } from '../../src/protocol/datasetPreview';
import { chartPalette } from '../theme';

/** uPlot's time scale counts seconds; the preview carries dates as ms. */
const xValues = (series: SeriesPreview) => (series.x.kind === 'date' ? series.x.values.map((v) => v / 1000) : series.x.values);
const toX = (series: SeriesPreview, v: number) => (series.x.kind === 'date' ? v / 1000 : v);

export class SeriesChart {
  private plot?: uPlot;
  private readonly resize = new ResizeObserver(() => this.plot?.setSize(this.size()));

  constructor(readonly element: HTMLElement, private readonly series: SeriesPreview, private readonly column: number) {
    this.resize.observe(element);
    const c = series.columns[column];
    element.dataset.points = String(c.values.length);
    element.dataset.missing = String(c.missing);
    element.dataset.boundaries = series.boundaries.map((b) => b.split).join(',');
    element.dataset.gaps = String(series.gaps.length);
  }

  draw(): void {
    this.plot?.destroy();
    const { series, column } = this;
    const palette = chartPalette();
    const c = series.columns[column];
    const xs = xValues(series);
    const axis = (label: string): uPlot.Axis => ({
      label, stroke: palette.foreground, font: palette.font, labelFont: palette.font,
      grid: { stroke: palette.grid, width: 1 }, ticks: { stroke: palette.grid, width: 1 },
    });
    const decorate = (u: uPlot) => {
      const ctx = u.ctx;
      const ratio = window.devicePixelRatio || 1;
      const { top, height } = u.bbox;
      const px = (x: number) => u.valToPos(toX(series, x), 'x', true);
      ctx.save();
      // Gaps: a translucent band over the missing stretch of time.
      ctx.fillStyle = palette.grid;
      ctx.globalAlpha = 0.35;
      for (const gap of series.gaps) ctx.fillRect(px(gap.from), top, Math.max(1, px(gap.to) - px(gap.from)), height);
      ctx.globalAlpha = 1;
      // Missing cells: red ticks at the bottom of the plot.
      ctx.strokeStyle = palette.danger;
      ctx.lineWidth = 2 * ratio;
      for (let i = 0; i < c.values.length; i++) {
        if (c.values[i] !== null) continue;
        const x = u.valToPos(xs[i], 'x', true);
        ctx.beginPath();
        ctx.moveTo(x, top + height);
        ctx.lineTo(x, top + height - 8 * ratio);
        ctx.stroke();
      }
      // Split boundaries: dashed lines, labelled in the foreground colour.
      ctx.strokeStyle = palette.foreground;
      ctx.fillStyle = palette.foreground;
      ctx.lineWidth = ratio;
      ctx.setLineDash([5 * ratio, 4 * ratio]);
      ctx.font = palette.font.replace(/(\d+)px/, (_, n: string) => `${Number(n) * ratio}px`);
      for (const b of series.boundaries) {
        const x = px(b.x);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        ctx.fillText(b.split, x + 4 * ratio, top + 12 * ratio);
      }
      ctx.restore();
    };
    this.plot = new uPlot({
      ...this.size(),
      scales: { x: { time: series.x.kind === 'date' } },
      axes: [axis(series.x.name), axis(c.name)],
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      hooks: { draw: [decorate] },
      series: [
        { label: series.x.name },
        { label: c.name, stroke: palette.series[column % palette.series.length], width: 1.5, spanGaps: false, points: { show: false } },
      ],
    }, [Float64Array.from(xs), c.values] as unknown as uPlot.AlignedData, this.element);
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(240, this.element.clientWidth), height: 180 };
  }
}
