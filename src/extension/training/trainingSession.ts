import { Worker } from 'node:worker_threads';
import { isWorkerToHost, transferablesOf, type StartMessage } from '../../protocol/hostWorker';
import type { TrainingEvent } from '../../train/events';
import type { RunStore } from '../../train/runStore';

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
  /** Where the worker's `writeFile` messages land. */
  store: RunStore;
  /** `resourceLimits.maxOldGenerationSizeMb` of the worker. */
  memoryLimitMb: number;
  onEvent(event: TrainingEvent): void;
}

/** After `cancel()`, how long the worker has to write its checkpoint and finish before it is terminated. */
export const CANCEL_GRACE_MS = 800;

/**
 * One training run in a `worker_threads` worker. The host only relays: events go to `onEvent`, file
 * writes go through the RunStore, and `result` settles once the worker has sent `done`/`error` (or
 * died) and every file it sent is written. Writes are coalesced: when the worker checkpoints faster
 * than the workspace file system writes, only the newest bytes of each file are written, so the
 * backlog (and the time a cancel takes) stays bounded by one checkpoint.
 */
export class TrainingSession {
  readonly result: Promise<SessionResult>;
  private readonly worker: Worker;
  /** Files waiting to be written, latest bytes per path, in order of their last arrival. */
  private readonly pendingWrites = new Map<string, Uint8Array>();
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
            this.queueWrite(message.relPath, message.bytes);
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

  private queueWrite(relPath: string, bytes: Uint8Array): void {
    this.pendingWrites.delete(relPath);
    this.pendingWrites.set(relPath, bytes);
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    for (let next = this.pendingWrites.entries().next(); !next.done; next = this.pendingWrites.entries().next()) {
      const [relPath, bytes] = next.value;
      this.pendingWrites.delete(relPath);
      try {
        await this.options.store.writeFileAtomic(relPath, bytes);
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
