/**
 * A canvas heatmap, rows × columns, with row names on the left and column ticks below.
 * Sequential (norms ≥ 0, optionally on a log scale: colour ∝ log10 value between the min and max)
 * or diverging (signed values: blue < 0 < red, intensity ∝ |v| / max|v|), or probability (values in [0, 1], intensity ∝ v).
 */
import { chartPalette, themeColor } from '../theme';

export interface HeatmapData {
  rowNames: string[];
  columnNames: string[];
  /** rows × columns, row-major */
  values: ArrayLike<number>;
  mode: 'sequential-log' | 'diverging' | 'probability';
  /** Name every row and column (short tokens), instead of thinning the names to fit. */
  everyName?: boolean;
}

const LEFT = 64;
const BOTTOM = 18;
const MAX_CELL = 24;

export function drawHeatmap(canvas: HTMLCanvasElement, data: HeatmapData, width: number): void {
  const rows = data.rowNames.length, cols = data.columnNames.length;
  canvas.dataset.rows = String(rows);
  canvas.dataset.cols = String(cols);
  const cellW = Math.max(1, Math.min(MAX_CELL, (width - LEFT) / Math.max(1, cols)));
  const cellH = Math.max(3, Math.min(MAX_CELL, 240 / Math.max(1, rows)));
  const cssW = Math.ceil(LEFT + cellW * cols), cssH = Math.ceil(cellH * rows + BOTTOM);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = cssW * ratio;
  canvas.height = cssH * ratio;
  canvas.style.width = `${cssW}px`;
  canvas.style.height = `${cssH}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.scale(ratio, ratio);
  const palette = chartPalette();
  const positive = data.mode === 'diverging' ? palette.danger : palette.series[0];
  const negative = palette.series[0];

  let lo = Infinity, hi = -Infinity, absMax = 0;
  for (let i = 0; i < data.values.length; i++) {
    const v = data.values[i];
    if (!Number.isFinite(v)) continue;
    absMax = Math.max(absMax, Math.abs(v));
    if (v > 0) { lo = Math.min(lo, Math.log10(v)); hi = Math.max(hi, Math.log10(v)); }
  }
  ctx.fillStyle = themeColor('editor-background', 'transparent');
  ctx.fillRect(LEFT, 0, cellW * cols, cellH * rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = data.values[r * cols + c];
      if (!Number.isFinite(v)) continue;
      let alpha: number;
      if (data.mode === 'diverging') alpha = absMax > 0 ? Math.abs(v) / absMax : 0;
      else if (data.mode === 'probability') alpha = Math.min(1, Math.max(0, v));
      else alpha = v > 0 ? (hi > lo ? 0.08 + 0.92 * (Math.log10(v) - lo) / (hi - lo) : 1) : 0;
      ctx.globalAlpha = alpha;
      ctx.fillStyle = v < 0 ? negative : positive;
      ctx.fillRect(LEFT + c * cellW, r * cellH, Math.ceil(cellW), Math.ceil(cellH));
    }
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = palette.foreground;
  ctx.font = palette.font;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  const rowEvery = data.everyName ? 1 : Math.ceil(12 / cellH);
  data.rowNames.forEach((name, r) => { if (r % rowEvery === 0) ctx.fillText(name, LEFT - 6, r * cellH + cellH / 2); });
  ctx.textAlign = 'center';
  const colEvery = data.everyName ? 1 : Math.ceil(28 / cellW);
  data.columnNames.forEach((name, c) => {
    if (c % colEvery === 0 || c === cols - 1) ctx.fillText(name, LEFT + c * cellW + cellW / 2, rows * cellH + BOTTOM / 2 + 1);
  });
}
