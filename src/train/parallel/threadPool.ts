/**
 * Data-parallel gradient steps on N threads: the batch is split into shards of consecutive
 * sequences (batchShards.ts), the main thread computes shard 0 on the trainer's own model while
 * worker k computes shard k on a replica, and the gradients are reduced in shard order into the
 * model's `grad` arrays, g = Σ_k (W_k / W)·g_k. Parameters, requests and results travel through
 * SharedArrayBuffers; a step is posted with `Atomics.notify` and awaited with `Atomics.wait`.
 *
 * Measured on the bench configs (bench/README.md): half a batch costs half the time down to about
 * a few thousand recurrent multiply-adds per sequence, so the batch split scales; tiny steps (C5,
 * batch 1) stay on one thread (`shardsFor`).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { BackwardResult, ForwardResult, RecurrentModel, RecurrentState } from '../../engine/model';
import { reduceGradientsInto, scatterShardRows, shardRanges } from '../../engine/parallel/batchShards';
import { stackConfigs } from '../../engine/networkShapes';
import type { Rng } from '../../engine/random';
import type { Batch, FloatArray } from '../../engine/types';
import { computeShard, shardRng, type ShardOutcome } from './shardCompute';
import {
  COMMAND_EXIT, COMMAND_STEP, commandWord, controlWords, doneWord, exitCodeWord, exitedWord, failedWord, readyWord, sequenceWord, takenWord,
  type PortMessage, type ShardWorkerData,
} from './shardControl';
import {
  decodeRequest, encodeRequest, requestWords, resultLayout, SharedWords, R_COUNT, R_CORRECT, R_ENCODER_NORM_COLUMNS,
  R_ENCODER_NORM_ROWS, R_LOSS_SUM, R_NORM_COLUMNS, R_NORM_ROWS, R_UNSEEN, R_WEIGHT, type ShardRequest,
} from './shardMailbox';

export interface GradientStepOptions {
  initialState?: RecurrentState;
  /** The run's dropout stream: used as is on one thread; with shards, one seed per step is drawn from it. */
  rng: Rng;
  collectGradNorms: boolean;
}

/** zeroGrad → forward → backward on one batch; `model.params[i].grad` holds the batch gradient afterwards. */
export interface GradientStep {
  /** The thread count this step was made for (a small batch may use fewer). */
  readonly threads: number;
  /** The result's outputs and final state are views valid until the next run. */
  run(batch: Batch, options: GradientStepOptions): ShardOutcome;
  /** Ends the worker threads (idempotent). */
  close(): Promise<void>;
}

/**
 * Multiply-adds of recurrent work per step below which a step stays on one thread: waking a worker,
 * copying the parameters and reducing the gradients cost tens of microseconds.
 */
const MIN_SHARD_WORK = 2_000_000;

/** How many shards a batch is split into on `threads` threads (1 for batch 1 and tiny steps). */
export function shardsFor(model: RecurrentModel, batch: Batch, threads: number, minShardWork = MIN_SHARD_WORK): number {
  const { main, encoder } = stackConfigs(model.config);
  const stackWork = (c: typeof main, steps: number) => steps * c.layers * (c.bidirectional ? 2 : 1) * c.hiddenSize * (c.hiddenSize + c.inputWidth);
  const perSequence = stackWork(main, encoder || model.config.task === 'one-to-many' ? (batch.decoderSteps ?? 0) : batch.steps)
    + (encoder ? stackWork(encoder, batch.steps) : 0);
  const byWork = minShardWork > 0 ? Math.floor((perSequence * batch.batchSize) / minShardWork) : Infinity;
  return Math.max(1, Math.min(threads, batch.batchSize, byWork));
}

