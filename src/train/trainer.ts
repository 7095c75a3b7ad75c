/**
 * The training: spec + dataset bytes → a run folder with checkpoints, metrics and a summary,
 * reported as training events (events.ts). Used by the CLI and, inside a worker, by the extension.
 *
 * A session is three parts:
 *   epochLoop.ts       the updates of one epoch (batches or stream windows, one `step` each);
 *   runCheckpoints.ts  the metrics/gradients history and the checkpoint set of each epoch end or cancel;
 *   runRecord.ts       the run's bookkeeping: its first state.json/summary.json (new or resumed, with
 *                      its owner), the files written once, the status an error leaves, its training time.
 * This file ties them together: `prepare` (validate, build, create or reopen the run folder), `run`
 * (one `EpochLoop.run` then `endEpoch` per epoch), `finish`. The seams to hook into are `EpochLoop.step`
 * (one update) and `endEpoch` (after each epoch: validation, metrics, best/last checkpoints, early
 * stopping on `earlyStopping.monitor`, earlyStopping.ts; spec keys that need the data are checked in
 * specDataChecks.ts). The `done` metrics come from the best-validation weights on `data.test`, else on validation.
 */
import { prepareDataset, toNetworkConfig, type PreparedDataset, type Split } from '../data';
import { RecurrentModel } from '../engine/model';
import { createOptimizer, type Optimizer } from '../engine/optimizers';
import { Rng } from '../engine/random';
import { selectBackend } from '../engine/kernels/selectBackend';
import { parseSpec, withLegacyDefaults, type ResolvedSpec } from '../modelSpec';
import { allFinite, decodeOptimizerFile, decodeWeights, type TrainingCursor, type TrainingState } from './checkpoint';
import { CancelledError } from './errors';
import { evaluateSplit } from './evaluation';
import type { Metrics, SplitName } from './events';
import { judgeEpoch, watchedValue, type Monitor } from './earlyStopping';
import type { EpochSums } from './epochSums';
import { EpochLoop, diverged } from './epochLoop';
import { earlyStoppingMonitor, hasData, withClassWeights } from './specDataChecks';
import { checkHashes, openResumePoint, type ResumeNote } from './resumeRun';
import { RunCheckpoints } from './runCheckpoints';
import { RunClock, createRunFolder, newRunState, newSummary, recordFailure, refreshRunFolder, resumedSummary } from './runRecord';
import { RUN_FILES, newRunId, readJson, runFile, writeJson } from './runStore';
import { epochSample } from './epochSample';
import { readRunCodec } from './vocabularyFile';
import type { RunStatus, Summary, TrainOptions } from './runTypes';
import { createGradientStep } from './parallel/threadPool';
import { resolveThreads } from './parallel/threadCount';

export type { RunStatus, Summary, TrainOptions } from './runTypes';
export { epochSeed } from './epochLoop';

/** Trains (or resumes) a run; resolves with its summary, throws InputError, DivergedError or CancelledError. */
export async function train(options: TrainOptions): Promise<Summary> {
  const session = await TrainingSession.prepare(options);
  return session.run();
}

class TrainingSession {
  private readonly rngs: { dropout: Rng; sample: Rng };
  private readonly clock: RunClock;
  private readonly run_: string;
  private readonly loop: EpochLoop;
  private readonly checkpoints: RunCheckpoints;
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
    this.clock = new RunClock(state.elapsedMs);
    this.checkpoints = new RunCheckpoints(options.store, runId, options.onEvent);
    this.loop = new EpochLoop({
      options, spec, data, model, optimizer, state, dropoutRng: this.rngs.dropout, startedMs: this.clock.startedMs,
      onGradients: (event) => this.checkpoints.addGradients(event),
      cancel: (cursor, index, sums) => this.cancel(cursor, index, sums),
    });
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
    const optimizer = createOptimizer(spec.training.optimizer, model.params, model.backend);
    const parameters = model.params.reduce((n, p) => n + p.data.length, 0);
    const threads = resolveThreads({
      flag: options.threads, spec: spec.training.threads, setting: options.defaultThreads, concurrent: options.concurrentTrainings,
      resumed: previous ? (previous.summary.threads ?? null) : undefined,
    });

