import { Worker } from 'node:worker_threads';
import { isWorkerToHost, transferablesOf, type StartMessage } from '../../protocol/hostWorker';
import type { TrainingEvent } from '../../train/events';
import type { RunStore } from '../../train/runStore';

export type SessionStatus = 'done' | 'cancelled' | 'error';
export interface SessionResult {
  status: SessionStatus;
  /** The `done` or `error` event that ended the run, when the worker sent one. */
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
 * writes go through the RunStore in arrival order, and `result` settles once the worker has sent
 * `done`/`error` (or died) and every file it sent is written.
 */
export class TrainingSession {
  readonly result: Promise<SessionResult>;
  private readonly worker: Worker;
  private writes: Promise<void> = Promise.resolve();
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
        void this.writes.then(() => {
          void this.worker.terminate();
          if (this.writeError) resolve({ status: 'error', message: `could not write run files: ${this.writeError.message}`, last: result.last });
          else resolve(this.cancelled && result.status !== 'error' ? { ...result, status: 'cancelled' } : result);
        });
      };
      this.worker.on('message', (message: unknown) => {
        if (!isWorkerToHost(message)) return;
        switch (message.type) {
          case 'writeFile': {
            const { relPath, bytes } = message;
            this.writes = this.writes.then(() => options.store.writeFileAtomic(relPath, bytes)).catch((error: Error) => { this.writeError ??= error; });
            break;
          }
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
