/**
 * Folded view: input → embedding → recurrent layers → head, left to right. Each layer box shows its
 * cell, hidden size, direction lanes and a self-loop for the recurrence; edges carry tensor shapes
 * (T steps, B batch); counts sit under the boxes; skip and dense connections arc below.
 */
import { formatParamCount, type DiagramBlock, type DiagramModel, type Dim } from '../../src/protocol/hostWebview';
import { s, svgTitle } from '../dom';
import { arrow, arrowDefs, label } from './svgParts';

export interface BlockHandlers {
  /** Hover or focus: show the block's equations. */
  inspect(block: DiagramBlock): void;
  /** Click or Enter: reveal the block's key in the spec editor. */
  activate(block: DiagramBlock): void;
}

const BOX_W = 124;
const GAP = 76;
const TOP = 58;
const PAD = 16;

function boxHeight(block: DiagramBlock, model: DiagramModel): number {
  return block.kind === 'layer' ? (model.bidirectional && block.part !== 'decoder' ? 96 : 76) : 56;
}

/** The shape of the tensor leaving `block` (T steps, T₂ decoder steps, B batch). */
function edgeShape(model: DiagramModel, block: DiagramBlock, next: DiagramBlock | undefined): string {
  const steps = block.part === 'decoder' || model.task === 'one-to-many' ? 'T₂' : 'T';
  if (block.kind === 'input') return model.task === 'one-to-many' ? `B×${block.outputWidth}` : model.input.kind === 'tokens' ? `${steps}×B ids` : `${steps}×B×${block.outputWidth}`;
  if (block.kind === 'init') return `h₀: B×${block.outputWidth}`;
  if (block.kind === 'layer' && next?.part === 'decoder' && block.part === 'encoder') return `state h_T`;
  if (block.kind === 'layer' && next?.kind === 'head' && model.task === 'many-to-one') return `B×${block.outputWidth} (t = T)`;
  return `${steps}×B×${block.outputWidth}`;
}

function outputShape(model: DiagramModel, head: DiagramBlock): string {
  const size: Dim = head.outputWidth;
  if (model.task === 'many-to-one') return `B×${size}`;
  return `${model.task === 'many-to-many' ? 'T' : 'T₂'}×B×${size}`;
}

export function foldedDiagram(model: DiagramModel, handlers: BlockHandlers): SVGSVGElement {
  const P = 'fold';
  const blocks = model.blocks;
  const maxH = Math.max(...blocks.map((b) => boxHeight(b, model)));
  const midY = TOP + maxH / 2;
  const hasArcs = model.connections === 'skip' || (model.connections === 'dense' && model.layers > 1);
  const width = PAD * 2 + blocks.length * BOX_W + (blocks.length - 1) * GAP + GAP;
  const height = TOP + maxH + 40 + (hasArcs ? 22 + 10 * model.layers : 0) + 24;
  const svg = s('svg', { class: 'diagram folded', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-label': `Folded architecture: ${blocks.length} blocks, ${formatParamCount(model.totalParams)} parameters` }, arrowDefs(P));

  const xOf = (i: number) => PAD + i * (BOX_W + GAP);
  blocks.forEach((block, i) => {
    const x = xOf(i);
    const bh = boxHeight(block, model);
    const y = midY - bh / 2;
    const g = s('g', { class: `block ${block.kind}`, 'data-block-id': block.id, tabindex: 0, role: 'button',
      'aria-label': `${block.label}: ${formatParamCount(block.paramCount)} parameters. Enter reveals it in the spec.` },
      svgTitle(`${block.label} — click to reveal in the spec`),
      s('rect', { x, y, width: BOX_W, height: bh, rx: 6, class: 'box' }));
    if (block.kind === 'layer') drawLayerInside(g, model, block, x, y, bh, P);
    else {
      g.append(label(x + BOX_W / 2, y + 20, block.label, 'label title'));
      const detail = block.kind === 'embedding' ? `${block.inputWidth} → ${block.outputWidth}`
        : block.kind === 'head' ? `${block.inputWidth} → ${block.outputWidth}`
        : block.kind === 'init' ? `${block.inputWidth} → ${block.outputWidth}`
        : model.input.kind === 'tokens' && model.task !== 'one-to-many' ? `ids < ${block.outputWidth}` : `${block.outputWidth} per step`;
      g.append(label(x + BOX_W / 2, y + 38, detail, 'label detail'));
    }
    if (block.params.length > 0) g.append(label(x + BOX_W / 2, midY + maxH / 2 + 16, `${formatParamCount(block.paramCount)} params`, 'label count'));
    g.addEventListener('mouseenter', () => handlers.inspect(block));
    g.addEventListener('focus', () => handlers.inspect(block));
    g.addEventListener('click', () => handlers.activate(block));
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); handlers.activate(block); }
    });
    svg.append(g);

    const next = blocks[i + 1];
    const x1 = x + BOX_W, x2 = next ? xOf(i + 1) : x + BOX_W + GAP - 6;
    svg.append(arrow(P, x1, midY, x2 - 2, midY, next?.part === 'decoder' && block.part === 'encoder' ? 'edge state' : 'edge'));
    svg.append(label((x1 + x2) / 2, midY - 10, next ? edgeShape(model, block, next) : outputShape(model, block), 'label shape'));
  });
  if (hasArcs) drawConnectionArcs(svg, model, xOf, midY, midY + maxH / 2 + 26, P);
  svg.append(label(width / 2, height - 12, `total: ${formatParamCount(model.totalParams)} parameters`, 'label total'));
  return svg;
}