/** One thread: the model's own forward and backward, the run's dropout stream unchanged. */
export function serialGradientStep(model: RecurrentModel): GradientStep {
  return {
    threads: 1,
    run(batch, options) {
      model.zeroGrad();
      const result = model.forward(batch, { training: true, initialState: options.initialState, rng: options.rng });
      return { result, backward: model.backward({ collectGradNorms: options.collectGradNorms }) };
    },
    close: async () => undefined,
  };
}

export interface PoolOptions {
  /** Split even the smallest steps (tests of the reduction on tiny models); default MIN_SHARD_WORK. */
  minShardWork?: number;
  /** How long a posted step may stay untaken before its worker counts as dead (default PICKUP_TIMEOUT_MS). */
  pickupTimeoutMs?: number;
}

/**
 * The gradient step for `threads` (1: serial). Worker threads start at the first step that splits
 * its batch, so a run whose batches are all too small to split never starts one.
 */
export function createGradientStep(model: RecurrentModel, threads: number, options: PoolOptions = {}): GradientStep {
  if (threads <= 1) return serialGradientStep(model);
  return new ThreadPoolStep(model, threads, options.minShardWork ?? MIN_SHARD_WORK, options.pickupTimeoutMs ?? PICKUP_TIMEOUT_MS);
}

interface ShardWorker {
  worker: Worker;
  port: MessagePort;
  request: SharedWords;
  result: SharedWords;
  sequence: number;
  /** Settles when the thread has ended (its 'exit' event). */
  ended: Promise<void>;
}

/** How long a new thread may take to build its replica before the step fails. */
const READY_TIMEOUT_MS = 60_000;
/**
 * A live worker sleeping in Atomics.wait wakes for a posted step within milliseconds. One that has
 * not taken it after this long has ended without the main thread seeing its 'exit' event yet (the
 * event needs the event loop, which a waiting step blocks): the step fails instead of waiting forever.
 */
const PICKUP_TIMEOUT_MS = 30_000;

/** The bundled worker beside this bundle (dist/shardWorker.js), or the TypeScript source under tsx (tests). */
function startWorker(workerData: ShardWorkerData, transfer: MessagePort): Worker {
  const bundled = join(__dirname, 'shardWorker.js');
  if (existsSync(bundled)) return new Worker(bundled, { workerData, transferList: [transfer] });
  const source = join(__dirname, 'shardWorker.ts');
  const tsx = createRequire(source).resolve('tsx/cjs');
  const code = `require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`;
  return new Worker(code, { eval: true, workerData, transferList: [transfer] });
}

class ThreadPoolStep implements GradientStep {
  private readonly control: Int32Array;
  private readonly parameters: Float32Array;
  private readonly local = new SharedWords(1024);
  private readonly stateWidth: number;
  private readonly dropout: boolean;
  private readonly serial: GradientStep;
  private readonly workers: ShardWorker[] = [];
  private outputs: Float32Array = new Float32Array(0);
  private finalH: Float32Array[] = [];
  private finalC: Float32Array[] = [];
  private closed = false;
  /** Why a worker is gone (its 'error'/'exit' event, or a step that found it dead): every later step fails with it. */
  private lostWorker: Error | undefined;

  constructor(
    private readonly model: RecurrentModel, readonly threads: number, private readonly minShardWork: number, private readonly pickupTimeoutMs: number,
  ) {
    this.control = new Int32Array(new SharedArrayBuffer(controlWords(threads) * 4));
    this.parameters = new Float32Array(new SharedArrayBuffer(model.parameterCount * 4));
    this.stateWidth = stackConfigs(model.config).main.hiddenSize;
    this.dropout = model.config.dropout > 0;
    this.serial = serialGradientStep(model);
  }

