/**
 * The runs table: one row per run, sortable by any column (click a header; again to reverse), the best
 * value of each column that has a direction marked (bold, and "best" for screen readers), and, for a
 * sweep, parallel coordinates above the table. A double-click (or Enter) on a row asks the host to open
 * that run's dashboard.
 */
import type { RunsTableMessage } from '../../src/protocol/runsTable';
import { h, replaceChildren } from '../dom';
import { postToHost } from '../vscodeApi';
import { parallelCoordinates } from './parallelCoordinates';
import { bestValue, formatCell, sortRows } from './tableValues';

export class RunsTableView {
  private message: RunsTableMessage | undefined;
  private sortKey = '';
  private descending = false;

  constructor(private readonly root: HTMLElement) {}

  show(message: RunsTableMessage): void {
    this.message = message;
    if (!message.columns.some((c) => c.key === this.sortKey)) {
      const metric = message.columns.find((c) => c.kind === 'metric');
      this.sortKey = metric?.key ?? message.columns[0]?.key ?? '';
      this.descending = metric?.better === 'up';
    }
    this.render();
  }

  private render(): void {
    const message = this.message;
    if (!message) return;
    const rows = sortRows(message.rows, this.sortKey, this.descending);
    const best = new Map(message.columns.map((c) => [c.key, bestValue(message.rows, c)]));
    const header = h('tr', {}, h('th', { scope: 'col' }, 'run'), ...message.columns.map((column) => {
      const sorted = column.key === this.sortKey;
      const button = h('button', { class: 'sort', type: 'button', 'data-key': column.key }, column.label, sorted ? (this.descending ? ' ▼' : ' ▲') : '');
      button.addEventListener('click', () => this.sortBy(column.key));
      return h('th', { scope: 'col', class: `kind-${column.kind}`, 'aria-sort': sorted ? (this.descending ? 'descending' : 'ascending') : 'none' }, button);
    }));
    const body = rows.map((row) => {
      const tr = h('tr', { tabindex: 0, 'data-run': row.runUri, title: 'Double-click to open the dashboard' },
        h('th', { scope: 'row', class: 'run-id' }, row.id),
        ...message.columns.map((column) => {
          const value = row.cells[column.key] ?? null;
          const isBest = typeof value === 'number' && value === best.get(column.key);
          return h('td', { class: `kind-${column.kind}${isBest ? ' best' : ''}${column.kind === 'status' ? ` status-${value}` : ''}` },
            formatCell(value, column), isBest ? h('span', { class: 'visually-hidden' }, ' (best)') : null);
        }));
      const open = () => postToHost({ type: 'openRun', runUri: row.runUri });
      tr.addEventListener('dblclick', open);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
      return tr;
    });
    replaceChildren(this.root, h('div', { class: 'runs-table-panel' },
      h('h1', {}, message.title),
      message.sweep ? parallelCoordinates(message) : null,
      h('div', { class: 'scroll-x' }, h('table', { class: 'runs-table' },
        h('caption', { class: 'muted' }, `${message.rows.length} runs. Click a column to sort; the best value of a metric or time is bold. Double-click a run (or press Enter) to open its dashboard.`),
        h('thead', {}, header), h('tbody', {}, ...body)))));
    document.body.dataset.runsTableRows = String(rows.length);
  }

  private sortBy(key: string): void {
    if (key === this.sortKey) this.descending = !this.descending;
    else [this.sortKey, this.descending] = [key, false];
    this.render();
  }
}
