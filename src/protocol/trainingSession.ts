/** The host side of the training worker protocol (./hostWorker): starts dist/worker.js, relays its events and store writes, and cancels it. Used by the extension's training service and the CLI's parallel sweep trials. */
import { Worker } from 'node:worker_threads';
import { isWorkerToHost, transferablesOf, type StartMessage, type StoreChangeMessage } from './hostWorker';
import type { TrainingEvent } from '../train/events';
import type { RunStore } from '../train/runStore';

export type SessionStatus = 'done' | 'cancelled' | 'error';
export interface SessionResult {
  status: SessionStatus;
  /** The `done` or `error` event that ended the run, when the worker sent one (a cancelled run ends with an error event). */
  last?: TrainingEvent;
  message?: string;
}

export interface SessionOptions {
  workerPath: string;
  start: StartMessage;
  /** Where the worker's file messages (`writeFile`, `writeSet`, `renameFile`, `removeFile`) land. */
  store: RunStore;
  /** `resourceLimits.maxOldGenerationSizeMb` of the worker. */
  memoryLimitMb: number;
  onEvent(event: TrainingEvent): void;
  /** With `start.askStopAfterEpoch`: whether the run stops after this epoch (answered to the worker's `epochEnd`). */
  stopAfterEpoch?(epoch: number, monitored: number | undefined): boolean | Promise<boolean>;
}

/**
 * After `cancel()`, how long the worker has to finish its batch, write its checkpoint and end before
 * it is terminated. A backstop for a hung worker only: a batch of a large model takes seconds, and
 * terminating it mid-batch would lose everything since the last checkpoint.
 */
export const CANCEL_GRACE_MS = 15_000;

/**
 * One training run in a `worker_threads` worker. The host only relays: events go to `onEvent`, file
 * writes go through the RunStore, and `result` settles once the worker has sent `done`/`error` (or
 * died) and every file it sent is written. Changes apply in order of arrival, and writes are coalesced:
 * when the worker checkpoints faster than the workspace file system writes, only the newest bytes of
 * each file and the newest checkpoint set of each run are written, so the backlog (and the time a
 * cancel takes) stays bounded by one checkpoint.
 */
export class TrainingSession {
  readonly result: Promise<SessionResult>;
  private readonly worker: Worker;
  /** Changes waiting to be applied, the latest per file or set, in order of their last arrival. */
  private readonly pendingWrites = new Map<string, StoreChangeMessage>();
  private changeCount = 0;
  private draining: Promise<void> | undefined;
  private writeError: Error | undefined;
  private cancelled = false;
  private finished = false;

  constructor(private readonly options: SessionOptions) {
    this.worker = new Worker(options.workerPath, {
      resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb },
      stdout: true,
      stderr: true,
    });
    this.result = new Promise<SessionResult>((resolve) => {
      const finish = (result: SessionResult) => {
        if (this.finished) return;
        this.finished = true;
        void (this.draining ?? Promise.resolve()).then(() => {
          void this.worker.terminate();
          if (this.writeError) resolve({ status: 'error', message: `could not write run files: ${this.writeError.message}`, last: result.last });
          else resolve(this.cancelled ? { ...result, status: 'cancelled' } : result);
        });
      };
      this.worker.on('message', (message: unknown) => {
        if (!isWorkerToHost(message)) return;
        switch (message.type) {
          case 'writeFile':
          case 'writeSet':
          case 'renameFile':
          case 'removeFile':
            this.queueWrite(message);
            break;
          case 'epochEnd':
            void Promise.resolve(options.stopAfterEpoch?.(message.epoch, message.monitored ?? undefined) ?? false)
              .then((stop) => this.worker.postMessage({ type: 'stopDecision', epoch: message.epoch, stop }), () => this.worker.postMessage({ type: 'stopDecision', epoch: message.epoch, stop: false }));
            break;
          case 'event':
            options.onEvent(message.event);
            if (message.event.event === 'done') finish({ status: 'done', last: message.event });
            else if (message.event.event === 'error') finish({ status: 'error', last: message.event, message: message.event.message });
            break;
        }
      });
      this.worker.on('error', (error: Error & { code?: string }) => {
        const message = error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the training worker ran out of memory (limit ${options.memoryLimitMb} MB, setting rnnLab.workerMemoryLimitMb): make the model, batch or sequence smaller`
          : `the training worker failed: ${error.message}`;
        finish({ status: 'error', message });
      });
      this.worker.on('exit', (code) => {
        finish(this.cancelled ? { status: 'cancelled' } : { status: 'error', message: `the training worker stopped (exit code ${code}) before finishing` });
      });
    });
    this.worker.postMessage(options.start, transferablesOf(options.start));
  }

  private queueWrite(change: StoreChangeMessage): void {
    // A newer write of a file (or set of a folder) replaces a pending one; renames and removals never coalesce.
    const key = change.type === 'writeFile' ? `file:${change.relPath}` : change.type === 'writeSet' ? `set:${change.relDir}` : `change:${this.changeCount++}`;
    this.pendingWrites.delete(key);
    this.pendingWrites.set(key, change);
    this.draining ??= this.drain();
  }

  private apply(change: StoreChangeMessage): Promise<void> {
    const { store } = this.options;
    switch (change.type) {
      case 'writeFile': return store.writeFileAtomic(change.relPath, change.bytes);
      case 'writeSet': return store.writeSet(change.relDir, change.files);
      case 'renameFile': return store.rename(change.from, change.to);
      case 'removeFile': return store.remove(change.relPath);
    }
  }

  private async drain(): Promise<void> {
    for (let next = this.pendingWrites.entries().next(); !next.done; next = this.pendingWrites.entries().next()) {
      const [key, change] = next.value;
      this.pendingWrites.delete(key);
      try {
        await this.apply(change);
      } catch (error) {
        this.writeError ??= error as Error;
      }
    }
    this.draining = undefined;
  }

  /** Asks the worker to stop after its current batch; terminates it if it has not finished in CANCEL_GRACE_MS. */
  cancel(): void {
    if (this.finished || this.cancelled) return;
    this.cancelled = true;
    this.worker.postMessage({ type: 'cancel' });
    setTimeout(() => { if (!this.finished) void this.worker.terminate(); }, CANCEL_GRACE_MS).unref();
  }

  pause(): void { this.worker.postMessage({ type: 'pause' }); }
  resume(): void { this.worker.postMessage({ type: 'resume' }); }

  /** The worker's stdout/stderr, for the log. */
  onOutput(listener: (text: string) => void): void {
    this.worker.stdout.on('data', (chunk: Buffer) => listener(chunk.toString()));
    this.worker.stderr.on('data', (chunk: Buffer) => listener(chunk.toString()));
  }
}
