/**
 * Folded view: input → embedding → recurrent layers → head, left to right. Each layer box shows its
 * cell, hidden size, direction lanes and a self-loop for the recurrence; edges carry tensor shapes
 * (T steps, B batch); counts sit under the boxes; skip and dense connections arc below.
 * Given the panel's width, the blocks wrap into rows (the edge leaving a row's last block turns down
 * and enters the next row from the left), so the picture never shrinks below `MIN_SCALE`.
 */
import { formatParamCount, type DiagramBlock, type DiagramModel, type Dim } from '../../src/protocol/hostWebview';
import { s, svgTitle } from '../dom';
import { foldedAttentionLinks } from './attentionLinks';
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
/** The least a diagram is scaled down to fit (11 px labels stay ≥ 9 px); narrower panels get more rows. */
export const MIN_SCALE = 0.85;

/** Natural width of a row of `columns` blocks; a wrapped layout has a gutter on the left for the incoming edge. */
function rowWidth(columns: number, wrapped: boolean): number {
  return PAD * 2 + (wrapped ? GAP : 0) + columns * BOX_W + columns * GAP;
}

/** Blocks per row so the diagram fits `availableWidth` px at a scale ≥ MIN_SCALE (at least one). */
export function columnsFor(blockCount: number, availableWidth: number): number {
  const natural = availableWidth / MIN_SCALE;
  if (rowWidth(blockCount, false) <= natural) return blockCount;
  let columns = blockCount - 1;
  while (columns > 1 && rowWidth(columns, true) > natural) columns--;
  return Math.max(1, columns);
}

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

export function foldedDiagram(model: DiagramModel, handlers: BlockHandlers, availableWidth = Infinity): SVGSVGElement {
  const P = 'fold';
  const blocks = model.blocks;
  const maxH = Math.max(...blocks.map((b) => boxHeight(b, model)));
  const hasArcs = model.connections === 'skip' || (model.connections === 'dense' && model.layers > 1);
  const columns = columnsFor(blocks.length, availableWidth);
  const rows = Math.ceil(blocks.length / columns);
  const wrapped = rows > 1;
  const arcsDepth = hasArcs ? 22 + 10 * model.layers : 0;
  const attends = model.attention !== undefined && model.attention !== 'none';
  const rowH = TOP + maxH + 40 + arcsDepth + (attends ? 34 + (model.attentionFeed ? 26 : 0) : 0);
  const width = rowWidth(columns, wrapped) + (wrapped && hasArcs ? 4 * model.layers : 0);
  const height = rows * rowH + 24;
  const svg = s('svg', { class: 'diagram folded', width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'data-rows': rows, 'aria-label': `Folded architecture: ${blocks.length} blocks, ${formatParamCount(model.totalParams)} parameters` }, arrowDefs(P));

  const left = PAD + (wrapped ? GAP : 0);
  const xOf = (i: number) => left + (i % columns) * (BOX_W + GAP);
  const midYOf = (i: number) => Math.floor(i / columns) * rowH + TOP + maxH / 2;
  blocks.forEach((block, i) => {
    const x = xOf(i);
    const midY = midYOf(i);
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
        : block.kind === 'attention' ? `${model.attention}${model.attentionFeed ? ' · fed' : ''}`
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
    const cls = next?.part === 'decoder' && block.part === 'encoder' ? 'edge state' : 'edge';
    const x1 = x + BOX_W;
    if (next && midYOf(i + 1) !== midY) {
      // Row end: out to the right, down into the next row's top margin, back left, and in from the left.
      const nextMidY = midYOf(i + 1), turnX = x1 + GAP - 16, backX = PAD + 8, bendY = nextMidY - maxH / 2 - TOP + 14;
      svg.append(s('path', { class: cls, d: `M ${x1} ${midY} H ${turnX} V ${bendY} H ${backX} V ${nextMidY} H ${xOf(i + 1) - 2}`,
        'marker-end': `url(#${P}-arrow)` }));
      svg.append(label((backX + xOf(i + 1)) / 2, nextMidY - 10, edgeShape(model, block, next), 'label shape'));
    } else {
      const x2 = next ? xOf(i + 1) : x1 + GAP - 6;
      svg.append(arrow(P, x1, midY, x2 - 2, midY, cls));
      svg.append(label((x1 + x2) / 2, midY - 10, next ? edgeShape(model, block, next) : outputShape(model, block), 'label shape'));
    }
  });
  if (hasArcs) {
    const at = (i: number, dx: number): ArcEnd => ({ x: xOf(i) + dx, edgeY: midYOf(i), belowY: midYOf(i) + maxH / 2 + 26 });
    drawConnectionArcs(svg, model, at, rowWidth(columns, wrapped) - PAD, P);
  }
  if (attends) {
    foldedAttentionLinks(svg, model, (id) => {
      const i = blocks.findIndex((b) => b.id === id);
      if (i < 0) return undefined;
      return { x: xOf(i), width: BOX_W, bottom: midYOf(i) + boxHeight(blocks[i], model) / 2, below: midYOf(i) + maxH / 2 + 34 + arcsDepth };
    }, P);
  }
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

/** Where an arc meets the main edge: at `x` on the edge at height `edgeY`, dipping below `belowY`. */
interface ArcEnd { x: number; edgeY: number; belowY: number }

/**
 * Skip: the input of every layer is added to its output (through a projection when widths differ). Dense: layer k reads the input and every earlier layer.
 * `at(i, dx)` places a point `dx` from block i's left side; an arc between rows runs down the right gutter at `gutterX`.
 */
function drawConnectionArcs(svg: SVGSVGElement, model: DiagramModel, at: (i: number, dx: number) => ArcEnd, gutterX: number, P: string): void {
  const layerIndex = model.blocks.map((b, i) => (b.kind === 'layer' && b.part !== 'decoder' ? i : -1)).filter((i) => i >= 0);
  // Arcs leave an edge, dip below the parameter counts, and join a later edge.
  const arc = (from: ArcEnd, to: ArcEnd, depth: number, cls: string) => {
    const bottom = from.belowY + depth;
    const d = from.edgeY === to.edgeY
      ? `M ${from.x} ${from.edgeY + 2} L ${from.x} ${bottom - 8} Q ${from.x} ${bottom}, ${from.x + 8} ${bottom} ` +
        `L ${to.x - 8} ${bottom} Q ${to.x} ${bottom}, ${to.x} ${bottom - 8} L ${to.x} ${to.edgeY + 6}`
      : `M ${from.x} ${from.edgeY + 2} V ${bottom} H ${gutterX + depth / 2.5} V ${to.belowY + depth} H ${to.x} V ${to.edgeY + 6}`;
    svg.append(s('path', { class: `arc ${cls}`, d, 'marker-end': `url(#${P}-arrow-${cls})` }));
  };
  const entering = (i: number, dx: number) => at(i, -GAP / 2 + dx);
  const leaving = (i: number, dx: number) => at(i, BOX_W + GAP / 2 + dx);
  if (model.connections === 'skip') {
    for (const i of layerIndex) arc(entering(i, -6), leaving(i, 6), 0, 'skip');
  } else {
    layerIndex.slice(1).forEach((i, j) => {
      for (const [n, source] of layerIndex.slice(0, j + 1).entries()) arc(entering(source, -8 + 4 * n), entering(i, -8 + 4 * n), 10 * (i - source - 1), 'dense');
    });
  }
}
