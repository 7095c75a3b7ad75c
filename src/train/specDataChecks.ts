/**
 * Checks of spec keys that need the prepared data, run by the trainer before anything is written:
 * `training.classWeights` (labels must exist; fills the network's class weights) and
 * `training.earlyStopping` (the monitored metric must be one the task reports; monitoring the
 * validation split needs validation data). Each problem is a SpecError at its key's position.
 */
import { classWeightsFor, type PreparedDataset, type Split } from '../data';
import type { NetworkConfig } from '../engine/types';
import { specErrorAt, type ResolvedSpec } from '../modelSpec';
import { closest } from '../modelSpec/schemaIssues';
import { parseMonitor, type Monitor } from './earlyStopping';

export interface SpecText { text: string; path: string }

/** The network with the class weights of `training.classWeights` (when set). */
export function withClassWeights(network: NetworkConfig, spec: ResolvedSpec, data: PreparedDataset, source: SpecText): NetworkConfig {
  const train = data.train.kind === 'examples' ? data.train.examples : [];
  const weights = classWeightsFor(spec.training.classWeights, data.labels, train, closest);
  if (weights === undefined) return network;
  if (!Array.isArray(weights)) throw specErrorAt(source.text, source.path, weights.path, weights.message);
  if (network.output.kind !== 'classes') {
    throw specErrorAt(source.text, source.path, '/training/classWeights', 'expected null or no "classWeights": this model predicts values, not classes');
  }
  return { ...network, output: { ...network.output, weights } };
}

/**
 * The early-stopping monitor, or undefined when early stopping is off. `resumed`: the spec is a stored
 * run's, which was accepted when it started: a monitor this version rejects keeps its old meaning
 * there (validation loss for a metric the task lacks; off without validation data).
 */
export function earlyStoppingMonitor(
  spec: ResolvedSpec, data: PreparedDataset, network: NetworkConfig, source: SpecText, resumed = false,
): Monitor | undefined {
  const early = spec.training.earlyStopping;
  if (!early) return undefined;
  const monitor = parseMonitor(early.monitor, data, network.output, spec.data.unit);
  const validationEmpty = !hasData(data.validation);
  if (resumed) return typeof monitor === 'string' ? (validationEmpty ? undefined : { split: 'validation', metric: 'loss' }) : monitor;
  if (typeof monitor === 'string') throw specErrorAt(source.text, source.path, '/training/earlyStopping/monitor', monitor);
  if (monitor.split === 'validation' && validationEmpty) {
    throw specErrorAt(source.text, source.path, '/training/earlyStopping',
      'early stopping on the validation split needs validation data: set "data.validation" to a file or a fraction above 0, or remove "earlyStopping"');
  }
  return monitor;
}

export function hasData(split: Split): boolean {
  return split.kind === 'stream' ? split.tokens.length >= 2 : split.examples.length > 0;
}