  /** Starts workers 1 … count−1 that are not running yet, and waits (Atomics) until each has its replica. */
  private ensureWorkers(count: number): void {
    const started = this.workers.length;
    for (let k = started + 1; k < count; k++) {
      const { port1, port2 } = new MessageChannel();
      const data: ShardWorkerData = {
        index: k, control: this.control.buffer as SharedArrayBuffer, parameters: this.parameters.buffer as SharedArrayBuffer,
        network: this.model.config, backend: this.model.backend.name, port: port2,
      };
      const worker = startWorker(data, port2);
      // A step's own errors come back through shared memory; these catch a thread that ends (e.g. out of memory).
      worker.on('error', (error) => this.lose(k, `failed: ${error.message}`));
      const ended = new Promise<void>((resolve) => worker.once('exit', (code) => {
        if (Atomics.load(this.control, exitedWord(k)) === 0) Atomics.store(this.control, exitCodeWord(k), code);
        this.lose(k, `exited with code ${code}`);
        resolve();
      }));
      worker.unref();
      const request = new SharedWords(1024);
      port1.postMessage({ request: request.buffer } satisfies PortMessage);
      this.workers.push({ worker, port: port1, request, result: new SharedWords(64), sequence: 0, ended });
    }
    for (let k = started + 1; k < count; k++) {
      const ready = readyWord(k);
      const deadline = Date.now() + READY_TIMEOUT_MS;
      while (Atomics.load(this.control, ready) === 0 && Date.now() < deadline) Atomics.wait(this.control, ready, 0, 1000);
      if (Atomics.load(this.control, ready) !== 1) {
        const message = receiveMessageOnPort(this.workers[k - 1].port)?.message as PortMessage | undefined;
        throw new Error(`training thread ${k} did not start: ${message?.error ?? `no answer within ${READY_TIMEOUT_MS / 1000} s`}`);
      }
    }
  }

  run(batch: Batch, options: GradientStepOptions): ShardOutcome {
    if (this.closed) throw new Error('the training threads were closed');
    if (this.lostWorker) throw this.lostWorker;
    const shards = shardsFor(this.model, batch, this.threads, this.minShardWork);
    if (shards === 1) return this.serial.run(batch, options);
    this.ensureWorkers(shards);
    for (let k = 1; k < shards; k++) if (Atomics.load(this.control, exitedWord(k)) === 1) throw this.lose(k, this.exitedWith(k));
    const { model } = this;
    const ranges = shardRanges(batch.batchSize, shards);
    const seed = this.dropout ? options.rng.nextUint32() : 0;
    const requestOf = (k: number): ShardRequest => ({
      batch, b0: ranges[k][0], b1: ranges[k][1], initialState: options.initialState, training: true,
      collect: options.collectGradNorms, seed, perSequenceValues: model.config.task === 'many-to-one', stateWidth: this.stateWidth,
    });
    let offset = 0;
    for (const p of model.params) {
      this.parameters.set(p.data, offset);
      offset += p.data.length;
    }
    for (let k = 1; k < shards; k++) {
      const w = this.workers[k - 1];
      const request = requestOf(k);
      if (w.request.ensureWords(requestWords(request))) w.port.postMessage({ request: w.request.buffer } satisfies PortMessage);
      encodeRequest(w.request, request);
      w.sequence++;
      Atomics.store(this.control, commandWord(k), COMMAND_STEP);
      Atomics.store(this.control, sequenceWord(k), w.sequence);
      Atomics.notify(this.control, sequenceWord(k));
    }
    const own = requestOf(0);
    this.local.ensureWords(requestWords(own));
    encodeRequest(this.local, own);
    const mine = computeShard(model, decodeRequest(this.local), 0, this.dropout);
    for (let k = 1; k < shards; k++) this.awaitWorker(k);
    return this.combine(batch, ranges, mine, options.collectGradNorms);
  }

  /** Records that worker k is gone (the first reason wins; none once closed); returns the error steps fail with. */
  private lose(k: number, why: string): Error {
    Atomics.store(this.control, exitedWord(k), 1);
    Atomics.notify(this.control, doneWord(k));
    if (!this.closed) this.lostWorker ??= new Error(`training thread ${k} ${why}; training cannot go on without it`);
    return this.lostWorker ?? new Error('the training threads were closed');
  }

