/**
 * The alignment of an attention decoder as a heatmap: one row per generated token, one column per
 * source token, colour ∝ a_tj (each row sums to 1 over the source). Drawn under the epoch's sample
 * (the greedy decoding of a fixed validation example), so its sharpening over epochs shows.
 */
import type { TrainingEvent } from '../../src/protocol/hostWebview';
import { h } from '../dom';
import { drawHeatmap } from './heatmap';

type Sample = Extract<TrainingEvent, { event: 'sample' }>;

/** The heatmap and its caption for a sample that carries an alignment; nothing otherwise. */
export function alignmentFigure(sample: Sample, width: number): HTMLElement[] {
  const { attention, tokens, sourceTokens } = sample;
  if (!attention || !tokens || !sourceTokens || tokens.length === 0 || sourceTokens.length === 0) return [];
  const canvas = h('canvas', {
    class: 'heatmap alignment', role: 'img',
    'aria-label': `Attention of ${tokens.length} generated tokens over ${sourceTokens.length} source tokens at epoch ${sample.epoch}`,
  });
  drawHeatmap(canvas, { rowNames: tokens, columnNames: sourceTokens, values: attention.flat(), mode: 'probability', everyName: true }, width);
  return [h('p', { class: 'muted alignment-caption' }, 'attention: generated tokens (rows) × source tokens (columns)'), h('div', { class: 'scroll-x' }, canvas)];
}
