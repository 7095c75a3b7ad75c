/**
 * Unrolled view: the network over time, one column per step (elided with "…" past 12 steps), one
 * row per layer (two lanes with opposite arrows when bidirectional, joined at a merge node).
 * Recurrent arrows h_{t-1} → h_t carry the same label in a row: one shared weight matrix.
 * The task shape decides which steps take input and which emit an output and a loss:
 *   many-to-one: x at every step, y at the last; many-to-many: x and y at every step;
 *   one-to-many: v sets h₀, each step emits y_t and reads y_{t-1}; seq2seq: encoder steps read x,
 *   the final state starts the decoder, whose steps read y_{t-1} and emit y_t.
 */
import type { DiagramBlock, DiagramModel } from '../../src/protocol/hostWebview';
import { s, svgTitle } from '../dom';
import type { BlockHandlers } from './foldedDiagram';
import { unrolledAttentionLinks, type StepPoint } from './attentionLinks';
import { arrow, arrowDefs, label, sub, sup } from './svgParts';

/** Steps drawn: all when T ≤ 12, else 1…8, "…", T−1, T. */
export function visibleSteps(steps: number): (number | null)[] {
  if (steps <= 12) return Array.from({ length: steps }, (_, i) => i + 1);
  return [1, 2, 3, 4, 5, 6, 7, 8, null, steps - 1, steps];
}

const NODE_W = 50;
const NODE_H = 28;
const ROW_GAP = 50;
const LANE_GAP = 40;
const PAD_X = 70;

interface Column {
  x: number;
  step: number | null;
  part: 'encoder' | 'decoder' | 'single';
  input: 'x' | 'feedback' | 'none';
  output: boolean;
}

interface Rows {
  input: number;
  /** per layer: forward lane y, backward lane y (or null), output point y (merge node or the lane) */
  layers: { forward: number; backward: number | null; merge: number | null }[];
  head: number;
  /** seq2seq with attention: the row of the h̃ₜ nodes between the top layer and the head. */
  attention: number | null;
  loss: number;
  height: number;
}

const attends = (model: DiagramModel): boolean => model.task === 'seq2seq' && model.attention !== undefined && model.attention !== 'none';

function layoutRows(model: DiagramModel): Rows {
  const bidirectional = model.bidirectional;
  let y = 40;
  const loss = y;
  y += 44;
  const head = y;
  y += ROW_GAP + 10 + (attends(model) ? 34 : 0);
  const attention = attends(model) ? head + 47 : null;
  const layers: Rows['layers'] = [];
  const reversed: Rows['layers'] = [];
  for (let k = model.layers - 1; k >= 0; k--) {
    if (bidirectional) {
      const merge = y;
      const forward = y + LANE_GAP;
      const backward = forward + LANE_GAP;
      reversed.push({ forward, backward, merge });
      y = backward + ROW_GAP + 10;
    } else {
      reversed.push({ forward: y, backward: null, merge: null });
      y += ROW_GAP + 10;
    }
  }
  for (let k = reversed.length - 1; k >= 0; k--) layers.push(reversed[k]);
  return { input: y, layers, head, attention, loss, height: y + 60 };
}

function makeColumns(model: DiagramModel, COL_W: number): Column[] {
  const cols: Column[] = [];
  let x = PAD_X;
  const push = (steps: number, part: Column['part'], input: Column['input'], output: (step: number) => boolean) => {
    for (const step of visibleSteps(steps)) {
      cols.push({ x, step, part, input: step === null ? 'none' : input, output: step !== null && output(step) });
      x += step === null ? COL_W * 0.6 : COL_W;
    }
  };
  const T = model.steps, T2 = model.outputSteps ?? model.steps;
  switch (model.task) {
    case 'many-to-one': push(T, 'single', 'x', (t) => t === T); break;
    case 'many-to-many': push(T, 'single', 'x', () => true); break;
    case 'one-to-many': push(T2, 'single', 'feedback', () => true); break;
    case 'seq2seq':
      push(T, 'encoder', 'x', () => false);
      x += COL_W * 0.4;
      push(T2, 'decoder', 'feedback', () => true);
      break;
  }
  return cols;
}

