/**
 * Progress for a stderr that is not a TTY (CI logs, `| tee`): a redrawn bar would be noise there, so
 * whole lines are written instead, at most one per `intervalMs` (default 10 s) plus one at every
 * epoch's last batch: `epoch 2/10 batch 40/40  loss 1.2345  12.3k tok/s  ETA 1m20s`.
 */
import type { ProgressEvent } from '../train/events';
import { formatDuration } from '../format/duration';
import { formatRate } from './progressBar';

export const PROGRESS_LOG_INTERVAL_MS = 10000;

export function progressLogLine(p: ProgressEvent): string {
  return `epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches}  loss ${p.loss.toFixed(4)}  ` +
    `${formatRate(p.tokensPerSecond)} tok/s  ETA ${formatDuration(p.etaMs)}`;
}

export interface ProgressLogOptions {
  /** Least time between two lines inside an epoch. */
  intervalMs?: number;
  now?: () => number;
}

export class ProgressLog {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private lastLineMs: number;

  constructor(private readonly write: (text: string) => void, options: ProgressLogOptions = {}) {
    this.intervalMs = options.intervalMs ?? PROGRESS_LOG_INTERVAL_MS;
    this.now = options.now ?? Date.now;
    this.lastLineMs = this.now();
  }

  update(p: ProgressEvent): void {
    const nowMs = this.now();
    const epochEnd = p.batch === p.batches;
    if (!epochEnd && nowMs - this.lastLineMs < this.intervalMs) return;
    this.lastLineMs = nowMs;
    this.write(progressLogLine(p) + '\n');
  }
}
