/**
 * The training loop: spec + dataset bytes → a run folder with checkpoints, metrics and a summary,
 * reported as training events (events.ts). Used by the CLI and, inside a worker, by the extension.
 *
 * One epoch:
 *   records  batches of `batchSize` from a fresh Rng per epoch (`data.batching`: bucket or random,
 *            batchPlan.ts), so a resumed epoch replays the same order; full BPTT over each sequence;
 *   stream   `batchSize` stripes, truncated-BPTT windows in order, state carried (streamWindows.ts).
 * Each update: zero grads → forward (dropout from a seeded Rng) → backward → NaN/Inf guard on the
 * loss and the global gradient norm → clip (norm, then value) → optimizer step at the epoch's
 * scheduled learning rate. After each epoch: validation, metrics, best/last checkpoints, early stopping
 * (on `earlyStopping.monitor`, earlyStopping.ts; spec keys that need the data are checked in specDataChecks.ts).
 * The `done` metrics come from the best-validation weights on `data.test`, else on validation.
 */
import { prepareDataset, toNetworkConfig, type PreparedDataset, type Split } from '../data';
import { RecurrentModel, type ForwardResult, type RecurrentState } from '../engine/model';
import { clipGradNorm, clipGradValue, createOptimizer, gradNorm, learningRateAt, type Optimizer } from '../engine/optimizers';
import { Rng } from '../engine/random';
import { selectBackend } from '../engine/kernels/selectBackend';
import type { Batch } from '../engine/types';
import { makeBatch } from '../data';
import { parseSpec, withLegacyDefaults, type ResolvedSpec } from '../modelSpec';
import {
  allFinite, copyState, decodeOptimizerFile, decodeWeights, encodeOptimizerFile, encodeWeights,
  type TrainingCursor, type TrainingState,
} from './checkpoint';
import { DivergenceDetector, initialDivergenceState } from './divergence';
import { CancelledError, DivergedError } from './errors';
import { evaluateSplit } from './evaluation';
import type { Metrics, SplitName } from './events';
import { batchingNote, recordEpochBatches } from './batchPlan';
import { monitoredValue, trackImprovement, type Monitor } from './earlyStopping';
import { EpochSums } from './epochSums';
import { earlyStoppingMonitor, hasData, withClassWeights } from './specDataChecks';
import { checkHashes, openResumePoint, type ResumeNote } from './resumeRun';
import { RUN_FILES, RUN_FORMAT_VERSION, encodeText, newRunId, readJson, runFile, writeJson } from './runStore';
import { epochSample } from './epochSample';
import { stripeLayout, truncatedWindows, windowBatch, type StreamWindow } from './streamWindows';
import { readRunCodec, vocabularyFile } from './vocabularyFile';
import type { RunStatus, Summary, TrainOptions } from './runTypes';
import { writeWarmupFile } from './warmup';

export type { RunStatus, Summary, TrainOptions } from './runTypes';

/** The updates of one epoch: how many, the batch of each, the state it starts from, what follows it. */
interface EpochPlan {
  batches: number;
  batch(index: number): Batch;
  initialState(index: number): RecurrentState | undefined;
  afterStep(index: number, result: ForwardResult): void;
}

const MAX_GRADIENT_LINES = 400;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Seed of epoch e's shuffle: independent of everything before it, so a resume replays it. */

export function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(epoch + 1, 0xc2b2ae35)) >>> 0;
}

/** Trains (or resumes) a run; resolves with its summary, throws InputError, DivergedError or CancelledError. */
export async function train(options: TrainOptions): Promise<Summary> {
  const session = await TrainingSession.prepare(options);
  return session.run();
}