function drawLayerInside(g: SVGGElement, model: DiagramModel, block: DiagramBlock, x: number, y: number, bh: number, P: string): void {
  const cx = x + BOX_W / 2;
  g.append(label(cx, y + 16, `${model.cell.toUpperCase()} · H ${model.hiddenSize}`, 'label title'));
  const bidirectional = model.bidirectional && block.part !== 'decoder';
  const lane = (ly: number, reverse: boolean) => {
    const lx1 = x + 22, lx2 = x + BOX_W - 22;
    g.append(reverse ? arrow(P, lx2, ly, lx1, ly, 'edge lane reverse', 'arrow-accent') : arrow(P, lx1, ly, lx2, ly, 'edge lane forward', 'arrow-accent'));
  };
  lane(y + 36, false);
  if (bidirectional) {
    lane(y + 54, true);
    g.append(label(cx, y + 76, `merge: ${model.merge} → ${block.outputWidth}`, 'label detail'));
  } else g.append(label(cx, y + 56, block.label, 'label detail'));
  // The self-loop: h_{t-1} feeds the same cell.
  g.append(s('path', { class: 'edge selfloop', d: `M ${x + BOX_W - 36} ${y} C ${x + BOX_W - 36} ${y - 34}, ${x + 36} ${y - 34}, ${x + 36} ${y}`,
    'marker-end': `url(#${P}-arrow-accent)` }));
  g.append(label(cx, y - 30, 'hₜ₋₁ · W_hh', 'label loop'));
}

/** Skip: the input of every layer is added to its output (through a projection when widths differ). Dense: layer k reads the input and every earlier layer. */
function drawConnectionArcs(svg: SVGSVGElement, model: DiagramModel, xOf: (i: number) => number, edgeY: number, belowY: number, P: string): void {
  const layerIndex = model.blocks.map((b, i) => (b.kind === 'layer' && b.part !== 'decoder' ? i : -1)).filter((i) => i >= 0);
  // Arcs leave an edge, dip below the parameter counts, and join a later edge.
  const arc = (fromX: number, toX: number, depth: number, cls: string) => {
    const bottom = belowY + depth;
    svg.append(s('path', { class: `arc ${cls}`, d: `M ${fromX} ${edgeY + 2} L ${fromX} ${bottom - 8} Q ${fromX} ${bottom}, ${fromX + 8} ${bottom} ` +
      `L ${toX - 8} ${bottom} Q ${toX} ${bottom}, ${toX} ${bottom - 8} L ${toX} ${edgeY + 6}`, 'marker-end': `url(#${P}-arrow-${cls})` }));
  };
  const entering = (i: number) => xOf(i) - GAP / 2;
  const leaving = (i: number) => xOf(i) + BOX_W + GAP / 2;
  if (model.connections === 'skip') {
    for (const i of layerIndex) arc(entering(i) - 6, leaving(i) + 6, 0, 'skip');
  } else {
    layerIndex.slice(1).forEach((i, j) => {
      for (const [n, source] of layerIndex.slice(0, j + 1).entries()) arc(entering(source) - 8 + 4 * n, entering(i) - 8 + 4 * n, 10 * (i - source - 1), 'dense');
    });
  }
}
