/** Pieces shared by the folded and the unrolled diagrams: arrow markers, arrows, labels, indices. */
import { s } from '../dom';

const SUB = '₀₁₂₃₄₅₆₇₈₉';
const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** `sub(12)` = `₁₂`, `sup(3)` = `³`. */
export const sub = (n: number | string): string => String(n).replace(/\d/g, (d) => SUB[Number(d)]).replace(/-/g, '₋').replace(/\+/g, '₊');
export const sup = (n: number | string): string => String(n).replace(/\d/g, (d) => SUP[Number(d)]);

/** Arrowhead markers; ids are prefixed so two diagrams can share a document. */
export function arrowDefs(prefix: string): SVGDefsElement {
  const marker = (id: string, cls: string) =>
    s('marker', { id: `${prefix}-${id}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
  return s('defs', {}, marker('arrow', 'arrowhead'), marker('arrow-accent', 'arrowhead accent'),
    marker('arrow-skip', 'arrowhead skip'), marker('arrow-dense', 'arrowhead dense'), marker('arrow-loss', 'arrowhead loss'));
}

/** A straight arrow from (x1,y1) to (x2,y2). */
export function arrow(prefix: string, x1: number, y1: number, x2: number, y2: number, cls = 'edge', marker = 'arrow'): SVGLineElement {
  return s('line', { x1, y1, x2, y2, class: cls, 'marker-end': `url(#${prefix}-${marker})` });
}

/** A text label centred at (x, y). */
export function label(x: number, y: number, text: string, cls = 'label'): SVGTextElement {
  return s('text', { x, y, class: cls, 'text-anchor': 'middle', 'dominant-baseline': 'central' }, text);
}