class TrainingSession {
  private readonly rngs: { dropout: Rng; sample: Rng };
  private readonly startedMs = Date.now();
  private metricsLines: string[] = [];
  /** gradients.jsonl: at most MAX_GRADIENT_LINES, thinned to every other line when full. */
  private gradientLines: string[] = [];
  private bestWeights: Uint8Array | undefined;
  /** Stream: the state at the start of the next window (undefined: zero). */
  private carry: RecurrentState | undefined;
  private lastProgressMs = 0;
  private batchesThisSession = 0;
  private readonly run_: string;
  /** Training time of earlier sessions of this run (resume). */
  private readonly elapsedBefore: number;
  private readonly divergence: DivergenceDetector;
  /** What resume found in the run folder, told after `start`. */
  private resumeNotes: ResumeNote[] = [];
  /** What early stopping watches (undefined: off). */
  private monitor: Monitor | undefined;
  /** This epoch's train metrics (a monitor may watch them). */
  private trainMetrics: Metrics = {};
  /** The monitored value of the last epoch (lower is better), for `stopAfterEpoch`. */
  private lastMonitored: number | undefined;

  private constructor(
    private readonly options: TrainOptions,
    private readonly spec: ResolvedSpec,
    private readonly data: PreparedDataset,
    private readonly model: RecurrentModel,
    private readonly optimizer: Optimizer,
    private readonly runId: string,
    private readonly state: TrainingState,
    private readonly summary: Summary,
  ) {
    this.rngs = { dropout: new Rng(0), sample: new Rng(0) };
    this.rngs.dropout.setState(state.dropoutRng);
    this.rngs.sample.setState(state.sampleRng);
    this.run_ = options.runLocation?.(runId) ?? runId;
    this.elapsedBefore = state.elapsedMs;
    state.divergence ??= initialDivergenceState();
    this.divergence = new DivergenceDetector(spec.training.divergence, state.divergence, this.batchesPerEpoch());
  }

  /** Validates everything (spec, data, model, resume state) before any file is written. */
  static async prepare(options: TrainOptions): Promise<TrainingSession> {
    const { store, resume, overrides = {} } = options;
    let spec: ResolvedSpec;
    const resumePoint = resume ? await openResumePoint(store, resume) : undefined;
    const previous = resumePoint?.checkpoint;
    if (resume && resumePoint?.hasSpec) {
      spec = withLegacyDefaults(await readJson<unknown>(store, runFile(resume, RUN_FILES.spec)));
    } else {
      spec = parseSpec(options.specText, options.specPath);
    }
    if (overrides.epochs !== undefined) spec.training.epochs = overrides.epochs;
    if (overrides.seed !== undefined && !resume) spec.training.seed = overrides.seed;
    // A resumed run reads its data with its own vocabularies, labels and statistics, as stored.
    const data = prepareDataset(spec, options.read, previous && (await readRunCodec(store, resume!, previous.summary.network)));
    if (previous) checkHashes(previous.state.hashes, data.hashes, options.specPath);
    const seed = spec.training.seed;
    const source = { text: options.specText, path: options.specPath };
    const network = withClassWeights(toNetworkConfig(spec, data), spec, data, source);
    const monitor = earlyStoppingMonitor(spec, data, network, source, resume !== undefined);
    const { backend } = selectBackend({ preferred: options.backend ?? 'auto' });
    const model = RecurrentModel.create(network, { seed, backend });
    const optimizer = createOptimizer(spec.training.optimizer, model.params);
    const parameters = model.params.reduce((n, p) => n + p.data.length, 0);

    let runId: string;
    let state: TrainingState;
    let summary: Summary;
    if (resume && previous) {
      runId = resume;
      model.importWeights(decodeWeights(previous.last));
      const { optimizerState, carry } = decodeOptimizerFile(previous.optimizer);
      optimizer.setState(optimizerState);
      state = { ...previous.state, epochs: spec.training.epochs };
      summary = { ...previous.summary, status: 'running', epochs: spec.training.epochs, backend: model.backend.name };
      delete summary.message;
      delete summary.owner;
      if (options.owner) summary.owner = options.owner;
      const session = new TrainingSession(options, spec, data, model, optimizer, runId, state, summary);
      session.monitor = monitor;
      session.carry = carry;
      session.metricsLines = previous.metricsLines;
      session.gradientLines = previous.gradientLines;
      session.bestWeights = previous.best;
      session.resumeNotes = resumePoint?.notes ?? [];
      await writeJson(store, runFile(runId, RUN_FILES.spec), spec);
      await writeWarmupFile(store, runId, data);
      return session;
    }
    runId = resume ?? options.runId ?? (await newRunId(store, spec.name, (options.now ?? (() => new Date()))()));
    state = {
      version: RUN_FORMAT_VERSION, runId, seed, epochs: spec.training.epochs, cursor: { epoch: 0, batch: 0 },
      best: null, epochsWithoutImprovement: 0, dropoutRng: new Rng(seed + 1).getState(), sampleRng: new Rng(seed + 2).getState(),
      partialEpoch: { lossSum: 0, count: 0, correct: 0 }, hashes: data.hashes, elapsedMs: 0, optimizerSteps: 0,
      generation: 0, bestGeneration: null, divergence: initialDivergenceState(),
    };
    summary = {
      version: RUN_FORMAT_VERSION, runId, name: spec.name, task: spec.task, status: 'running', backend: model.backend.name, seed,
      epochs: spec.training.epochs, completedEpochs: 0, parameters, network, hashes: data.hashes,
      ...(options.specFileFromRun && { specFile: options.specFileFromRun(runId) }),
      startedAt: (options.now?.() ?? new Date()).toISOString(), elapsedMs: 0, best: null, metrics: null, split: null, generation: 0,
      ...(options.owner && { owner: options.owner }),
      ...(options.sweep && { sweep: options.sweep }),
      ...(options.threads !== undefined && { threads: options.threads }),
    };
    await store.mkdir(runId);
    await writeJson(store, runFile(runId, RUN_FILES.spec), spec);
    await writeJson(store, runFile(runId, RUN_FILES.vocab), vocabularyFile(data));
    await writeWarmupFile(store, runId, data);
    if (data.normalization) await writeJson(store, runFile(runId, RUN_FILES.normalization), data.normalization);
    await writeJson(store, runFile(runId, RUN_FILES.summary), summary);
    const session = new TrainingSession(options, spec, data, model, optimizer, runId, state, summary);
    session.resumeNotes = resumePoint?.notes ?? [];
    session.monitor = monitor;
    return session;
  }

