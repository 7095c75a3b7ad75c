/**
 * The dashboard's model of one run, folded from training events. Every buffer is bounded: batch
 * losses and gradient norms decimate (see DecimatingSeries); per-epoch metrics grow with epochs only;
 * samples keep the latest few. x positions are in epochs: batch b of epoch e sits at e − 1 + b / batches.
 */
import type { TrainingEvent } from '../../src/protocol/hostWebview';
import { DecimatingSeries } from './decimatingSeries';

const MAX_SAMPLES = 30;
const MAX_EPOCH_POINTS = 5000;
/** Warnings and notes kept for display; the count goes on past it. */
const MAX_NOTES = 50;

type Of<K extends TrainingEvent['event']> = Extract<TrainingEvent, { event: K }>;

/** Which group a parameter belongs to, for per-layer gradient norms: `layer 1`, `embedding`, `head`… */
export function parameterGroup(name: string): string {
  const layer = /(?:^|\.)rnn\.\w+_l(\d+)(?:_reverse)?$/.exec(name);
  const prefix = name.startsWith('decoder.') ? 'decoder ' : '';
  if (layer) return `${prefix}layer ${Number(layer[1]) + 1}`;
  return name.replace(/\.(weight|bias)$/, '').replace(/^(encoder|decoder)\./, prefix);
}

export class RunHistory {
  start?: Of<'start'>;
  progress?: Of<'progress'>;
  gradients?: Of<'gradients'>;
  done?: Of<'done'>;
  error?: Of<'error'>;
  checkpoints = 0;
  readonly batchLoss = new DecimatingSeries(1000);
  readonly gradNorm = new DecimatingSeries(600);
  readonly groupGradNorms = new Map<string, DecimatingSeries>();
  clipNorm: number | null = null;
  /** metric name → split → per-epoch values */
  readonly epochMetrics = new Map<string, Map<string, { xs: number[]; ys: number[] }>>();
  readonly samples: Of<'sample'>[] = [];
  /** `warning` events (the first MAX_NOTES) and how many arrived; `info` notes likewise. */
  readonly warnings: Of<'warning'>[] = [];
  warningCount = 0;
  readonly notes: Of<'info'>[] = [];
  eventCount = 0;

  add(e: TrainingEvent): void {
    this.eventCount++;
    switch (e.event) {
      case 'start': this.start = e; break;
      case 'progress':
        this.progress = e;
        this.batchLoss.push(e.epoch - 1 + e.batch / Math.max(1, e.batches), e.loss);
        break;
      case 'metrics':
        for (const [name, value] of Object.entries(e.metrics)) {
          if (!Number.isFinite(value)) continue;
          const bySplit = this.epochMetrics.get(name) ?? new Map<string, { xs: number[]; ys: number[] }>();
          this.epochMetrics.set(name, bySplit);
          const series = bySplit.get(e.split) ?? { xs: [], ys: [] };
          bySplit.set(e.split, series);
          if (series.xs.length < MAX_EPOCH_POINTS) { series.xs.push(e.epoch); series.ys.push(value); }
        }
        break;
      case 'gradients': {
        this.gradients = e;
        const x = e.epoch - 1 + (this.progress ? e.batch / Math.max(1, this.progress.batches) : 0);
        this.gradNorm.push(x, e.gradNorm);
        this.clipNorm = e.clipNorm ?? null;
        const sumSquares = new Map<string, number>();
        for (const [name, norm] of Object.entries(e.paramGradNorms)) {
          const group = parameterGroup(name);
          sumSquares.set(group, (sumSquares.get(group) ?? 0) + norm * norm);
        }
        for (const [group, ss] of sumSquares) {
          let series = this.groupGradNorms.get(group);
          if (!series) { series = new DecimatingSeries(600); this.groupGradNorms.set(group, series); }
          series.push(x, Math.sqrt(ss));
        }
        break;
      }
      case 'sample':
        this.samples.push(e);
        if (this.samples.length > MAX_SAMPLES) this.samples.shift();
        break;
      case 'checkpoint': this.checkpoints++; break;
      case 'done': this.done = e; break;
      case 'error': this.error = e; break;
      case 'warning':
        if (this.warningCount++ < MAX_NOTES) this.warnings.push(e);
        break;
      case 'info':
        if (this.notes.length < MAX_NOTES) this.notes.push(e);
        break;
    }
  }

  /** Epoch-level series of a metric, e.g. `loss` → { train, validation }. */
  metric(name: string): Map<string, { xs: number[]; ys: number[] }> {
    return this.epochMetrics.get(name) ?? new Map();
  }

  /** Metrics other than loss that have values, e.g. accuracy, perplexity. */
  otherMetricNames(): string[] {
    return [...this.epochMetrics.keys()].filter((n) => n !== 'loss');
  }
}
