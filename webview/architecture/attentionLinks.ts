/**
 * The attention links of a seq2seq diagram: every decoder step reads all the encoder's outputs
 * (hⱼ, j = 1 … T) through the attention block, and with feeding h̃ₜ₋₁ goes back into the decoder's
 * input. Folded: one link from the encoder's top layer to the attention block (and the feed link
 * from the attention block to the decoder's first layer), below the boxes. Unrolled: a line from
 * every drawn encoder step's top output to every drawn decoder step's h̃ node.
 */
import type { DiagramModel } from '../../src/protocol/hostWebview';
import { s } from '../dom';
import { label } from './svgParts';

/** A block's box in the folded diagram: left x, width, bottom y, and the depth below it free for links. */
export interface BoxAt { x: number; width: number; bottom: number; below: number }

export function foldedAttentionLinks(svg: SVGSVGElement, model: DiagramModel, boxOf: (id: string) => BoxAt | undefined, P: string): void {
  if (!model.attention || model.attention === 'none') return;
  const encoderTop = boxOf(`encoder.layer${model.layers - 1}`);
  const attention = boxOf('attention');
  if (!encoderTop || !attention) return;
  const link = (from: BoxAt, fromDx: number, to: BoxAt, toDx: number, depth: number, cls: string, text: string) => {
    const x1 = from.x + from.width / 2 + fromDx, x2 = to.x + to.width / 2 + toDx;
    const y = Math.max(from.below, to.below) + depth;
    svg.append(s('path', { class: `edge ${cls}`, d: `M ${x1} ${from.bottom} V ${y} H ${x2} V ${to.bottom + 2}`, 'marker-end': `url(#${P}-arrow-accent)` }));
    svg.append(label((x1 + x2) / 2, y - 8, text, 'label shape'));
  };
  // Off-centre, clear of the parameter counts under the boxes.
  link(encoderTop, 46, attention, -46, 0, 'attention', `h₁ … h_T → attention (${model.attention})`);
  const firstDecoder = boxOf('decoder.layer0');
  if (model.attentionFeed && firstDecoder) link(attention, 46, firstDecoder, -46, 26, 'feed', 'h̃ₜ₋₁ fed to the decoder input');
}

/** Where an unrolled column's top output leaves (x, y), for an encoder or decoder step. */
export interface StepPoint { x: number; y: number; next?: StepPoint; /** the left edge of the step's input node */ inputX?: number }

/** Lines from each encoder step's top output to each decoder step's h̃ node; feed curves from h̃ₜ to step t + 1's input. */
export function unrolledAttentionLinks(svg: SVGSVGElement, model: DiagramModel, encoder: StepPoint[], decoder: StepPoint[], feedInputY: number, P: string): void {
  for (const d of decoder) {
    for (const e of encoder) {
      svg.append(s('path', { class: 'edge attention', d: `M ${e.x} ${e.y} Q ${(e.x + d.x) / 2} ${Math.min(e.y, d.y) - 24}, ${d.x - 9} ${d.y}` }));
    }
    if (model.attentionFeed && d.next) {
      const n = d.next;
      const endX = n.inputX ?? n.x - 26;
      svg.append(s('path', { class: 'edge feed', d: `M ${d.x + 10} ${d.y} C ${endX - 4} ${d.y}, ${endX - 16} ${feedInputY}, ${endX - 2} ${feedInputY}`,
        'marker-end': `url(#${P}-arrow-accent)` }));
    }
  }
}