/** Column pitch: wider when dense arcs need room between the columns. */
function columnWidth(model: DiagramModel): number {
  if (model.layers < 2) return 92;
  return model.connections === 'dense' ? 92 + 8 * model.layers : model.connections === 'skip' ? 100 : 92;
}

export function unrolledDiagram(model: DiagramModel, handlers: BlockHandlers): SVGSVGElement {
  const P = 'unroll';
  const rows = layoutRows(model);
  const COL_W = columnWidth(model);
  const cols = makeColumns(model, COL_W);
  const lastX = cols[cols.length - 1].x;
  const width = lastX + COL_W + 40;
  const height = rows.height + 36;
  const svg = s('svg', { class: `diagram unrolled task-${model.task}`, width, height, viewBox: `0 0 ${width} ${height}`, role: 'group',
    'aria-label': `Unrolled over time: ${model.task}, ${model.layers} layer${model.layers > 1 ? 's' : ''}${model.bidirectional ? ', bidirectional' : ''}` },
  arrowDefs(P));
  const layerBlock = (k: number, part: Column['part']): DiagramBlock | undefined =>
    model.blocks.find((b) => b.kind === 'layer' && b.layer === k && (part === 'decoder' ? b.part === 'decoder' : b.part !== 'decoder'));

  // Row labels on the left.
  svg.append(label(PAD_X - 40, rows.input, model.task === 'one-to-many' || model.task === 'seq2seq' ? 'input' : 'xₜ', 'label rowname'));
  rows.layers.forEach((r, k) => {
    svg.append(label(PAD_X - 40, r.forward, `layer ${k + 1}${model.bidirectional ? ' →' : ''}`, 'label rowname'));
    if (r.backward !== null) svg.append(label(PAD_X - 40, r.backward, `layer ${k + 1} ←`, 'label rowname'));
  });
  svg.append(label(PAD_X - 40, rows.head, 'ŷₜ', 'label rowname'));

  const topOut = (k: number, c: Column) => {
    const r = rows.layers[k];
    const bidirectional = r.backward !== null && c.part !== 'decoder';
    return bidirectional ? r.merge! - 9 : r.forward - NODE_H / 2;
  };
  const bottomIn = (k: number) => rows.layers[k].forward + NODE_H / 2;

  if (model.task === 'one-to-many') {
    const x = cols[0].x - 46;
    svg.append(s('rect', { x: x - 16, y: rows.layers[0].forward - 14, width: 32, height: 28, rx: 4, class: 'node input' }),
      label(x, rows.layers[0].forward, 'v', 'label'),
      arrow(P, x + 16, rows.layers[0].forward, cols[0].x - NODE_W / 2 - 2, rows.layers[0].forward, 'edge init'),
      label(x + 26, rows.layers[0].forward - 12, 'h₀', 'label small'));
  }

  cols.forEach((c, ci) => {
    const cx = c.x + NODE_W / 2;
    const next = cols[ci + 1];
    if (c.step === null) {
      for (const r of rows.layers) {
        svg.append(label(cx, r.forward, '…', 'label ellipsis'));
        if (r.backward !== null && c.part !== 'decoder') svg.append(label(cx, r.backward, '…', 'label ellipsis'));
      }
      svg.append(label(cx, rows.input, '…', 'label ellipsis'));
    }
    const t = c.step === null ? '' : sub(c.step);
    // Hidden nodes and the recurrent arrows to the next column.
    rows.layers.forEach((r, k) => {
      const block = layerBlock(k, c.part);
      const lanes: [number, boolean][] = [[r.forward, false]];
      if (r.backward !== null && c.part !== 'decoder') lanes.push([r.backward, true]);
      if (c.step !== null) {
        const g = s('g', { class: `cell-step layer-${k}`, 'data-layer': k, 'data-part': c.part });
        for (const [ly, reverse] of lanes) {
          g.append(s('rect', { x: c.x, y: ly - NODE_H / 2, width: NODE_W, height: NODE_H, rx: 5, class: `node hidden ${reverse ? 'backward' : 'forward'} layer-${k}` },
            svgTitle(`layer ${k + 1}${reverse ? ' backward' : ''}, step ${c.step}`)));
          g.append(label(cx, ly, `${reverse ? '←' : ''}h${t}${sup(k + 1)}`, 'label node-label'));
        }
        if (lanes.length === 2) {
          const my = r.merge!;
          g.append(s('circle', { cx, cy: my, r: 9, class: 'node merge' }), label(cx, my, model.merge === 'concat' ? '‖' : model.merge === 'mul' ? '⊙' : '+', 'label merge-label'));
          g.append(arrow(P, c.x + 8, r.forward - NODE_H / 2, cx - 6, my + 7, 'edge up'));
          g.append(s('path', { class: 'edge up', d: `M ${c.x + NODE_W - 4} ${r.backward! - NODE_H / 2} C ${c.x + NODE_W + 14} ${r.forward}, ${c.x + NODE_W + 8} ${my + 10}, ${cx + 7} ${my + 6}`, 'marker-end': `url(#${P}-arrow)` }));
        }
        if (block) {
          g.setAttribute('tabindex', '-1');
          g.addEventListener('mouseenter', () => handlers.inspect(block));
          g.addEventListener('click', () => handlers.activate(block));
        }
        svg.append(g);
        // Upward edge to the next layer.
        if (k + 1 < rows.layers.length) svg.append(arrow(P, cx, topOut(k, c), cx, bottomIn(k + 1) + 2, 'edge up'));
      }
      if (next && next.part === c.part) {
        for (const [ly, reverse] of lanes) {
          const xa = c.x + NODE_W, xb = next.x;
          const dashed = c.step === null || next.step === null;
          svg.append(reverse
            ? arrow(P, xb - 1, ly, xa + 2, ly, `edge recurrent backward layer-${k}${dashed ? ' elided' : ''}`, 'arrow-accent')
            : arrow(P, xa + 1, ly, xb - 2, ly, `edge recurrent forward layer-${k}${dashed ? ' elided' : ''}`, 'arrow-accent'));
          svg.append(label((xa + xb) / 2, ly - 10, `W${sup(k + 1)}${reverse ? '′' : ''}${c.part === 'decoder' ? 'ᵈ' : ''}`, 'label shared'));
        }
      }
    });
    if (c.step === null) return;
    // Input at the bottom.
    const inputLabel = c.input === 'x' ? `x${t}` : c.input === 'feedback' ? (c.step === 1 ? '<bos>' : `y${sub(c.step - 1)}`) : '';
    if (c.input !== 'none') {
      svg.append(s('rect', { x: c.x + 3, y: rows.input - 13, width: NODE_W - 6, height: 26, rx: 4, class: `node input ${c.input}` }),
        label(cx, rows.input, inputLabel, 'label'),
        arrow(P, cx, rows.input - 13, cx, bottomIn(0) + 2 + (model.bidirectional && c.part !== 'decoder' ? LANE_GAP : 0), 'edge up'));
    }
    // Output and loss at the top.
    const top = rows.layers.length - 1;
    if (c.output && rows.attention !== null && c.part === 'decoder') {
      // h̃ₜ = tanh(W_c [cₜ; sₜ] + b_c) sits between the top layer and the head.
      svg.append(arrow(P, cx, topOut(top, c), cx, rows.attention + 11, 'edge up'),
        s('circle', { cx, cy: rows.attention, r: 10, class: 'node attention' }, svgTitle(`attentional state, step ${c.step}`)),
        label(cx, rows.attention, `h̃${t}`, 'label node-label'));
    }
    if (c.output) {
      svg.append(arrow(P, cx, rows.attention !== null && c.part === 'decoder' ? rows.attention - 10 : topOut(top, c), cx, rows.head + 14, 'edge up'),
        s('rect', { x: c.x + 3, y: rows.head - 13, width: NODE_W - 6, height: 26, rx: 4, class: 'node output' }),
        label(cx, rows.head, `ŷ${t}`, 'label'),
        arrow(P, cx, rows.head - 13, cx, rows.loss + 12, 'edge loss', 'arrow-loss'),
        label(cx, rows.loss, `L${t}`, 'label loss'));
      if (c.input === 'feedback' && next && next.step !== null && next.part === c.part) {
        svg.append(s('path', { class: 'edge feedback', d: `M ${c.x + NODE_W - 3} ${rows.head} C ${c.x + COL_W} ${rows.head}, ${next.x - 20} ${rows.input}, ${next.x + 3} ${rows.input}`,
          'marker-end': `url(#${P}-arrow)` }));
      }
    }
    if (model.connections === 'skip' || (model.connections === 'dense' && rows.layers.length > 1)) drawArcs(svg, model, c, rows, topOut, bottomIn, P);
  });

  if (rows.attention !== null) {
    const top = rows.layers.length - 1;
    const drawn = cols.filter((c) => c.step !== null);
    const encoder: StepPoint[] = drawn.filter((c) => c.part === 'encoder').map((c) => ({ x: c.x + NODE_W / 2, y: topOut(top, c) }));
    const decoder: StepPoint[] = drawn.filter((c) => c.part === 'decoder').map((c) => ({ x: c.x + NODE_W / 2, y: rows.attention!, inputX: c.x + 3 }));
    decoder.forEach((d, i) => { d.next = decoder[i + 1]; });
    svg.append(label(PAD_X - 40, rows.attention, 'h̃ₜ', 'label rowname'));
    unrolledAttentionLinks(svg, model, encoder, decoder, rows.input, P);
  }
  // seq2seq: the encoder's final state starts the decoder.
  if (model.task === 'seq2seq') {
    const lastEnc = cols.filter((c) => c.part === 'encoder').pop()!;
    const firstDec = cols.find((c) => c.part === 'decoder')!;
    rows.layers.forEach((r, k) => {
      svg.append(arrow(P, lastEnc.x + NODE_W + 1, r.forward, firstDec.x - 2, r.forward, `edge state layer-${k}`, 'arrow-accent'));
    });
    const mid = (lastEnc.x + NODE_W + firstDec.x) / 2;
    svg.append(label(mid, rows.layers[rows.layers.length - 1].forward - 20, 'state', 'label small'),
      label((PAD_X + lastEnc.x + NODE_W) / 2, height - 18, 'encoder', 'label part'),
      label((firstDec.x + lastX + NODE_W) / 2, height - 18, 'decoder', 'label part'));
  }
  svg.append(label(width / 2, height - (model.task === 'seq2seq' ? 36 : 16),
    `arrows labelled W${sup(1)}, W${sup(2)}, … in one row are one shared matrix W_hh, reused at every step`, 'label legend'));
  return svg;
}

