/**
 * The epoch loop: the updates of one epoch, in order, from the cursor (a resumed epoch starts mid-way).
 *   records  batches of `batchSize` from a fresh Rng per epoch (`data.batching`: bucket or random,
 *            batchPlan.ts), so a resumed epoch replays the same order; full BPTT over each sequence;
 *   stream   `batchSize` stripes, truncated-BPTT windows in order, state carried (streamWindows.ts).
 * Each update (`step`): zero grads → forward (dropout from a seeded Rng) → backward → NaN/Inf guard on
 * the loss and the global gradient norm → clip (norm, then value) → optimizer step at the epoch's
 * scheduled learning rate. What follows an epoch (validation, checkpoints, early stopping) is trainer.ts.
 */
import type { PreparedDataset, Split } from '../data';
import { makeBatch } from '../data';
import type { ForwardResult, RecurrentModel, RecurrentState } from '../engine/model';
import { clipGradNorm, clipGradValue, gradNorm, learningRateAt, type Optimizer } from '../engine/optimizers';
import type { Rng } from '../engine/random';
import type { Batch } from '../engine/types';
import type { ResolvedSpec } from '../modelSpec';
import { batchingNote, recordEpochBatches } from './batchPlan';
import { copyState, type TrainingCursor, type TrainingState } from './checkpoint';
import { DivergenceDetector, initialDivergenceState } from './divergence';
import { DivergedError } from './errors';
import { EpochSums } from './epochSums';
import type { GradientsEvent, Metrics } from './events';
import type { TrainOptions } from './runTypes';
import { stripeLayout, truncatedWindows, windowBatch, type StreamWindow } from './streamWindows';

/** The updates of one epoch: how many, the batch of each, the state it starts from, what follows it. */
interface EpochPlan {
  batches: number;
  batch(index: number): Batch;
  initialState(index: number): RecurrentState | undefined;
  afterStep(index: number, result: ForwardResult): void;
}

/** What the loop trains and where it reports. */
export interface EpochLoopParts {
  options: TrainOptions;
  spec: ResolvedSpec;
  data: PreparedDataset;
  model: RecurrentModel;
  optimizer: Optimizer;
  state: TrainingState;
  dropoutRng: Rng;
  /** When this session started (the `etaMs` of `progress` comes from its batches per millisecond). */
  startedMs: number;
  /** Called with each `gradients` event after it is emitted (the checkpoint keeps them). */
  onGradients(event: GradientsEvent): void;
  /** Called when the signal aborts before batch `index`: writes a mid-epoch checkpoint and throws. */
  cancel(cursor: TrainingCursor, index: number, sums: EpochSums): Promise<never>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Seed of epoch e's shuffle: independent of everything before it, so a resume replays it. */
export function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(epoch + 1, 0xc2b2ae35)) >>> 0;
}

/** Throws the DivergedError of an update, with what to change in the spec. */
export function diverged(spec: ResolvedSpec, specPath: string, optimizer: Optimizer, epoch: number, index: number, what: string): never {
  const training = spec.training;
  const clip = training.clipNorm === null ? 'set clipNorm (e.g. 1)' : `a smaller clipNorm (now ${training.clipNorm})`;
  const message = `training diverged at epoch ${epoch + 1}, batch ${index + 1} (update ${optimizer.stepCount + 1}): ${what}; ` +
    `no exploded or NaN weights were saved; try a lower learningRate (now ${training.optimizer.learningRate}) or ${clip}`;
  throw new DivergedError(message, specPath);
}

export class EpochLoop {
  /** Stream: the state at the start of the next window (undefined: zero). */
  carry: RecurrentState | undefined;
  /** Watches the losses of the updates for an explosion (divergence.ts). */
  readonly divergence: DivergenceDetector;
  private lastProgressMs = 0;
  private batchesThisSession = 0;

  constructor(private readonly parts: EpochLoopParts) {
    const { spec, state } = parts;
    state.divergence ??= initialDivergenceState();
    this.divergence = new DivergenceDetector(spec.training.divergence, state.divergence, this.batchesPerEpoch());
  }

  private get training() {
    return this.parts.spec.training;
  }

  batchesPerEpoch(): number {
    const train = this.parts.data.train;
    return train.kind === 'stream' ? this.streamWindows(train.tokens).windows.length : Math.ceil(train.examples.length / this.training.batchSize);
  }

  /** What the record batching of the current epoch looks like (batchPlan.ts), told after `start`. */
  batchingNotes(): string[] {
    const train = this.parts.data.train;
    return train.kind === 'examples' ? batchingNote(train.examples, this.epochOrder(train, this.parts.state.cursor.epoch), this.parts.spec.data.batching) : [];
  }

  /** Runs the updates of `cursor.epoch` from `cursor.batch` on; returns the epoch's train metrics. */
  async run(cursor: TrainingCursor): Promise<Metrics> {
    const { data, state, options } = this.parts;
    const { epoch } = cursor;
    const learningRate = learningRateAt(this.training.schedule, this.training.optimizer.learningRate, epoch, this.training.epochs);
    const train = data.train;
    const sums = new EpochSums(data, this.parts.model.config, state.partialEpoch);
    const epochStartMs = Date.now();
    let epochTokens = 0;
    const plan = train.kind === 'stream' ? this.streamPlan(train.tokens) : this.recordPlan(train, epoch);
    if (cursor.batch === 0 && train.kind === 'stream') this.carry = undefined;
    const gradientEvery = Math.max(1, Math.floor(plan.batches / (options.gradientEventsPerEpoch ?? 4)));
    for (let index = cursor.batch; index < plan.batches; index++) {
      await options.pause?.wait(options.signal);
      if (options.signal?.aborted) await this.parts.cancel(cursor, index, sums);
      const batch = plan.batch(index);
      const result = this.step(batch, plan.initialState(index), learningRate, epoch, index, index % gradientEvery === 0);
      plan.afterStep(index, result);
      sums.add(batch, result);
      epochTokens += result.count;
      this.batchesThisSession++;
      this.progress(epoch, index, plan.batches, sums.losses.loss, learningRate, epochTokens, Date.now() - epochStartMs);
      await yieldToEventLoop();
    }
    state.partialEpoch = { lossSum: 0, count: 0, correct: 0 };
    return sums.metrics();
  }