    if (resume && previous) {
      model.importWeights(decodeWeights(previous.last));
      const { optimizerState, carry } = decodeOptimizerFile(previous.optimizer);
      optimizer.setState(optimizerState);
      const state = { ...previous.state, epochs: spec.training.epochs };
      const summary = { ...resumedSummary(previous.summary, spec.training.epochs, model.backend.name, options.owner), threads };
      const session = new TrainingSession(options, spec, data, model, optimizer, resume, state, summary);
      session.monitor = monitor;
      session.loop.carry = carry;
      session.checkpoints.restore(previous);
      session.resumeNotes = resumePoint?.notes ?? [];
      if (options.threads !== undefined && options.threads !== threads) {
        session.resumeNotes.push({ level: 'info', message: `resuming on ${threads} thread${threads === 1 ? '' : 's'} as the run began (--threads ${options.threads} is ignored), so that it continues exactly` });
      }
      await refreshRunFolder(store, resume, spec, data);
      return session;
    }
    const runId = resume ?? options.runId ?? (await newRunId(store, spec.name, (options.now ?? (() => new Date()))()));
    const state = newRunState(runId, seed, spec.training.epochs, data.hashes);
    const summary = newSummary({
      runId, spec, backend: model.backend.name, threads, parameters, network, hashes: data.hashes,
      specFile: options.specFileFromRun?.(runId), startedAt: options.now?.() ?? new Date(), owner: options.owner,
      sweep: options.sweep,
    });
    await createRunFolder(store, runId, spec, data, summary);
    const session = new TrainingSession(options, spec, data, model, optimizer, runId, state, summary);
    session.resumeNotes = resumePoint?.notes ?? [];
    session.monitor = monitor;
    return session;
  }

  private get training() {
    return this.spec.training;
  }

  async run(): Promise<Summary> {
    const { onEvent } = this.options;
    const epochs = this.training.epochs;
    onEvent({
      event: 'start', run: this.run_, spec: this.spec, epochs, batchesPerEpoch: this.loop.batchesPerEpoch(),
      parameters: this.summary.parameters, backend: this.summary.backend, threads: this.summary.threads,
    });
    for (const note of this.resumeNotes) {
      onEvent(note.level === 'info' ? { event: 'info', message: note.message } : { event: 'warning', file: this.run_, line: 0, column: 0, message: note.message });
    }
    for (const message of [...(this.data.notes ?? []), ...this.loop.batchingNotes()]) onEvent({ event: 'info', message });
    for (const warning of this.data.warnings ?? []) onEvent({ event: 'warning', ...warning });
    let stoppedEarly = false;
    let stopped = false;
    try {
      this.loop.gradients = createGradientStep(this.model, this.summary.threads ?? 1);
      while (this.state.cursor.epoch < epochs && !stoppedEarly && !stopped) {
        const epoch = this.state.cursor.epoch;
        this.trainMetrics = await this.loop.run(this.state.cursor);
        this.emitMetrics(epoch, 'train', this.trainMetrics);
        stoppedEarly = await this.endEpoch(epoch);
        stopped = !stoppedEarly && ((await this.options.stopAfterEpoch?.(epoch + 1, this.lastMonitored)) ?? false);
      }
    } catch (error) {
      if (!(error instanceof CancelledError)) await recordFailure(this.options.store, this.runId, this.summary, error);
      throw error;
    } finally {
      await this.loop.gradients.close();
    }
    return this.finish(stoppedEarly ? 'stopped-early' : stopped ? 'stopped' : 'completed');
  }

  private emitMetrics(epoch: number, split: SplitName, metrics: Metrics): void {
    this.options.onEvent({ event: 'metrics', epoch: epoch + 1, split, metrics });
    this.checkpoints.addMetrics(epoch + 1, split, metrics);
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

  /** After each epoch: validation, best/last checkpoints, early stopping; returns true to stop. */
  private async endEpoch(epoch: number): Promise<boolean> {
    if (!allFinite(this.model.params.map((p) => p.data))) {
      diverged(this.spec, this.options.specPath, this.optimizer, epoch, this.loop.batchesPerEpoch() - 1, 'a weight became non-finite');
    }
    const validation = hasData(this.data.validation) ? this.evaluate(this.data.validation, false) : undefined;
    if (validation) this.emitMetrics(epoch, 'validation', validation);
    // What decides the best checkpoint and early stopping: the monitored split's metrics (validation by default).
    // Weights taken inside a loss explosion are never the best, whatever their validation says.
    const watched = watchedValue(this.monitor, this.trainMetrics, validation);
    if (watched) this.lastMonitored = watched.monitored;
    const verdict = judgeEpoch(this.state, epoch + 1, watched, this.training.earlyStopping, this.loop.divergence.exploding);
    if (watched && verdict.improved) this.summary.best = { epoch: epoch + 1, metrics: validation ?? watched.metrics };
    const sample = epochSample(this.model, this.data, this.rngs.sample);
    if (sample) this.options.onEvent({ event: 'sample', epoch: epoch + 1, ...sample });
    this.state.cursor = { epoch: epoch + 1, batch: 0 };
    this.loop.carry = undefined;
    this.summary.completedEpochs = epoch + 1;
    await this.writeCheckpoint(epoch + 1, verdict.newBest);
    return verdict.stop;
  }

  /** One checkpoint set (runCheckpoints.ts) after `epoch` epochs; best.safetensors too when `newBest`. */
  private writeCheckpoint(epoch: number, newBest: boolean): Promise<void> {
    return this.checkpoints.write({
      epoch, newBest, state: this.state, summary: this.summary, weights: this.model.exportWeights(),
      optimizer: this.optimizer, carry: this.loop.carry, rngs: this.rngs, elapsedMs: this.clock.elapsedMs(),
    });
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
    const { bestWeights } = this.checkpoints;
    if (bestWeights) this.model.importWeights(decodeWeights(bestWeights));
    const test = this.data.test && hasData(this.data.test) ? this.data.test : undefined;
    const split = test ? 'test' : 'validation';
    const metrics = this.evaluate(test ?? this.data.validation, true);
    if (split === 'test') this.emitMetrics(this.state.cursor.epoch - 1, split, metrics);
    Object.assign(this.summary, { status, metrics, split });
    this.summary.elapsedMs = this.clock.elapsedMs();
    await this.checkpoints.writeHistory();
    await writeJson(this.options.store, runFile(this.runId, RUN_FILES.summary), this.summary);
    const bestEpoch = this.state.best?.epoch ?? this.state.cursor.epoch;
    this.options.onEvent({ event: 'done', run: this.run_, metrics, split, best: { epoch: bestEpoch } });
    return this.summary;
  }
}
