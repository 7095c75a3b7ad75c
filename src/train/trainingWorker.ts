/**
 * The training worker (worker_threads; bundled to dist/worker.js). The host posts `start` with the
 * spec and the dataset bytes, then `cancel` / `pause` / `resume`; the worker runs the trainer and
 * posts each training event and each run file to write (src/protocol/hostWorker.ts). The run ends
 * with a `done` or an `error` event.
 */
import { hostname } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { isHostToWorker, type StartMessage, type WorkerToHost } from '../protocol/hostWorker';
import { InputError, toErrorEvent } from './errors';
import { PauseGate } from './pauseGate';
import { PostingRunStore } from './postingRunStore';
import { train } from './trainer';
import { isBackendPreference } from '../engine/kernels/selectBackend';

const port = parentPort;
if (!port) throw new Error('trainingWorker must run in a worker thread');

const controller = new AbortController();
const pause = new PauseGate();
let started = false;
/** The pending `epochEnd` question's answer (a sweep's median stopping). */
let stopDecision: ((stop: boolean) => void) | undefined;

/** Asks the host whether to stop after `epoch`; a cancel answers no (the cancel itself ends the run). */
function askStop(epoch: number, monitored: number | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    stopDecision = resolve;
    post({ type: 'epochEnd', epoch, monitored: monitored ?? null });
  });
}

function post(message: WorkerToHost): void {
  port!.postMessage(message);
}

async function start(message: StartMessage): Promise<void> {
  const store = new PostingRunStore(post, message.runFiles);
  try {
    await train({
      specText: message.specText,
      specPath: message.specPath,
      read: (relPath) => {
        const bytes = message.files[relPath] ?? message.files[relPath.replace(/^\.\//, '')];
        if (!bytes) throw new InputError('the host sent no such file', relPath);
        return bytes;
      },
      store,
      runId: message.resume ? undefined : message.runId,
      resume: message.resume ? message.runId : undefined,
      onEvent: (event) => post({ type: 'event', event }),
      signal: controller.signal,
      pause,
      backend: isBackendPreference(message.backend) ? message.backend : 'auto',
      // worker threads share the extension host's pid: a restarted host leaves the run orphaned
      owner: { pid: process.pid, host: hostname() },
      ...(message.specFileFromRun !== undefined && { specFileFromRun: () => message.specFileFromRun! }),
      ...(message.sweep && { sweep: message.sweep }),
      ...(message.threads !== undefined && { threads: message.threads }),
      ...(message.askStopAfterEpoch && { stopAfterEpoch: askStop }),
    });
  } catch (error) {
    post({ type: 'event', event: toErrorEvent(error, message.specPath) });
  }
}

port.on('message', (message: unknown) => {
  if (!isHostToWorker(message)) return;
  switch (message.type) {
    case 'start':
      if (started) return;
      started = true;
      void start(message);
      break;
    case 'cancel':
      controller.abort();
      pause.resume();
      stopDecision?.(false);
      break;
    case 'stopDecision':
      stopDecision?.(message.stop);
      stopDecision = undefined;
      break;
    case 'pause':
      pause.pause();
      break;
    case 'resume':
      pause.resume();
      break;
    default: {
      const unknown: never = message;
      void unknown;
    }
  }
});