/**
 * Skip: layer k's input is added to its output (zᵏ = yᵏ + Pₖ·xᵏ): an arc from below row k to above it. Dense: layer k reads the input and every earlier output: arcs from each of them into
 * row k (beyond the edge from row k−1).
 */
function drawArcs(svg: SVGSVGElement, model: DiagramModel, c: Column, rows: Rows, topOut: (k: number, c: Column) => number,
  bottomIn: (k: number) => number, P: string): void {
  if (c.part === 'decoder') return;
  const right = c.x + NODE_W;
  const arc = (y1: number, y2: number, bulge: number, cls: string) =>
    svg.append(s('path', { class: `arc ${cls}`, d: `M ${right - 6} ${y1} C ${right + bulge} ${y1}, ${right + bulge} ${y2}, ${right - 4} ${y2}`,
      'marker-end': `url(#${P}-arrow-${cls})` }));
  const L = rows.layers.length;
  if (model.connections === 'skip') {
    for (let k = 0; k < L; k++) arc(k === 0 ? rows.input - 13 : topOut(k - 1, c) - 2, topOut(k, c) - 4, 26, 'skip');
  } else {
    for (let k = 1; k < L; k++) {
      const sources = [rows.input - 13, ...Array.from({ length: k - 1 }, (_, j) => topOut(j, c) - 2)];
      sources.forEach((y1, j) => arc(y1, bottomIn(k) - 3, 10 + 8 * (k - j), 'dense'));
    }
  }
}
