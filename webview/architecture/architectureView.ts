/**
 * The architecture panel: validation issues (if any), the folded and the unrolled diagram, and an
 * equations pane that follows hover and focus. Clicking a block asks the host to reveal its key.
 * An invalid spec keeps the last valid diagram on screen, dimmed, under the list of errors.
 */
import { formatParamCount, type DiagramBlock, type DiagramModel, type HostToWebview } from '../../src/protocol/hostWebview';
import { h, replaceChildren } from '../dom';
import { postToHost } from '../vscodeApi';
import { blockEquations } from './equations';
import { columnsFor, foldedDiagram, type BlockHandlers } from './foldedDiagram';
import { unrolledDiagram } from './unrolledDiagram';

type ArchitectureSnapshot = Extract<HostToWebview, { type: 'architecture' }>;

export class ArchitectureView {
  private lastDiagram: DiagramModel | null = null;
  private selectedId: string | null = null;
  private handlers: BlockHandlers | null = null;
  /** Blocks per row of the folded diagram as last drawn; a resize redraws it only when this changes. */
  private foldedColumns = 0;
  private readonly issues = h('section', { class: 'issues', role: 'alert', 'aria-live': 'assertive' });
  private readonly header = h('header', { class: 'arch-header' });
  private readonly folded = h('div', { class: 'scroll-x' });
  private readonly unrolled = h('div', { class: 'scroll-x' });
  private readonly equations = h('aside', { class: 'equations', 'aria-live': 'polite', 'aria-label': 'Equations of the selected block' });
  private readonly diagrams = h('div', { class: 'diagrams' },
    h('section', { 'aria-label': 'Folded view' }, h('h2', {}, 'Folded'), this.folded),
    h('section', { 'aria-label': 'Unrolled in time' }, h('h2', {}, 'Unrolled in time'), this.unrolled));

  constructor(private readonly root: HTMLElement) {
    replaceChildren(root, h('main', { class: 'architecture' }, this.header, this.issues, this.equations, this.diagrams));
    new ResizeObserver(() => {
      const model = this.lastDiagram;
      if (model && columnsFor(model.blocks.length, this.foldedWidth()) !== this.foldedColumns) this.drawFolded(model);
    }).observe(this.folded);
  }

  /** The width the folded diagram may take: its section's, or the window's before layout. */
  private foldedWidth(): number {
    return this.folded.clientWidth || Math.max(200, document.documentElement.clientWidth - 32);
  }

  private drawFolded(model: DiagramModel): void {
    if (!this.handlers) return;
    const width = this.foldedWidth();
    this.foldedColumns = columnsFor(model.blocks.length, width);
    replaceChildren(this.folded, foldedDiagram(model, this.handlers, width));
    this.markSelected();
  }

  private markSelected(): void {
    for (const g of Array.from(this.root.querySelectorAll('[data-block-id]'))) g.classList.toggle('selected', g.getAttribute('data-block-id') === this.selectedId);
  }

  show(snapshot: ArchitectureSnapshot): void {
    replaceChildren(this.issues);
    this.issues.hidden = snapshot.issues.length === 0;
    if (snapshot.issues.length > 0) {
      this.issues.append(h('h2', {}, `${snapshot.specName}: ${snapshot.issues.length} problem${snapshot.issues.length > 1 ? 's' : ''}`),
        h('ul', {}, ...snapshot.issues.map((issue) => {
          const where = issue.line !== undefined ? `${issue.line}:${issue.column ?? 1} ` : '';
          const item = h('li', {}, h('button', { class: 'link', type: 'button', 'aria-label': `Reveal ${issue.path || 'the spec root'} in the editor` },
            h('code', {}, issue.path || '/')), ` ${where}${issue.message}`);
          item.querySelector('button')!.addEventListener('click', () => postToHost({ type: 'revealKey', path: issue.path }));
          return item;
        })));
    }
    if (snapshot.diagram) this.lastDiagram = snapshot.diagram;
    this.diagrams.classList.toggle('stale', snapshot.diagram === null);
    const model = this.lastDiagram;
    if (!model) {
      replaceChildren(this.header, h('h1', {}, snapshot.specName));
      replaceChildren(this.folded, h('p', { class: 'muted' }, 'No diagram yet: fix the problems above.'));
      replaceChildren(this.unrolled);
      return;
    }
    const handlers: BlockHandlers = this.handlers = {
      inspect: (block) => this.inspect(model, block),
      activate: (block) => { this.inspect(model, block); postToHost({ type: 'revealKey', path: block.specPath }); },
    };
    const symbols = Object.entries(model.symbols);
    replaceChildren(this.header,
      h('h1', {}, model.name),
      h('p', { class: 'summary' }, `${model.task} · ${model.cell.toUpperCase()} · ${model.layers} layer${model.layers > 1 ? 's' : ''} × H ${model.hiddenSize}` +
        `${model.bidirectional ? ` · bidirectional (${model.merge})` : ''}${model.connections !== 'none' ? ` · ${model.connections} connections` : ''}` +
        ` · ${formatParamCount(model.totalParams)} parameters`),
      symbols.length > 0 ? h('p', { class: 'muted symbols' }, symbols.map(([sym, meaning]) => `${sym} = ${meaning}`).join('; ')) : null);
    this.drawFolded(model);
    replaceChildren(this.unrolled, withMinimumScale(unrolledDiagram(model, handlers)));
    const firstLayer = model.blocks.find((b) => b.kind === 'layer');
    if (firstLayer) this.inspect(model, firstLayer);
  }

  private inspect(model: DiagramModel, block: DiagramBlock): void {
    const eq = blockEquations(model, block);
    this.selectedId = block.id;
    this.markSelected();
    replaceChildren(this.equations, h('h2', {}, eq.title),
      h('pre', { class: 'math' }, eq.lines.join('\n')),
      eq.shapes.length > 0 ? h('pre', { class: 'shapes' }, eq.shapes.join('\n')) : null);
  }
}

/** The unrolled diagram shrinks to the panel's width, but not below 60 % (then the section scrolls sideways). */
function withMinimumScale(svg: SVGSVGElement): SVGSVGElement {
  svg.style.minWidth = `${Math.round(0.6 * Number(svg.getAttribute('width')))}px`;
  return svg;
}
