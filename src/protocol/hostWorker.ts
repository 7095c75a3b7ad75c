/**
 * Messages between the extension host and the training worker (`dist/worker.js`, entry
 * `src/train/trainingWorker.ts`). Each side checks what it receives with the guards below and ends
 * in an exhaustive `switch`.
 *
 * Paths: `files` keys and `specPath` are relative to the spec file's folder (as paths inside a spec
 * are); `runId` and `writeFile.relPath` are relative to the runs folder (`<runId>/last.safetensors`),
 * as a `RunStore` sees them. Byte payloads are `Uint8Array`s whose buffers are transferred.
 */
import { isTrainingEvent, type TrainingEvent } from '../train/events';

/** Starts a run. With `resume`, `runFiles` holds the run's existing files (`<runId>/state.json`, …). */
export interface StartMessage {
  type: 'start';
  specText: string;
  specPath: string;
  files: Record<string, Uint8Array>;
  runId: string;
  resume?: boolean;
  runFiles?: Record<string, Uint8Array>;
  /** The spec file relative to a run folder (the same for every run of one runs folder), recorded in summary.json. */
  specFileFromRun?: string;
  /** The `rnnLab.backend` setting (`auto`, `ts`, `wasm-simd`, `wasm-fma`); one that does not run here falls back to a slower one. */
  backend?: string;
  /** A sweep's trial: recorded in summary.json as `sweep` (TrainOptions.sweep). */
  sweep?: { id: string; trial: number; parameters: Record<string, unknown> };
  /** Threads the run may use (TrainOptions.threads). */
  threads?: number;
  /** After each epoch the worker posts `epochEnd` and waits for the host's `stopDecision` (a sweep's median stopping). */
  askStopAfterEpoch?: boolean;
}
/** Stop after the current batch, write the last checkpoint, end with `done` or `error`. */
export interface CancelMessage { type: 'cancel' }
export interface PauseMessage { type: 'pause' }
export interface ResumeMessage { type: 'resume' }
/** The answer to `epochEnd`: true ends the run with status `stopped`. */
export interface StopDecisionMessage { type: 'stopDecision'; epoch: number; stop: boolean }
export type HostToWorker = StartMessage | CancelMessage | PauseMessage | ResumeMessage | StopDecisionMessage;

/** A training event of docs/contracts.md, as the trainer emitted it. */
export interface EventMessage { type: 'event'; event: TrainingEvent }
/** A run file for the host's RunStore to write atomically. */
export interface WriteFileMessage { type: 'writeFile'; relPath: string; bytes: Uint8Array }
/** Files of one folder (a checkpoint) for the host's RunStore to write as one set (`RunStore.writeSet`). */
export interface WriteSetMessage { type: 'writeSet'; relDir: string; files: Record<string, Uint8Array> }
/** A rename (`RunStore.rename`), from resume's recovery of an interrupted checkpoint. */
export interface RenameFileMessage { type: 'renameFile'; from: string; to: string }
/** A removal (`RunStore.remove`), from resume's recovery of an interrupted checkpoint. */
export interface RemoveFileMessage { type: 'removeFile'; relPath: string }
/** The messages that change run files, applied by the host in the order they arrive. */
export type StoreChangeMessage = WriteFileMessage | WriteSetMessage | RenameFileMessage | RemoveFileMessage;
/** An epoch ended (only with `askStopAfterEpoch`): its monitored value (lower is better), null when none. */
export interface EpochEndMessage { type: 'epochEnd'; epoch: number; monitored: number | null }
export type WorkerToHost = EventMessage | StoreChangeMessage | EpochEndMessage;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function isFileMap(value: unknown): value is Record<string, Uint8Array> {
  return isObject(value) && Object.values(value).every((bytes) => bytes instanceof Uint8Array);
}

export function isHostToWorker(value: unknown): value is HostToWorker {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'start':
      return typeof value.specText === 'string' && typeof value.specPath === 'string' && typeof value.runId === 'string' &&
        isFileMap(value.files) && (value.resume === undefined || typeof value.resume === 'boolean') &&
        (value.runFiles === undefined || isFileMap(value.runFiles)) &&
        (value.backend === undefined || typeof value.backend === 'string') &&
        (value.specFileFromRun === undefined || typeof value.specFileFromRun === 'string') &&
        (value.sweep === undefined || (isObject(value.sweep) && typeof value.sweep.id === 'string' && typeof value.sweep.trial === 'number' && isObject(value.sweep.parameters))) &&
        (value.threads === undefined || typeof value.threads === 'number') &&
        (value.askStopAfterEpoch === undefined || typeof value.askStopAfterEpoch === 'boolean');
    case 'stopDecision':
      return typeof value.epoch === 'number' && typeof value.stop === 'boolean';
    case 'cancel':
    case 'pause':
    case 'resume':
      return true;
    default:
      return false;
  }
}

export function isWorkerToHost(value: unknown): value is WorkerToHost {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'event':
      return isTrainingEvent(value.event);
    case 'writeFile':
      return typeof value.relPath === 'string' && value.bytes instanceof Uint8Array;
    case 'writeSet':
      return typeof value.relDir === 'string' && isFileMap(value.files);
    case 'renameFile':
      return typeof value.from === 'string' && typeof value.to === 'string';
    case 'removeFile':
      return typeof value.relPath === 'string';
    case 'epochEnd':
      return typeof value.epoch === 'number' && (value.monitored === null || typeof value.monitored === 'number');
    default:
      return false;
  }
}

/**
 * Buffers of a start message's byte payloads, for `postMessage`'s transfer list. Each payload must own its
 * whole buffer (copy with `new Uint8Array(bytes)` first): transferring a pooled Node `Buffer` would
 * detach memory that other objects share.
 */
export function transferablesOf(message: StartMessage): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const bytes of [...Object.values(message.files), ...Object.values(message.runFiles ?? {})]) {
    if (bytes.buffer instanceof ArrayBuffer) buffers.add(bytes.buffer);
  }
  return [...buffers];
}
