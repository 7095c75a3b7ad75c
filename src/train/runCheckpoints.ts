/**
 * What a training writes as its checkpoints: the metrics and gradients history it keeps in memory
 * (metrics.jsonl, gradients.jsonl) and the checkpoint set (checkpointSet.ts) of each epoch end or cancel:
 * last.safetensors, optimizer.safetensors, state.json, the history, summary.json and, when the
 * weights are a new best, best.safetensors, all of one generation.
 */
import type { RecurrentState } from '../engine/model';
import type { Optimizer } from '../engine/optimizers';
import type { Rng } from '../engine/random';
import type { NamedTensor } from '../engine/safetensors';
import { encodeOptimizerFile, encodeWeights, type TrainingState } from './checkpoint';
import type { EventSink, GradientsEvent, Metrics, SplitName } from './events';
import { RUN_FILES, encodeText, runFile, type RunStore } from './runStore';
import type { Summary } from './runTypes';

/** gradients.jsonl keeps at most this many lines, thinned to every other line when full. */
const MAX_GRADIENT_LINES = 400;

/** What one checkpoint set is made of besides the history. */
export interface CheckpointContent {
  /** Epochs completed (the epoch the weights were taken after). */
  epoch: number;
  newBest: boolean;
  state: TrainingState;
  summary: Summary;
  weights: NamedTensor[];
  optimizer: Optimizer;
  /** Stream: the state at the start of the next window. */
  carry: RecurrentState | undefined;
  rngs: { dropout: Rng; sample: Rng };
  elapsedMs: number;
}

export class RunCheckpoints {
  private metricsLines: string[] = [];
  private gradientLines: string[] = [];
  /** The latest best.safetensors written (or found on resume). */
  bestWeights: Uint8Array | undefined;

  constructor(private readonly store: RunStore, private readonly runId: string, private readonly onEvent: EventSink) {}

  /** Continues the history and best weights of the checkpoint a run resumes from. */
  restore(previous: { metricsLines: string[]; gradientLines: string[]; best: Uint8Array | undefined }): void {
    this.metricsLines = previous.metricsLines;
    this.gradientLines = previous.gradientLines;
    this.bestWeights = previous.best;
  }

  addMetrics(epoch: number, split: SplitName, metrics: Metrics): void {
    this.metricsLines.push(JSON.stringify({ epoch, split, ...metrics }));
  }

  addGradients(event: GradientsEvent): void {
    this.gradientLines.push(JSON.stringify(event));
    if (this.gradientLines.length > MAX_GRADIENT_LINES) this.gradientLines = this.gradientLines.filter((_, i) => i % 2 === 1);
  }

  /** Writes one checkpoint set of the next generation, then emits its `checkpoint` events. */
  async write(content: CheckpointContent): Promise<void> {
    const { epoch, newBest, state, summary, optimizer, carry, rngs } = content;
    const generation = (state.generation ?? 0) + 1;
    state.generation = summary.generation = generation;
    if (newBest) state.bestGeneration = generation;
    state.historyLines = { metrics: this.metricsLines.length, gradients: this.gradientLines.length };
    state.dropoutRng = rngs.dropout.getState();
    state.sampleRng = rngs.sample.getState();
    state.elapsedMs = summary.elapsedMs = content.elapsedMs;
    const weights = encodeWeights(content.weights, epoch, generation);
    const json = (value: unknown) => encodeText(JSON.stringify(value, null, 2) + '\n');
    await this.store.writeSet(this.runId, {
      ...(newBest && { [RUN_FILES.best]: weights }),
      [RUN_FILES.last]: weights,
      [RUN_FILES.optimizer]: encodeOptimizerFile(optimizer.getState(), carry, generation),
      [RUN_FILES.metrics]: jsonl(this.metricsLines),
      [RUN_FILES.gradients]: jsonl(this.gradientLines),
      [RUN_FILES.state]: json(state),
      [RUN_FILES.summary]: json(summary),
    });
    if (newBest) {
      this.bestWeights = weights;
      this.onEvent({ event: 'checkpoint', epoch, file: RUN_FILES.best });
    }
    this.onEvent({ event: 'checkpoint', epoch, file: RUN_FILES.last });
  }

  /** metrics.jsonl and gradients.jsonl, each rewritten whole (atomically). */
  async writeHistory(): Promise<void> {
    await this.store.writeFileAtomic(runFile(this.runId, RUN_FILES.metrics), jsonl(this.metricsLines));
    await this.store.writeFileAtomic(runFile(this.runId, RUN_FILES.gradients), jsonl(this.gradientLines));
  }
}

const jsonl = (lines: string[]) => encodeText(lines.map((l) => l + '\n').join(''));