  /** One update; throws DivergedError (before touching the weights) when the loss or gradient is not finite. */
  step(batch: Batch, initialState: RecurrentState | undefined, learningRate: number, epoch: number, index: number, collect: boolean): ForwardResult {
    const { model, optimizer } = this.parts;
    model.zeroGrad();
    const result = model.forward(batch, { training: true, initialState, rng: this.parts.dropoutRng });
    if (!Number.isFinite(result.loss)) this.diverge(epoch, index, `the loss is ${result.loss}`);
    const exploded = this.divergence.observe(result.loss);
    if (exploded) this.diverge(epoch, index, exploded);
    const backward = model.backward({ collectGradNorms: collect });
    const clipNorm = this.training.clipNorm;
    const norm = clipNorm !== null ? clipGradNorm(model.params, clipNorm) : gradNorm(model.params);
    if (!Number.isFinite(norm)) this.diverge(epoch, index, `the gradient norm is ${norm} (loss ${result.loss.toFixed(4)})`);
    if (this.training.clipValue !== null) clipGradValue(model.params, this.training.clipValue);
    optimizer.step(learningRate);
    this.parts.state.optimizerSteps = optimizer.stepCount;
    if (collect) {
      const event: GradientsEvent = {
        event: 'gradients', epoch: epoch + 1, batch: index + 1, hiddenGradNorms: backward.hiddenGradNorms ?? [],
        paramGradNorms: backward.paramGradNorms ?? {}, gradNorm: norm, clipNorm,
      };
      this.parts.options.onEvent(event);
      this.parts.onGradients(event);
    }
    return result;
  }

  private diverge(epoch: number, index: number, what: string): never {
    return diverged(this.parts.spec, this.parts.options.specPath, this.parts.optimizer, epoch, index, what);
  }

  /** Truncated-BPTT window sizes of a stream (full BPTT: one window over the whole stripe). */
  private streamWindows(tokens: Int32Array): { layout: ReturnType<typeof stripeLayout>; windows: StreamWindow[] } {
    const layout = stripeLayout(tokens.length, this.training.batchSize);
    const bptt = this.training.bptt;
    const windows = bptt.mode === 'truncated'
      ? truncatedWindows(layout.stripeLength, bptt.forwardSteps, bptt.backpropSteps)
      : truncatedWindows(layout.stripeLength, layout.stripeLength, layout.stripeLength);
    return { layout, windows };
  }

  /** Record indices of each batch of `epoch` (`data.batching`, seeded by the epoch alone). */
  private epochOrder(train: Extract<Split, { kind: 'examples' }>, epoch: number): Int32Array[] {
    return recordEpochBatches(train.examples, this.training.batchSize, this.parts.spec.data.batching, epochSeed(this.parts.state.seed, epoch));
  }

  /** Batches of one epoch over records, in this epoch's seeded order. */
  private recordPlan(train: Extract<Split, { kind: 'examples' }>, epoch: number): EpochPlan {
    const order = this.epochOrder(train, epoch);
    return {
      batches: order.length,
      batch: (i: number) => makeBatch(Array.from(order[i], (k) => train.examples[k]), this.parts.data),
      initialState: () => undefined,
      afterStep: () => undefined,
    };
  }

  /** Windows of one epoch over the stream; `carry` is the state at the next window's start. */
  private streamPlan(tokens: Int32Array): EpochPlan {
    const { layout, windows } = this.streamWindows(tokens);
    return {
      batches: windows.length,
      batch: (i: number) => windowBatch(tokens, layout, windows[i]),
      initialState: () => this.carry,
      afterStep: (i: number, result: ForwardResult) => {
        const next = windows[i + 1];
        if (!next) return;
        const current = windows[i];
        if (next.start === current.end) this.carry = copyState(result.finalState);
        else if (next.start > current.start) {
          const advance = windowBatch(tokens, layout, { start: current.start, end: next.start, lossFrom: 0 });
          this.carry = copyState(this.parts.model.forward(advance, { training: false, initialState: this.carry }).finalState);
        }
      },
    };
  }

  private progress(epoch: number, index: number, batches: number, loss: number, learningRate: number, tokens: number, epochMs: number): void {
    const now = Date.now();
    const last = index === batches - 1;
    if (!last && now - this.lastProgressMs < (this.parts.options.progressIntervalMs ?? 100)) return;
    this.lastProgressMs = now;
    const remaining = (this.training.epochs - epoch - 1) * batches + (batches - index - 1);
    const msPerBatch = (now - this.parts.startedMs) / Math.max(1, this.batchesThisSession);
    this.parts.options.onEvent({
      event: 'progress', epoch: epoch + 1, epochs: this.training.epochs, batch: index + 1, batches, loss,
      tokensPerSecond: epochMs > 0 ? (tokens * 1000) / epochMs : 0, etaMs: Math.round(remaining * msPerBatch), learningRate,
    });
  }
}