  /** 'exited with code c', as the worker's exit hook recorded it. */
  private exitedWith(k: number): string {
    return `exited with code ${Atomics.load(this.control, exitCodeWord(k))}`;
  }

  /** Waits until worker k has done the step; throws when it ended (or never took the step) instead. */
  private awaitWorker(k: number): void {
    const w = this.workers[k - 1];
    const done = doneWord(k);
    const since = Date.now();
    for (let seen = Atomics.load(this.control, done); seen !== w.sequence; seen = Atomics.load(this.control, done)) {
      if (Atomics.load(this.control, exitedWord(k)) === 1) throw this.lose(k, this.exitedWith(k));
      if (Atomics.load(this.control, takenWord(k)) !== w.sequence && Date.now() - since > this.pickupTimeoutMs) {
        throw this.lose(k, `did not take the step within ${this.pickupTimeoutMs / 1000} s (it has probably ended)`);
      }
      // The worker's exit hook notifies this word too, so a thread that ends wakes the wait at once.
      Atomics.wait(this.control, done, seen, 100);
    }
    let error: string | undefined;
    for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port)) {
      const message = m.message as PortMessage;
      if (message.result) w.result = SharedWords.of(message.result);
      if (message.error) error = message.error;
    }
    if (Atomics.load(this.control, failedWord(k)) === 1) throw new Error(`training thread ${k} failed: ${error ?? 'no message'}`);
  }

  /** Totals summed, gradients reduced, outputs and final states gathered into batch layout. */
  private combine(batch: Batch, ranges: Array<[number, number]>, mine: ShardOutcome, collect: boolean): ShardOutcome {
    const { model } = this;
    const B = batch.batchSize;
    const H = this.stateWidth;
    const O = model.config.output.size;
    const own = mine.result;
    const b0 = ranges[0][1] - ranges[0][0];
    const outer = own.outputs.length / (b0 * O);
    const blocks = own.finalState.h.length;
    const lstm = own.finalState.c !== undefined;
    const totals = { sum: own.loss * own.weight, count: own.count, correct: own.correct, weight: own.weight, unseen: own.unseen };
    const layouts = this.workers.slice(0, ranges.length - 1).map((w, i) => {
      const b = ranges[i + 1][1] - ranges[i + 1][0];
      const head = w.result.f64;
      totals.sum += head[R_LOSS_SUM];
      totals.count += head[R_COUNT];
      totals.correct += head[R_CORRECT];
      totals.weight += head[R_WEIGHT];
      totals.unseen += head[R_UNSEEN];
      const norms = head[R_NORM_ROWS] * head[R_NORM_COLUMNS] + head[R_ENCODER_NORM_ROWS] * head[R_ENCODER_NORM_COLUMNS];
      return resultLayout(model.parameterCount, outer * b * O, blocks, b * H, lstm, norms);
    });
    const scales = [own.weight, ...this.workers.slice(0, layouts.length).map((w) => w.result.f64[R_WEIGHT])].map((w) => (totals.weight > 0 ? w / totals.weight : 0));
    const others = this.workers.slice(0, layouts.length).map((w) => w.result.f32);
    let offset = 0;
    for (const p of model.params) {
      // every layout puts the gradients at the same word
      reduceGradientsInto(p.grad, p.grad.length, scales, others, (layouts[0]?.gradients ?? 0) + offset);
      offset += p.grad.length;
    }
    this.reserve(outer * B * O, blocks, B * H);
    for (let j = 0; j < blocks; j++) {
      scatterShardRows(own.finalState.h[j], 0, this.finalH[j], 1, B, H, ranges[0][0], ranges[0][1]);
      if (lstm) scatterShardRows(own.finalState.c![j], 0, this.finalC[j], 1, B, H, ranges[0][0], ranges[0][1]);
    }
    layouts.forEach((layout, i) => {
      const [from, to] = ranges[i + 1];
      const f = others[i];
      const n = (to - from) * H;
      for (let j = 0; j < blocks; j++) {
        scatterShardRows(f, layout.finalH + j * n, this.finalH[j], 1, B, H, from, to);
        if (lstm) scatterShardRows(f, layout.finalC + j * n, this.finalC[j], 1, B, H, from, to);
      }
    });
    // The outputs are gathered when read (a classifier's confusion matrix): most steps never read them.
    let gathered = false;
    const gatherOutputs = (): Float32Array => {
      const outputs = this.outputs.subarray(0, outer * B * O);
      if (gathered) return outputs;
      gathered = true;
      scatterShardRows(own.outputs, 0, outputs, outer, B, O, ranges[0][0], ranges[0][1]);
      layouts.forEach((layout, i) => scatterShardRows(others[i], layout.outputs, outputs, outer, B, O, ranges[i + 1][0], ranges[i + 1][1]));
      return outputs;
    };
    const result: ForwardResult = {
      loss: totals.weight > 0 ? totals.sum / totals.weight : 0,
      count: totals.count, correct: totals.correct, weight: totals.weight, unseen: totals.unseen,
      get outputs() {
        return gatherOutputs();
      },
      finalState: { h: this.finalH, ...(lstm && { c: this.finalC }) },
    };
    const backward: BackwardResult = {};
    if (collect) {
      backward.hiddenGradNorms = combineNorms(mine.backward.hiddenGradNorms, scales, layouts.map((l, i) => ({ f: others[i], at: l.norms })));
      const encoderAt = (mine.backward.hiddenGradNorms?.length ?? 0) * (mine.backward.hiddenGradNorms?.[0]?.length ?? 0);
      backward.encoderHiddenGradNorms = combineNorms(mine.backward.encoderHiddenGradNorms, scales, layouts.map((l, i) => ({ f: others[i], at: l.norms + encoderAt })));
      backward.paramGradNorms = {};
      for (const p of model.params) backward.paramGradNorms[p.name] = euclideanNorm(p.grad);
    }
    return { result, backward };
  }

  /** Batch-sized outputs and final-state buffers (grown, never shrunk). */
  private reserve(outputs: number, blocks: number, stateLength: number): void {
    if (this.outputs.length < outputs) this.outputs = new Float32Array(outputs);
    const grow = (a: Float32Array[]) => (a.length !== blocks || (a[0]?.length ?? 0) < stateLength ? Array.from({ length: blocks }, () => new Float32Array(stateLength)) : a);
    this.finalH = grow(this.finalH);
    this.finalC = grow(this.finalC);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map(async (w, i) => {
      const k = i + 1;
      Atomics.store(this.control, commandWord(k), COMMAND_EXIT);
      Atomics.store(this.control, sequenceWord(k), ++w.sequence);
      Atomics.notify(this.control, sequenceWord(k));
      const timer = setTimeout(() => void w.worker.terminate(), 2000);
      await w.ended;
      clearTimeout(timer);
      w.port.close();
    }));
  }
}

/**
 * √(Σ_k (s_k·n_k)²) per layer and step: a shard's ∂L_k/∂h is of its own mean loss, scaled by
 * s_k = W_k / W into the batch's; shard 0's norms, then each worker's at `at` in its result.
 */
function combineNorms(own: number[][] | undefined, scales: readonly number[], others: Array<{ f: Float32Array; at: number }>): number[][] | undefined {
  if (!own) return undefined;
  const columns = own[0]?.length ?? 0;
  return own.map((row, l) => row.map((n, t) => {
    let sq = (scales[0] * n) ** 2;
    others.forEach(({ f, at }, i) => { sq += (scales[i + 1] * f[at + l * columns + t]) ** 2; });
    return Math.sqrt(sq);
  }));
}

function euclideanNorm(g: FloatArray): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(s);
}
