/**
 * The control words of a thread pool (an Int32Array over a SharedArrayBuffer), per worker k:
 *   [sequence(k)]  the step the main thread last posted to worker k (Atomics.notify wakes it)
 *   [command(k)]   what that step asks: STEP or EXIT
 *   [done(k)]      the step worker k last finished (the main thread waits on it)
 *   [failed(k)]    1 when worker k's last step threw (its message follows on the worker's port)
 *   [ready(k)]     1 once worker k built its replica, −1 when that failed (message on the port)
 *   [taken(k)]     the step worker k last woke up for (a live worker takes a posted step at once)
 *   [exited(k)]    1 once worker k's thread ended: set by the worker itself on its way out
 *                  (process.exit, an uncaught error) and by the main thread on the worker's 'exit'
 *                  or 'error' event (a hard end such as running out of memory)
 *   [exitCode(k)]  the exit code worker k ended with (valid once exited(k) is 1)
 * Worker k (1 … N−1) computes shard k; the main thread computes shard 0 itself. A step with fewer
 * shards than threads wakes only the workers it needs.
 */
export const COMMAND_STEP = 1;
export const COMMAND_EXIT = 2;

const WORDS = 8;
export const sequenceWord = (k: number): number => WORDS * k;
export const commandWord = (k: number): number => WORDS * k + 1;
export const doneWord = (k: number): number => WORDS * k + 2;
export const failedWord = (k: number): number => WORDS * k + 3;
export const readyWord = (k: number): number => WORDS * k + 4;
export const takenWord = (k: number): number => WORDS * k + 5;
export const exitedWord = (k: number): number => WORDS * k + 6;
export const exitCodeWord = (k: number): number => WORDS * k + 7;
export const controlWords = (threads: number): number => WORDS * threads;

/** What a shard worker is started with (`workerData`). */
export interface ShardWorkerData {
  index: number;
  control: SharedArrayBuffer;
  /** Every parameter, flat in model.params order, as the main thread last wrote them. */
  parameters: SharedArrayBuffer;
  network: import('../../engine/types').NetworkConfig;
  backend: string;
  port: import('node:worker_threads').MessagePort;
}

/**
 * On a worker's port: a larger request buffer (main → worker, before the step that needs it), a
 * larger result buffer (worker → main, before it signals done), or the text of an error.
 */
export interface PortMessage {
  request?: SharedArrayBuffer;
  result?: SharedArrayBuffer;
  error?: string;
}
