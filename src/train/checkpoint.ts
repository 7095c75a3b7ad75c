/**
 * Checkpoints: weights (`best`/`last.safetensors`), and what an exact resume needs besides them:
 * `optimizer.safetensors` (optimizer moments and step count as `optimizer.<key>`, the language-model
 * state carried between windows as `carry.h.<i>` / `carry.c.<i>`) and `state.json` (cursor, RNG
 * states, early-stopping bookkeeping, dataset hashes).
 */
import type { RecurrentState } from '../engine/model';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from '../engine/safetensors';
import type { FloatArray } from '../engine/types';
import type { DivergenceState } from './divergence';

/** Where training continues: the next batch (or window) `batch` of epoch `epoch` (both 0-based). */
export interface TrainingCursor { epoch: number; batch: number }

/** The best validation result so far. */
export interface BestSoFar { epoch: number; loss: number; monitored: number }

/**
 * Sums of the current epoch's training metrics so far (so a resumed epoch reports the same values).
 * `weight`, `unseen` and `confusion` are absent in runs written before them.
 */
export interface PartialEpoch {
  lossSum: number;
  count: number;
  correct: number;
  weight?: number;
  unseen?: number;
  confusion?: { matrix: number[][]; unseenPredicted: number[] };
}

/** `state.json`. */
export interface TrainingState {
  version: number;
  runId: string;
  seed: number;
  epochs: number;
  cursor: TrainingCursor;
  best: BestSoFar | null;
  epochsWithoutImprovement: number;
  dropoutRng: number[];
  sampleRng: number[];
  partialEpoch: PartialEpoch;
  hashes: Record<string, string>;
  elapsedMs: number;
  optimizerSteps: number;
  /** The checkpoint set these files belong to (checkpointSet.ts); absent in runs written before sets existed. */
  generation?: number;
  /** The generation whose best.safetensors is the best so far (null: none yet). */
  bestGeneration?: number | null;
  /** Lines of metrics.jsonl and gradients.jsonl that belong to this checkpoint. */
  historyLines?: { metrics: number; gradients: number };
  /** The divergence detector's state (divergence.ts), so a resumed run trips at the same batch. */
  divergence?: DivergenceState;
}

const OPTIMIZER_PREFIX = 'optimizer.';
const CARRY_PREFIX = 'carry.';

/** Weights with the epoch they were taken after and, in a checkpoint set, its generation. */
export function encodeWeights(tensors: NamedTensor[], epoch: number, generation?: number): Uint8Array {
  return encodeSafetensors(tensors, { format: 'pt', epoch: String(epoch), ...(generation !== undefined && { generation: String(generation) }) });
}

export function decodeWeights(bytes: Uint8Array): Map<string, NamedTensor> {
  return decodeSafetensors(bytes).tensors;
}

/** optimizer.safetensors from the optimizer's state and the carried state (when any). */
export function encodeOptimizerFile(optimizerState: Map<string, Float32Array>, carry: RecurrentState | undefined, generation?: number): Uint8Array {
  const tensors: NamedTensor[] = [];
  for (const [key, data] of optimizerState) tensors.push({ name: OPTIMIZER_PREFIX + key, shape: [data.length], data });
  const add = (kind: 'h' | 'c', arrays: FloatArray[] | undefined) =>
    arrays?.forEach((a, i) => tensors.push({ name: `${CARRY_PREFIX}${kind}.${i}`, shape: [a.length], data: Float32Array.from(a) }));
  add('h', carry?.h);
  add('c', carry?.c);
  return encodeSafetensors(tensors, generation !== undefined ? { generation: String(generation) } : undefined);
}

export function decodeOptimizerFile(bytes: Uint8Array): { optimizerState: Map<string, Float32Array>; carry?: RecurrentState } {
  const { tensors } = decodeSafetensors(bytes);
  const optimizerState = new Map<string, Float32Array>();
  const h: Float32Array[] = [];
  const c: Float32Array[] = [];
  for (const [name, tensor] of tensors) {
    if (name.startsWith(OPTIMIZER_PREFIX)) optimizerState.set(name.slice(OPTIMIZER_PREFIX.length), tensor.data);
    else if (name.startsWith(`${CARRY_PREFIX}h.`)) h[Number(name.slice(CARRY_PREFIX.length + 2))] = tensor.data;
    else if (name.startsWith(`${CARRY_PREFIX}c.`)) c[Number(name.slice(CARRY_PREFIX.length + 2))] = tensor.data;
  }
  if (h.length === 0) return { optimizerState };
  return { optimizerState, carry: c.length ? { h, c } : { h } };
}

/** A deep copy (the engine reuses its `finalState` buffers). */
export function copyState(state: RecurrentState): RecurrentState {
  const h = state.h.map((a) => a.slice());
  return state.c ? { h, c: state.c.map((a) => a.slice()) } : { h };
}

/** True when every entry of every array is finite. */
export function allFinite(arrays: Iterable<FloatArray>): boolean {
  for (const a of arrays) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
