/**
 * A line chart over uPlot. Series with different x positions (per-batch loss, per-epoch validation)
 * are merged with `uPlot.join`; a new series, a scale change or a theme change rebuilds the plot,
 * anything else is a cheap `setData`. The container's `data-series` attribute lists each series'
 * point count (`train loss:120;validation loss:3`) for tests and assistive tools.
 */
import uPlot from 'uplot';
import { chartPalette } from '../theme';

export interface CurveSeries {
  label: string;
  xs: number[];
  ys: number[];
  /** Index into the palette's series colours, or 'danger' for thresholds. */
  color: number | 'danger';
  dash?: number[];
  points?: boolean;
}

export class CurveChart {
  private plot?: uPlot;
  private signature = '';
  private logScale = false;
  private readonly resize = new ResizeObserver(() => this.plot?.setSize(this.size()));

  constructor(readonly element: HTMLElement, private readonly xLabel: string, private readonly yLabel: string) {
    this.resize.observe(element);
  }

  setLogScale(on: boolean): void {
    this.logScale = on;
    this.signature = '';
  }

  /** Forces a rebuild on the next update (after a theme change). */
  invalidate(): void {
    this.signature = '';
  }

  update(all: CurveSeries[]): void {
    const series = all.filter((s) => s.xs.length > 0);
    this.element.dataset.series = series.map((s) => `${s.label}:${s.xs.length}`).join(';');
    if (series.length === 0) {
      this.plot?.destroy();
      this.plot = undefined;
      this.signature = '';
      return;
    }
    const data = uPlot.join(series.map((s) => [Float64Array.from(s.xs), this.logScale ? s.ys.map((y) => (y > 0 ? y : null)) : s.ys] as unknown as uPlot.AlignedData));
    const signature = `${this.logScale}|${series.map((s) => s.label).join('|')}`;
    if (this.plot && signature === this.signature) {
      this.plot.setData(data);
      return;
    }
    this.signature = signature;
    this.plot?.destroy();
    const palette = chartPalette();
    const axis = (label: string): uPlot.Axis => ({
      label, stroke: palette.foreground, font: palette.font, labelFont: palette.font,
      grid: { stroke: palette.grid, width: 1 }, ticks: { stroke: palette.grid, width: 1 },
    });
    this.plot = new uPlot({
      ...this.size(),
      scales: { x: { time: false }, y: this.logScale ? { distr: 3 } : {} },
      axes: [axis(this.xLabel), axis(this.yLabel)],
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      series: [
        { label: this.xLabel },
        ...series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: s.color === 'danger' ? palette.danger : palette.series[s.color % palette.series.length],
          width: s.points ? 2 : 1.5,
          dash: s.dash,
          spanGaps: true,
          points: { show: s.points ?? false, size: 6 },
        })),
      ],
    }, data, this.element);
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(240, this.element.clientWidth), height: 200 };
  }
}
