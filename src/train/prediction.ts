/**
 * `predict`: a trained model on one raw input, with outputs in the user's terms:
 *   many-to-one classes   the class distribution softmax(o) by class name
 *   many-to-many classes  one label per step (taggers), or the next-token distribution (text LM)
 *   values                predictions in original units (z·std + mean of the target column)
 * The raw input is a string (tokens of the run's unit), an array of tokens, an array of numbers
 * (one feature per step) or an array of number arrays (features per step), as in the JSONL format.
 */
import type { RecurrentModel } from '../engine/model';
import type { Batch } from '../engine/types';
import { InputError } from './errors';
import type { LoadedRun } from './loadedRun';
import { argmax, logSoftmax } from './sampling';

export type Prediction =
  | { kind: 'class'; label: string; probabilities: Record<string, number> }
  | { kind: 'labels'; labels: string[] }
  | { kind: 'next'; top: { token: string; probability: number }[] }
  | { kind: 'values'; values: number[] };

/** The B = 1 batch of a raw input (features are z-scored with the run's statistics). */
export function inputBatch(run: LoadedRun, raw: unknown, where: string): Batch {
  const input = run.model.config.input;
  if (input.kind === 'tokens') {
    const vocab = run.inputVocab;
    if (!vocab) throw new InputError('this run has no input vocabulary', where);
    const tokens = typeof raw === 'string' ? vocab.split(raw) : Array.isArray(raw) && raw.every((t) => typeof t === 'string' || typeof t === 'number') ? raw.map(String) : undefined;
    if (!tokens || tokens.length === 0) throw new InputError(`expected a non-empty string or array of tokens, got ${JSON.stringify(raw)?.slice(0, 60)}`, where);
    const ids = vocab.encode(tokens);
    return { batchSize: 1, steps: ids.length, lengths: Int32Array.of(ids.length), tokens: ids, targetTokens: new Int32Array(ids.length).fill(-1) };
  }
  const X = input.size;
  const rows = Array.isArray(raw) ? raw.map((step) => (Array.isArray(step) ? step : [step])) : undefined;
  if (!rows || rows.length === 0 || rows.some((r) => r.length !== X || r.some((v) => typeof v !== 'number' || !Number.isFinite(v)))) {
    throw new InputError(`expected a non-empty array of steps, each ${X === 1 ? 'a number' : `an array of ${X} numbers`}, got ${JSON.stringify(raw)?.slice(0, 60)}`, where);
  }
  const norm = run.normalization;
  const features = new Float32Array(rows.length * X);
  rows.forEach((r, t) => r.forEach((v: number, f) => (features[t * X + f] = norm ? (v - norm.mean[f]) / norm.std[f] : v)));
  return { batchSize: 1, steps: rows.length, lengths: Int32Array.of(rows.length), features };
}

/** Adds dummy targets so the forward pass has something to score (its loss is ignored). */
function withDummyTargets(model: RecurrentModel, batch: Batch): Batch {
  const { output } = model.config;
  const T = batch.steps;
  const aligned = model.config.task === 'many-to-many';
  if (output.kind === 'values') return { ...batch, targetValues: new Float32Array((aligned ? T : 1) * output.size) };
  return aligned ? { ...batch, targetTokens: new Int32Array(T) } : { ...batch, classLabels: new Int32Array(1) };
}

export function predict(run: LoadedRun, raw: unknown, where: string, topCount = 10): Prediction {
  const { model } = run;
  const batch = withDummyTargets(model, inputBatch(run, raw, where));
  const outputs = model.forward(batch, { training: false }).outputs;
  const { output, task } = model.config;
  const O = output.size;
  const T = batch.steps;
  if (output.kind === 'values') {
    const norm = run.normalization;
    const column = norm?.columns && norm.target !== undefined ? norm.columns.indexOf(norm.target) : -1;
    const [scale, shift] = column >= 0 && norm ? [norm.std[column], norm.mean[column]] : [1, 0];
    return { kind: 'values', values: Array.from(outputs.subarray(0, (task === 'many-to-many' ? T : 1) * O), (v) => v * scale + shift) };
  }
  const names = run.labels ?? run.inputVocab?.tokens ?? [];
  const name = (id: number) => names[id] ?? String(id);
  if (task === 'many-to-one') {
    const logp = logSoftmax(outputs, 0, O);
    const probabilities: Record<string, number> = {};
    logp.forEach((l, k) => (probabilities[name(k)] = Math.exp(l)));
    return { kind: 'class', label: name(argmax(outputs, 0, O)), probabilities };
  }
  if (!run.labels) {
    const logp = logSoftmax(outputs, (T - 1) * O, O);
    const order = Array.from(logp.keys()).sort((a, b) => logp[b] - logp[a]).slice(0, topCount);
    return { kind: 'next', top: order.map((k) => ({ token: name(k), probability: Math.exp(logp[k]) })) };
  }
  return { kind: 'labels', labels: Array.from({ length: T }, (_, t) => name(argmax(outputs, t * O, O))) };
}
