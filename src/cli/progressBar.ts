/** A one-line progress bar for a TTY: `epoch 3/10 [██████····] 60%  loss 1.234  12.3k tok/s  ETA 1m20s`. */
import { formatDuration } from '../format/duration';
import type { ProgressEvent } from '../train/events';

const WIDTH = 24;

export function formatRate(perSecond: number): string {
  return perSecond >= 1000 ? `${(perSecond / 1000).toFixed(1)}k` : perSecond.toFixed(0);
}

export function progressLine(p: ProgressEvent): string {
  const filled = Math.round((p.batch / p.batches) * WIDTH);
  const bar = '█'.repeat(filled) + '·'.repeat(WIDTH - filled);
  const percent = Math.floor((100 * p.batch) / p.batches);
  return `epoch ${p.epoch}/${p.epochs} [${bar}] ${String(percent).padStart(3)}%  loss ${p.loss.toFixed(4)}  ` +
    `${formatRate(p.tokensPerSecond)} tok/s  ETA ${formatDuration(p.etaMs)}`;
}

/** Redraws one line on a TTY stream; `clear()` before printing anything else. */
export class ProgressBar {
  private shown = false;
  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(p: ProgressEvent): void {
    const line = progressLine(p).slice(0, Math.max(20, (this.stream.columns ?? 100) - 1));
    this.stream.write(`\r\x1b[2K${line}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