  private get training() {
    return this.spec.training;
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

  private batchesPerEpoch(): number {
    const train = this.data.train;
    return train.kind === 'stream' ? this.streamWindows(train.tokens).windows.length : Math.ceil(train.examples.length / this.training.batchSize);
  }

  async run(): Promise<Summary> {
    const { onEvent } = this.options;
    const epochs = this.training.epochs;
    onEvent({
      event: 'start', run: this.run_, spec: this.spec, epochs, batchesPerEpoch: this.batchesPerEpoch(),
      parameters: this.summary.parameters, backend: this.summary.backend,
    });
    for (const note of this.resumeNotes) {
      onEvent(note.level === 'info' ? { event: 'info', message: note.message } : { event: 'warning', file: this.run_, line: 0, column: 0, message: note.message });
    }
    for (const message of [...(this.data.notes ?? []), ...this.batchingNotes()]) onEvent({ event: 'info', message });
    for (const warning of this.data.warnings ?? []) onEvent({ event: 'warning', ...warning });
    let stoppedEarly = false;
    let stopped = false;
    try {
      while (this.state.cursor.epoch < epochs && !stoppedEarly && !stopped) {
        await this.trainEpoch(this.state.cursor);
        stoppedEarly = await this.endEpoch(this.state.cursor.epoch);
        stopped = !stoppedEarly && (this.options.stopAfterEpoch?.(this.state.cursor.epoch, this.lastMonitored) ?? false);
      }
    } catch (error) {
      if (!(error instanceof CancelledError)) {
        const status: RunStatus = error instanceof DivergedError ? 'diverged' : 'failed';
        Object.assign(this.summary, { status, message: error instanceof Error ? error.message : String(error) });
        // The original error is what the caller must hear of, even when this write fails too.
        await writeJson(this.options.store, runFile(this.runId, RUN_FILES.summary), this.summary).catch(() => undefined);
      }
      throw error;
    }
    return this.finish(stoppedEarly ? 'stopped-early' : stopped ? 'stopped' : 'completed');
  }

  private async trainEpoch(cursor: TrainingCursor): Promise<void> {
    const { epoch } = cursor;
    const learningRate = learningRateAt(this.training.schedule, this.training.optimizer.learningRate, epoch, this.training.epochs);
    const train = this.data.train;
    const sums = new EpochSums(this.data, this.model.config, this.state.partialEpoch);
    const epochStartMs = Date.now();
    let epochTokens = 0;
    const plan = train.kind === 'stream' ? this.streamPlan(train.tokens) : this.recordPlan(train, epoch);
    if (cursor.batch === 0 && train.kind === 'stream') this.carry = undefined;
    const gradientEvery = Math.max(1, Math.floor(plan.batches / (this.options.gradientEventsPerEpoch ?? 4)));
    for (let index = cursor.batch; index < plan.batches; index++) {
      await this.options.pause?.wait(this.options.signal);
      if (this.options.signal?.aborted) await this.cancel(cursor, index, sums);
      const batch = plan.batch(index);
      const result = this.step(batch, plan.initialState(index), learningRate, epoch, index, index % gradientEvery === 0);
      plan.afterStep(index, result);
      sums.add(batch, result);
      epochTokens += result.count;
      this.batchesThisSession++;
      this.progress(epoch, index, plan.batches, sums.losses.loss, learningRate, epochTokens, Date.now() - epochStartMs);
      await yieldToEventLoop();
    }
    this.state.partialEpoch = { lossSum: 0, count: 0, correct: 0 };
    this.trainMetrics = sums.metrics();
    this.emitMetrics(epoch, 'train', this.trainMetrics);
  }

  /** Record indices of each batch of `epoch` (`data.batching`, seeded by the epoch alone). */
  private epochOrder(train: Extract<Split, { kind: 'examples' }>, epoch: number): Int32Array[] {
    return recordEpochBatches(train.examples, this.training.batchSize, this.spec.data.batching, epochSeed(this.state.seed, epoch));
  }

  private batchingNotes(): string[] {
    const train = this.data.train;
    return train.kind === 'examples' ? batchingNote(train.examples, this.epochOrder(train, this.state.cursor.epoch), this.spec.data.batching) : [];
  }

  /** Batches of one epoch over records, in this epoch's seeded order. */
  private recordPlan(train: Extract<Split, { kind: 'examples' }>, epoch: number): EpochPlan {
    const order = this.epochOrder(train, epoch);
    return {
      batches: order.length,
      batch: (i: number) => makeBatch(Array.from(order[i], (k) => train.examples[k]), this.data),
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
          this.carry = copyState(this.model.forward(advance, { training: false, initialState: this.carry }).finalState);
        }
      },
    };
  }

  /** One update; throws DivergedError (before touching the weights) when the loss or gradient is not finite. */
  private step(batch: Batch, initialState: RecurrentState | undefined, learningRate: number, epoch: number, index: number, collect: boolean): ForwardResult {
    const { model } = this;
    model.zeroGrad();
    const result = model.forward(batch, { training: true, initialState, rng: this.rngs.dropout });
    if (!Number.isFinite(result.loss)) this.diverge(epoch, index, `the loss is ${result.loss}`);
    const exploded = this.divergence.observe(result.loss);
    if (exploded) this.diverge(epoch, index, exploded);
    const backward = model.backward({ collectGradNorms: collect });
    const clipNorm = this.training.clipNorm;
    const norm = clipNorm !== null ? clipGradNorm(model.params, clipNorm) : gradNorm(model.params);
    if (!Number.isFinite(norm)) this.diverge(epoch, index, `the gradient norm is ${norm} (loss ${result.loss.toFixed(4)})`);
    if (this.training.clipValue !== null) clipGradValue(model.params, this.training.clipValue);
    this.optimizer.step(learningRate);
    this.state.optimizerSteps = this.optimizer.stepCount;
    if (collect) {
      const event = {
        event: 'gradients' as const, epoch: epoch + 1, batch: index + 1, hiddenGradNorms: backward.hiddenGradNorms ?? [],
        paramGradNorms: backward.paramGradNorms ?? {}, gradNorm: norm, clipNorm,
      };
      this.options.onEvent(event);
      this.gradientLines.push(JSON.stringify(event));
      if (this.gradientLines.length > MAX_GRADIENT_LINES) this.gradientLines = this.gradientLines.filter((_, i) => i % 2 === 1);
    }
    return result;
  }

  private diverge(epoch: number, index: number, what: string): never {
    const clip = this.training.clipNorm === null ? 'set clipNorm (e.g. 1)' : `a smaller clipNorm (now ${this.training.clipNorm})`;
    const message = `training diverged at epoch ${epoch + 1}, batch ${index + 1} (update ${this.optimizer.stepCount + 1}): ${what}; ` +
      `no exploded or NaN weights were saved; try a lower learningRate (now ${this.training.optimizer.learningRate}) or ${clip}`;
    throw new DivergedError(message, this.options.specPath);
  }

  private progress(epoch: number, index: number, batches: number, loss: number, learningRate: number, tokens: number, epochMs: number): void {
    const now = Date.now();
    const last = index === batches - 1;
    if (!last && now - this.lastProgressMs < (this.options.progressIntervalMs ?? 100)) return;
    this.lastProgressMs = now;
    const remaining = (this.training.epochs - epoch - 1) * batches + (batches - index - 1);
    const msPerBatch = (now - this.startedMs) / Math.max(1, this.batchesThisSession);
    this.options.onEvent({
      event: 'progress', epoch: epoch + 1, epochs: this.training.epochs, batch: index + 1, batches, loss,
      tokensPerSecond: epochMs > 0 ? (tokens * 1000) / epochMs : 0, etaMs: Math.round(remaining * msPerBatch), learningRate,
    });
  }

  private emitMetrics(epoch: number, split: SplitName, metrics: Metrics): void {
    this.options.onEvent({ event: 'metrics', epoch: epoch + 1, split, metrics });
    this.metricsLines.push(JSON.stringify({ epoch: epoch + 1, split, ...metrics }));
  }

  private evaluate(split: Split, continuous: boolean): Metrics {
    const bptt = this.training.bptt;
    return evaluateSplit(this.model, this.data, split, {
      batchSize: this.training.batchSize,
      windowSteps: bptt.mode === 'truncated' ? bptt.forwardSteps : this.spec.data.sequenceLength,
      continuous,
      unit: this.spec.data.unit,
    });
  }

  /** Validation, best/last checkpoints, early stopping; returns true to stop. */
  private async endEpoch(epoch: number): Promise<boolean> {
    if (!allFinite(this.model.params.map((p) => p.data))) this.diverge(epoch, this.batchesPerEpoch() - 1, 'a weight became non-finite');
    let improved = false;
    const validation = hasData(this.data.validation) ? this.evaluate(this.data.validation, false) : undefined;
    if (validation) this.emitMetrics(epoch, 'validation', validation);
    // What decides the best checkpoint and early stopping: the monitored split's metrics (validation by default).
    const watched = this.monitor?.split === 'train' ? this.trainMetrics : validation;
    if (watched) {
      const monitored = (this.monitor && monitoredValue(this.monitor, watched)) ?? watched.loss;
      this.lastMonitored = monitored;
      // Weights taken inside a loss explosion are never the best, whatever their validation says.
      if (this.divergence.exploding || !Number.isFinite(monitored)) this.state.epochsWithoutImprovement++;
      else improved = trackImprovement(this.state, epoch + 1, monitored, watched.loss, this.training.earlyStopping?.minDelta ?? 0);
      if (improved) this.summary.best = { epoch: epoch + 1, metrics: validation ?? watched };
    }
    const sample = epochSample(this.model, this.data, this.rngs.sample);
    if (sample) this.options.onEvent({ event: 'sample', epoch: epoch + 1, ...sample });
    this.state.cursor = { epoch: epoch + 1, batch: 0 };
    this.carry = undefined;
    this.summary.completedEpochs = epoch + 1;
    await this.writeCheckpoint(epoch + 1, improved || (!watched && !this.divergence.exploding));
    const patience = this.training.earlyStopping?.patience;
    return patience !== undefined && watched !== undefined && this.state.epochsWithoutImprovement >= patience;
  }

  /**
   * One checkpoint set (checkpointSet.ts): last.safetensors, optimizer.safetensors, state.json,
   * metrics.jsonl, gradients.jsonl, summary.json and, when `newBest`, best.safetensors, all of one generation.
   */
  private async writeCheckpoint(epoch: number, newBest: boolean): Promise<void> {
    const generation = (this.state.generation ?? 0) + 1;
    this.state.generation = this.summary.generation = generation;
    if (newBest) this.state.bestGeneration = generation;
    this.state.historyLines = { metrics: this.metricsLines.length, gradients: this.gradientLines.length };
    this.state.dropoutRng = this.rngs.dropout.getState();
    this.state.sampleRng = this.rngs.sample.getState();
    this.state.elapsedMs = this.summary.elapsedMs = this.elapsedBefore + (Date.now() - this.startedMs);
    const weights = encodeWeights(this.model.exportWeights(), epoch, generation);
    const json = (value: unknown) => encodeText(JSON.stringify(value, null, 2) + '\n');
    await this.options.store.writeSet(this.runId, {
      ...(newBest && { [RUN_FILES.best]: weights }),
      [RUN_FILES.last]: weights,
      [RUN_FILES.optimizer]: encodeOptimizerFile(this.optimizer.getState(), this.carry, generation),
      [RUN_FILES.metrics]: jsonl(this.metricsLines),
      [RUN_FILES.gradients]: jsonl(this.gradientLines),
      [RUN_FILES.state]: json(this.state),
      [RUN_FILES.summary]: json(this.summary),
    });
    if (newBest) {
      this.bestWeights = weights;
      this.options.onEvent({ event: 'checkpoint', epoch, file: RUN_FILES.best });
    }
    this.options.onEvent({ event: 'checkpoint', epoch, file: RUN_FILES.last });
  }

  /** metrics.jsonl and gradients.jsonl, each rewritten whole (atomically). */
  private async writeHistory(): Promise<void> {
    const { store } = this.options;
    await store.writeFileAtomic(runFile(this.runId, RUN_FILES.metrics), jsonl(this.metricsLines));
    await store.writeFileAtomic(runFile(this.runId, RUN_FILES.gradients), jsonl(this.gradientLines));
  }

  /** Writes a mid-epoch checkpoint at `index` (the next batch to run) and throws CancelledError. */
  private async cancel(cursor: TrainingCursor, index: number, sums: EpochSums): Promise<never> {
    this.state.cursor = { epoch: cursor.epoch, batch: index };
    this.state.partialEpoch = sums.toState();
    this.summary.status = 'cancelled';
    this.summary.message = `cancelled in epoch ${cursor.epoch + 1} before batch ${index + 1}`;
    await this.writeCheckpoint(cursor.epoch, false);
    throw new CancelledError(`training cancelled in epoch ${cursor.epoch + 1} before batch ${index + 1}; checkpoint written; continue with --resume ${this.runId}`, this.run_);
  }

  private async finish(status: RunStatus): Promise<Summary> {
    if (this.bestWeights) this.model.importWeights(decodeWeights(this.bestWeights));
    const test = this.data.test && hasData(this.data.test) ? this.data.test : undefined;
    const split = test ? 'test' : 'validation';
    const metrics = this.evaluate(test ?? this.data.validation, true);
    if (split === 'test') this.emitMetrics(this.state.cursor.epoch - 1, split, metrics);
    Object.assign(this.summary, { status, metrics, split });
    this.summary.elapsedMs = this.elapsedBefore + (Date.now() - this.startedMs);
    await this.writeHistory();
    await writeJson(this.options.store, runFile(this.runId, RUN_FILES.summary), this.summary);
    const bestEpoch = this.state.best?.epoch ?? this.state.cursor.epoch;
    this.options.onEvent({ event: 'done', run: this.run_, metrics, split, best: { epoch: bestEpoch } });
    return this.summary;
  }
}

const jsonl = (lines: string[]) => encodeText(lines.map((l) => l + '\n').join(''));
